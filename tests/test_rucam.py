"""The updated RUCAM (Danan & Teschke 2016) item by item, at the edges of every window."""

from __future__ import annotations

from typing import Any

import pytest

import liverlens
from liverlens.knowledge import KnowledgeBase


def rucam(
    labs: dict[str, Any],
    medicines: list[Any],
    collected_on: str = "2026-11-01",
    history: list[dict[str, Any]] | None = None,
    person: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    data = {
        "person": person or {"sex": "male", "age": 40},
        "labs": labs,
        "collected_on": collected_on,
        "history": history or [],
        "context": {"medications": medicines, "alcohol_grams_per_week": 0},
    }
    out: list[dict[str, Any]] = liverlens.interpret(data).to_dict()["rucam"]
    return out


def items(entry: dict[str, Any]) -> dict[str, tuple[str, int]]:
    return {i["item"]: (i["finding"], i["points"]) for i in entry["items"]}


HEPATOCELLULAR = {"alt": 300, "alp": 90}  # R = (300/33) / (90/130) = 13
CHOLESTATIC = {"alt": 60, "alp": 400}


@pytest.mark.parametrize(
    ("started", "finding", "points"),
    [
        ("2026-10-28", "early_or_late", 1),  # 4 days
        ("2026-10-27", "fits", 2),  # 5 days
        ("2026-08-03", "fits", 2),  # 90 days
        ("2026-08-02", "early_or_late", 1),  # 91 days
        ("2026-11-02", "unrelated", 0),  # after the test
    ],
)
def test_time_to_onset(started: str, finding: str, points: int) -> None:
    [entry] = rucam(HEPATOCELLULAR, [{"name": "isoniazid", "started_on": started}])
    assert items(entry)["onset"] == (finding, points)
    assert entry["unrelated"] is (finding == "unrelated")


@pytest.mark.parametrize(
    ("labs", "stopped", "finding"),
    [
        (HEPATOCELLULAR, "2026-10-17", "after_stopping"),  # 15 days: within the window
        (HEPATOCELLULAR, "2026-10-16", "unrelated"),  # 16 days
        (CHOLESTATIC, "2026-10-02", "after_stopping"),  # 30 days, cholestatic version
        (CHOLESTATIC, "2026-10-01", "unrelated"),  # 31 days
    ],
)
def test_onset_after_stopping(labs: dict[str, Any], stopped: str, finding: str) -> None:
    med = {"name": "amoxicillin-clavulanate", "started_on": "2026-09-01", "stopped_on": stopped}
    [entry] = rucam(labs, [med])
    assert items(entry)["onset"][0] == finding


@pytest.mark.parametrize(
    ("history", "finding", "points"),
    [
        # stopped 1 Oct with ALT 300 (limit 33); later ALT (1 Nov) is the current panel
        (
            [
                {"collected_on": "2026-10-01", "labs": {"alt": 300}},
                {"collected_on": "2026-10-08", "labs": {"alt": 140}},
            ],
            "fast_fall",
            3,
        ),
        (
            [
                {"collected_on": "2026-10-01", "labs": {"alt": 300}},
                {"collected_on": "2026-10-20", "labs": {"alt": 150}},
            ],
            "fall",
            2,
        ),
        (
            [
                {"collected_on": "2026-10-01", "labs": {"alt": 300}},
                {"collected_on": "2026-10-20", "labs": {"alt": 290}},
            ],
            "no_fall",
            -2,
        ),
    ],
)
def test_course_after_stopping(history: list[dict[str, Any]], finding: str, points: int) -> None:
    med = {"name": "isoniazid", "started_on": "2026-09-01", "stopped_on": "2026-10-01"}
    labs = {"alt": 280 if finding == "no_fall" else 60, "alp": 90}
    [entry] = rucam(labs, [med], history=history)
    assert items(entry)["course"] == (finding, points)


def test_still_taking_scores_no_course() -> None:
    [entry] = rucam(HEPATOCELLULAR, [{"name": "isoniazid", "started_on": "2026-10-01"}])
    assert items(entry)["course"] == ("still_taking", 0)


def test_other_medicines_with_a_fitting_timing_count_against() -> None:
    meds = [
        {"name": "isoniazid", "started_on": "2026-10-01"},
        {"name": "rifampicin", "started_on": "2026-10-01"},  # also LiverTox A
        "omeprazole",  # undated
    ]
    result = {r["medicine"]: items(r) for r in rucam(HEPATOCELLULAR, meds)}
    assert result["isoniazid"]["concomitant"] == ("hepatotoxin", -2)
    assert set(result) == {"isoniazid", "rifampicin"}  # only dated medicines are scored


def test_risk_factors_and_known_hepatotoxicity() -> None:
    person = {"sex": "female", "age": 60, "pregnant": False}
    [entry] = rucam(
        CHOLESTATIC,
        [{"name": "amoxicillin-clavulanate", "started_on": "2026-10-01"}],
        person=person,
    )
    got = items(entry)
    assert got["risk_age"] == ("present", 1)
    assert got["risk_pregnancy"] == ("absent", 0)  # the cholestatic version only
    assert got["known_hepatotoxicity"] == ("labelled", 2)
    assert got["alternatives"] == ("not_assessed", 0)
    assert entry["range"] == [entry["total"] - 3, entry["total"] + 2]


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "excluded"),
        (1, "unlikely"),
        (2, "unlikely"),
        (3, "possible"),
        (5, "possible"),
        (6, "probable"),
        (8, "probable"),
        (9, "highly_probable"),
        (14, "highly_probable"),
    ],
)
def test_bands(kb: KnowledgeBase, total: int, band: str) -> None:
    assert kb.rucam.band(total).id == band


def test_no_rucam_without_dates_or_without_injury() -> None:
    assert rucam(HEPATOCELLULAR, ["isoniazid"]) == []
    assert rucam({"alt": 20}, [{"name": "isoniazid", "started_on": "2026-10-01"}]) == []


def test_the_report_shows_the_items() -> None:
    data = {
        "person": {"sex": "male", "age": 40},
        "labs": HEPATOCELLULAR,
        "collected_on": "2026-11-01",
        "context": {"medications": [{"name": "isoniazid", "started_on": "2026-10-01"}]},
    }
    text = " ".join(liverlens.interpret(data).to_text().split())
    assert "RUCAM for isoniazid (hepatocellular version)" in text
    assert (
        "Time to onset: started 31 days before the first abnormal test (5 to 90 days) (+2)" in text
    )
