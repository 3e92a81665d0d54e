"""The extraction benchmark's score: a value counts as shown sure by the field it is used from."""

from __future__ import annotations

from benchmarks.extract import Tally, score

from liverlens.extract.model import Extraction, ReadField


def _field(value: float, confidence: float) -> ReadField:
    return ReadField(
        "inr", value, None, None, 0.8, 1.1, None, confidence, 1, f"INR {value}", (0, 0, 1, 1)
    )


CASE = {"labs": {"inr": {"value": 1.4, "lower_limit": 0.8, "upper_limit": 1.1}}}


def test_a_wrong_value_is_sure_or_not_as_the_field_it_is_used_from() -> None:
    """Failed before: sureness was taken from a test's last field, not the one used."""
    marked_used = Tally()
    score(CASE, Extraction((_field(1.5, 0.5), _field(1.4, 1.0))), marked_used)
    assert (marked_used.wrong, marked_used.wrong_sure) == (1, 0)
    sure_used = Tally()
    score(CASE, Extraction((_field(1.5, 1.0), _field(1.4, 0.5))), sure_used)
    assert (sure_used.wrong, sure_used.wrong_sure) == (1, 1)
