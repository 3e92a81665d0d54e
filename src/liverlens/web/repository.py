"""All database access for accounts and panels, always scoped to one owner.

Routes never query tables themselves: they call these functions with the signed-in user's id,
and every panel query filters on ``owner_id``. A panel that belongs to someone else is simply
"not found", so one user cannot even learn that another user's panel id exists.

Every function that writes commits before it returns, in one short transaction: an answer
built after it (a 201, a redirect) only ever reports what is stored, and the write lock is
not held while a report is computed. A database that stays locked past its wait raises
``StorageBusyError`` with the write rolled back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, selectinload

from liverlens.errors import AccountError, StorageBusyError
from liverlens.inputs import InterpretInput, resolve
from liverlens.knowledge import KnowledgeBase
from liverlens.web import security
from liverlens.web.db import is_busy
from liverlens.web.models import LoginSession, Panel, PanelValue, User
from liverlens.web.throttle import Throttle


def normalise_email(email: str) -> str:
    return email.strip().lower()


def commit(db: Session) -> None:
    """Commit now; a lock that outlasted the wait becomes ``StorageBusyError``."""
    try:
        db.commit()
    except OperationalError as exc:
        db.rollback()
        if is_busy(exc):
            raise StorageBusyError("the database is busy; nothing was written") from exc
        raise


def create_user(db: Session, email: str, password: str) -> User:
    """A new account, stored. Two sign-ups with one e-mail at once: one wins, the other is
    told the e-mail is taken (the unique index decides, not a check that can race)."""
    email = normalise_email(email)
    if db.scalar(select(User).where(User.email == email)) is not None:
        raise AccountError("error.api.email_taken")
    user = User(email=email, password_hash=security.hash_password(password))
    db.add(user)
    try:
        commit(db)
    except IntegrityError as exc:
        db.rollback()
        raise AccountError("error.api.email_taken") from exc
    return user


def sign_in(
    db: Session, throttle: Throttle, email: str, password: str, address: str
) -> User | None:
    """The account these credentials open, or None; ``Throttled`` (before any password is
    hashed) when this account or address has failed too often lately."""
    account = normalise_email(email)
    throttle.check(account, address)
    user = authenticate(db, email, password)
    if user is None:
        throttle.failed(account, address)
    else:
        throttle.succeeded(account, address)
    return user


def authenticate(db: Session, email: str, password: str) -> User | None:
    user = db.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        security.hash_password(password)  # same cost either way: no user enumeration by timing
        return None
    return user if security.verify_password(password, user.password_hash) else None


def start_session(db: Session, user: User, days: int) -> tuple[str, LoginSession]:
    """A new login session for ``user``, stored; the user's expired sessions are removed."""
    now = datetime.now(UTC)
    db.execute(
        delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.expires_at < now)
    )
    token = security.new_token()
    row = LoginSession(
        token_hash=security.token_hash(token),
        csrf_token=security.new_token(),
        user_id=user.id,
        expires_at=now + timedelta(days=days),
    )
    db.add(row)
    commit(db)
    return token, row


def session_for(db: Session, token: str | None) -> tuple[LoginSession, User] | None:
    if not token:
        return None
    row = db.scalar(
        select(LoginSession).where(LoginSession.token_hash == security.token_hash(token))
    )
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    if expires < datetime.now(UTC):
        return None  # removed at the user's next sign-in; a read never writes
    user = db.get(User, row.user_id)
    return (row, user) if user is not None else None


def end_session(db: Session, token: str | None) -> None:
    if token:
        db.execute(
            delete(LoginSession).where(LoginSession.token_hash == security.token_hash(token))
        )
        commit(db)


# Panels -----------------------------------------------------------------------------------


def _panel_query(owner_id: int) -> Any:
    return (
        select(Panel)
        .where(Panel.owner_id == owner_id)
        .options(selectinload(Panel.values))
        .order_by(Panel.collected_on, Panel.id)
    )


