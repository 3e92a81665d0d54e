"""Real-browser fixtures: the app served by uvicorn on 127.0.0.1, Debian's Chromium driven by
Playwright, and a full-page screenshot in test-artifacts/ whenever a test fails.

Chromium comes from the system (``/usr/bin/chromium``, installed with apt in CI); the tests never
download a browser. The test module skips itself when that binary is missing.
"""

from __future__ import annotations

import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from liverlens.web import create_app
from liverlens.web.settings import Settings

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
    app = create_app(Settings(database_url=f"sqlite:///{db}", secret_key="browser-test-secret"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="liverlens-uvicorn", daemon=True
    )
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(server, thread, url)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.engine.dispose()
    assert not thread.is_alive(), "uvicorn did not stop"


def _wait_until_serving(server: uvicorn.Server, thread: threading.Thread, url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("uvicorn stopped before serving")
        if server.started:
            try:
                with urllib.request.urlopen(f"{url}/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
        time.sleep(0.05)
    raise RuntimeError(f"the app did not answer on {url} in time")


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
