"""Serial results: direction by the 30% reference change value, persistence beyond 6 months,
normalisation, and the FDA sustained-rise rule."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

import liverlens
from liverlens.engine.trend import PERSON, trend_stats
from liverlens.knowledge import load_knowledge

TODAY = date(2026, 11, 21)


def trend(
    current: float, history: list[tuple[str, Any]], on: str = "2026-11-01", **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "labs": {"alt": current},
        "person": {"sex": "male", "age": 40},
        "collected_on": on,
        "history": [{"collected_on": d, "labs": {"alt": v}} for d, v in history],
    }
    data.update(extra)
    out = liverlens.interpret(data, today=TODAY).to_dict()
    return out


@pytest.mark.parametrize(
    ("previous", "current", "direction", "significant"),
    [
        (100, 130, "rising", True),  # +30% exactly reaches the reference change value
        (100, 129, "stable", False),  # +29%
        (100, 70, "falling", True),  # -30%
        (100, 71, "stable", False),  # -29%
    ],
)
def test_direction_uses_the_reference_change_value(
    previous: float, current: float, direction: str, significant: bool
) -> None:
    t = trend(current, [("2026-10-01", previous)])["trend"]
    assert t["direction"] == direction
    assert t["significant_change"] is significant
    assert t["change_percent"] == pytest.approx((current - previous) / previous * 100, abs=0.05)


@pytest.mark.parametrize(
    ("first_raised", "persistent"),
    [
        ("2026-05-02", False),
        ("2026-05-01", False),
        ("2026-04-30", True),
        ("2026-03-01", True),
        ("2026-08-01", False),
    ],
)
def test_persistent_means_raised_for_more_than_6_months(
    first_raised: str, persistent: bool
) -> None:
    # calendar months: 2026-05-01 -> 2026-11-01 is exactly 6 months, not more; 04-30 is more
    out = trend(80, [("2025-12-01", 20), (first_raised, 70)])
    t = out["trend"]
    assert t["first_elevated_on"] == first_raised
    assert t["persistent"] is persistent
    ids = [s["id"] for s in out["next_steps"]]
    assert ("repeat_test" not in ids) is persistent


def test_a_normal_result_breaks_the_run() -> None:
    t = trend(80, [("2025-01-01", 90), ("2025-06-01", 20), ("2026-10-01", 75)])["trend"]
    assert t["first_elevated_on"] == "2026-10-01"
    assert t["persistent"] is False


def test_normalisation_after_exercise_is_reassuring() -> None:
    out = trend(25, [("2026-10-20", 95)], context={"strenuous_exercise_days_ago": 30})
    assert out["trend"]["normalised"] is True
    assert out["urgency"] == "none"
    text = next(s["text"] for s in out["sections"] if s["id"] == "trend")
    assert "back within its limit" in text


def test_history_order_does_not_matter_and_own_lab_limits_are_used() -> None:
    a = trend(80, [("2026-06-01", {"value": 70, "upper_limit": 60}), ("2026-01-01", 65)])
    b = trend(80, [("2026-01-01", 65), ("2026-06-01", {"value": 70, "upper_limit": 60})])
    assert a["trend"] == b["trend"]
    # 70 is within that lab's 60? no: 70 > 60, raised; 65 > 33 raised: run starts 2026-01-01
    assert a["trend"]["first_elevated_on"] == "2026-01-01"


def test_no_history_no_trend() -> None:
    assert liverlens.interpret({"labs": {"alt": 80}}).to_dict()["trend"] is None


def test_sustained_5x_for_over_2_weeks_on_a_medicine_is_a_stop_rule() -> None:
    # limit 33: 5x = 165. 200 on 10-15 and 180 on 11-01 = 17 days at >= 5x
    out = trend(
        180,
        [("2026-10-15", 200)],
        context={"medications": ["atorvastatin"], "alcohol_grams_per_week": 0},
    )
    assert "medicine_stop_rule" in {f["id"] for f in out["red_flags"]}
    short = trend(180, [("2026-10-20", 200)], context={"medications": ["atorvastatin"]})
    assert "medicine_stop_rule" not in {f["id"] for f in short["red_flags"]}  # 12 days


def test_trend_stats_runs_many_people_at_once() -> None:
    kb = load_knowledge()
    long = pl.LazyFrame(
        {
            PERSON: [1, 1, 2, 2, 2],
            "collected_on": [
                date(2026, 1, 1),
                date(2026, 9, 1),
                date(2026, 1, 1),
                date(2026, 2, 1),
                date(2026, 3, 1),
            ],
            "alt": [80.0, 90.0, 80.0, 20.0, 21.0],
            "alt_status": ["high", "high", "high", "normal", "normal"],
            "alt_fold": [2.4, 2.7, 2.4, 0.6, 0.6],
        }
    )
    got = {r[PERSON]: r for r in trend_stats(kb, long).collect().to_dicts()}
    assert got[1]["persistent"] is True and got[1]["months_elevated"] == pytest.approx(7.9, 0.1)
    assert got[2]["normalised"] is True and got[2]["direction"] == "stable"
