"""Who may call the CDS Hooks service: the client's JWT, verified as CDS Hooks 2.0 asks.

- The signature, with the asymmetric key the configured issuer published (HMAC and ``none``
  are refused); a token whose algorithm does not fit its key is refused, not a crash.
- ``aud`` must be this service's own endpoint, built from the configured public URL
  (``LIVERLENS_PUBLIC_URL``) and never from the request's ``Host`` header, which the caller
  chooses: a token minted for another service does not pass here.
- ``exp`` and ``iat`` are required and the token may live at most ``MAX_LIFETIME_S`` (the
  spec asks for short-lived tokens): a ten-year token is refused.
- ``jti`` is remembered until the token expires, so a token is good for one call only.

Replays are remembered by this process (``Replays``); several processes behind one address
would each keep their own memory, which the deployment note in the README says.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import jwt

ALLOWED_ALGORITHMS = ["ES384", "RS384", "ES256", "RS256", "ES512", "RS512", "PS384"]
MAX_LIFETIME_S = 300
LEEWAY_S = 5  # clock difference tolerated between the EHR and this service


class Refused(Exception):
    """The call is not authorised; the reason is safe to send back (a 401)."""


class Replays:
    """``jti`` values already used, each kept until its token expires."""

    def __init__(self) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_use(self, jti: str, expires: float) -> bool:
        """True the first time ``jti`` is seen before it expires; False for a replay."""
        now = time.time()
        with self._lock:
            self._seen = {k: v for k, v in self._seen.items() if v > now - LEEWAY_S}
            if jti in self._seen:
                return False
            self._seen[jti] = expires
            return True


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
