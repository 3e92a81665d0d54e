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
from liverlens.web.deps import SESSION_COOKIE, DbDep, Visitor, VisitorDep, client, verify_csrf
from liverlens.web.models import User
from liverlens.web.security import MAX_PASSWORD, MIN_PASSWORD
from liverlens.web.throttle import Throttled
from liverlens.web.views import page, page_language, set_session_cookie, translator

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _signed_in(request: Request, db: Session, user: User, payload: str = "") -> Response:
    """Start a session for ``user`` and send them to their results, or, when they came from a
    report (``payload``: the input contract the report page carries), back to that report
    with the offer to save it, its test date filled in. Nothing is saved until they say so."""
    token, session = repository.start_session(db, user, request.app.state.settings.session_days)
    response: Response = RedirectResponse("/panels", status_code=303)
    if payload:
        from liverlens.web.routes.pages import carried_report

        visitor = Visitor(user=user, session=session, anon_id=None)
        response = carried_report(request, visitor, payload) or response
    set_session_cookie(request, response, token)
    return response


def _carried(payload: str) -> dict[str, str]:
    return {"payload": payload} if payload else {}


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
    payload: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
) -> Response:
    carry = _carried(payload)
    if start:  # "Create an account" on a report: the form, carrying the report
        return page(request, visitor, "signup.html", {"errors": {}, "email": "", **carry})
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
        ctx = {"errors": errors, "email": email, **carry}
        return page(request, visitor, "signup.html", ctx, 422)
    return _signed_in(request, db, user, payload)


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
    payload: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
) -> Response:
    carry = _carried(payload)
    if start:  # "Sign in" on a report: the form, carrying the report
        return page(request, visitor, "signin.html", {"errors": {}, "email": "", **carry})
    t = translator(load_knowledge(), page_language(request))
    try:
        user = repository.sign_in(db, request.app.state.throttle, email, password, client(request))
    except Throttled as wait:
        errors = {"form": t("error.auth.throttled", seconds=wait.seconds)}
        ctx = {"errors": errors, "email": email, **carry}
        response = page(request, visitor, "signin.html", ctx, 429)
        response.headers["retry-after"] = str(wait.seconds)
        return response
    if user is None:
        errors = {"form": t("error.auth.no_match")}
        ctx = {"errors": errors, "email": email, **carry}
        return page(request, visitor, "signin.html", ctx, 422)
    return _signed_in(request, db, user, payload)


@router.post("/signout")
def signout(request: Request, db: DbDep) -> Response:
    repository.end_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
