"""Request-scoped dependencies: the database session, the signed-in user, CSRF checks.

CSRF is enforced by ``verify_csrf``, attached to whole routers (not to single routes), so a new
state-changing route cannot forget it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from liverlens.web import repository, security
from liverlens.web.models import LoginSession, User
from liverlens.web.uploads import read_upload

SESSION_COOKIE = "ll_session"
ANON_COOKIE = "ll_anon"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def get_db(request: Request) -> Iterator[Session]:
    """A session for one request. Writes commit inside the repository before the route
    answers; whatever is left uncommitted here is rolled back, never committed after the
    response has gone out (FastAPI runs this code after the response)."""
    factory = request.app.state.sessions
    with factory() as db:
        try:
            yield db
        finally:
            db.rollback()


DbDep = Annotated[Session, Depends(get_db)]


@dataclass(frozen=True)
class Visitor:
    """Who is asking: a signed-in user (with their session) or an anonymous visitor."""

    user: User | None
    session: LoginSession | None
    anon_id: str | None

    def csrf_token(self, secret: str) -> str:
        if self.session is not None:
            return self.session.csrf_token
        return security.anonymous_csrf(secret, self.anon_id or "")


def get_visitor(request: Request, db: DbDep) -> Visitor:
    found = repository.session_for(db, request.cookies.get(SESSION_COOKIE))
    if found is None:
        return Visitor(None, None, request.cookies.get(ANON_COOKIE))
    session, user = found
    return Visitor(user, session, request.cookies.get(ANON_COOKIE))


VisitorDep = Annotated[Visitor, Depends(get_visitor)]


def client(request: Request) -> str:
    """The caller's address, for throttling (behind a proxy: the proxy's own)."""
    return request.client.host if request.client else "-"


def require_user(visitor: VisitorDep) -> User:
    if visitor.user is None:
        raise HTTPException(status_code=401, detail="error.web.sign_in_first")
    return visitor.user


UserDep = Annotated[User, Depends(require_user)]


def _origin_ok(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host")


async def verify_csrf(request: Request, visitor: VisitorDep) -> None:
    """Reject a state-changing request that does not carry the visitor's CSRF token."""
    if request.method not in UNSAFE:
        return
    if not _origin_ok(request):
        raise HTTPException(status_code=403, detail="error.web.cross_site")
    sent = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith("multipart/form-data"):
        # parsed in memory: request.form() would spool a file over 1 MB to a temporary file
        sent = (await read_upload(request)).fields.get(CSRF_FIELD)
    elif sent is None and content_type.startswith("application/x-www-form-urlencoded"):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = visitor.csrf_token(request.app.state.settings.secret_key)
    if visitor.session is None and not visitor.anon_id:
        expected = ""
    if not security.same(sent, expected):
        raise HTTPException(status_code=403, detail="error.web.csrf")
