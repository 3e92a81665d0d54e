"""Sign up, sign in and sign out (pages). Passwords are checked for length only; the KDF and
session handling live in security.py and repository.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from liverlens.errors import AccountError
from liverlens.knowledge import load_knowledge
from liverlens.web import repository, security
from liverlens.web.deps import SESSION_COOKIE, DbDep, VisitorDep, client, verify_csrf
from liverlens.web.models import User
from liverlens.web.security import MAX_PASSWORD, MIN_PASSWORD
from liverlens.web.throttle import Throttled
from liverlens.web.views import page, page_language, set_session_cookie, translator

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _signed_in(request: Request, db: Session, user: User) -> Response:
    """Start a session for ``user`` and send them to their results."""
    token, _ = repository.start_session(db, user, request.app.state.settings.session_days)
    response = RedirectResponse("/panels", status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.get("/signup")
def signup_form(request: Request, visitor: VisitorDep) -> Response:
    return page(request, visitor, "signup.html", {"errors": {}, "email": ""})


@router.post("/signup")
def signup(
    request: Request,
    visitor: VisitorDep,
    db: DbDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    t = translator(load_knowledge(), page_language(request))
    errors: dict[str, str] = {}
    if (wrong := security.email_problem(email)) is not None:
        errors["email"] = t(wrong)
    if (wrong := security.password_problem(password)) is not None:
        limit = MAX_PASSWORD if wrong == "error.auth.password_long" else MIN_PASSWORD
        errors["password"] = t(wrong, count=limit)
    if not errors:
        try:
            user = repository.create_user(db, email, password)
        except AccountError:
            errors["email"] = t("error.auth.email_taken")
    if errors:
        return page(request, visitor, "signup.html", {"errors": errors, "email": email}, 422)
    return _signed_in(request, db, user)


@router.get("/signin")
def signin_form(request: Request, visitor: VisitorDep) -> Response:
    return page(request, visitor, "signin.html", {"errors": {}, "email": ""})


@router.post("/signin")
def signin(
    request: Request,
    visitor: VisitorDep,
    db: DbDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    t = translator(load_knowledge(), page_language(request))
    try:
        user = repository.sign_in(db, request.app.state.throttle, email, password, client(request))
    except Throttled as wait:
        errors = {"form": t("error.auth.throttled", seconds=wait.seconds)}
        response = page(request, visitor, "signin.html", {"errors": errors, "email": email}, 429)
        response.headers["retry-after"] = str(wait.seconds)
        return response
    if user is None:
        errors = {"form": t("error.auth.no_match")}
        return page(request, visitor, "signin.html", {"errors": errors, "email": email}, 422)
    return _signed_in(request, db, user)


@router.post("/signout")
def signout(request: Request, db: DbDep) -> Response:
    repository.end_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
