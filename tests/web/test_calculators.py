"""The calculator pages (issue 14, item 6) through the test client.

Every expected value was worked out by hand from the published formula before the test was
run; the arithmetic is in the comment beside it. Boundaries sit just below, at and just above
each cut-off of thresholds.yaml, read the way liver_scores.py documents: FIB-4 and APRI are
banded on their value rounded to 2 decimals, the NAFLD fibrosis score on 3; MELD rounds its
unscaled score to 1 decimal before the x10, MELD-Na to a whole number.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

import liverlens
from liverlens.knowledge import KnowledgeBase
from liverlens.web import create_app
from liverlens.web.settings import Settings
from tests.web.conftest import post_form

VALUE = re.compile(r'<p class="calc-value(?: band-(\w+))?">([^<]*)</p>')
MEANING = re.compile(r'<p class="calc-meaning">([^<]*)</p>')
NOTE = re.compile(r'<p class="calc-note">([^<]*)</p>')
SUMMARY = re.compile(r'<div class="error-summary"[^>]*>(.*?)</div>', re.DOTALL)
CALCULATORS = ("fib4", "apri", "nfs", "bard", "meld", "child_pugh", "rucam")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for the module: the pages keep nothing between requests."""
    db: Path = tmp_path_factory.mktemp("calc") / "test.db"
    settings = Settings(database_url=f"sqlite:///{db}", secret_key="test-secret")
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        yield c


def page(client: TestClient, calc: str, params: dict[str, Any], lang: str = "en") -> Any:
    return client.get(f"/calculators/{calc}", params={**params, "lang": lang})


def result(client: TestClient, calc: str, params: dict[str, Any]) -> tuple[str, str | None]:
    """The shown value (after the score's name) and the band a page gives."""
    response = page(client, calc, params)
    assert response.status_code == 200, summary(response.text)
    found = VALUE.search(response.text)
    assert found, response.text[:2000]
    return html.unescape(found[2]).split(": ", 1)[1], found[1]


def esc(text: str) -> str:
    """A text as the templates write it (Jinja's escaping: ' is &#39;)."""
    return str(escape(text))


def summary(text: str) -> str:
    found = SUMMARY.search(text)
    return html.unescape(re.sub(r"<[^>]+>", " ", found[1])) if found else ""


def notes(text: str) -> list[str]:
    return [html.unescape(n) for n in NOTE.findall(text)]


# --- the index, the navigation and the languages ------------------------------------------


def test_index_lists_every_calculator_in_both_languages(
    client: TestClient, kb: KnowledgeBase
) -> None:
    for lang in ("en", "zh"):
        text = client.get("/calculators", params={"lang": lang}).text
        for calc in CALCULATORS:
            assert f'href="/calculators/{calc}"' in text
        for score in kb.scores.values():
            assert esc(score.name.get(lang)) in text
            assert esc(score.about.get(lang)) in text
        assert esc(kb.rucam.about.get(lang)) in text
        assert kb.say("ui.calc.title", lang) in text


def test_every_page_links_to_the_calculators(client: TestClient, kb: KnowledgeBase) -> None:
    for path in ("/", "/signin", "/calculators/fib4"):
        text = client.get(path, params={"lang": "zh"}).text
        assert f'<a href="/calculators">{kb.say("ui.nav.calculators", "zh")}</a>' in text


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("calc", CALCULATORS)
def test_each_page_renders_its_notes_and_sources_in_both_languages(
    client: TestClient, kb: KnowledgeBase, calc: str, lang: str
) -> None:
    text = client.get(f"/calculators/{calc}", params={"lang": lang}).text
    defs = kb.rucam if calc == "rucam" else kb.scores[calc]
    assert esc(defs.name.get(lang)) in text
    for heading in ("ui.calc.when_to_use", "ui.calc.pitfalls", "ui.calc.sources"):
        assert kb.say(heading, lang) in text
    for note in (*defs.when_to_use, *defs.pitfalls):
        assert esc(note.text.get(lang)) in text
        for source in note.sources:  # each cited sentence links to its entry in the list
            assert f'href="#source-{source}"' in text and f'id="source-{source}"' in text
    for source in defs.sources:
        assert f'id="source-{source}"' in text
    assert kb.say("ui.calc.submit", lang) in text
    if lang == "zh":  # the page's own words are Chinese, not English left behind
        for heading in ("When to use it", "Pitfalls", "Calculate", "Inputs"):
            assert f">{heading}<" not in text


