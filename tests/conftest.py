"""Shared fixtures and the ``--update-goldens`` flag (goldens change only when asked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from liverlens.knowledge import KnowledgeBase, load_knowledge

# No timed tests: hypothesis's per-example deadline is a timing check, and this machine's
# timings vary by +-20%; speed is measured in benchmarks/ instead.
settings.register_profile("liverlens", deadline=None)
settings.load_profile("liverlens")

TESTS = Path(__file__).parent
CASES = TESTS / "cases"
GOLDEN = TESTS / "golden"
SHARED = TESTS.parent.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/* from the current output instead of comparing.",
    )
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="Rewrite docs/screenshots/*.png from the browser tests (tests/browser).",
    )


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
