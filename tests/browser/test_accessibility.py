"""Every page a person reaches, scanned by axe-core in a real browser at 1280 px and 390 px.

Issue 14, item 9: Debian's Chromium through Playwright, at a desktop (1280x800) and a phone
(390x844) viewport. Each page is reached as a person reaches it (the form filled and sent,
two results saved, a photo uploaded), then axe-core, vendored from its npm package in
``vendor/axe-core/`` and checked against its pinned sha256, is injected and run. No violation
of impact "serious" or "critical" may remain; at 390 px the page must not scroll sideways.

A failure names each rule, the elements it found and axe's help, so it says what to fix.

Violations in pages this module may not fix yet are listed in ``KNOWN`` by page, viewport and
rule: such a test is an ``xfail(strict=True)`` that fails only with ``KnownViolation`` (any
other failure is a plain failure) and turns into a failure (XPASS) once the rule passes, so the
entry is removed when the page is fixed.

With ``--screenshots`` the main pages are also written, full-page, to
``docs/screenshots/<page>-<width>.png`` (docs/screenshots/README.md); without it nothing is
written.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FilePayload, Page, StorageState, expect

from liverlens.knowledge import load_knowledge

CHROMIUM = Path("/usr/bin/chromium")  # the same binary conftest.py launches
ROOT = Path(__file__).resolve().parents[2]
OpenPage = Callable[..., Page]  # the open_page fixture: a page in a new browser context

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is not installed (CI installs Debian's chromium with apt)",
        allow_module_level=True,
    )

AXE_VERSION = "4.14.1"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
AXE_DIR = Path(__file__).parent / "vendor" / "axe-core"
AXE_JS = AXE_DIR / "axe.min.js"
BLOCKING = ("serious", "critical")
SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "correct horse battery"
VIEWPORTS = {1280: {"width": 1280, "height": 800}, 390: {"width": 390, "height": 844}}
# every calculator page /calculators lists (routes/calculators.py): each score, and RUCAM
CALCULATORS = (*load_knowledge().scores, "rucam")
OCR_TIMEOUT_MS = 90_000
FIB4_EXAMPLE = "?age=52&ast_value=40&alt_value=30&platelets_value=180"


class KnownViolation(AssertionError):
    """A violation listed in ``KNOWN``: the only failure its xfail accepts."""


# (page, viewport width) -> {axe rule id: why it is not fixed here}. Keep it precise: one entry
# per page, width and rule that still fails; a fixed one makes its test XPASS, a failure.
KNOWN: dict[tuple[str, int], dict[str, str]] = {}


@dataclass(frozen=True)
class Account:
    """The module's one signed-up user, with two saved results (older first)."""

    storage_state: StorageState
    panel_ids: tuple[int, int]