def test_units_are_shown_with_their_symbols(client: TestClient) -> None:
    text = client.get("/calculators/fib4").text
    assert '<option value="10^9/L">10⁹/L</option>' in text
    assert '<option value="ukat/L">µkat/L</option>' in text
    text = client.get("/calculators/child_pugh").text
    assert '<option value="umol/L">µmol/L</option>' in text
    assert '<span class="unit">INR</span>' in text  # one unit: no choice to make


def test_an_unknown_calculator_is_404(client: TestClient) -> None:
    assert client.get("/calculators/fib5").status_code == 404


# --- one vignette per score, worked by hand --------------------------------------------------


@pytest.mark.parametrize(
    ("calc", "params", "value", "band"),
    [
        # FIB-4 = age x AST / (platelets x sqrt(ALT)) = 50 x 40 / (200 x 6) = 2000/1200 = 1.667
        (
            "fib4",
            {"age": 50, "ast_value": 40, "alt_value": 36, "platelets_value": 200},
            "1.67",
            "indeterminate",
        ),
        # APRI = (AST / AST ULN) / platelets x 100 = (80/40)/100 x 100 = 2.0 (above 1: high)
        ("apri", {"ast_value": 80, "ast_upper": 40, "platelets_value": 100}, "2", "high"),
        # NFS = -1.675 + 0.037x50 + 0.094x30 + 1.13x1 + 0.99x(40/50) - 0.013x200 - 0.66x4.0
        #     = -1.675 + 1.85 + 2.82 + 1.13 + 0.792 - 2.6 - 2.64 = -0.323 (albumin 40 g/L = 4.0)
        (
            "nfs",
            {
                "age": 50,
                "bmi": 30,
                "diabetes": "yes",
                "ast_value": 40,
                "alt_value": 50,
                "platelets_value": 200,
                "albumin_value": 40,
                "albumin_unit": "g/L",
            },
            "-0.323",
            "indeterminate",
        ),
        # BARD: BMI 29 >= 28 (1) + AST/ALT 45/50 = 0.9 >= 0.8 (2) + diabetes (1) = 4
        (
            "bard",
            {"bmi": 29, "diabetes": "yes", "ast_value": 45, "alt_value": 50},
            "4 points",
            "high",
        ),
        # MELD(i) = 0.957 ln1 + 0.378 ln1.5 + 1.120 ln1.5 + 0.643 = 1.498 x 0.4055 + 0.643
        #         = 1.2504 -> 1.3 -> 13; MELD-Na = 13 + 1.32x2 - 0.033x13x2 = 14.78 -> 15
        (
            "meld",
            {
                "creatinine_value": 1,
                "creatinine_unit": "mg/dL",
                "bilirubin_value": 1.5,
                "bilirubin_unit": "mg/dL",
                "inr_value": 1.5,
                "sodium_value": 135,
            },
            "15",
            None,
        ),
        # Child-Pugh: bilirubin 2.5 mg/dL (2) + albumin 3.0 g/dL (2) + INR 1.5 (1)
        #             + slight ascites (2) + no encephalopathy (1) = 8: class B
        (
            "child_pugh",
            {
                "bilirubin_value": 2.5,
                "bilirubin_unit": "mg/dL",
                "albumin_value": 3.0,
                "albumin_unit": "g/dL",
                "inr_value": 1.5,
                "ascites": "slight",
                "encephalopathy": "none",
            },
            "8 points",
            "B",
        ),
    ],
)
def test_vignette(
    client: TestClient, calc: str, params: dict[str, Any], value: str, band: str | None
) -> None:
    assert result(client, calc, params) == (value, band)


def test_the_page_gives_what_a_report_gives(client: TestClient) -> None:
    """One source of truth: the page's number is the report's number for the same input."""
    report = liverlens.interpret(
        {"person": {"age": 58}, "labs": {"ast": 61, "alt": 44, "platelets": 151}}
    ).to_dict()["scores"]["fib4"]
    shown = result(
        client, "fib4", {"age": 58, "ast_value": 61, "alt_value": 44, "platelets_value": 151}
    )
    # 58 x 61 / (151 x sqrt 44) = 3538 / (151 x 6.6332) = 3538 / 1001.6 = 3.53: high
    assert shown == ("3.53", "high") == (str(report["value"]), report["band"])


