"""Optional parts of LiverLens and the extra that installs each (``pip install 'liverlens[pdf]'``).

The core (knowledge, engine, report as text/Markdown/JSON/HTML) needs only its base
dependencies. Everything heavier is imported lazily through ``require``, so a missing part is
one ``MissingExtraError`` that names the extra to install, never a bare ``ImportError``.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from liverlens.errors import MissingExtraError


def require(module: str, feature: str, extra: str) -> ModuleType:
    """Import ``module`` for ``feature``, or say which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(feature, extra) from exc


def require_installed(module: str, feature: str, extra: str) -> None:
    """Say which extra installs ``module`` if it is missing, without importing it (for a
    module a command needs only on some paths: ``batch`` imports pyarrow for CSV alone)."""
    if importlib.util.find_spec(module) is None:
        raise MissingExtraError(feature, extra)
