"""Every vignette's report, in every language, built once per test session.

The report-wide checks (text conditions, exclusions, length, citations) run over all of them;
building them once keeps those checks cheap.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

import liverlens
from liverlens.knowledge import load_knowledge
from liverlens.report.model import Report
from tests.conftest import CASES

TODAY = date(2026, 11, 21)
CASE_FILES = sorted(CASES.glob("*.yaml"))


def case_input(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))["input"]
    return data


@cache
def report(path: Path, language: str) -> Report:
    return liverlens.interpret({**case_input(path), "language": language}, today=TODAY)


def languages() -> list[str]:
    return list(load_knowledge().languages)