def test_meld_na_shows_meld_before_sodium(client: TestClient, kb: KnowledgeBase) -> None:
    params = {
        "creatinine_value": 1,
        "creatinine_unit": "mg/dL",
        "bilirubin_value": 1.5,
        "bilirubin_unit": "mg/dL",
        "inr_value": 1.5,
        "sodium_value": 135,
    }
    assert kb.say("ui.calc.meld_before_sodium", "en", meld=13) in notes(
        page(client, "meld", params).text
    )


# --- boundaries at the cut-offs --------------------------------------------------------------

FIB4 = {"alt_value": 25, "platelets_value": 200}  # sqrt(25) x 200 = 1000: FIB-4 = age x AST/1000


@pytest.mark.parametrize(
    ("age", "ast", "value", "band"),
    [
        (43, 30, "1.29", "low"),  # 1290/1000, below 1.30
        (52, 25, "1.3", "indeterminate"),  # 1300/1000 = 1.30: not below 1.30
        (40, 33, "1.32", "indeterminate"),
        (52, 24.99, "1.3", "indeterminate"),  # 1.29948 rounds to 1.30 before banding
        (38, 70, "2.66", "indeterminate"),
        (60, 44.5, "2.67", "indeterminate"),  # 2670/1000 = 2.67: not above 2.67
        (40, 67, "2.68", "high"),
        (64, 30, "1.92", "indeterminate"),  # at 64 the low cut-off is still 1.30
        (65, 30, "1.95", "low"),  # from 65 it is 2.0
        (65, 30.8, "2", "indeterminate"),  # 2002/1000 = 2.00: not below 2.0
    ],
)
def test_fib4_cut_offs(client: TestClient, age: int, ast: float, value: str, band: str) -> None:
    assert result(client, "fib4", {**FIB4, "age": age, "ast_value": ast}) == (value, band)


def test_fib4_age_notes_and_an_acute_rise(client: TestClient, kb: KnowledgeBase) -> None:
    young = page(client, "fib4", {**FIB4, "age": 35, "ast_value": 30}).text
    assert kb.say("scores.fib4_young", "en") in notes(young)  # 35 x 30 / 1000 = 1.05
    older = page(client, "fib4", {**FIB4, "age": 65, "ast_value": 30}).text
    assert kb.say("scores.fib4_older", "en") in notes(older)
    # ALT 250 (about 7.6 x the 33 U/L limit) is an acute rise: the value, and no band
    # 50 x 300 / (200 x sqrt 250) = 15000 / 3162.3 = 4.74
    acute_params = {"age": 50, "ast_value": 300, "alt_value": 250, "platelets_value": 200}
    acute = page(client, "fib4", acute_params).text
    assert VALUE.search(acute)[1] is None  # type: ignore[index]
    assert any(n.startswith("FIB-4 4.74: not read") for n in notes(acute))


@pytest.mark.parametrize(
    ("ast", "uln", "platelets", "value", "band"),
    [
        (49, 40, 250, "0.49", "low"),  # (49/40)/250 x 100 = 0.49
        (50, 40, 250, "0.5", "low"),  # 1.25/250 x 100 = 0.50: "0.5 or less" is low
        (51, 40, 250, "0.51", "indeterminate"),
        (39.6, 40, 100, "0.99", "indeterminate"),
        (40, 40, 100, "1", "indeterminate"),  # 1.0 is not above 1
        (40.4, 40, 100, "1.01", "high"),
    ],
)
def test_apri_cut_offs(
    client: TestClient, ast: float, uln: float, platelets: float, value: str, band: str
) -> None:
    params = {"ast_value": ast, "ast_upper": uln, "platelets_value": platelets}
    assert result(client, "apri", params) == (value, band)


def test_apri_in_other_units(client: TestClient) -> None:
    # AST 1.5 ukat/L (90 U/L) against 0.5 ukat/L (30 U/L): ratio 3; platelets 100 x10^3/uL
    # = 100 x10^9/L: APRI = 3/100 x 100 = 3.0
    params = {
        "ast_value": 1.5,
        "ast_unit": "ukat/L",
        "ast_upper": 0.5,
        "platelets_value": 100,
        "platelets_unit": "10^3/uL",
    }
    assert result(client, "apri", params) == ("3", "high")


