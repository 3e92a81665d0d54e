"""Compile LiverLens's own modules (and these benchmarks) to bytecode before a whole process
is timed.

An installed package carries its bytecode: pip compiles every module of a wheel when it
installs it, and an editable install writes ``__pycache__`` on its first import. A shell
with ``PYTHONDONTWRITEBYTECODE=1`` (this project's development machine has it) never writes
it, so each timed process compiled some 130 modules from source first: about 0.2 s of a
0.6 s ``liverlens explain`` measured so, and a cost no user's second run pays. ``compileall``
writes the files even with that variable set, and Python reads them whether or not it may
write them, so the processes timed afterwards start as an installed package's do.
"""

from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "src" / "liverlens", ROOT / "benchmarks")


def compile_sources() -> None:
    """Bytecode for every module of the package and of the benchmarks (quietly; a module
    already compiled and unchanged is left as it is)."""
    for folder in SOURCES:
        if not compileall.compile_dir(folder, quiet=1):
            raise SystemExit(f"could not compile the modules under {folder}")
