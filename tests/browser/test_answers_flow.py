"""Answering the report's questions in a real browser (issue 14, items 1 and 2): the short
report with its folds, an answer that re-reads the report in place with htmx and moves the
focus to what changed, and the same without JavaScript as a plain form post."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import CHROMIUM, OpenPage

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium")


def _report(page: Page) -> None:
    page.goto("/")
    page.fill("#alt_value", "85")
    page.fill("#ast_value", "40")
    page.select_option("#sex", "male")
    page.fill("#age", "45")
    page.locator("form[action='/report'] button[type=submit]").last.click()
    expect(page.locator("h1.report-title")).to_contain_text("85 U/L")


@pytest.mark.parametrize("width", [1280, 390])
def test_an_answer_rereads_the_report_in_place(open_page: OpenPage, width: int) -> None:
    page = open_page(viewport={"width": width, "height": 900})
    _report(page)
    more = page.locator("details.more-detail")
    expect(more).not_to_have_attribute("open", "")
    expect(page.locator("#numbers")).to_be_hidden()  # folded under "More detail"
    more.locator("summary").click()
    expect(page.locator("#numbers")).to_be_visible()
    card = page.locator("article.cause.card").first
    expect(card.locator(".card-details dl")).to_be_hidden()
    card.locator(".card-details summary").click()
    expect(card.locator(".card-details dl")).to_be_visible()

    page.evaluate("window.__sameDocument = true")
    page.fill("#alcohol_g_week", "280")
    page.get_by_role("button", name="Update my report").click()
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Alcohol moved from possible to likely.")
    expect(changes).to_be_focused()
    assert page.evaluate("window.__sameDocument === true"), "swapped in place, not reloaded"
    expect(page.locator("article.cause.card").first).to_contain_text("Alcohol: likely")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_without_javascript_the_answer_is_a_plain_post(open_page: OpenPage) -> None:
    page = open_page(java_script_enabled=False)
    _report(page)
    page.fill("#alcohol_g_week", "280")
    page.get_by_role("button", name="Update my report").click()
    expect(page).to_have_url(re.compile(r"/report/answer$"))  # a new page, not a swap
    expect(page.locator("#changes")).to_contain_text("Alcohol moved from possible to likely.")
    page.locator("details.more-detail summary").click()  # <details> opens with no script
    expect(page.locator("#numbers")).to_be_visible()


def test_at_phone_width_each_status_word_sits_beside_its_own_name(open_page: OpenPage) -> None:
    """Issue 14: at 390 px "high" wrapped under its bar and read as the next row's. Each
    status now shares its name's line, and the bar runs below both."""
    page = open_page(viewport={"width": 390, "height": 844})
    page.goto("/")
    page.fill("#alt_value", "85")
    page.fill("#ast_value", "40")
    page.fill("#bilirubin_value", "30")
    page.select_option("#bilirubin_unit", "umol/L")
    page.locator("form[action='/report'] button[type=submit]").last.click()
    rows = page.locator("aside.values li")
    assert rows.count() == 3
    # measured once the report's stylesheet and fonts are in: under load the rows can be
    # there before them, unstyled, the status on a line of its own (seen once in a full run)
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    for i in range(3):
        row = rows.nth(i)
        label = row.locator(".bar-label").bounding_box()
        status = row.locator(".status").bounding_box()
        bar = row.locator("svg.bar").bounding_box()
        assert label and status and bar
        assert abs(status["y"] - label["y"]) < 8, (i, label, status)
        assert status["x"] > label["x"] and bar["y"] >= label["y"] + label["height"] - 1
    expect(rows.nth(2)).to_contain_text("µmol/L")  # the unit as printed, not "umol/L"


def test_the_whole_story_answer_sign_up_keep_it_read_it_in_chinese_hand_it_over(
    open_page: OpenPage,
) -> None:
    """Issue 14's "done when", as one person does it: type a panel, answer a question in
    place, create an account from the report without losing it (the answer and the test
    date come along), save, read the saved result in Chinese, and download the one-page
    summary for the doctor."""
    from tests.browser.test_browser_flow import PASSWORD, unique_email

    page = open_page(viewport={"width": 390, "height": 844})
    page.goto("/")
    page.fill("#alt_value", "85")
    page.fill("#ast_value", "40")
    page.select_option("#sex", "male")
    page.fill("#age", "45")
    page.fill("#collected_on", "2026-11-20")
    page.locator("form[action='/report'] button[type=submit]").last.click()
    page.fill("#alcohol_g_week", "280")
    page.get_by_role("button", name="Update my report").click()
    expect(page.locator("#changes")).to_contain_text("Alcohol moved from possible to likely.")

    page.get_by_role("button", name="Create an account").click()
    page.get_by_label("Email").fill(unique_email())
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#save_collected_on")).to_have_value("2026-11-20")
    expect(page.locator("article.cause.card").first).to_contain_text("Alcohol: likely")
    page.get_by_role("button", name="Save this result").click()
    expect(page).to_have_url(re.compile(r"/panels/\d+$"))
    expect(page.locator("article.cause.card").first).to_contain_text("280 g")

    with page.expect_download() as download:
        page.get_by_role("link", name="Summary for your doctor (PDF)").click()
    path = download.value.path()
    assert path is not None and Path(path).read_bytes()[:5] == b"%PDF-"

    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("article.cause.card").first).to_contain_text("280")
    expect(page.locator("article.cause.card").first).to_contain_text("饮酒")
    # measured once the page's stylesheet and fonts are in: under load the text can be there
    # before them, and unstyled text is wider than the window (seen once in a full run)
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