NFS = {
    "diabetes": "no",
    "ast_value": 40,
    "alt_value": 40,
    "albumin_value": 4.0,
    "albumin_unit": "g/dL",
}
# AST = ALT and albumin 4.0: NFS = -1.675 + 0.037 age + 0.094 BMI + 0.99 - 0.013 PLT - 2.64


@pytest.mark.parametrize(
    ("age", "bmi", "platelets", "value", "band"),
    [
        (36, 36, 219, "-1.456", "low"),  # -3.325 + 1.332 + 3.384 - 2.847 = -1.456
        (37, 37, 229, "-1.455", "indeterminate"),  # -3.325 + 1.369 + 3.478 - 2.977: not below
        (37, 33, 200, "-1.454", "indeterminate"),  # -3.325 + 1.369 + 3.102 - 2.6
        (54, 39, 128, "0.675", "indeterminate"),  # -3.325 + 1.998 + 3.666 - 1.664
        (52, 38, 115, "0.676", "indeterminate"),  # -3.325 + 1.924 + 3.572 - 1.495: not above
        (53, 39, 125, "0.677", "high"),  # -3.325 + 1.961 + 3.666 - 1.625
        (65, 30, 137, "0.119", "low"),  # -3.325 + 2.405 + 2.82 - 1.781: below 0.12 from 65
        (65, 26, 108, "0.12", "indeterminate"),  # -3.325 + 2.405 + 2.444 - 1.404 = 0.120
        (65, 35, 173, "0.121", "indeterminate"),  # -3.325 + 2.405 + 3.29 - 2.249
    ],
)
def test_nfs_cut_offs(
    client: TestClient, age: int, bmi: float, platelets: int, value: str, band: str
) -> None:
    params = {**NFS, "age": age, "bmi": bmi, "platelets_value": platelets}
    assert result(client, "nfs", params) == (value, band)


@pytest.mark.parametrize(
    ("bmi", "ast", "diabetes", "value", "band"),
    [
        (27.9, 30, "yes", "1 points", "low"),  # BMI under 28 (0) + 30/50 = 0.6 (0) + DM (1)
        (28, 30, "yes", "2 points", "high"),  # BMI 28 scores (1) + DM (1) = 2: from 2, high
        (25, 39.9, "no", "0 points", "low"),  # 39.9/50 = 0.798, under 0.8
        (25, 40, "no", "2 points", "high"),  # 40/50 = 0.8 scores 2 on its own
    ],
)
def test_bard_cut_offs(
    client: TestClient, bmi: float, ast: float, diabetes: str, value: str, band: str
) -> None:
    params = {"bmi": bmi, "ast_value": ast, "alt_value": 50, "diabetes": diabetes}
    assert result(client, "bard", params) == (value, band)


MELD = {
    "creatinine_value": 1,
    "creatinine_unit": "mg/dL",
    "bilirubin_value": 1.5,
    "bilirubin_unit": "mg/dL",
    "inr_value": 1.5,
}  # MELD(i) 13, as above


@pytest.mark.parametrize(
    ("changes", "value"),
    [
        # bilirubin 3.0, creatinine and INR 1: 0.378 ln3 + 0.643 = 1.0583 -> 1.1 -> 11;
        # at 11 sodium does not count: MELD-Na 11 even with sodium 130
        ({"bilirubin_value": 3.0, "inr_value": 1, "sodium_value": 130}, "11"),
        # bilirubin 4.0: 0.378 ln4 + 0.643 = 1.167 -> 1.2 -> 12, above 11, so
        # 12 + 1.32x7 - 0.033x12x7 = 12 + 9.24 - 2.772 = 18.47 -> 18
        ({"bilirubin_value": 4.0, "inr_value": 1, "sodium_value": 130}, "18"),
        # sodium 124 counts as 125: 13 + 1.32x12 - 0.033x13x12 = 23.69 -> 24; 125 the same
        ({"sodium_value": 124}, "24"),
        ({"sodium_value": 125}, "24"),
        ({"sodium_value": 126}, "23"),  # 13 + 14.52 - 4.719 = 22.80 -> 23
        ({"sodium_value": 137}, "13"),  # no gap below 137
        ({"sodium_value": 138}, "13"),  # above 137 counts as 137
        # values below 1 count as 1: 0 + 0 + 0 + 0.643 -> 0.6 -> 6 (not adjusted at 6)
        (
            {
                "creatinine_value": 0.8,
                "bilirubin_value": 0.5,
                "inr_value": 0.9,
                "sodium_value": 120,
            },
            "6",
        ),
        # dialysis twice in the week: creatinine counts as 4.0: 0.957 ln4 = 1.3267;
        # 1.3267 + 0.6074 + 0.643 = 2.577 -> 2.6 -> 26; 26 + 2.64 - 1.716 = 26.92 -> 27
        ({"sodium_value": 135, "dialysis": "yes"}, "27"),
        # the same panel in umol/L: creatinine 88.4 = 1.0 mg/dL, bilirubin 25.65 = 1.5 mg/dL
        (
            {
                "creatinine_value": 88.4,
                "creatinine_unit": "umol/L",
                "bilirubin_value": 25.65,
                "bilirubin_unit": "umol/L",
                "sodium_value": 135,
            },
            "15",
        ),
    ],
)
def test_meld_na_rules(client: TestClient, changes: dict[str, Any], value: str) -> None:
    assert result(client, "meld", {**MELD, **changes}) == (value, None)


