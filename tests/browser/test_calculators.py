"""A calculator page in a real browser (issue 14, item 6), at a desktop and a phone width.

Reached from the site's navigation, filled in and read as a person would: the result sits
beside the inputs on a wide screen and above them on a phone, takes the focus when it comes,
and nothing scrolls sideways; a form with errors moves the focus to its summary, whose links
lead to the fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

CHROMIUM = Path("/usr/bin/chromium")  # the same binary conftest.py launches

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is not installed (CI installs Debian's chromium with apt)",
        allow_module_level=True,
    )

OpenPage = Callable[..., Page]  # the open_page fixture: a page in a new browser context
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


def _no_horizontal_scroll(page: Page, width: int) -> None:
    page.wait_for_load_state("load")  # a click's page may still be fetching its stylesheet
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width + 1, f"{page.url}: page is {scroll_width}px wide at {width}px"


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box


@pytest.mark.parametrize("screen", WIDTHS)
def test_fib4_filled_and_read(open_page: OpenPage, screen: str) -> None:
    width, height = WIDTHS[screen]
    page = open_page(viewport={"width": width, "height": height})
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calculators").click()
    expect(page).to_have_url(re.compile(r"/calculators$"))
    page.get_by_role("link", name="FIB-4", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("FIB-4")
    _no_horizontal_scroll(page, width)

    # 50 x 40 / (200 x sqrt 36) = 2000 / 1200 = 1.67: indeterminate
    page.get_by_label("Age (years)").fill("50")
    page.get_by_label("Aspartate aminotransferase (AST)", exact=True).fill("40")
    page.get_by_label("Alanine aminotransferase (ALT)", exact=True).fill("36")
    page.get_by_label("Platelet count", exact=True).fill("200")
    page.get_by_label("Platelet count unit").select_option("10^9/L")
    page.get_by_role("button", name="Calculate").click()

    result = page.locator("#result")
    expect(result.locator(".calc-value")).to_have_text("FIB-4: 1.67")
    expect(result.locator(".calc-meaning")).to_have_text(
        "Indeterminate: a stiffness scan (elastography) can settle it."
    )
    expect(result).to_be_focused()  # the result has the focus (autofocus lands a moment later)
    expect(page.locator(".calc-bands li.current")).to_contain_text("(this result)")
    expect(page.get_by_label("Age (years)")).to_have_value("50")  # the inputs stay
    _no_horizontal_scroll(page, width)
    form, shown = _box(page, "form.calc-form"), _box(page, "#result")
    if screen == "desktop":  # beside the inputs, on the right
        assert shown["x"] > form["x"] + form["width"] / 2 and abs(shown["y"] - form["y"]) < 40
    else:  # above the inputs, as wide as they are
        assert shown["y"] + shown["height"] <= form["y"] + 1
        assert abs(shown["width"] - form["width"]) < 2
        assert shown["width"] <= width


@pytest.mark.parametrize("screen", WIDTHS)
def test_errors_take_the_focus_and_lead_to_their_fields(open_page: OpenPage, screen: str) -> None:
    width, height = WIDTHS[screen]
    page = open_page(viewport={"width": width, "height": height})
    page.goto("/calculators/fib4")
    page.get_by_label("Age (years)").fill("abc")
    page.get_by_role("button", name="Calculate").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(4)  # age, AST, ALT, platelets
    expect(summary.get_by_role("link").first).to_have_text(
        "Age (years): 'abc' is not a number. Accepted: a number from 0 to 120."
    )
    expect(page.get_by_label("Age (years)")).to_have_value("abc")  # nothing typed is lost
    _no_horizontal_scroll(page, width)
    summary.get_by_role("link").nth(3).click()
    expect(page.get_by_label("Platelet count", exact=True)).to_be_focused()


def test_child_pugh_in_chinese_at_phone_width(open_page: OpenPage) -> None:
    page = open_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page.goto("/calculators/child_pugh")
    expect(page.get_by_role("heading", level=1)).to_have_text("Child-Pugh 评分")
    # bilirubin 2.5 mg/dL (2) + albumin 30 g/L (2) + INR 1.5 (1) + slight ascites (2)
    # + no encephalopathy (1) = 8 points: class B
    page.get_by_label("总胆红素", exact=True).fill("2.5")
    page.get_by_label("总胆红素单位").select_option("mg/dL")
    page.get_by_label("白蛋白", exact=True).fill("30")
    page.locator("#inr_value").fill("1.5")
    page.get_by_label("腹水").select_option("slight")
    page.get_by_label("肝性脑病").select_option("none")
    page.get_by_role("button", name="计算").click()
    expect(page.locator("#result .calc-value")).to_have_text("Child-Pugh 评分：8 分")
    expect(page.locator("#result .calc-meaning")).to_have_text("B 级：肝脏功能明显受损。")
    _no_horizontal_scroll(page, 390)