@pytest.fixture(scope="module")
def account(browser: Browser, base_url: str) -> Iterator[Account]:
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/signup")
        page.get_by_label("Email").fill(f"a11y-{uuid.uuid4().hex[:12]}@example.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        expect(page).to_have_url(re.compile(r"/panels$"))
        ids = []
        for day, alt, ast in (("2026-01-12", "85", "40"), ("2026-04-20", "62", "33")):
            fill_panel(page, alt=alt, ast=ast)
            explain(page)
            page.locator("#save_collected_on").fill(day)
            page.get_by_role("button", name="Save this result").click()
            expect(page).to_have_url(re.compile(r"/panels/\d+$"))
            ids.append(int(page.url.rsplit("/", 1)[1]))
        yield Account(storage_state=context.storage_state(), panel_ids=(ids[0], ids[1]))
    finally:
        context.close()


def fill_panel(page: Page, *, alt: str = "85", ast: str = "40", language: str = "") -> None:
    """The front form with a real abnormal panel: ALT 85 U/L, AST 40 U/L, a man of 45."""
    page.goto("/")
    page.locator("#alt_value").fill(alt)
    page.locator("#ast_value").fill(ast)
    page.locator("#sex").select_option("male")
    page.locator("#age").fill("45")
    if language:
        page.locator("#language").select_option(language)


def explain(page: Page) -> None:
    page.get_by_role("button", name="Explain my results").click()
    expect(page).to_have_url(re.compile(r"/report$"))


# --- how a person reaches each page ---------------------------------------------------------


def _form(page: Page, account: Account) -> None:
    page.goto("/")
    expect(page.locator("#alt_value")).to_be_visible()


def _form_zh(page: Page, account: Account) -> None:
    page.goto("/language?to=zh&next=/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def _form_error(page: Page, account: Account) -> None:
    page.goto("/")
    page.locator("#alt_value").fill("abc")
    page.locator("#age").fill("200")
    page.get_by_role("button", name="Explain my results").click()
    expect(page.locator("#error-summary")).to_be_visible()


def _report_en(page: Page, account: Account) -> None:
    fill_panel(page)
    explain(page)
    expect(page.locator("h1.report-title")).to_contain_text("85 U/L")


def _report_zh(page: Page, account: Account) -> None:
    fill_panel(page, language="zh")
    explain(page)
    expect(page.locator("div.report")).to_have_attribute("lang", "zh-CN")


def _signup(page: Page, account: Account) -> None:
    page.goto("/signup")
    expect(page.get_by_role("button", name="Create account")).to_be_visible()


def _signup_error(page: Page, account: Account) -> None:
    page.goto("/signup")
    page.get_by_label("Email").fill("not-an-address")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator("#password-error")).to_be_visible()


def _signup_from_report(page: Page, account: Account) -> None:
    fill_panel(page)
    explain(page)
    page.get_by_role("button", name="Create an account").click()
    expect(page).to_have_url(re.compile(r"/signup$"))
    expect(page.locator("input[name=payload]")).to_have_count(1)


def _signin(page: Page, account: Account) -> None:
    page.goto("/signin")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()


def _history(page: Page, account: Account) -> None:
    page.goto("/panels")
    expect(page.locator("table.history tbody tr")).to_have_count(2)


def _saved_report(page: Page, account: Account) -> None:
    page.goto(f"/panels/{account.panel_ids[1]}")
    expect(page.locator("h1.report-title")).to_be_visible()


def _edit(page: Page, account: Account) -> None:
    page.goto(f"/panels/{account.panel_ids[1]}/edit")
    expect(page.locator("#alt_value")).to_have_value("62")


def _delete(page: Page, account: Account) -> None:
    page.goto(f"/panels/{account.panel_ids[0]}/delete")
    expect(page.get_by_role("button", name="Delete", exact=True)).to_be_visible()


def _upload(page: Page, account: Account) -> None:
    # the printed Chinese lab report the upload flow photographs (skips without its font/OCR)
    from tests.browser.test_upload_flow import report_photo

    page.goto("/")
    photo: FilePayload = {"name": "report.jpg", "mimeType": "image/jpeg", "buffer": report_photo()}
    page.get_by_label("Your lab report").set_input_files(files=[photo])
    # the OCR takes seconds, more on a busy machine: wait for it longer than for a page
    page.get_by_role("button", name="Read my report").click(timeout=OCR_TIMEOUT_MS)
    expect(page.locator("#read-summary")).to_be_visible(timeout=OCR_TIMEOUT_MS)
    expect(page.locator("#alt_value")).to_have_value("85")


def _api_docs(page: Page, account: Account) -> None:
    page.goto("/api/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()


def _calculators(page: Page, account: Account) -> None:
    page.goto("/calculators")
    expect(page.locator("main a[href^='/calculators/']").first).to_be_visible()


def _calculator(
    calc_id: str, query: str = "", status: int = 200
) -> Callable[[Page, Account], None]:
    """A calculator page: empty, or with its inputs in the query string (a result, or 422)."""

    def reach(page: Page, account: Account) -> None:
        response = page.goto(f"/calculators/{calc_id}{query}")
        assert response is not None and response.status == status, page.url
        if query and status == 200:
            expect(page.locator(".calc-result")).to_be_visible()

    return reach


def _not_found(page: Page, account: Account) -> None:
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("404")


@dataclass(frozen=True)
class Scanned:
    reach: Callable[[Page, Account], None]
    signed_in: bool = False
    screenshot: bool = False  # one of the main pages in docs/screenshots/


PAGES: dict[str, Scanned] = {
    "form": Scanned(_form, screenshot=True),
    "form-zh": Scanned(_form_zh),
    "form-error": Scanned(_form_error),
    "report-en": Scanned(_report_en, screenshot=True),
    "report-zh": Scanned(_report_zh, screenshot=True),
    "signup": Scanned(_signup, screenshot=True),
    "signup-error": Scanned(_signup_error),
    "signup-from-report": Scanned(_signup_from_report),
    "signin": Scanned(_signin),
    "history": Scanned(_history, signed_in=True, screenshot=True),
    "saved-report": Scanned(_saved_report, signed_in=True),
    "edit": Scanned(_edit, signed_in=True),
    "delete-confirm": Scanned(_delete, signed_in=True),
    "upload-filled": Scanned(_upload),
    "calculators": Scanned(_calculators),
    **{f"calculator-{c}": Scanned(_calculator(c)) for c in CALCULATORS},
    "calculator-fib4-result": Scanned(_calculator("fib4", FIB4_EXAMPLE)),
    "calculator-fib4-error": Scanned(_calculator("fib4", "?age=abc", status=422)),
    "api-docs": Scanned(_api_docs),
    "not-found": Scanned(_not_found),
    "not-found-signed-in": Scanned(_not_found, signed_in=True),
}


def _cases() -> Iterator[Any]:
    for name in PAGES:
        for width in VIEWPORTS:
            known = KNOWN.get((name, width))
            marks = (
                [
                    pytest.mark.xfail(
                        strict=True,
                        raises=KnownViolation,
                        reason="; ".join(f"{rule}: {why}" for rule, why in known.items()),
                    )
                ]
                if known
                else []
            )
            yield pytest.param(name, width, id=f"{name}-{width}", marks=marks)


# --- axe ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page: Page, source: str) -> list[dict[str, Any]]:
    """Inject the vendored axe-core (under the page's own CSP) and return its violations."""
    page.evaluate(source)
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), impact: n.impact,
                                          summary: n.failureSummary})),
            }));
        }"""
    )
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


def test_vendored_axe_is_the_pinned_file() -> None:
    """A changed or refreshed axe.min.js is noticed: its sha256 is pinned here and in the
    README beside it (tests/browser/vendor/axe-core/README.md says how to refresh both)."""
    digest = hashlib.sha256(AXE_JS.read_bytes()).hexdigest()
    assert digest == AXE_SHA256, f"{AXE_JS} changed: sha256 {digest}"
    assert AXE_JS.read_text(encoding="utf-8").startswith(f"/*! axe v{AXE_VERSION}\n")
    readme = (AXE_DIR / "README.md").read_text(encoding="utf-8")
    assert AXE_VERSION in readme and AXE_SHA256 in readme
    assert "Mozilla Public License" in (AXE_DIR / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "width"), list(_cases()))
def test_page_has_no_serious_violation(
    name: str,
    width: int,
    open_page: OpenPage,
    account: Account,
    axe_source: str,
    screenshots: bool,
) -> None:
    scanned = PAGES[name]
    options: dict[str, Any] = {"viewport": VIEWPORTS[width]}
    if scanned.signed_in:
        options["storage_state"] = account.storage_state
    page = open_page(**options)
    scanned.reach(page, account)
    page.evaluate("document.fonts.ready.then(() => true)")

    if screenshots and scanned.screenshot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)

    # what a fold hides is reached with a click: open every <details> so it is checked too
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    known = KNOWN.get((name, width), {})
    new = [v for v in violations if v["id"] not in known]
    assert not new, f"{name} at {width} px ({page.url}):\n{describe(new)}"

    if width == 390:
        wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert wide[0] <= wide[1], f"{name} scrolls sideways at 390 px: {wide[0]} px wide"

    still = [v for v in violations if v["id"] in known]
    if still:
        raise KnownViolation(f"{name} at {width} px, known:\n{describe(still)}")


def test_every_main_page_has_a_committed_screenshot() -> None:
    """docs/screenshots/ holds both widths of each main page (``--screenshots`` rewrites them)."""
    expected = {f"{n}-{w}.png" for n, s in PAGES.items() if s.screenshot for w in VIEWPORTS}
    present = {p.name for p in SCREENSHOTS.glob("*.png")}
    assert expected <= present, f"missing: {sorted(expected - present)}"
    assert not present - expected, f"no longer a main page: {sorted(present - expected)}"