CHILD = {
    "bilirubin_value": 17.1,
    "bilirubin_unit": "umol/L",
    "albumin_value": 40,
    "albumin_unit": "g/L",
    "inr_value": 1.0,
    "ascites": "none",
    "encephalopathy": "none",
}
# every item at 1 point: 5, class A; each case below moves one item


@pytest.mark.parametrize(
    ("changes", "points", "klass"),
    [
        ({}, 5, "A"),
        ({"bilirubin_value": 34.1}, 5, "A"),  # 34.1/17.1 = 1.994 mg/dL: under 2
        ({"bilirubin_value": 34.2}, 6, "A"),  # 34.2/17.1 = 2.0 mg/dL: 2 points
        ({"bilirubin_value": 51.3}, 6, "A"),  # 3.0 mg/dL: still 2 points
        ({"bilirubin_value": 51.4}, 7, "B"),  # 3.006 mg/dL: above 3, 3 points; 7 is class B
        ({"albumin_value": 36}, 5, "A"),  # 3.6 g/dL: above 3.5
        ({"albumin_value": 35}, 6, "A"),  # 3.5 g/dL: 2.8-3.5 scores 2
        ({"albumin_value": 28}, 6, "A"),  # 2.8 g/dL: still 2
        ({"albumin_value": 27.9}, 7, "B"),  # 2.79 g/dL: below 2.8, 3 points
        ({"inr_value": 1.69}, 5, "A"),
        ({"inr_value": 1.7}, 6, "A"),
        ({"inr_value": 2.3}, 6, "A"),
        ({"inr_value": 2.31}, 7, "B"),
        # 3 + 2 (albumin 30 g/L) + 2 (INR 2.0) + 1 + 1 = 9, the top of B; slight ascites: 10, C
        ({"bilirubin_value": 51.4, "albumin_value": 30, "inr_value": 2.0}, 9, "B"),
        (
            {"bilirubin_value": 51.4, "albumin_value": 30, "inr_value": 2.0, "ascites": "slight"},
            10,
            "C",
        ),
        ({"ascites": "moderate", "encephalopathy": "grade_3_4"}, 9, "B"),  # 1+1+1+3+3
    ],
)
def test_child_pugh_cut_offs(
    client: TestClient, changes: dict[str, Any], points: int, klass: str
) -> None:
    assert result(client, "child_pugh", {**CHILD, **changes}) == (f"{points} points", klass)


# --- RUCAM ------------------------------------------------------------------------------------

RUCAM = {
    "medicine": "amoxicillin-clavulanate",
    "started_on": "2026-02-01",
    "collected_on": "2026-03-01",
    "alt_value": 300,
    "alt_upper": 40,
    "age": 60,
    "other_medicines": "ibuprofen",
}


