"""Who may call the CDS Hooks service: the client's JWT, verified as CDS Hooks 2.0 asks.

- The signature, with the asymmetric key the configured issuer published (HMAC and ``none``
  are refused); a token whose algorithm does not fit its key is refused, not a crash.
- ``aud`` must be this service's own endpoint, built from the configured public URL
  (``LIVERLENS_PUBLIC_URL``) and never from the request's ``Host`` header, which the caller
  chooses: a token minted for another service does not pass here.
- ``exp`` and ``iat`` are required and the token may live at most ``MAX_LIFETIME_S`` (the
  spec asks for short-lived tokens): a ten-year token is refused.
- ``jti`` is remembered until the token expires, so a token is good for one call only.

Used ``jti``s are remembered in the app's database (``Replays``), so every server process of
``liverlens serve --workers N`` refuses a token another process has already accepted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import jwt
from sqlalchemy import Engine, delete, insert, update
from sqlalchemy.exc import IntegrityError

from liverlens.web.db import digest, memory_engine, writing
from liverlens.web.models import UsedToken

ALLOWED_ALGORITHMS = ["ES384", "RS384", "ES256", "RS256", "ES512", "RS512", "PS384"]
MAX_LIFETIME_S = 300
LEEWAY_S = 5  # clock difference tolerated between the EHR and this service
PURGE_EVERY_S = 60  # how often one process clears the rows of tokens long expired


class Refused(Exception):
    """The call is not authorised; the reason is safe to send back (a 401)."""


class Replays:
    """``jti`` values already used, each kept until its token expires.

    They live in the table ``used_tokens`` of ``engine`` (the app's database), so all the
    server's processes share them; without an engine, in a private in-memory database for
    this process alone. The first use is one INSERT on the primary key: of two processes
    racing with one token, the database lets exactly one in. Only the SHA-256 of each ``jti``
    is stored (a client's ``jti`` may be any string of any length), beside its expiry.
    """

    def __init__(
        self, engine: Engine | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self._engine = engine if engine is not None else memory_engine(UsedToken)
        # the private database has one connection, which its threads must take in turn
        self._lock: AbstractContextManager[Any] = (
            threading.Lock() if engine is None else nullcontext()
        )
        self._clock = clock
        self._purged = float("-inf")

    def first_use(self, jti: str, expires: float) -> bool:
        """True the first time ``jti`` is seen before it expires; False for a replay."""
        now = self._clock()
        key = digest(jti)
        with self._lock:
            if now - self._purged >= PURGE_EVERY_S:
                self._purged = now
                with writing(self._engine) as db:
                    db.execute(delete(UsedToken).where(UsedToken.expires_at <= now - LEEWAY_S))
            try:
                with writing(self._engine) as db:
                    db.execute(insert(UsedToken).values(jti_hash=key, expires_at=expires))
                return True
            except IntegrityError:
                pass
            # seen before: good again only once that earlier token has expired (its row not
            # yet purged), and then for one caller only, as the UPDATE's condition decides
            with writing(self._engine) as db:
                taken = db.execute(
                    update(UsedToken)
                    .where(UsedToken.jti_hash == key, UsedToken.expires_at <= now - LEEWAY_S)
                    .values(expires_at=expires)
                )
            return taken.rowcount == 1


def verify(
    authorization: str, trusted: dict[str, Any], audience: str, replays: Replays
) -> dict[str, Any]:
    """The verified claims of the bearer JWT in ``authorization``, or ``Refused``."""
    if not authorization.lower().startswith("bearer "):
        raise Refused("a Bearer JWT is required")
    token = authorization[7:].strip()
    try:
        head = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise Refused(f"unreadable JWT: {exc}") from exc
    alg = head.get("alg")
    if alg not in ALLOWED_ALGORITHMS:
        raise Refused(f"JWT algorithm {alg!r} is not allowed; use an asymmetric one such as ES384")
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or issuer not in trusted:
        raise Refused(f"JWT issuer {issuer!r} is not trusted")
    kid = head.get("kid")
    jwk = next((k for k in trusted[issuer]["keys"] if kid is None or k.get("kid") == kid), None)
    if jwk is None:
        raise Refused(f"no trusted key {kid!r} for {issuer!r}")
    try:
        verified = jwt.decode(
            token,
            jwt.PyJWK(jwk, algorithm=alg).key,
            algorithms=[alg],
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY_S,
            options={"require": ["iss", "aud", "exp", "iat", "jti"]},
        )
    except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
        # a key of another type than the algorithm (an EC key, an RS384 token) lands here
        raise Refused(f"JWT rejected: {type(exc).__name__}") from exc
    exp, iat = verified["exp"], verified["iat"]
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise Refused("JWT exp and iat must be numbers")
    if exp - iat > MAX_LIFETIME_S or exp > time.time() + MAX_LIFETIME_S + LEEWAY_S:
        raise Refused(f"JWT lives too long: at most {MAX_LIFETIME_S} s from iat to exp")
    if not replays.first_use(str(verified["jti"]), float(exp)):
        raise Refused("JWT jti was used before: a token is good for one call")
    return dict(verified)
