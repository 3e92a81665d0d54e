"""Work-up: the ACG/BSG screen chosen by pattern, grade, age and context, each with a reason."""

from __future__ import annotations

from typing import Any

import pytest

import liverlens


def workup(
    labs: dict[str, Any],
    person: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
) -> dict[str, dict[str, Any]]:
    data: dict[str, Any] = {"labs": labs, "person": person or {"sex": "male", "age": 45}}
    if context:
        data["context"] = context
    return {w["id"]: w for w in liverlens.interpret(data).to_dict()["workup"]}


def test_standard_screen_for_a_raised_alt_without_a_trigger() -> None:
    got = workup({"alt": 120, "ast": 60})
    for test in (
        "hbsag",
        "anti_hbc",
        "anti_hcv",
        "ferritin",
        "transferrin_saturation",
        "ana",
        "asma",
        "igg",
        "alpha1_antitrypsin",
        "ttg_iga",
        "tsh",
        "ultrasound",
    ):
        assert got[test]["timing"] == "now", test
        assert got[test]["reason"] and got[test]["sources"]
    assert "hav_igm" not in got  # only for very high rises


@pytest.mark.parametrize(
    ("age", "suggested"), [(3, False), (3.5, True), (39, True), (40, False), (41, False)]
)
def test_ceruloplasmin_only_above_3_and_below_40(age: float, suggested: bool) -> None:
    assert ("ceruloplasmin" in workup({"alt": 120}, {"sex": "female", "age": age})) is suggested


def test_exercise_defers_the_screen_but_asks_for_ck_and_ggt_now() -> None:
    got = workup({"alt": 70, "ast": 50}, context={"strenuous_exercise_days_ago": 2})
    assert got["ck"]["timing"] == "now"
    assert got["ggt"]["timing"] == "now"
    assert got["hbsag"]["timing"] == "if_repeat_raised"


def test_tests_already_done_are_not_asked_for_again() -> None:
    got = workup(
        {"alt": 70, "ast": 90, "ck": 2000, "ggt": 30}, context={"strenuous_exercise_days_ago": 2}
    )
    assert "ck" not in got and "ggt" not in got


def test_very_high_rise_brings_acute_serology_and_paracetamol_level() -> None:
    got = workup({"alt": 2500, "ast": 1900})
    for test in ("hav_igm", "hev_igm", "anti_hbc", "hcv_rna", "acetaminophen_level", "inr", "ck"):
        assert got[test]["timing"] == "now", test


def test_cholestatic_pattern_brings_ultrasound_ama_and_ggt() -> None:
    got = workup({"alt": 60, "alp": 400})
    assert {"ultrasound", "ama", "ggt"} <= got.keys()
    assert "bile ducts" in got["ultrasound"]["reason"]


def test_known_hepatitis_b_is_not_screened_for_again() -> None:
    got = workup({"alt": 90}, context={"known_conditions": ["hepatitis_b"]})
    assert "hbsag" not in got and "anti_hcv" in got


def test_known_hepatitis_c_gets_rna_not_antibody() -> None:
    got = workup({"alt": 90}, context={"known_conditions": ["hepatitis_c"]})
    assert "hcv_rna" in got and "anti_hcv" not in got


def test_indeterminate_fib4_brings_elastography() -> None:
    got = workup({"alt": 36, "ast": 40, "platelets": 200}, {"sex": "male", "age": 50})
    assert "elastography" in got  # FIB-4 1.67


def test_normal_panel_needs_no_work_up() -> None:
    assert workup({"alt": 20, "ast": 20}) == {}