def test_rucam_vignette(client: TestClient) -> None:
    # started 28 days before the first abnormal test (5-90 days): +2; still taken: 0; no
    # alcohol said: 0; age 60 (55 or over): +1; ibuprofen without dates: 0; other causes not
    # assessed: 0; LiverTox category A (labelled): +2; no re-exposure: 0. Total 5: possible
    # (3-5); once other causes are scored (-3 to +2) it could be 2 to 7.
    text = page(client, "rucam", RUCAM).text
    assert VALUE.search(text).groups() == ("possible", "RUCAM (updated 2016): 5 points")  # type: ignore[index]
    assert "it could lie between 2 and 7" in html.unescape(MEANING.search(text)[1])  # type: ignore[index]
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td>', text)
    assert [(r[0], r[2]) for r in rows] == [
        ("Time to onset", "+2"),
        ("Course after stopping", "0"),
        ("Risk factor: alcohol", "0"),
        ("Risk factor: age", "+1"),
        ("Other medicines", "0"),
        ("Other causes ruled out", "0"),
        ("Known liver injury from this medicine", "+2"),
        ("Re-exposure", "0"),
    ]
    assert "started 28 days before the first abnormal test" in rows[0][1]
    assert "ibuprofen" in rows[4][1]


@pytest.mark.parametrize(
    ("started_on", "value", "band"),
    [
        ("2026-02-25", "4 points", "possible"),  # 4 days before: under 5, +1: 1 + 1 + 2 = 4
        ("2026-02-24", "5 points", "possible"),  # 5 days: the window opens, +2
        ("2025-12-01", "5 points", "possible"),  # 90 days (Dec 31 + Jan 31 + Feb 28): +2
        ("2025-11-30", "4 points", "possible"),  # 91 days: over 90, +1
        ("2026-03-10", "excluded", "excluded"),  # started after the rise: ruled out
    ],
)
def test_rucam_time_to_onset(client: TestClient, started_on: str, value: str, band: str) -> None:
    assert result(client, "rucam", {**RUCAM, "started_on": started_on}) == (value, band)


def test_rucam_probable_from_six(client: TestClient) -> None:
    # alcohol above the risk amount for a man (400 g a week) adds 1: 2 + 1 + 1 + 2 = 6, the
    # first total of "probable" (6-8)
    params = {**RUCAM, "sex": "male", "alcohol_g_week": 400}
    assert result(client, "rucam", params) == ("6 points", "probable")


def test_rucam_needs_an_injury_and_a_suspect(client: TestClient, kb: KnowledgeBase) -> None:
    normal = page(client, "rucam", {**RUCAM, "alt_value": 20})
    assert normal.status_code == 422
    assert kb.say("ui.calc.rucam.no_injury", "en") in summary(normal.text)
    empty = page(client, "rucam", {"medicine": "", "started_on": "2026-13-01"})
    said = summary(empty.text)
    for label in (
        "Suspected medicine, herb or supplement",
        "Date of the first abnormal liver test",
    ):
        assert f"{label}: RUCAM (updated 2016) needs this" in said
    assert "Alanine aminotransferase (ALT): RUCAM needs ALT or ALP" in said
    bad_date = page(client, "rucam", {**RUCAM, "started_on": "2026-13-01"})
    assert "Date it was started: expected a date as YYYY-MM-DD" in summary(bad_date.text)


# --- missing and bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("calc", CALCULATORS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_empty_submission_names_every_field_it_needs(
    client: TestClient, kb: KnowledgeBase, calc: str, lang: str
) -> None:
    response = post_form(client, f"/calculators/{calc}?lang={lang}", {})
    assert response.status_code == 422
    text = response.text
    # the summary is focused on load, and lists each field with a link to it, in page order
    assert 'id="error-summary" tabindex="-1" autofocus' in text
    links = re.findall(r'<li><a href="#(\w+)">', SUMMARY.search(text)[1])  # type: ignore[index]
    defs = kb.rucam if calc == "rucam" else kb.scores[calc]
    needs = kb.say("ui.calc.needs", lang, score=defs.name.get(lang))
    assert needs in summary(text)
    page_order = re.findall(r'<(?:input|select|textarea) id="(\w+)"', text)
    assert links == sorted(links, key=page_order.index)
    for key in links:  # each field says what is wrong with it and what it accepts
        assert f'aria-invalid="true" aria-describedby="{key}-error {key}-hint"' in text
        assert f'<p class="error" id="{key}-error">' in text
    if calc != "rucam":
        score = kb.scores[calc]
        expected = {
            c if c in {"age", "bmi", "diabetes", "ascites", "encephalopathy"} else f"{c}_value"
            for c in score.inputs
        }
        assert expected <= set(links)
        assert "labs" not in links and "give at least one result" not in text


