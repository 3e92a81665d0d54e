"""Reading a photo of a lab report in a real browser (Debian's Chromium through Playwright).

A person photographs a printed Chinese lab report, uploads it from the front page, sees the
form filled in with the cropped line of the photo beside each value and how sure the reader
was, checks the one value marked "please check" (focused for them), corrects another, presses
Explain and reads a report of the corrected values. All under the app's CSP, with no script of
ours, and without a horizontal scroll at phone width. The photo is rendered with Pillow and
the Noto CJK font and read by the real OCR (``liverlens.extract``), nothing mocked.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

CHROMIUM = Path("/usr/bin/chromium")  # the same binary conftest.py launches
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (CI installs it)", allow_module_level=True)
if not FONT.exists():
    pytest.skip(f"{FONT} is not installed (fonts-noto-cjk)", allow_module_level=True)
pytest.importorskip("rapidocr_onnxruntime")
Image = pytest.importorskip("PIL.Image")
ImageDraw = pytest.importorskip("PIL.ImageDraw")
ImageFont = pytest.importorskip("PIL.ImageFont")

# name, result, unit, reference range; albumin's unit is left off, so it is read unsure
ROWS = (
    ("谷丙转氨酶(ALT)", "85", "U/L", "7-40"),
    ("谷草转氨酶(AST)", "45", "U/L", "13-35"),
    ("γ-谷氨酰转移酶(GGT)", "120", "U/L", "10-60"),
    ("白蛋白(ALB)", "42", "", "40-55"),
)


def report_photo() -> bytes:
    """A JPEG of a short printed lab report, as a phone would send it."""
    image = Image.new("RGB", (1200, 860), "white")
    draw = ImageDraw.Draw(image)
    title = ImageFont.truetype(str(FONT), 40)
    text = ImageFont.truetype(str(FONT), 34)
    draw.text((60, 40), "肝功能检查报告", font=title, fill="black")
    draw.text((60, 120), "性别: 男   年龄: 45岁   采样日期: 2026-03-14", font=text, fill="black")
    for x, heading in zip((60, 480, 660, 880), ("项目", "结果", "单位", "参考范围"), strict=True):
        draw.text((x, 200), heading, font=text, fill="black")
    for i, row in enumerate(ROWS):
        for x, cell in zip((60, 480, 660, 880), row, strict=True):
            draw.text((x, 280 + i * 80), cell, font=text, fill="black")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_upload_a_photo_check_correct_and_explain(page: Page) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto("/")
    page.get_by_label("Your lab report").set_input_files(
        files=[{"name": "report.jpg", "mimeType": "image/jpeg", "buffer": report_photo()}]
    )
    with page.expect_response(lambda r: r.url.endswith("/read-report")) as answered:
        page.get_by_role("button", name="Read my report").click()
    assert answered.value.status == 200

    # the summary, and the form filled with each value, its unit and the lab's limits
    expect(page.locator("#read-summary")).to_contain_text(
        "Read 4 tests from 1 page. Check each value against your report, then press"
    )
    for field, value in (
        ("alt_value", "85"),
        ("alt_lower", "7"),
        ("alt_upper", "40"),
        ("ast_value", "45"),
        ("ggt_value", "120"),
        ("ggt_upper", "60"),
        ("albumin_value", "42"),
        ("age", "45"),
        ("collected_on", "2026-03-14"),
    ):
        expect(page.locator(f"#{field}")).to_have_value(value)
    expect(page.locator("#alt_unit")).to_have_value("U/L")
    expect(page.locator("#sex")).to_have_value("male")

    # beside each value: the cropped line of the photo, drawn (a data: image the CSP allows)
    for analyte in ("alt", "ast", "ggt", "albumin"):
        snippet = page.locator(f"#{analyte}_read img.snippet")
        expect(snippet).to_be_visible()
        assert snippet.evaluate("img => img.complete && img.naturalWidth > 100")
    expect(page.locator("#alt_read")).to_contain_text(re.compile(r"read with \d+% confidence"))
    expect(page.locator("#alt_read .please-check")).to_have_count(0)

    # the unsure ones are marked (albumin at least: its unit is not printed, and is asked
    # for), and the first of them in the page's order has the focus
    expect(page.locator("#albumin_read .please-check")).to_be_visible()
    expect(page.locator("#albumin_unit")).to_have_value("")
    expect(page.locator(".lab-row.check-this input[name$='_value']").first).to_be_focused()
    assert not [p for p in problems if "Content Security Policy" in p], problems

    # at phone width nothing runs off the side
    page.set_viewport_size({"width": 375, "height": 740})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 376, f"the filled form is {scroll_width}px wide at 375px"
    page.set_viewport_size({"width": 1280, "height": 720})

    # the person checks the report, chooses albumin's unit and corrects ALT
    page.locator("#albumin_unit").select_option("g/L")
    page.locator("#alt_value").fill("58")
    page.get_by_role("button", name="Explain my results").click()
    expect(page).to_have_url(re.compile(r"/report$"))
    expect(page.locator("h1.report-title")).to_contain_text("58 U/L")
    values = page.locator("aside.values")
    expect(values).to_contain_text("58")
    expect(values).not_to_contain_text("85")
