"""`batch --explain`: a row's text report and its ll_* columns come from one evaluated case.

Before, the text was rebuilt by hand from a few columns and lost the column units, the row
units and the preset: a row `ALT 1.5, AST 0.6` in µkat/L had `ll_alt_status high` beside a
text that read "Your ALT is 1.5 U/L, within its limit". The property here: whatever the
units (per column or per row), the preset and the column names, the batch text equals the
single report of the same panel, and it states the status the columns give.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import liverlens
from liverlens.batch import TableSpec, annotate
from liverlens.knowledge import load_knowledge

KB = load_knowledge()
FACTORS = {"U/L": 1.0, "IU/L": 1.0, "ukat/L": 60.0}


def test_the_reported_row_in_ukat_agrees_with_its_columns() -> None:
    """The row from the bug report: 1.5 and 0.6 µkat/L are 90 and 36 U/L."""
    df = pl.DataFrame({"ALT": [1.5], "AST": [0.6]})
    spec = TableSpec(units={"alt": "ukat/L", "ast": "ukat/L"})
    row = annotate(KB, df, spec, explain=True).row(0, named=True)
    assert row["ll_alt_status"] == "high" and row["ll_alt_grade"] == "mild"
    text = row["ll_explanation"]
    assert text.startswith("Your ALT is 90 U/L, 3.6 times the upper limit")
    assert "within its limit" not in text and "1.5 U/L" not in text
    single = liverlens.interpret(
        {"labs": {"alt": {"value": 1.5, "unit": "ukat/L"}, "ast": {"value": 0.6, "unit": "ukat/L"}}}
    )
    assert text == single.to_text()


def _value(unit: str) -> st.SearchStrategy[float]:
    # values a lab would print, in the unit's own precision
    if unit == "ukat/L":
        return st.integers(1, 4000).map(lambda n: n / 100)
    return st.integers(5, 3000).map(float)


@st.composite
def tables(draw: st.DrawFn) -> tuple[pl.DataFrame, TableSpec, list[dict[str, Any]]]:
    """A small table with its spec, and the input contract of each row."""
    n = draw(st.integers(1, 4))
    per_row = draw(st.booleans())  # units in a column of their own, or one per column
    units = {a: draw(st.sampled_from(sorted(FACTORS))) for a in ("alt", "ast")}
    preset = draw(st.sampled_from([None, *KB.presets]))
    names = {"alt": draw(st.sampled_from(["alt", "ALT_U_L", "SGPT"])), "ast": "AST"}
    rows: list[dict[str, Any]] = []
    columns: dict[str, list[Any]] = {names["alt"]: [], "AST": [], "gender": [], "age": []}
    if per_row:
        columns |= {"alt_unit": [], "ast_unit": []}
    for _ in range(n):
        row_units = {a: draw(st.sampled_from(sorted(FACTORS))) for a in units} if per_row else units
        labs = {a: {"value": draw(_value(row_units[a])), "unit": row_units[a]} for a in units}
        sex = draw(st.sampled_from(["male", "female", None]))
        age = draw(st.one_of(st.none(), st.integers(18, 90)))
        columns[names["alt"]].append(labs["alt"]["value"])
        columns["AST"].append(labs["ast"]["value"])
        columns["gender"].append(sex)
        columns["age"].append(age)
        if per_row:
            columns["alt_unit"].append(row_units["alt"])
            columns["ast_unit"].append(row_units["ast"])
        person = {k: v for k, v in (("sex", sex), ("age", age)) if v is not None}
        contract: dict[str, Any] = {"labs": labs, "person": person}
        if preset:
            contract["reference"] = preset
        rows.append(contract)
    mapping = {"sex": "gender", "alt": names["alt"]}
    if per_row:
        mapping |= {"alt_unit": "alt_unit", "ast_unit": "ast_unit"}
    spec = TableSpec(mapping=mapping, units={} if per_row else dict(units), reference=preset)
    return pl.DataFrame(columns, strict=False), spec, rows


@settings(max_examples=25)
@given(tables())
def test_batch_text_is_the_single_report_of_the_same_row(
    table: tuple[pl.DataFrame, TableSpec, list[dict[str, Any]]],
) -> None:
    df, spec, contracts = table
    out = annotate(KB, df, spec, explain=True)
    for row, contract in zip(out.iter_rows(named=True), contracts, strict=True):
        assert row["ll_status"] == "ok", row["ll_reject_reason"]
        single = liverlens.interpret(contract)
        assert row["ll_explanation"] == single.to_text()
        found = single.to_dict()["analytes"]
        assert row["ll_alt_status"] == found["alt"]["status"]
        assert row["ll_ast_status"] == found["ast"]["status"]
