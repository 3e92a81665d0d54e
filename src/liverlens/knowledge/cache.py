"""A cache of the validated knowledge base, so a fresh process does not parse and check it anew.

Why: ``liverlens explain`` is one short process, and loading the knowledge (parsing 22 YAML
files, validating them into pydantic models, checking every reference) was about a fifth of
it. The validated knowledge base is pickled to the user's cache directory
(``$XDG_CACHE_HOME/liverlens`` or ``~/.cache/liverlens``) after a full load, and read back by
the next process. It is only ever built here, from the files shipped in the package, never
downloaded.

It is keyed by a hash of everything the pickle depends on: the bytes of every knowledge file,
the source of the modules whose classes it holds (``liverlens.knowledge`` and
``liverlens.vocabulary``) and of ``liverlens/__init__.py`` (which carries the package
version), and the versions of pydantic and Python. Any change to them is a new key, so a
stale entry is never read. Writing goes to a temporary file in the same directory, then
``os.replace``: concurrent processes each write a whole file and the last one wins, and a
reader never sees half a file. Anything that goes wrong (no home directory, a read-only disk,
a damaged or foreign file) falls back to the full load, silently: the cache can make a start
faster, never make it fail. ``LIVERLENS_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from liverlens.knowledge.loader import KnowledgeBase

DATA_PACKAGE = "liverlens.knowledge.data"
_FORMAT = b"liverlens-knowledge-cache-1"


def cache_dir() -> Path | None:
    """Where the cache lives, or ``None`` when it is turned off or there is no home."""
    if os.environ.get("LIVERLENS_NO_CACHE") == "1":
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "liverlens"
    try:
        return Path.home() / ".cache" / "liverlens"
    except RuntimeError:  # no home directory to be found
        return None


def fingerprint() -> str | None:
    """The hash of the shipped knowledge files and the code that reads them, or ``None``
    when they cannot be read as files (a zipped install: no cache then)."""
    try:
        return _fingerprint()
    except OSError:
        return None


def _fingerprint() -> str:
    import pydantic

    digest = hashlib.sha256(_FORMAT)
    digest.update(f"{sys.version}|{pydantic.VERSION}".encode())
    data = resources.files(DATA_PACKAGE)
    for item in sorted(data.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            digest.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    package = Path(__file__).resolve().parents[1]  # src/liverlens
    code = [package / "__init__.py", package / "vocabulary.py"]
    code += sorted((package / "knowledge").glob("*.py"))
    for path in code:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _path(kind: str, key: str) -> Path | None:
    where = cache_dir()
    return None if where is None else where / f"{kind}-{key[:32]}.pickle"


def read(key: str) -> KnowledgeBase | None:
    """The cached knowledge base for ``key``, or ``None`` (absent, unreadable, foreign)."""
    from liverlens.knowledge.loader import KnowledgeBase

    kb = read_entry("knowledge", key)
    return kb if isinstance(kb, KnowledgeBase) else None


def write(key: str, kb: KnowledgeBase) -> None:
    """Store ``kb`` under ``key``, atomically; a failure leaves no trace and no error."""
    write_entry("knowledge", key, kb)


def read_entry(kind: str, key: str) -> object | None:
    """The object stored as ``kind`` under ``key``, or ``None`` (absent, unreadable, foreign).

    The knowledge base is one kind; the engine's compiled plan (``engine/rowwise.py``) is
    another, keyed by its own fingerprint. Each kind keeps its own files and its own check."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        blob = path.read_bytes()
        stored_key, _, body = blob.partition(b"\n")
        if stored_key != key.encode():
            return None
        value: object = pickle.loads(body)  # noqa: S301 - written here, from the shipped files
    except Exception:  # a bad cache entry is a miss, never an error
        return None
    return value


def write_entry(kind: str, key: str, value: object) -> None:
    """Store ``value`` as ``kind`` under ``key``, atomically; a failure leaves no trace."""
    path = _path(kind, key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(key.encode() + b"\n" + body)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _prune(path, kind)
    except Exception:  # no cache is a slower start, not a failure
        return


def _prune(kept: Path, kind: str) -> None:
    """Remove entries of other keys not used for a month (older code or knowledge)."""
    import time

    month_ago = time.time() - 30 * 24 * 3600
    for old in kept.parent.glob(f"{kind}-*.pickle"):
        if old != kept and old.stat().st_mtime < month_ago:
            old.unlink(missing_ok=True)
