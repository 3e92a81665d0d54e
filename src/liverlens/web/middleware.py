"""The ASGI layers around the app, outermost first:

- ``Guard``: no exception leaves the app. Anything a handler did not turn into an answer is
  logged by its type and route only (never its message or traceback, which may quote health
  data such as ``input_value={'alt': 412}``) and answered with a plain 500.
- ``BodyLimit``: a request body over the limit is refused with 413 before the app reads any
  of it, whether its size was announced or it was streamed in chunks. The upload paths (a lab
  report to read) have a larger limit of their own, and an upload over it is not answered
  here: the route says so in the person's language (see ``BodyLimit``).
- ``Headers``: every answer (413 and 500 included) carries the security headers, and one log
  line per request says method, route and status: no query string, no body, no identifier.

Plain ASGI classes, not ``BaseHTTPMiddleware``: they add no task per request and they see
every answer, those of Starlette's own error handling too.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
_SECURITY = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
TOO_LARGE = "liverlens.body_too_large"
"""The scope key ``BodyLimit`` sets on an upload it dropped for being over its limit."""
DRAIN_FACTOR = 4
"""An upload over its limit is still read (and dropped) up to this many times the limit."""


def _route(scope: Scope) -> str:
    """The route's template (``/panels/{panel_id}``), never the path with its values."""
    route = scope.get("route")
    return str(getattr(route, "path", "-"))


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *_SECURITY],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """Answer 500 for any exception that escaped the app, and log only its type and route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:  # the point of this class: nothing escapes
            log.error("unexpected %s on %s", type(exc).__name__, _route(scope))
            if not started:
                await _answer(send, 500, b'{"detail":"internal error"}')


class BodyLimit:
    """Refuse request bodies above ``limit`` bytes with 413, announced or streamed.

    The body is read here, up to the limit, and handed on whole; so a streamed body that
    grows past the limit is a 413 too, not an error in whatever route reads it.

    ``uploads`` maps the paths that take files to their own, larger limit. An upload over it
    is read to its end and dropped, and the route gets an empty body with ``TOO_LARGE`` set in
    its scope: a browser sends the whole upload before it reads the answer, so answering
    mid-upload shows the person a broken connection, and only the route can say "at most
    20 MB" in their language on the page they were on. Past ``DRAIN_FACTOR`` times the limit
    the answer is a plain 413 from here, as for every other path.
    """

    def __init__(self, app: ASGIApp, limit: int, uploads: Mapping[str, int] | None = None) -> None:
        self.app, self.limit = app, limit
        self.uploads = dict(uploads or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = self.uploads.get(str(scope.get("path", "")))
        limit = self.limit if upload is None else upload
        hard = limit if upload is None else limit * DRAIN_FACTOR
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > hard:
            await _answer(send, 413, b'{"detail":"request body too large"}')
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message]), send)
                return
            body = message.get("body", b"")
            size += len(body)
            if size > hard:
                await _answer(send, 413, b'{"detail":"request body too large"}')
                return
            if size <= limit:
                chunks.append(body)
            else:  # an upload over its limit: keep reading, keep nothing
                chunks = []
            if not message.get("more_body", False):
                break
        if size > limit:
            scope = {**scope, TOO_LARGE: True}
        whole = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([whole], receive), send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    """A ``receive`` that gives ``messages`` first, then waits on ``then`` (a disconnect)."""
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive


class Headers:
    """Add the security headers to every answer and log method, route and status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 0

        async def with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                given = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _SECURITY if k not in given]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        finally:
            log.info("%s %s %s", scope.get("method", "-"), _route(scope), status or 500)