def test_bad_input_is_named_kept_and_explained(client: TestClient) -> None:
    params = {"age": "abc", "ast_value": "-4", "alt_value": "1,000", "platelets_value": "5"}
    response = page(client, "fib4", params)
    assert response.status_code == 422
    said = summary(response.text)
    assert "Age (years): 'abc' is not a number. Accepted: a number from 0 to 120." in said
    assert "Aspartate aminotransferase (AST): value must not be negative (given -4)." in said
    assert "'1,000' could mean 1000 or 1" in said
    for key, typed in (("age", "abc"), ("ast_value", "-4"), ("alt_value", "1,000")):
        assert f'id="{key}" name="{key}" inputmode="decimal" value="{typed}"' in response.text
    assert 'value="5"' in response.text  # the good value stays too


def test_a_bound_is_not_a_value_for_a_score(client: TestClient) -> None:
    params = {"age": 50, "ast_value": 40, "alt_value": 36, "platelets_value": "<5"}
    response = page(client, "fib4", params)
    said = summary(response.text)
    assert "Platelet count: FIB-4 needs the exact result, not a bound such as <5." in said
    assert "Accepted: a number, in 10⁹/L, 10³/µL, /µL." in said
    assert 'value="&lt;5"' in response.text


def test_out_of_range_and_unknown_unit(client: TestClient) -> None:
    params = {
        "age": 200,
        "ast_value": 40,
        "ast_unit": "kat/L",
        "alt_value": 36,
        "platelets_value": 200,
    }
    said = summary(page(client, "fib4", params).text)
    assert "Age (years): must be at most 120" in said
    unit = "Aspartate aminotransferase (AST) unit: 'kat/L' is not a unit LiverLens knows"
    assert unit in said and "accepted: U/L, IU/L, ukat/L" in said


def test_apri_needs_the_lab_upper_limit(client: TestClient) -> None:
    response = page(client, "apri", {"ast_value": 80, "platelets_value": 100})
    assert response.status_code == 422
    assert "Aspartate aminotransferase (AST): your lab's upper limit: APRI needs this." in summary(
        response.text
    )


def test_bad_input_in_chinese(client: TestClient) -> None:
    said = summary(page(client, "fib4", {"age": "abc", "ast_value": 40}, lang="zh").text)
    assert "年龄（岁）：“abc”不是数字。可填写：0 至 120 之间的数字。" in said
    assert "谷丙转氨酶（ALT）：此项为计算 FIB-4 指数所必需" in said


def test_a_stray_field_does_not_change_the_score(client: TestClient) -> None:
    # pregnancy would withhold a fibrosis band; the FIB-4 page does not ask, so it is ignored
    params = {
        "age": 50,
        "ast_value": 40,
        "alt_value": 36,
        "platelets_value": 200,
        "pregnant": "yes",
    }
    assert result(client, "fib4", params) == ("1.67", "indeterminate")


# --- the form itself: POST with CSRF, no JavaScript ------------------------------------------


def test_the_form_posts_back_with_its_csrf_token(client: TestClient) -> None:
    text = client.get("/calculators/fib4").text
    assert '<form method="post" action="/calculators/fib4"' in text
    assert 'name="csrf_token"' in text and "<script" not in text
    data = {"age": "50", "ast_value": "40", "alt_value": "36", "platelets_value": "200"}
    response = post_form(client, "/calculators/fib4", data)
    assert response.status_code == 200
    assert VALUE.search(response.text).groups() == ("indeterminate", "FIB-4: 1.67")  # type: ignore[index]
    assert 'id="result" aria-labelledby="result-heading" tabindex="-1" autofocus' in response.text
    refused = client.post("/calculators/fib4", data=data, follow_redirects=False)
    assert refused.status_code == 403


def test_the_result_marks_its_band_in_the_list(client: TestClient, kb: KnowledgeBase) -> None:
    params = {"age": 50, "ast_value": 40, "alt_value": 36, "platelets_value": 200}
    text = page(client, "fib4", params).text
    meaning = kb.scores["fib4"].bands["indeterminate"].en
    assert f'<li class="current" aria-current="true">{meaning} <strong>' in text
    assert html.unescape(MEANING.search(text)[1]) == meaning  # type: ignore[index]