def list_panels(db: Session, owner_id: int) -> list[Panel]:
    return list(db.scalars(_panel_query(owner_id)))


def get_panel(db: Session, owner_id: int, panel_id: int) -> Panel | None:
    panel: Panel | None = db.scalar(_panel_query(owner_id).where(Panel.id == panel_id))
    return panel


def panels_and_one(db: Session, owner_id: int, panel_id: int) -> tuple[list[Panel], Panel | None]:
    """All of the owner's panels (a report's history) and the one asked for, if it is theirs."""
    panels = list_panels(db, owner_id)
    return panels, next((p for p in panels if p.id == panel_id), None)


def delete_panel(db: Session, owner_id: int, panel_id: int) -> bool:
    panel = get_panel(db, owner_id, panel_id)
    if panel is None:
        return False
    db.delete(panel)
    commit(db)
    return True


def _fill(kb: KnowledgeBase, panel: Panel, data: dict[str, Any], owner_id: int) -> None:
    """Copy a checked input into a panel: raw values as entered beside normalised ones."""
    case = resolve(kb, data)
    inp = InterpretInput.model_validate(data)
    panel.collected_on = inp.collected_on or date.today()
    panel.person = inp.person.model_dump(exclude_none=True)
    panel.context = inp.context.model_dump(exclude_none=True)
    panel.reference = inp.reference
    panel.language = inp.language
    panel.values.clear()
    for analyte, lab in case.labs.items():
        family = kb.family_of(analyte)
        factor = next(u.factor for u in family.units if u.unit == lab.raw_unit)
        panel.values.append(
            PanelValue(
                owner_id=owner_id,
                analyte=analyte,
                raw_value=lab.raw_value,
                raw_unit=lab.raw_unit,
                raw_upper_limit=None if lab.upper_limit is None else lab.upper_limit / factor,
                raw_lower_limit=None if lab.lower_limit is None else lab.lower_limit / factor,
                value=lab.value,
                unit=lab.unit,
            )
        )


def create_panel(db: Session, kb: KnowledgeBase, owner_id: int, data: dict[str, Any]) -> Panel:
    panel = Panel(owner_id=owner_id)
    _fill(kb, panel, data, owner_id)
    db.add(panel)
    commit(db)
    return panel


def update_panel(
    db: Session, kb: KnowledgeBase, owner_id: int, panel_id: int, data: dict[str, Any]
) -> Panel | None:
    panel = get_panel(db, owner_id, panel_id)
    if panel is None:
        return None
    _fill(kb, panel, data, owner_id)
    commit(db)
    return panel


def labs_of(panel: Panel) -> dict[str, Any]:
    labs: dict[str, Any] = {}
    for v in panel.values:
        entry: dict[str, Any] = {"value": v.raw_value, "unit": v.raw_unit}
        if v.raw_upper_limit is not None:
            entry["upper_limit"] = round(v.raw_upper_limit, 9)
        if v.raw_lower_limit is not None:
            entry["lower_limit"] = round(v.raw_lower_limit, 9)
        labs[v.analyte] = entry
    return labs


def panel_input(panel: Panel) -> dict[str, Any]:
    """The panel as the input contract (without history)."""
    data: dict[str, Any] = {
        "collected_on": panel.collected_on.isoformat(),
        "person": dict(panel.person or {}),
        "labs": labs_of(panel),
        "context": dict(panel.context or {}),
    }
    if panel.reference:
        data["reference"] = panel.reference
    if panel.language:
        data["language"] = panel.language
    return data


def input_with_history(panels: list[Panel], panel: Panel) -> dict[str, Any]:
    """The input for one panel, with the owner's earlier panels as its history."""
    data = panel_input(panel)
    data["history"] = [
        {"collected_on": p.collected_on.isoformat(), "labs": labs_of(p)}
        for p in panels
        if p.id != panel.id and p.collected_on <= panel.collected_on and p.values
    ]
    return data
