"""Real-browser fixtures: the app served by uvicorn on 127.0.0.1, Debian's Chromium driven by
Playwright, and a full-page screenshot in test-artifacts/ whenever a test fails.

Chromium comes from the system (``/usr/bin/chromium``, installed with apt in CI); the tests never
download a browser. The test module skips itself when that binary is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from liverlens.web.settings import Settings
from tests.live_server import serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DEFAULT_TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item (``item.rep_call``...) for fixtures to read."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve a fresh app (temporary SQLite file, fixed secret) on a free 127.0.0.1 port."""
    db = tmp_path_factory.mktemp("browser-db") / "liverlens.db"
    with serve(Settings(database_url=f"sqlite:///{db}", secret_key="browser-test-secret")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


OpenPage = Callable[..., Page]


def _artifact_name(nodeid_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid_name).strip("_")


@pytest.fixture
def open_page(
    browser: Browser, base_url: str, request: pytest.FixtureRequest
) -> Iterator[OpenPage]:
    """Open a page in a NEW browser context (its own cookies: one context, one user).

    On a failed test every page opened here is saved as a full-page screenshot in
    ``test-artifacts/<test name>.png`` (``<test name>-2.png`` for the second context...).
    """
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def _open(**context_options: Any) -> Page:
        context = browser.new_context(base_url=base_url, **context_options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield _open

    failed = any(
        getattr(request.node, f"rep_{when}", None) is not None
        and getattr(request.node, f"rep_{when}").failed
        for when in ("setup", "call")
    )
    try:
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = _artifact_name(request.node.name)
            for i, page in enumerate(pages, start=1):
                suffix = "" if i == 1 else f"-{i}"
                if not page.is_closed():
                    page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    """A page in a fresh browser context at the default 1280x720 viewport."""
    return open_page()


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest) -> bool:
    """``--screenshots``: rewrite docs/screenshots/*.png (docs/screenshots/README.md)."""
    return bool(request.config.getoption("--screenshots"))
