"""Boundary tests at every threshold: just below, exactly at, and just above.

Numbers are chosen so the arithmetic is exact: a lab ALT upper limit of 40 U/L and an ALP upper
limit of 100 U/L. Which side "exactly at" falls on is the rule in design.md / thresholds.yaml.
"""

from __future__ import annotations

from typing import Any

import pytest

import liverlens


def run(
    labs: dict[str, Any],
    person: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {"labs": labs}
    data["person"] = {"sex": "male", "age": 45} if person is None else person
    if context:
        data["context"] = context
    data.update(extra)
    return liverlens.interpret(data).to_dict()


def alt(value: float, uln: float = 40) -> dict[str, Any]:
    return {"value": value, "upper_limit": uln}


@pytest.mark.parametrize(
    ("value", "grade", "status"),
    [
        (39.9, "normal", "normal"),
        (40, "normal", "normal"),  # exactly 1x ULN is within the limit
        (40.1, "borderline", "high"),
        (79.9, "borderline", "high"),
        (80, "mild", "high"),  # exactly 2x
        (199.9, "mild", "high"),
        (200, "moderate", "high"),  # exactly 5x
        (600, "moderate", "high"),  # exactly 15x is still moderate
        (600.1, "severe", "high"),
        (10000, "severe", "high"),  # 250x but not above 10,000 U/L
        (10000.1, "massive", "high"),
    ],
)
def test_alt_grade_boundaries(value: float, grade: str, status: str) -> None:
    out = run({"alt": alt(value)})
    assert out["alt_grade"] == grade
    assert out["analytes"]["alt"]["status"] == status


@pytest.mark.parametrize(
    ("alt_value", "alp_value", "pattern"),
    [
        # both raised (ALP limit 100): the R ratio decides
        (300, 150, "hepatocellular"),  # R = 7.5 / 1.5 = 5 exactly
        (299.4, 150, "mixed"),  # R = 4.99
        (120.6, 150, "mixed"),  # R = 2.01
        (120, 150, "cholestatic"),  # R = 3 / 1.5 = 2 exactly
        # only one raised: that enzyme's pattern, whatever R says
        (120, 90, "hepatocellular"),  # R = 3.3 but ALP is normal
        (44, 100, "hepatocellular"),  # R = 1.1 but ALP is normal
        (40, 100.5, "cholestatic"),  # ALT normal, ALP just raised
        (40, 100, None),  # ALT and ALP both normal: no pattern
    ],
)
def test_pattern_boundaries(alt_value: float, alp_value: float, pattern: str | None) -> None:
    out = run({"alt": alt(alt_value), "alp": {"value": alp_value, "upper_limit": 100}})
    assert out["pattern"] == pattern
    assert out["r_ratio"] == pytest.approx((alt_value / 40) / (alp_value / 100), abs=0.01)


def test_pattern_needs_alp() -> None:
    out = run({"alt": alt(300)})
    assert out["pattern"] is None and out["r_ratio"] is None


@pytest.mark.parametrize(("ast_value", "fires"), [(200, False), (201, True)])
def test_ast_alt_ratio_above_2_for_alcohol(ast_value: float, fires: bool) -> None:
    out = run({"alt": alt(100), "ast": {"value": ast_value, "upper_limit": 40}})
    alcohol = next(c for c in out["causes"] if c["id"] == "alcohol")
    assert any("more than twice" in r for r in alcohol["reasons_for"]) is fires


@pytest.mark.parametrize(
    ("labs", "flag"),
    [
        ({"alt": alt(600)}, False),  # 15x exactly
        ({"alt": alt(600.1)}, True),  # above 15x
        ({"alt": alt(1000, uln=100)}, False),  # 10x and exactly 1000 U/L
        ({"alt": alt(1000.5, uln=100)}, True),  # above 1000 U/L
        ({"alt": alt(50), "ast": {"value": 601, "upper_limit": 40}}, True),  # AST counts too
    ],
)
def test_very_high_aminotransferases(labs: dict[str, Any], flag: bool) -> None:
    out = run(labs)
    assert ("very_high_aminotransferases" in {f["id"] for f in out["red_flags"]}) is flag
    assert (out["urgency"] == "urgent") is flag


@pytest.mark.parametrize(("inr", "flag"), [(1.49, False), (1.5, True)])
def test_inr_flag_at_1_5_with_raised_alt(inr: float, flag: bool) -> None:
    out = run({"alt": alt(100), "inr": inr})
    assert ("high_inr" in {f["id"] for f in out["red_flags"]}) is flag


def test_high_inr_without_raised_enzymes_is_not_a_liver_red_flag() -> None:
    out = run({"alt": alt(30), "inr": 1.8})
    assert out["red_flags"] == []
    assert out["urgency"] == "routine"  # still abnormal: never "none"


@pytest.mark.parametrize(
    ("alt_value", "bili", "alp_value", "flag"),
    [
        (120.1, 42.1, 100, True),
        (120, 42.1, 100, False),  # ALT exactly 3x
        (120.1, 42, 100, False),  # bilirubin exactly 2x (limit 21)
        (120.1, 42.1, 260, False),  # ALP exactly 2x of 130: initial cholestasis
        (120.1, 42.1, None, True),  # ALP unknown: flag rather than miss it
    ],
)
def test_hys_law_boundaries(
    alt_value: float, bili: float, alp_value: float | None, flag: bool
) -> None:
    labs: dict[str, Any] = {"alt": alt(alt_value), "bilirubin": bili}
    if alp_value is not None:
        labs["alp"] = alp_value
    out = run(labs)
    assert ("hys_law" in {f["id"] for f in out["red_flags"]}) is flag


@pytest.mark.parametrize(("days", "recent"), [(0, True), (7, True), (7.5, False), (30, False)])
def test_exercise_window_is_7_days(days: float, recent: bool) -> None:
    out = run({"alt": alt(70)}, context={"strenuous_exercise_days_ago": days})
    ex = next(c for c in out["causes"] if c["id"] == "strenuous_exercise")
    assert (ex["likelihood"] == "likely") is recent
    assert ("pause_strenuous_exercise" in [s["id"] for s in out["next_steps"]]) is recent


@pytest.mark.parametrize(
    ("sex", "grams", "above"),
    [
        ("male", 210, False),
        ("male", 211, True),
        ("female", 140, False),
        ("female", 141, True),
        (None, 141, True),
    ],
)
def test_alcohol_risk_limits(sex: str | None, grams: float, above: bool) -> None:
    person = {"sex": sex} if sex else {}
    out = run({"alt": alt(70)}, person=person, context={"alcohol_grams_per_week": grams})
    alcohol = next(c for c in out["causes"] if c["id"] == "alcohol")
    assert any("g of alcohol a week" in r for r in alcohol["reasons_for"]) is above


@pytest.mark.parametrize(
    ("bmi", "asian", "overweight"),
    [(24.9, False, False), (25, False, True), (22.9, True, False), (23, True, True)],
)
def test_bmi_cut_offs(bmi: float, asian: bool, overweight: bool) -> None:
    out = run({"alt": alt(70)}, person={"sex": "male", "bmi": bmi, "asian": asian})
    fatty = next(c for c in out["causes"] if c["id"] == "fatty_liver")
    assert any("BMI" in r for r in fatty["reasons_for"]) is overweight


@pytest.mark.parametrize(
    ("person", "value", "status"),
    [
        ({"sex": "male"}, 33, "normal"),
        ({"sex": "male"}, 34, "high"),
        ({"sex": "female"}, 25, "normal"),
        ({"sex": "female"}, 26, "high"),
        ({}, 25, "normal"),
        ({}, 26, "high"),
    ],  # sex unknown: the lower limit is used
)
def test_acg_healthy_limits_by_sex(person: dict[str, Any], value: float, status: str) -> None:
    out = liverlens.interpret({"labs": {"alt": value}, "person": person}).to_dict()
    assert out["analytes"]["alt"]["status"] == status
    assert out["analytes"]["alt"]["limit_source"] == "acg2017"


@pytest.mark.parametrize(("value", "above"), [(33, False), (34, True), (50, True), (51, False)])
def test_above_acg_healthy_limit_inside_wst404_range(value: float, above: bool) -> None:
    out = run({"alt": value}, reference="cn-wst404")
    assert out["alt_above_healthy_limit"] is above
    if above:
        assert out["analytes"]["alt"]["status"] == "normal"
        assert out["urgency"] == "routine"
        assert [s["id"] for s in out["next_steps"]] == ["see_doctor"]


def test_wst404_alp_for_women_by_age() -> None:
    young = run({"alt": 20, "alp": 110}, person={"sex": "female", "age": 40}, reference="cn-wst404")
    older = run({"alt": 20, "alp": 110}, person={"sex": "female", "age": 60}, reference="cn-wst404")
    assert young["analytes"]["alp"]["upper_limit"] == 100
    assert young["analytes"]["alp"]["status"] == "high"
    assert older["analytes"]["alp"]["upper_limit"] == 135
    assert older["analytes"]["alp"]["status"] == "normal"


def test_lab_limit_beats_preset() -> None:
    out = run({"alt": {"value": 45, "upper_limit": 50}})
    assert (
        out["analytes"]["alt"] | {"limit_source": "lab", "upper_limit": 50.0, "status": "normal"}
        == out["analytes"]["alt"]
    )
    assert out["alt_above_healthy_limit"] is True


# --- clinical judgement in context: the new triage and reading thresholds --------------------


def fired(out: dict[str, Any]) -> set[str]:
    return {u["id"] for u in out["urgency_reasons"]}


@pytest.mark.parametrize(
    ("bilirubin", "routine"),
    [
        (42, True),  # 2x its limit of 21
        (63, True),  # exactly 3x: still the Gilbert range
        (63.1, False),  # above 3x: look for haemolysis, a doctor within days
    ],
)
def test_gilbert_bilirubin_up_to_3x(bilirubin: float, routine: bool) -> None:
    labs = {
        "alt": 20,
        "ast": 20,
        "alp": 70,
        "ggt": 20,
        "bilirubin": bilirubin,
        "direct_bilirubin": 4,
    }
    out = run(labs)
    assert ("bilirubin_raised" not in fired(out)) is routine
    assert (out["urgency"] == "routine") is routine


@pytest.mark.parametrize(
    ("direct", "conjugated"),
    [
        (5, False),  # within its limit: unconjugated whatever the share
        (7.9, False),  # above its limit but under 20% of 40
        (8, True),  # exactly 20% and above its limit: conjugated
    ],
)
def test_direct_share_of_bilirubin(direct: float, conjugated: bool) -> None:
    labs = {"alt": 20, "ast": 20, "alp": 70, "ggt": 20, "bilirubin": 40, "direct_bilirubin": direct}
    out = run(labs)
    assert ("bilirubin_raised" in fired(out)) is conjugated
    assert ("gilbert_pattern" in fired(out)) is not conjugated


@pytest.mark.parametrize(("albumin", "soon"), [(28, False), (27.9, True)])
def test_albumin_below_28_alone_is_soon(albumin: float, soon: bool) -> None:
    out = run({"alt": 20, "ast": 20, "albumin": albumin})
    assert ("synthetic_signals" in fired(out)) is soon


@pytest.mark.parametrize(
    ("ast", "soon"),
    [
        (79.9, False),  # just under 2x its limit of 40
        (80, True),  # exactly 2x, above ALT 60, with a raised GGT
    ],
)
def test_ast_dominant_from_2x(ast: float, soon: bool) -> None:
    out = run({"alt": 60, "ast": ast, "ggt": 120})
    assert ("ast_dominant" in fired(out)) is soon


@pytest.mark.parametrize(("ast_value", "band"), [(40, "indeterminate"), (40.4, "high")])
def test_apri_above_1_is_high(ast_value: float, band: str) -> None:
    # AST limit 40, platelets 100: APRI = AST / 40, so 1.00 and 1.01 (banded on 2 decimals)
    out = run({"alt": 30, "ast": {"value": ast_value, "upper_limit": 40}, "platelets": 100})
    assert out["scores"]["apri"]["band"] == band


@pytest.mark.parametrize(
    ("alt_value", "valid"),
    [
        (200, True),  # exactly 5x its limit of 40: still read
        (200.1, False),  # above 5x: an acute rise, fibrosis scores not banded
    ],
)
def test_fibrosis_scores_not_read_above_5x(alt_value: float, valid: bool) -> None:
    out = run({"alt": alt(alt_value), "ast": 100, "platelets": 200})
    assert (out["scores"]["fib4"].get("not_valid") is None) is valid
    assert (out["scores"]["fib4"]["band"] is not None) is valid


@pytest.mark.parametrize(
    ("weeks", "second_half"),
    [(19.9, False), (20, True)],
)
def test_pregnancy_second_half_from_20_weeks(weeks: float, second_half: bool) -> None:
    person = {"sex": "female", "age": 30, "pregnancy_weeks": weeks}
    out = run({"alt": 80}, person=person)
    causes = {c["id"]: c for c in out["causes"]}
    preeclampsia = causes["preeclampsia_hellp"]
    assert (preeclampsia["score"] > 0) is second_half


@pytest.mark.parametrize(("bile_acids", "urgent"), [(99.9, False), (100, True)])
def test_bile_acids_100_in_pregnancy_is_urgent(bile_acids: float, urgent: bool) -> None:
    person = {"sex": "female", "age": 30, "pregnancy_weeks": 33}
    out = run({"alt": 60, "bile_acids": bile_acids}, person=person)
    assert (out["urgency"] == "urgent") is urgent


@pytest.mark.parametrize(("platelets", "urgent"), [(100, False), (99.9, True)])
def test_platelets_under_100_in_pregnancy_is_urgent(platelets: float, urgent: bool) -> None:
    person = {"sex": "female", "age": 30, "pregnancy_weeks": 30}
    out = run({"alt": 60, "platelets": platelets}, person=person)
    assert (out["urgency"] == "urgent") is urgent


@pytest.mark.parametrize(("bmi", "lean"), [(22.9, True), (23, False)])
def test_lean_below_23_without_diabetes(bmi: float, lean: bool) -> None:
    person = {"sex": "male", "age": 30, "bmi": bmi, "diabetes": False}
    out = run({"alt": 80}, person=person)
    fatty = next(c for c in out["causes"] if c["id"] == "fatty_liver")
    assert (fatty["likelihood"] == "less_likely") is lean


@pytest.mark.parametrize(("age", "growth"), [(9.9, False), (10, True), (17.9, True), (18, False)])
def test_teenage_alp_is_growth(age: float, growth: bool) -> None:
    out = run({"alt": 20, "alp": 200, "ggt": 15}, person={"sex": "male", "age": age})
    # an adult's ALP with a normal GGT is bone too, so only the teenage note changes
    text = liverlens.interpret(
        {"labs": {"alt": 20, "alp": 200, "ggt": 15}, "person": {"sex": "male", "age": age}}
    ).to_text()
    assert ("growing bones make ALP" in " ".join(text.split())) is growth
    assert out["pattern"] is None


@pytest.mark.parametrize(("fold", "statin_carries_on"), [(2.99, True), (3, False)])
def test_statin_continues_below_3x(fold: float, statin_carries_on: bool) -> None:
    out = run({"alt": alt(40 * fold)}, context={"medications": ["atorvastatin"], "symptoms": []})
    rules = {s["rule"] for s in out["next_steps"]}
    assert ("statin_continue" in rules) is statin_carries_on


@pytest.mark.parametrize(
    ("sex", "age", "creatinine", "status"),
    [
        ("male", 59, 98, "high"),  # 20-59: upper 97
        ("male", 60, 98, "normal"),  # 60-79: upper 111
        ("male", 60, 111.1, "high"),
        ("female", 60, 81, "normal"),  # women 60-79: upper 81
        ("female", 59, 74, "high"),  # women 20-59: upper 73
    ],
)
def test_wst404_creatinine_by_age(sex: str, age: float, creatinine: float, status: str) -> None:
    out = run(
        {"alt": 30, "creatinine": creatinine},
        person={"sex": sex, "age": age},
        reference="cn-wst404",
    )
    assert out["analytes"]["creatinine"]["status"] == status
