"""The clinician view in a real browser: from a report page, "Clinician view" opens the
one-page summary, which reads at 1280 px and at a 390 px phone width with no sideways scroll
and passes the axe-core scan of ``test_accessibility.py`` (no serious or critical violation).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OpenPage

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)

from tests.browser.test_accessibility import (  # noqa: E402  (after the skip: it needs Chromium)
    AXE_JS,
    BLOCKING,
    VIEWPORTS,
    describe,
    explain,
    fill_panel,
    run_axe,
)


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["", "zh"])
def test_the_clinician_view_from_a_report(open_page: OpenPage, width: int, language: str) -> None:
    page = open_page(viewport=VIEWPORTS[width])
    fill_panel(page, alt="1200", ast="900", language=language)
    page.locator("#alp_value").fill("110")
    page.locator("#bilirubin_value").fill("50")
    explain(page)
    button = page.locator("form[action='/report/summary'] button")
    expect(button).to_have_text("Clinician view")  # the page's language; the report's is zh
    button.click()
    expect(page).to_have_url(re.compile(r"/report/summary$"))
    summary = page.locator("article.clinician-summary")
    heading = "肝功能检查摘要（供医生参考）" if language else "Liver test summary for the clinician"
    expect(summary.locator("h1")).to_have_text(heading)
    # ALT above 1000 U/L: a red flag in either preset, before the values
    expect(summary.locator(".urgency[role=alert] li").first).to_be_visible()
    expect(summary.locator(".results tbody tr")).to_have_count(4)
    box = summary.locator(".urgency").bounding_box()
    table = summary.locator(".results table").bounding_box()
    assert box and table and box["y"] < table["y"]

    wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], f"the clinician view scrolls sideways at {width} px: {wide}"

    violations = [v for v in run_axe(page, AXE_JS.read_text()) if v["impact"] in BLOCKING]
    assert not violations, f"clinician view at {width} px:\n{describe(violations)}"

    # its PDF button downloads the one-page summary from the same payload
    with page.expect_download() as download:
        page.locator("form[action='/report/summary.pdf'] button").click()
    assert download.value.suggested_filename == "liverlens-summary.pdf"
