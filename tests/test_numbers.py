"""Typed and printed numbers: separators are read only when they can mean one thing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liverlens.inputs.numbers import NotANumber, read_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("85", 85),
        (" 85 ", 85),
        ("0.9", 0.9),
        ("0,9", 0.9),
        ("12,5", 12.5),
        ("1,25", 1.25),
        ("0.600", 0.6),  # a leading 0 cannot start a thousands group
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("1,000,000", 1_000_000),
        ("1.000.000", 1_000_000),
        ("1 000", 1000),
        ("1\u202f000", 1000),
        ("2.5e3", 2500),
        ("-3", -3),
    ],
)
def test_numbers_that_mean_one_thing(text: str, value: float) -> None:
    assert read_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "readings"),
    [("1,000", (1000, 1.0)), ("1.500", (1500, 1.5)), ("12,345", (12345, 12.345))],
)
def test_one_separator_before_three_digits_is_asked_about(
    text: str, readings: tuple[float, float]
) -> None:
    with pytest.raises(NotANumber) as caught:
        read_number(text)
    assert caught.value.reason == "ambiguous" and caught.value.readings == readings


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("nan", "not_finite"),
        ("inf", "not_finite"),
        ("1e999", "not_finite"),
        ("abc", "not_number"),
        ("1,2,3", "not_number"),
        ("", "not_number"),
        ("1..2", "not_number"),
    ],
)
def test_what_is_not_a_number(text: str, reason: str) -> None:
    with pytest.raises(NotANumber) as caught:
        read_number(text)
    assert caught.value.reason == reason


@given(st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 2)))
def test_a_number_python_prints_reads_back(x: float) -> None:
    text = repr(x)
    try:
        assert read_number(text) == x
    except NotANumber as exc:  # only the separator-before-three-digits case is refused
        assert exc.reason == "ambiguous" and len(text.split(".")[1]) == 3
