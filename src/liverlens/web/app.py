"""The web application factory.

``create_app(settings)`` builds a FastAPI app with its own engine and session factory (no
module-level globals), runs the migrations, and mounts the pages, the JSON API and static
files. The app holds no clinical logic: every report comes from ``liverlens.interpret``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from liverlens import __version__, i18n
from liverlens.errors import InputError, StorageBusyError
from liverlens.knowledge import load_knowledge
from liverlens.knowledge.schema import Language
from liverlens.web.db import make_engine, session_factory
from liverlens.web.migrate import upgrade
from liverlens.web.settings import Settings

log = logging.getLogger("liverlens.web")

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form
    # posts, which the CSRF origin check (rightly) refuses
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
}


class BodyLimit:
    """Refuse request bodies above a size, whether announced or streamed (413)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await _too_large(send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = b'{"detail":"request body too large"}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def issues_detail(error: InputError, lang: Language = "en") -> list[dict[str, Any]]:
    """InputError issues as FastAPI-style field errors: ``loc`` from the field, ``msg`` in
    ``lang``, ``id`` the message id (stable, for programs that react to a kind of problem)."""
    out = []
    for problem in error.details:
        path = [int(p) if p.isdigit() else p for p in problem.field.split(".") if p]
        loc: list[str | int] = ["body", *path]
        msg = i18n.said(problem, lang)
        out.append({"loc": loc, "msg": msg, "type": "value_error", "id": problem.message})
    return out


def _request_language(request: Request) -> Language:
    """The language of a JSON error: the input's own ``language`` when the route saw one,
    else the caller's Accept-Language, else English."""
    said = getattr(request.state, "language", None)
    return (
        i18n.known(said)
        or i18n.from_accept_language(request.headers.get("accept-language"))
        or i18n.DEFAULT
    )


def _words(detail: object, lang: Language, status: int) -> str:
    """An HTTP error's detail in words: a message id is translated; Starlette's own short
    phrases ("Not Found") become our sentence for that status."""
    kb = load_knowledge()
    if isinstance(detail, str) and detail in kb.texts:
        return kb.say(detail, lang)
    generic = f"error.http.{status}"
    return kb.say(generic if generic in kb.texts else "error.http.other", lang)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/fhir/", "/cds-services"))


def _error_page(request: Request, status: int, detail: object) -> Response:
    """An error page that still knows who is signed in (so the navigation stays right)."""
    from liverlens.web.deps import ANON_COOKIE, SESSION_COOKIE, Visitor
    from liverlens.web.repository import session_for
    from liverlens.web.views import page, page_language

    with request.app.state.sessions() as db:
        found = session_for(db, request.cookies.get(SESSION_COOKIE))
    anon = request.cookies.get(ANON_COOKIE)
    visitor = Visitor(None, None, anon) if found is None else Visitor(found[1], found[0], anon)
    message = _words(detail, page_language(request), status)
    return page(request, visitor, "error.html", {"status": status, "message": message}, status)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    app = FastAPI(
        title="LiverLens",
        version=__version__,
        description="Explains abnormal liver enzyme results, ALT first. The JSON contracts are "
        "those of `liverlens explain --format json`.",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    templates_dir = resources.files("liverlens.web") / "templates"
    app.state.templates = Jinja2Templates(directory=str(templates_dir))
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("liverlens.web") / "static")),
        name="static",
    )

    from liverlens.web.routes import api, auth, cds, fhir, pages

    app.include_router(cds.router)
    app.include_router(fhir.router)
    app.include_router(api.public)
    app.include_router(api.router)
    app.include_router(auth.router)
    app.include_router(pages.router)

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            if key == "content-security-policy" and request.url.path.startswith("/api/docs"):
                continue  # the OpenAPI page loads its own assets
            response.headers.setdefault(key, value)
        log.info(
            "%s %s %s",
            request.method,
            request.scope.get("route").path  # type: ignore[union-attr]
            if request.scope.get("route")
            else "-",
            response.status_code,
        )
        return response

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSONResponse:
        detail = issues_detail(exc, _request_language(request))
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [
            {"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(StorageBusyError)
    async def storage_busy(request: Request, exc: StorageBusyError) -> Response:
        """The database stayed locked: nothing was written; the client may send it again."""
        headers = {"retry-after": "1"}
        if _wants_json(request):
            words = load_knowledge().say("error.web.busy", _request_language(request))
            return JSONResponse({"detail": words}, status_code=503, headers=headers)
        response = _error_page(request, 503, "error.web.busy")
        response.headers.update(headers)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            detail = exc.detail
            if isinstance(detail, str) and detail in load_knowledge().texts:
                detail = load_knowledge().say(detail, _request_language(request))
            return JSONResponse({"detail": detail}, status_code=exc.status_code)
        if exc.status_code == 401:
            return RedirectResponse("/signin", status_code=303)
        return _error_page(request, exc.status_code, exc.detail)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected %s on %s", type(exc).__name__, request.url.path)
        if _wants_json(request):
            return JSONResponse({"detail": "internal error"}, status_code=500)
        from liverlens.web.views import page_language

        words = load_knowledge().say("error.http.500", page_language(request))
        return HTMLResponse(f"<h1>{escape(words)}</h1>", status_code=500)

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
