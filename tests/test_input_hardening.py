"""Bad input never gives a confident wrong answer: it is refused, naming the field and what is
accepted (issue 11, items 1-3).

Seen before: NaN as ALT gave "massively raised, above 10,000 U/L", urgent; NaN platelets gave
FIB-4 band "high" with no value; NaN in history gave a "rising" trend; `true` counted as 1 U/L;
an ALT upper limit of 0.5 gave 160 times the limit, urgent.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import liverlens
from liverlens import i18n
from liverlens.cli import cli
from liverlens.errors import InputError

NOT_FINITE = [math.nan, math.inf, -math.inf, "nan", "NaN", "inf", "-Infinity", "1e309"]


def problems(data: dict[str, Any]) -> dict[str, str]:
    """field -> message id of every problem the input has."""
    with pytest.raises(InputError) as caught:
        liverlens.interpret(data)
    return {d.field: d.message for d in caught.value.details}


@pytest.mark.parametrize("bad", NOT_FINITE)
@pytest.mark.parametrize(
    ("where", "data"),
    [
        ("labs.alt", lambda v: {"labs": {"alt": v}}),
        ("labs.alt.value", lambda v: {"labs": {"alt": {"value": v}}}),
        ("labs.alt.upper_limit", lambda v: {"labs": {"alt": {"value": 40, "upper_limit": v}}}),
        ("labs.alt.lower_limit", lambda v: {"labs": {"alt": {"value": 40, "lower_limit": v}}}),
        ("labs.platelets", lambda v: {"labs": {"alt": 40, "platelets": v}}),
        ("person.age", lambda v: {"labs": {"alt": 40}, "person": {"age": v}}),
        (
            "context.alcohol_grams_per_week",
            lambda v: {"labs": {"alt": 40}, "context": {"alcohol_grams_per_week": v}},
        ),
        (
            "history.0.labs.alt",
            lambda v: {
                "labs": {"alt": 40},
                "history": [{"collected_on": "2026-01-01", "labs": {"alt": v}}],
            },
        ),
    ],
)
def test_a_number_that_is_not_finite_is_refused(bad: Any, where: str, data: Any) -> None:
    found = problems(data(bad))
    assert found.get(where) == "error.input.finite", found


def test_the_finite_message_reads_in_both_languages() -> None:
    with pytest.raises(InputError) as caught:
        liverlens.interpret({"labs": {"alt": math.nan}})
    assert i18n.describe(caught.value) == ["labs.alt: expected a finite number (given nan)"]
    assert i18n.describe(caught.value, "zh") == ["labs.alt: 应为有限的数值（收到 nan）"]


@pytest.mark.parametrize(
    ("where", "data"),
    [
        ("labs.alt", {"labs": {"alt": True}}),
        ("labs.alt.value", {"labs": {"alt": {"value": False}}}),
        ("labs.alt.upper_limit", {"labs": {"alt": {"value": 40, "upper_limit": True}}}),
        ("person.age", {"labs": {"alt": 40}, "person": {"age": True}}),
    ],
)
def test_true_and_false_are_not_numbers(where: str, data: dict[str, Any]) -> None:
    assert problems(data).get(where) == "error.input.number_not_bool"


@pytest.mark.parametrize(
    ("lab", "field"),
    [
        ({"value": 80, "upper_limit": 0.5}, "labs.alt.upper_limit"),  # 160x: a unit slip
        ({"value": 80, "upper_limit": 2000}, "labs.alt.upper_limit"),
        ({"value": 80, "upper_limit": 40, "lower_limit": 39.5}, None),  # believable, if odd
    ],
)
def test_a_lab_limit_must_be_believable(lab: dict[str, Any], field: str | None) -> None:
    data = {"labs": {"alt": lab}}
    if field is None:
        assert liverlens.interpret(data).to_dict()["analytes"]["alt"]["upper_limit"] == 40
    else:
        assert problems(data).get(field) == "error.lab.implausible_limit"


def test_limit_bounds_follow_the_unit() -> None:
    """0.6 µkat/L is 36 U/L, a believable ALT limit; 0.6 U/L is not."""
    ok = liverlens.interpret(
        {"labs": {"alt": {"value": 1.5, "unit": "ukat/L", "upper_limit": 0.6}}}
    )
    assert ok.to_dict()["analytes"]["alt"]["upper_limit"] == 36
    assert problems({"labs": {"alt": {"value": 90, "upper_limit": 0.6}}})


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "1e999"])
def test_cli_refuses_numbers_that_are_not_finite(bad: str) -> None:
    result = CliRunner().invoke(cli, ["explain", "--alt", bad])
    assert result.exit_code == 2 and result.stdout == ""
    assert "--alt" in result.stderr or "labs.alt" in result.stderr


# Any JSON a client may send: interpret answers with a report or refuses with an InputError,
# and never another exception or a non-finite number.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.integers(-(10**20), 10**20)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
lab_names = st.sampled_from(["alt", "ast", "alp", "platelets", "bilirubin", "inr", "²", "ALT "])
inputs = st.fixed_dictionaries(
    {"labs": st.dictionaries(lab_names, json_values | st.floats(), min_size=1, max_size=3)},
    optional={
        "person": st.dictionaries(st.sampled_from(["sex", "age", "bmi", "pregnant"]), json_values),
        "context": st.dictionaries(
            st.sampled_from(["medications", "alcohol_grams_per_week", "symptoms"]), json_values
        ),
        "history": st.lists(
            st.fixed_dictionaries({"collected_on": st.just("2026-01-01"), "labs": json_values}),
            max_size=2,
        ),
        "language": json_values,
    },
)


def _numbers(value: Any) -> list[float]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [value] if isinstance(value, float) else []


@given(inputs)
def test_any_json_gets_a_report_or_a_clear_refusal(data: dict[str, Any]) -> None:
    try:
        out = liverlens.interpret(data).to_dict()
    except InputError as exc:
        assert exc.details and all(d.message.startswith("error.") for d in exc.details)
        assert all(i18n.describe(exc))  # every problem can be said
        return
    assert all(math.isfinite(n) for n in _numbers(out))


# Bounded lists and texts (issue 11, item 14): 24,000 medicine names cost 12 s of CPU.


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (
            {"labs": {"alt": 40}, "context": {"medications": ["x"] * 24_000}},
            "context.medications",
            "error.input.too_many",
        ),
        (
            {"labs": {"alt": 40}, "context": {"symptoms": ["fever"] * 61}},
            "context.symptoms",
            "error.input.too_many",
        ),
        (
            {"labs": {"alt": 40}, "context": {"medications": ["x" * 201]}},
            "context.medications.0",
            "error.input.too_long",
        ),
        (
            {"labs": {"alt": {"value": 40, "unit": "U" * 300}}},
            "labs.alt.unit",
            "error.input.too_long",
        ),
        (
            {
                "labs": {"alt": 40},
                "history": [{"collected_on": "2026-01-01", "labs": {"alt": 40}}] * 501,
            },
            "history",
            "error.input.too_many",
        ),
        ({"labs": {f"x{i}": 1 for i in range(41)}}, "labs", "error.input.too_many"),
    ],
)
def test_lists_and_texts_have_a_bound_that_is_said(
    data: dict[str, Any], where: str, message: str
) -> None:
    found = problems(data)
    assert found.get(where) == message, found


def test_the_bound_message_names_the_limit_not_the_input() -> None:
    with pytest.raises(InputError) as caught:
        liverlens.interpret({"labs": {"alt": 40}, "context": {"medications": ["abc"] * 24_000}})
    [line] = i18n.describe(caught.value)
    assert line == "context.medications: at most 60 entries are accepted (given 24000)"
