"""Tables. Every row that holds health data carries ``owner_id``; the repository layer is the
only code that queries them, and it always filters by owner.

Values are stored twice on purpose: as entered (``raw_value``, ``raw_unit``, the lab's own
limits in that unit) so nothing the person typed is lost, and normalised (``value``, ``unit``)
for charts and exports.

Two tables hold no health data and no owner: ``used_tokens`` and ``sign_in_failures``, the
security memory that several server processes must share (``cds_auth.Replays``,
``throttle.Throttle``). They store SHA-256 digests, never a token id, an e-mail or an address.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LoginSession(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Panel(Base):
    __tablename__ = "panels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    collected_on: Mapped[date] = mapped_column(Date, index=True)
    person: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    context: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    reference: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # the report language it was saved in (NULL: the default, for panels saved before 0002)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    values: Mapped[list[PanelValue]] = relationship(
        back_populates="panel", cascade="all, delete-orphan", order_by="PanelValue.id"
    )


class PanelValue(Base):
    __tablename__ = "panel_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    analyte: Mapped[str] = mapped_column(String(32))
    raw_value: Mapped[float] = mapped_column(Float)
    raw_unit: Mapped[str] = mapped_column(String(32))
    raw_upper_limit: Mapped[float | None] = mapped_column(Float, nullable=True)
    raw_lower_limit: Mapped[float | None] = mapped_column(Float, nullable=True)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    panel: Mapped[Panel] = relationship(back_populates="values")


class UsedToken(Base):
    """A CDS Hooks JWT ``jti`` already used (its SHA-256), kept until the token expires."""

    __tablename__ = "used_tokens"

    jti_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # Unix time, seconds


class SignInFailure(Base):
    """Failed sign-ins counted for one throttle key: ``kind`` is pair, address or account;
    ``key_hash`` the SHA-256 of the account and/or address, never the e-mail or IP itself."""

    __tablename__ = "sign_in_failures"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last: Mapped[float] = mapped_column(Float, index=True)  # Unix time of the latest failure
