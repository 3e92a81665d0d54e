"""Scores against hand-worked examples and published calculator values.

Each expected value is worked out in the comment beside it from the published formula.
"""

from __future__ import annotations

from typing import Any

import pytest

import liverlens


def scores(
    labs: dict[str, Any],
    person: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {"labs": labs, "person": person or {}}
    if context:
        data["context"] = context
    return liverlens.interpret(data).to_dict()["scores"]


@pytest.mark.parametrize(
    ("age", "ast", "alt", "plt", "value", "band"),
    [
        (50, 40, 36, 200, 1.67, "indeterminate"),  # 50*40/(200*6) = 1.667
        (70, 30, 25, 150, 2.80, "high"),  # 70*30/(150*5) = 2.8
        (40, 20, 25, 250, 0.64, "low"),  # 40*20/(250*5) = 0.64
        # age 64 uses 1.30 as the low cut-off, age 65 uses 2.0
        (64, 39, 36, 320, 1.30, "indeterminate"),  # 64*39/(320*6) = 1.2999.. -> 1.30
        (64, 36, 36, 320, 1.20, "low"),  # 64*36/1920 = 1.2
        (65, 36, 36, 200, 1.95, "low"),  # 65*36/(200*6) = 1.95 < 2.0 from 65
        (64, 36, 36, 200, 1.92, "indeterminate"),  # 64*36/1200 = 1.92 >= 1.30 at 64
        (65, 48, 36, 260, 2.00, "indeterminate"),  # 65*48/(260*6) = 2.0 exactly: not low
        (60, 48, 36, 180, 2.67, "indeterminate"),  # 60*48/(180*6) = 2.667 -> 2.67, not above
        (60, 49, 36, 180, 2.72, "high"),  # 60*49/1080 = 2.722
    ],
)
def test_fib4(age: float, ast: float, alt: float, plt: float, value: float, band: str) -> None:
    fib4 = scores({"alt": alt, "ast": ast, "platelets": plt}, {"age": age})["fib4"]
    assert fib4["value"] == pytest.approx(value, abs=0.005)
    assert fib4["band"] == band
    assert fib4["inputs_used"] == {"age": age, "ast": ast, "alt": alt, "platelets": plt}


def test_fib4_caveat_at_35_and_needs_when_missing() -> None:
    young = scores({"alt": 60, "ast": 40, "platelets": 200}, {"age": 35})["fib4"]
    assert young["age_caveat"] is True
    missing = scores({"alt": 60, "ast": 40}, {"sex": "male"})["fib4"]
    assert missing["value"] is None and missing["band"] is None
    assert missing["needs"] == ["age", "platelets"]


@pytest.mark.parametrize(
    ("ast", "uln", "plt", "value", "band"),
    [
        (80, 40, 100, 2.0, "high"),  # (80/40)/100*100 = 2.0
        (40, 40, 250, 0.4, "low"),  # 1/250*100 = 0.4
        (50, 40, 250, 0.5, "low"),  # 1.25/250*100 = 0.5: "0.5 or less" is low
        # WHO 2024: above 1 suggests cirrhosis (Wai 2003 used 1.5 for significant fibrosis)
        (40, 40, 100, 1.0, "indeterminate"),  # 1.0 is not above 1
        (60, 40, 100, 1.5, "high"),
    ],
)
def test_apri(ast: float, uln: float, plt: float, value: float, band: str) -> None:
    apri = scores({"alt": 50, "ast": {"value": ast, "upper_limit": uln}, "platelets": plt})["apri"]
    assert apri["value"] == pytest.approx(value)
    assert apri["band"] == band


def test_nafld_fibrosis_score_hand_worked() -> None:
    # -1.675 + 0.037*50 + 0.094*30 + 1.13*1 + 0.99*(40/50) - 0.013*200 - 0.66*4.0 = -0.323
    nfs = scores(
        {"alt": 50, "ast": 40, "platelets": 200, "albumin": {"value": 4.0, "unit": "g/dL"}},
        {"age": 50, "bmi": 30, "diabetes": True},
    )["nfs"]
    assert nfs["value"] == pytest.approx(-0.323, abs=0.0005)
    assert nfs["band"] == "indeterminate"


def test_nafld_fibrosis_score_low_cut_off_from_65() -> None:
    # at 66: -1.675 + 0.037*66 + 0.094*24 + 0 + 0.99*0.5 - 0.013*140 - 0.66*4.5 = -1.272
    # at 64: the same with 0.037*64 = -1.346
    labs = {"alt": 60, "ast": 30, "platelets": 140, "albumin": 45}
    older = scores(labs, {"age": 66, "bmi": 24, "diabetes": False})["nfs"]
    younger = scores(labs, {"age": 64, "bmi": 24, "diabetes": False})["nfs"]
    assert older["value"] == pytest.approx(-1.272, abs=0.0005)
    assert younger["value"] == pytest.approx(-1.346, abs=0.0005)
    assert older["band"] == "low"  # below 0.12, the cut-off from age 65
    assert younger["band"] == "indeterminate"  # not below -1.455 before 65


@pytest.mark.parametrize(
    ("bmi", "ast", "diabetes", "value", "band"),
    [
        (29, 45, True, 4, "high"),
        (27, 25, False, 0, "low"),
        (28, 25, True, 2, "high"),
        (27, 40, False, 2, "high"),
        (27, 39.5, False, 0, "low"),
    ],  # ratio 0.8 with ALT 50 scores 2
)
def test_bard(bmi: float, ast: float, diabetes: bool, value: int, band: str) -> None:
    bard = scores({"alt": 50, "ast": ast}, {"bmi": bmi, "diabetes": diabetes})["bard"]
    assert (bard["value"], bard["band"]) == (value, band)


@pytest.mark.parametrize(
    ("creat", "bili", "inr", "na", "dialysis", "meld", "meld_na"),
    [
        # unscaled 0 + 0.378 ln1.5 + 1.12 ln1.5 + 0.643 = 1.2504 -> 1.3 -> 13;
        # 13 + 1.32*2 - 0.033*13*2 = 14.78 -> 15 (published calculator example)
        (1.0, 1.5, 1.5, 135, False, 13, 15),
        # 0.957 ln2.7 + 0.378 ln1.5 + 1.12 ln1.1 + 0.643 = 1.8536 -> 1.9 -> 19; 19 + 2.64 - 1.254
        (2.7, 1.5, 1.1, 135, False, 19, 20),
        # dialysis sets creatinine to 4.0: 1.3267 + 0.1533 + 0.4541 + 0.643 = 2.577 -> 26;
        # sodium 130: 26 + 9.24 - 6.006 = 29.23 -> 29
        (1.0, 1.5, 1.5, 130, True, 26, 29),
        # values below 1 count as 1: 0.643 -> 6; MELD <= 11 is not adjusted for sodium
        (0.6, 0.4, 0.9, 120, False, 6, 6),
        # sodium above 137 counts as 137: no change
        (1.0, 1.5, 1.5, 150, False, 13, 13),
        # sodium below 125 counts as 125: 13 + 15.84 - 5.148 = 23.69 -> 24
        (1.0, 1.5, 1.5, 110, False, 13, 24),
        # everything high: capped at 40
        (6.0, 30, 5.0, 120, False, 40, 40),
    ],
)
def test_meld_na_unos(
    creat: float, bili: float, inr: float, na: float, dialysis: bool, meld: int, meld_na: int
) -> None:
    out = scores(
        {
            "creatinine": {"value": creat, "unit": "mg/dL"},
            "bilirubin": {"value": bili, "unit": "mg/dL"},
            "inr": inr,
            "sodium": na,
        },
        context={"dialysis_twice_past_week": dialysis},
    )["meld"]
    assert (out["meld"], out["value"]) == (meld, meld_na)


def test_meld_in_si_units_matches_mg_dl() -> None:
    si = scores({"creatinine": 238.68, "bilirubin": 25.65, "inr": 1.1, "sodium": 135})["meld"]
    assert (si["meld"], si["value"]) == (19, 20)


@pytest.mark.parametrize(
    ("bili", "albumin", "inr", "ascites", "enceph", "points", "klass"),
    [
        (1.5, 3.6, 1.2, "none", "none", 5, "A"),
        (2.0, 3.6, 1.2, "none", "none", 6, "A"),  # bilirubin exactly 2: 2 points
        (3.0, 3.5, 1.2, "none", "none", 7, "B"),  # bilirubin 3 and albumin 3.5: 2 points each
        (3.1, 2.8, 1.7, "none", "none", 9, "B"),  # 3 + 2 + 2 + 1 + 1
        (1.0, 2.7, 2.3, "slight", "grade_1_2", 10, "C"),  # 1 + 3 + 2 + 2 + 2
        (1.0, 4.0, 2.4, "moderate", "grade_3_4", 11, "C"),  # 1 + 1 + 3 + 3 + 3
        (1.9, 3.6, 1.69, "slight", "none", 6, "A"),
        (1.9, 3.6, 1.69, "slight", "grade_1_2", 7, "B"),
        (2.5, 3.0, 2.0, "slight", "grade_1_2", 10, "C"),  # 2 + 2 + 2 + 2 + 2
        (2.5, 3.0, 2.0, "slight", "none", 9, "B"),
    ],
)
def test_child_pugh(
    bili: float, albumin: float, inr: float, ascites: str, enceph: str, points: int, klass: str
) -> None:
    out = scores(
        {
            "bilirubin": {"value": bili, "unit": "mg/dL"},
            "albumin": {"value": albumin, "unit": "g/dL"},
            "inr": inr,
        },
        context={"ascites": ascites, "encephalopathy": enceph},
    )["child_pugh"]
    assert (out["value"], out["class"]) == (points, klass)


def test_scores_only_input_without_alt() -> None:
    out = liverlens.interpret(
        {
            "labs": {"bilirubin": 40, "albumin": 30, "inr": 1.8, "creatinine": 100, "sodium": 131},
            "context": {
                "ascites": "slight",
                "encephalopathy": "none",
                "known_conditions": ["cirrhosis"],
            },
        }
    ).to_dict()
    assert out["alt_grade"] is None and out["ast_alt_ratio"] is None and out["pattern"] is None
    assert "alt" not in out["analytes"]
    assert out["scores"]["child_pugh"]["class"] == "B"
    assert out["scores"]["meld"]["value"] is not None
    assert out["urgency"] != "none"
