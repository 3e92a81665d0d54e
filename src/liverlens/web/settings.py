"""Web settings from the environment, with safe defaults for a personal install.

- ``LIVERLENS_DATABASE_URL``: SQLAlchemy URL; default SQLite in the user's data directory.
- ``LIVERLENS_DATA_DIR``: where the default database and the secret key live.
- ``LIVERLENS_HOST`` / ``LIVERLENS_PORT``: bind address, 127.0.0.1:8000 by default.
- ``LIVERLENS_SECRET_KEY``: signs anonymous CSRF tokens; generated once and kept in the data dir.
- ``LIVERLENS_PUBLIC_URL``: the address clients reach this app at (``https://liverlens.example
  .org``); CDS Hooks tokens must name its endpoint there as their audience.
- ``LIVERLENS_WORKERS``: how many server processes ``liverlens serve`` runs (default 1); they
  share everything through the database, so any number behaves as one.
- ``LIVERLENS_CDS_TRUSTED_ISSUERS``: the CDS Hooks clients this service trusts, as JSON
  mapping each JWT ``iss`` to ``{"keys": [JWK, ...]}``; with none, every CDS call is refused.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from liverlens.errors import ConfigurationError
from liverlens.extract import MAX_BYTES, MAX_FILES

MAX_BODY_BYTES = 256 * 1024  # a liver panel with history is a few kB; refuse anything huge
# A lab report to read (routes/extract.py): liverlens.extract's own limits, so the web refuses
# with 413 exactly what the reader would refuse anyway.
MAX_UPLOAD_FILES = MAX_FILES
MAX_UPLOAD_BYTES = MAX_BYTES  # every file together
UPLOAD_OVERHEAD = 64 * 1024  # the multipart's own lines and the form's small fields
SESSION_DAYS = 14


def _data_dir() -> Path:
    configured = os.environ.get("LIVERLENS_DATA_DIR")
    if configured:
        return Path(configured)
    from platformdirs import user_data_dir

    return Path(user_data_dir("liverlens", appauthor=False))


def _secret(data_dir: Path) -> str:
    env = os.environ.get("LIVERLENS_SECRET_KEY")
    if env:
        return env
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _trusted_issuers(raw: str | None) -> dict[str, Any]:
    if not raw or not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(
            "LIVERLENS_CDS_TRUSTED_ISSUERS is not valid JSON; expected "
            '{"<iss>": {"keys": [<JWK>, ...]}}'
        ) from exc
    if not isinstance(value, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("keys"), list) for v in value.values()
    ):
        raise ConfigurationError(
            'LIVERLENS_CDS_TRUSTED_ISSUERS must map each issuer to {"keys": [<JWK>, ...]}'
        )
    return value


def _workers(raw: str | None) -> int:
    if not raw or not raw.strip():
        return 1
    if not raw.strip().isdecimal() or int(raw) < 1:
        raise ConfigurationError(f"LIVERLENS_WORKERS must be a whole number from 1, not {raw!r}")
    return int(raw)


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 8000
    secure_cookies: bool = False
    max_body_bytes: int = MAX_BODY_BYTES
    max_upload_files: int = MAX_UPLOAD_FILES
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    session_days: int = SESSION_DAYS
    cds_trusted_issuers: dict[str, Any] = field(default_factory=dict)
    public_url: str | None = None
    workers: int = 1

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = _data_dir()
        url = os.environ.get("LIVERLENS_DATABASE_URL")
        if not url:
            data_dir.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{data_dir / 'liverlens.db'}"
        return cls(
            database_url=url,
            secret_key=_secret(data_dir),
            host=os.environ.get("LIVERLENS_HOST", "127.0.0.1"),
            port=int(os.environ.get("LIVERLENS_PORT", "8000")),
            secure_cookies=os.environ.get("LIVERLENS_SECURE_COOKIES", "") == "1",
            cds_trusted_issuers=_trusted_issuers(os.environ.get("LIVERLENS_CDS_TRUSTED_ISSUERS")),
            public_url=os.environ.get("LIVERLENS_PUBLIC_URL") or None,
            workers=_workers(os.environ.get("LIVERLENS_WORKERS")),
        )
