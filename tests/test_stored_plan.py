"""The engine's plan stored for the next process (engine/rowwise.py, knowledge/cache.py): a
fresh process reads it, reports without importing Polars, and says the same as one that built
it; the plan is stored only for the packaged knowledge and this very code; trouble is a rebuild.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import liverlens
from liverlens.engine import rowwise, stored_plan
from liverlens.engine.predicates import LATE_PREDICATES, PREDICATES
from liverlens.knowledge import cache, load_knowledge

PANEL = {
    "labs": {"alt": {"value": 85, "upper_limit": 40}, "ast": 40, "ggt": 70},
    "person": {"sex": "male", "age": 40},
    "collected_on": "2026-11-30",
}
# One short process as `liverlens explain` is: interpret one panel, print the report and
# whether Polars was imported (``polars`` in sys.modules) and loaded.
SCRIPT = """
import json, sys
import liverlens
report = liverlens.interpret(json.loads(sys.argv[1]), today=None)
print(json.dumps({"report": report.to_dict(), "text": report.to_text(),
                  "polars": "polars" in sys.modules}))
"""


def _process(cache_home: Path) -> dict[str, object]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("LIVERLENS_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(PANEL)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return dict(json.loads(done.stdout))


def test_a_fresh_process_reads_the_stored_plan_and_never_imports_polars(tmp_path: Path) -> None:
    first = _process(tmp_path)  # builds the plan (with Polars) and stores it
    assert first["polars"] is True
    assert len(list((tmp_path / "liverlens").glob("plan-*.pickle"))) == 1
    second = _process(tmp_path)
    assert second["polars"] is False  # the whole report without Polars
    assert second["report"] == first["report"] and second["text"] == first["text"]
    here = liverlens.interpret(PANEL)  # this process: whichever backend it holds
    assert second["report"] == here.to_dict()


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("LIVERLENS_NO_CACHE", raising=False)
    return tmp_path / "liverlens"


def test_only_the_packaged_knowledge_has_a_stored_plan(cache_home: Path) -> None:
    kb = load_knowledge()
    assert stored_plan.plan_key(kb) is not None
    edited = dataclasses.replace(kb)  # a copy, as a test or an edit would make
    assert stored_plan.plan_key(edited) is None
    rowwise.compiled(edited)
    assert not list(cache_home.glob("plan-*.pickle"))  # never stored for it


def test_the_key_follows_the_knowledge_and_the_code() -> None:
    base = cache.fingerprint()
    assert base is not None
    assert stored_plan._code_digest(base) != stored_plan._code_digest("0" * 64)


def test_a_damaged_plan_is_a_rebuild_not_an_error(cache_home: Path) -> None:
    kb = load_knowledge()
    key = stored_plan.plan_key(kb)
    assert key is not None
    cache.write_entry("plan", key, ("not", "a plan"))
    assert stored_plan._stored_plan.__wrapped__(kb) is None  # type: ignore[attr-defined]
    (path,) = cache_home.glob("plan-*.pickle")
    path.write_bytes(key.encode() + b"\nnot a pickle")
    assert stored_plan._stored_plan.__wrapped__(kb) is None  # type: ignore[attr-defined]
    built = stored_plan._build_plan(kb)
    cache.write_entry("plan", key, built)
    assert stored_plan._stored_plan.__wrapped__(kb) == built  # type: ignore[attr-defined]


def test_the_plan_holds_every_predicates_columns_as_polars_names_them() -> None:
    kb = load_knowledge()
    *_, roots = stored_plan._build_plan(kb)
    for pid, build in {**PREDICATES, **LATE_PREDICATES}.items():
        assert roots[pid] == tuple(dict.fromkeys(build(kb).meta.root_names()))
    assert roots["recent_exercise"] == ("strenuous_exercise_days_ago",)


def test_the_plan_needs_no_polars_to_compile() -> None:
    """Every literal is read into a Python value when the plan is built, so compiling the
    stored plan never asks Polars (the list literals were held in Polars' binary form)."""
    kb = load_knowledge()
    _, nodes, _, _ = stored_plan._build_plan(kb)
    text = json.dumps(nodes, default=str)
    assert '"Literal": {"Dyn"' not in text and '"Literal": {"Scalar"' not in text
    assert rowwise._RESOLVED in text


def test_the_plan_key_covers_every_module_the_plan_code_imports() -> None:
    """The key hashes only ``PLAN_CODE`` and the top-level modules: an import from anywhere
    else (the report, the web app) would let a change there reuse a stale plan."""
    import ast
    from pathlib import Path

    package = Path(stored_plan.__file__).resolve().parents[1]
    allowed = {*stored_plan.PLAN_CODE, *(p.stem for p in package.glob("*.py"))}
    for part in stored_plan.PLAN_CODE:
        for path in (package / part).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else []
                )
                for name in names:
                    if name.startswith("liverlens."):
                        assert name.split(".")[1] in allowed, (path.name, name)
