"""Polars, imported on the first use of one of its names rather than when a module is imported.

Why: a single report (``liverlens explain``, ``interpret``) runs on the row-wise backend from a
stored plan (``engine/rowwise.py``) and never touches Polars, yet the engine's modules, which
write the rules once as Polars expressions, name it at their top; importing it cost a short
process about as much as the whole report. A module that writes its rules with ``pl`` imports
``pl`` from here (and the real module for the type checker), so its expressions are built with
Polars itself the moment one is built, and a process that never builds one never loads it.

After the first use the proxy holds Polars' names itself, so reading ``pl.col`` costs what
reading a module's attribute costs. Importing is thread-safe (the import system's own lock).
"""

from __future__ import annotations

import importlib
from typing import Any


class Deferred:
    """A module imported on the first read of one of its attributes."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self._name)
        self.__dict__.update(vars(module))  # every later read finds the name here
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<deferred module {self._name!r}>"


polars = Deferred("polars")
