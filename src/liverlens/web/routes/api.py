"""The JSON API (documented at /api/docs).

- ``POST /api/v1/interpret``: the input contract in, the output contract out. No account, and
  nothing is stored.
- ``/api/v1/session`` and ``/api/v1/users``: sign in / sign up for programs; the response
  carries the CSRF token that later state-changing calls send as ``X-CSRF-Token``.
- ``/api/v1/panels``: list, create, read, update and delete the signed-in user's panels. A
  panel's response includes its report, computed with the user's earlier panels as history.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from liverlens import i18n
from liverlens.api import interpret as run_interpret
from liverlens.errors import AccountError
from liverlens.knowledge import load_knowledge
from liverlens.web import repository, security
from liverlens.web.deps import SESSION_COOKIE, DbDep, UserDep, client, verify_csrf
from liverlens.web.models import Panel
from liverlens.web.openapi import responses
from liverlens.web.responses import JSON
from liverlens.web.security import MAX_EMAIL, MAX_PASSWORD, MIN_PASSWORD
from liverlens.web.throttle import Throttled
from liverlens.web.views import set_session_cookie

public = APIRouter(prefix="/api/v1", tags=["interpret"])
router = APIRouter(
    prefix="/api/v1",
    tags=["account and panels"],
    dependencies=[Depends(verify_csrf)],
    responses=responses(401, 403),  # every route here needs a session and its CSRF token
)

EXAMPLE = {
    "person": {"sex": "male", "age": 28},
    "labs": {"alt": {"value": 95, "unit": "U/L", "upper_limit": 50}, "ast": 45},
    "context": {"strenuous_exercise_days_ago": 1},
}


@public.post(
    "/interpret",
    summary="Interpret one liver panel (stores nothing)",
    responses=responses(413, 422),
)
def interpret_endpoint(
    request: Request,
    data: dict[str, Any] = Body(..., examples=[EXAMPLE]),  # noqa: B008
) -> dict[str, Any]:
    """The input contract of design.md in, the output contract (`schema_version` "1") out.
    Bad input gets 422 with one entry per problem: `loc` names the field, `msg` says what was
    given and what is accepted (in the input's `language`), `id` names the message."""
    request.state.language = data.get("language") if isinstance(data, dict) else None
    return run_interpret(data).to_dict()


class Credentials(BaseModel):
    """An e-mail address and a password (at least 10 characters, not only spaces)."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=MAX_EMAIL)
    password: str = Field(max_length=MAX_PASSWORD)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if security.email_problem(value) is not None:
            raise ValueError("expected an e-mail address such as name@example.org")
        return value

    @field_validator("password")
    @classmethod
    def _password(cls, value: str) -> str:
        if security.password_problem(value) is not None:
            raise ValueError(
                f"expected at least {MIN_PASSWORD} characters, not only spaces and "
                "no control characters"
            )
        return value


def _signed_in(request: Request, db: Any, user: Any, status: int) -> JSON:
    token, session = repository.start_session(db, user, request.app.state.settings.session_days)
    response = JSON({"email": user.email, "csrf_token": session.csrf_token}, status_code=status)
    set_session_cookie(request, response, token)
    return response


@public.post(
    "/users",
    status_code=201,
    tags=["account and panels"],
    summary="Create an account and sign in",
    responses=responses(409, 413, 422, 503),
)
def create_user(request: Request, body: Credentials, db: DbDep) -> JSON:
    try:
        user = repository.create_user(db, body.email, body.password)
    except AccountError as exc:
        raise HTTPException(status_code=409, detail=exc.message) from exc
    return _signed_in(request, db, user, 201)


@public.post(
    "/session",
    tags=["account and panels"],
    summary="Sign in",
    responses=responses(401, 413, 422, 429, 503),
)
def create_session(request: Request, body: Credentials, db: DbDep) -> JSON:
    throttle = request.app.state.throttle
    try:
        user = repository.sign_in(db, throttle, body.email, body.password, client(request))
    except Throttled as wait:
        lang = i18n.from_accept_language(request.headers.get("accept-language")) or i18n.DEFAULT
        words = load_knowledge().say("error.auth.throttled", lang, seconds=wait.seconds)
        raise HTTPException(
            status_code=429, detail=words, headers={"retry-after": str(wait.seconds)}
        ) from wait
    if user is None:
        raise HTTPException(status_code=401, detail="error.api.no_match")
    return _signed_in(request, db, user, 200)


@router.delete("/session", status_code=204, summary="Sign out", responses=responses(503))
def delete_session(request: Request, db: DbDep, user: UserDep) -> Response:
    repository.end_session(db, request.cookies.get(SESSION_COOKIE))
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


class PanelIn(BaseModel):
    """A saved panel: the input contract without history; the date is required."""

    model_config = ConfigDict(extra="forbid")
    collected_on: date
    labs: dict[str, Any]
    person: dict[str, Any] = Field(default_factory=dict)
    context: dict[str, Any] = Field(default_factory=dict)
    reference: str | None = None
    language: str | None = None


def _panel_out(panels: list[Panel], panel: Panel) -> dict[str, Any]:
    data = repository.input_with_history(panels, panel)
    report = run_interpret(data).to_dict()
    return {"id": panel.id, **repository.panel_input(panel), "report": report}


@router.get("/panels", summary="List your panels, oldest first")
def list_panels(db: DbDep, user: UserDep) -> list[dict[str, Any]]:
    return [{"id": p.id, **repository.panel_input(p)} for p in repository.list_panels(db, user.id)]


@router.post("/panels", status_code=201, summary="Save a panel", responses=responses(413, 422, 503))
def create_panel(body: PanelIn, db: DbDep, user: UserDep) -> dict[str, Any]:
    panel = repository.create_panel(
        db, load_knowledge(), user.id, body.model_dump(mode="json", exclude_none=True)
    )
    return _panel_out(repository.list_panels(db, user.id), panel)


def _owned(db: Any, user_id: int, panel_id: int) -> tuple[list[Panel], Panel]:
    panels, panel = repository.panels_and_one(db, user_id, panel_id)
    if panel is None:
        raise HTTPException(status_code=404, detail="error.web.no_panel")
    return panels, panel


@router.get(
    "/panels/{panel_id}", summary="Read a panel and its report", responses=responses(404, 422)
)
def read_panel(panel_id: int, db: DbDep, user: UserDep) -> dict[str, Any]:
    panels, panel = _owned(db, user.id, panel_id)
    return _panel_out(panels, panel)


@router.put(
    "/panels/{panel_id}", summary="Replace a panel", responses=responses(404, 413, 422, 503)
)
def update_panel(panel_id: int, body: PanelIn, db: DbDep, user: UserDep) -> dict[str, Any]:
    panel = repository.update_panel(
        db, load_knowledge(), user.id, panel_id, body.model_dump(mode="json", exclude_none=True)
    )
    if panel is None:
        raise HTTPException(status_code=404, detail="error.web.no_panel")
    return _panel_out(repository.list_panels(db, user.id), panel)


@router.delete(
    "/panels/{panel_id}",
    status_code=204,
    summary="Delete a panel",
    responses=responses(404, 422, 503),
)
def delete_panel(panel_id: int, db: DbDep, user: UserDep) -> Response:
    if not repository.delete_panel(db, user.id, panel_id):
        raise HTTPException(status_code=404, detail="error.web.no_panel")
    return Response(status_code=204)
