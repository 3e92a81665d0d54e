"""/api/docs works in a real browser from the app's own files, under the app's CSP and
offline (issue 11, item 13: it loaded Swagger UI from a CDN, blank offline)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's chromium is not installed (CI installs it)", allow_module_level=True)


def test_the_api_docs_page_renders_under_the_csp(page: Page) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    response = page.goto("/api/docs")
    assert (
        response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    )
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/interpret").first
    ).to_be_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems
    here = page.url.split("/api/docs")[0]
    assert all(url.startswith(here) for url in requested), requested  # nothing from elsewhere
