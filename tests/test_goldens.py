"""Golden reports: the full text and Markdown of a few cases, compared character for character.

A changed report shows up as a diff here. Goldens are rewritten only on purpose:
``make goldens`` (``pytest tests/test_goldens.py --update-goldens``); review the diff, commit.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

import liverlens
from tests.conftest import GOLDEN

INPUTS = sorted(GOLDEN.glob("*.input.json"))
FORMATS = {"txt": "text", "md": "markdown", "json": "json"}


def test_at_least_three_golden_cases() -> None:
    assert len(INPUTS) >= 3


@pytest.mark.parametrize("path", INPUTS, ids=[p.name.split(".")[0] for p in INPUTS])
@pytest.mark.parametrize("ext", list(FORMATS))
def test_golden(path: Path, ext: str, update_goldens: bool) -> None:
    report = liverlens.interpret(json.loads(path.read_text(encoding="utf-8")))
    got = report.render(FORMATS[ext])  # type: ignore[arg-type]
    golden = path.with_name(path.name.replace(".input.json", f".{ext}"))
    if update_goldens:
        golden.write_text(got, encoding="utf-8")
        return
    assert golden.exists(), f"{golden.name} is missing: run `make goldens` and review it"
    want = golden.read_text(encoding="utf-8")
    if got != want:
        diff = "".join(
            difflib.unified_diff(want.splitlines(True), got.splitlines(True), "golden", "now", n=2)
        )
        pytest.fail(f"{golden.name} changed (run `make goldens` if intended):\n{diff}")
