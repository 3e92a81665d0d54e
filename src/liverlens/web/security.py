"""Passwords, login sessions and CSRF tokens, on the standard library.

- Passwords: scrypt (n=2^15, r=8, p=1), a memory-hard KDF, with a random salt per user; the
  stored string names its parameters so they can be raised later.
- Sessions: a random token in an HttpOnly, SameSite=Lax cookie; only its SHA-256 is stored, so
  a copy of the database does not let anyone sign in.
- CSRF: signed-in forms carry the session's own random token; anonymous forms (sign up, sign
  in, the free report) carry a token that is an HMAC of a random cookie value. Either way a
  request must return a token that a cross-site page cannot read. POSTs also have their
  Origin checked when the browser sends it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_EMAIL = 254
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def email_problem(email: str) -> str | None:
    """The message id of what is wrong with an e-mail address, or None."""
    if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email.strip()) or _unprintable(email):
        return "error.auth.email_missing"
    return None


def password_problem(password: str) -> str | None:
    """The message id of what is wrong with a new password, or None. Ten spaces or NUL
    bytes are not a password."""
    if len(password) < MIN_PASSWORD:
        return "error.auth.password_short"
    if len(password) > MAX_PASSWORD:
        return "error.auth.password_long"
    if not password.strip() or _unprintable(password):
        return "error.auth.password_chars"
    return None


def _unprintable(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=2**26, dklen=32
    )
    enc = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${enc(salt).decode()}${enc(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode(),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        maxmem=2**26,
        dklen=32,
    )
    return hmac.compare_digest(got, base64.b64decode(key))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def anonymous_csrf(secret: str, cookie_value: str) -> str:
    return hmac.new(secret.encode(), cookie_value.encode(), hashlib.sha256).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))
