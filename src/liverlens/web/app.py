"""The web application factory.

``create_app(settings)`` builds a FastAPI app with its own engine and session factory (no
module-level globals), runs the migrations, and mounts the pages, the JSON API and static
files. The app holds no clinical logic: every report comes from ``liverlens.interpret``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import escape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp

from liverlens import __version__, i18n
from liverlens.errors import InputError, StorageBusyError
from liverlens.knowledge import load_knowledge
from liverlens.knowledge.schema import Language
from liverlens.web import cds_auth
from liverlens.web.db import make_engine, session_factory
from liverlens.web.middleware import BodyLimit, Guard, Headers
from liverlens.web.migrate import upgrade
from liverlens.web.openapi import responses
from liverlens.web.responses import JSON
from liverlens.web.settings import UPLOAD_OVERHEAD, Settings
from liverlens.web.throttle import Throttle


def issues_detail(error: InputError, lang: Language = "en") -> list[dict[str, Any]]:
    """InputError issues as FastAPI-style field errors: ``loc`` from the field, ``msg`` in
    ``lang``, ``id`` the message id (stable, for programs that react to a kind of problem)."""
    out = []
    for problem in error.details:
        # "²".isdigit() is true yet int("²") fails: only ASCII digits are list positions
        path = [int(p) if p.isascii() and p.isdigit() else p for p in problem.field.split(".") if p]
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


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed(request: Request) -> list[str]:
    """The methods some route of the app takes at this request's path."""
    return [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.routes
        )
    ]


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


class LiverLensApp(FastAPI):
    """FastAPI with LiverLens's own outer layers (``middleware.py``) around everything
    Starlette adds, so no exception, traceback or header-less answer gets past them."""

    def build_middleware_stack(self) -> ASGIApp:
        from liverlens.web.routes.extract import UPLOAD_PATHS

        settings = self.state.settings
        # a lab report's files, and the multipart's own lines around them
        upload = settings.max_upload_bytes + UPLOAD_OVERHEAD
        uploads = dict.fromkeys(UPLOAD_PATHS, upload)
        limited = BodyLimit(super().build_middleware_stack(), settings.max_body_bytes, uploads)
        return Guard(Headers(limited))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    app = LiverLensApp(
        default_response_class=JSON,
        responses=responses(400, 405, 413),  # any body may be unreadable or too large
        title="LiverLens",
        version=__version__,
        description="Explains abnormal liver enzyme results, ALT first. The JSON contracts are "
        "those of `liverlens explain --format json`.",
        docs_url=None,  # served by routes/docs.py from the package, under the CSP
        openapi_url="/api/openapi.json",
        redoc_url=None,
    )
    app.state.settings = settings
    # shared through the database, so several server processes keep one memory of both
    app.state.cds_replays = cds_auth.Replays(engine)
    app.state.throttle = Throttle(engine=engine, secret=settings.secret_key.encode("utf-8"))
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    templates_dir = resources.files("liverlens.web") / "templates"
    app.state.templates = Jinja2Templates(directory=str(templates_dir))
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("liverlens.web") / "static")),
        name="static",
    )

    from liverlens.web.routes import (
        answers,
        api,
        auth,
        calculators,
        cds,
        docs,
        extract,
        fhir,
        pages,
        summary,
    )

    app.mount("/api/docs/assets", docs.assets(), name="docs-assets")

    app.include_router(cds.router)
    app.include_router(fhir.router)
    app.include_router(api.public)
    app.include_router(api.router)
    app.include_router(extract.api)
    app.include_router(extract.router)
    app.include_router(auth.router)
    app.include_router(docs.router)
    app.include_router(calculators.router)
    app.include_router(summary.router)
    app.include_router(pages.router)
    app.include_router(answers.router)

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSON:
        detail = issues_detail(exc, _request_language(request))
        return JSON({"detail": detail}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSON:
        detail = [
            {"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return JSON({"detail": detail}, status_code=422)

    @app.exception_handler(StorageBusyError)
    async def storage_busy(request: Request, exc: StorageBusyError) -> Response:
        """The database stayed locked: nothing was written; the client may send it again."""
        headers = {"retry-after": "1"}
        if _wants_json(request):
            words = load_knowledge().say("error.web.busy", _request_language(request))
            return JSON({"detail": words}, status_code=503, headers=headers)
        response = _error_page(request, 503, "error.web.busy")
        response.headers.update(headers)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:  # Allow names every method the path takes, on all routers
            others = {k: v for k, v in (exc.headers or {}).items() if k.lower() != "allow"}
            exc.headers = {**others, "Allow": ", ".join(allowed(request))}
        if _wants_json(request):
            detail = exc.detail
            if isinstance(detail, str) and detail in load_knowledge().texts:
                detail = load_knowledge().say(detail, _request_language(request))
            return JSON({"detail": detail}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 401:
            return RedirectResponse("/signin", status_code=303)
        response = _error_page(request, exc.status_code, exc.detail)
        response.headers.update(exc.headers or {})  # a 405's Allow, a 429's Retry-After
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # the answer only; middleware.Guard logs the type and route (never the message)
        if _wants_json(request):
            return JSON({"detail": "internal error"}, status_code=500)
        from liverlens.web.views import page_language

        words = load_knowledge().say("error.http.500", page_language(request))
        return HTMLResponse(f"<h1>{escape(words)}</h1>", status_code=500)

    return app
