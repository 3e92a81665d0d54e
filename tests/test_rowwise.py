"""The row-wise backend (engine/rowwise.py) gives every column the Polars backend gives, with
the same value and the same Python type, for generated panels: both from checked inputs (what
a report sends it) and from rows of the column contract drawn directly (every column free,
so branches no believable input reaches are compared too)."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liverlens.engine import evaluate
from liverlens.engine.columns import CATEGORY_ORDER, MIXED_ONLY, case_row, frame, schema
from liverlens.engine.rowwise import Unsupported, _compile, compiled, evaluate_row
from liverlens.inputs import Case, resolve, scalar_fields
from liverlens.knowledge import load_knowledge
from liverlens.vocabulary import Pattern
from tests.strategies import panels

KB = load_knowledge()


def same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def assert_backends_agree(rows: list[dict[str, object]]) -> None:
    """Polars evaluates the rows as one frame (a row's answer does not depend on the others:
    tests/test_engine_rows.py), the row-wise backend one at a time."""
    together = evaluate(KB, pl.DataFrame(rows, schema=schema(KB), orient="row"))
    for row, polars_row in zip(rows, together.iter_rows(named=True), strict=True):
        python_row = evaluate_row(KB, row)
        assert list(python_row) == list(polars_row)  # the same columns in the same order
        differ = {
            k: (polars_row[k], python_row[k])
            for k in polars_row
            if not same(polars_row[k], python_row[k])
        }
        assert not differ, differ


bounds = st.sampled_from(["<", "<=", ">", ">="])
lab = st.one_of(
    st.floats(1, 5000, allow_nan=False),
    st.fixed_dictionaries(
        {"value": st.floats(1, 2000, allow_nan=False)},
        optional={"upper_limit": st.sampled_from([30, 33, 40, 45, 50, 120, 150])},
    ),
    st.builds(lambda b, v: {"value": v, "comparator": b}, bounds, st.integers(2, 900)),
)
inputs = st.fixed_dictionaries(
    {"labs": panels},
    optional={
        "person": st.fixed_dictionaries(
            {},
            optional={
                "sex": st.sampled_from(["male", "female"]),
                "age": st.integers(1, 95),
                "bmi": st.floats(16, 45, allow_nan=False),
                "asian": st.booleans(),
            },
        ),
        "context": st.fixed_dictionaries(
            {},
            optional={
                "strenuous_exercise_days_ago": st.integers(0, 30),
                "alcohol_grams_per_week": st.integers(0, 600),
                "late_nights": st.booleans(),
                "medications": st.lists(
                    st.sampled_from(["ibuprofen", "isoniazid", "paracetamol", "atorvastatin"]),
                    max_size=2,
                ),
                "symptoms": st.lists(
                    st.sampled_from(["jaundice", "fever", "abdominal_pain", "dark_urine"]),
                    max_size=2,
                ),
            },
        ),
        "reference": st.sampled_from(list(KB.presets)),
        "extra_labs": st.dictionaries(st.sampled_from(["alt", "ast", "alp", "ggt"]), lab),
    },
)


def _case(data: dict[str, Any]) -> Case:
    extra = data.get("extra_labs", {})
    data = {k: v for k, v in data.items() if k != "extra_labs"} | {"labs": data["labs"] | extra}
    return resolve(KB, data)


@settings(max_examples=40, deadline=None)
@given(st.lists(inputs, min_size=1, max_size=12))
def test_backends_agree_on_checked_inputs(batch: list[dict[str, Any]]) -> None:
    cases = [_case(data) for data in batch]
    rows = [case_row(KB, case) for case in cases]
    assert_backends_agree(rows)
    # the row-wise backend reads a row as the frame the report path used to build does
    for case, row in zip(cases, frame(KB, cases).iter_rows(named=True), strict=True):
        contract = evaluate_row(KB, case_row(KB, case))
        assert {k: contract[k] for k in row} == row


def _choices() -> dict[str, st.SearchStrategy[Any]]:
    words: dict[str, st.SearchStrategy[Any]] = {
        "reference": st.sampled_from(list(KB.presets)),
        "med_top_category": st.sampled_from(CATEGORY_ORDER),
        "med_timing": st.sampled_from(["fits", "compatible", "incompatible"]),
    }
    for f in scalar_fields():
        if f.kind == "choice":
            words[f.name] = st.sampled_from(f.choices)
    return words


CHOICES = _choices()
PATTERNS = [p.value for p in Pattern] + [MIXED_ONLY]


def _column(name: str, dtype: pl.DataType) -> st.SearchStrategy[Any]:
    if name.endswith("_comparator"):
        value: st.SearchStrategy[Any] = bounds
    elif dtype == pl.String:
        value = CHOICES[name]
    elif dtype == pl.Boolean:
        value = st.booleans()
    elif dtype == pl.Int64:
        value = st.integers(0, 6)
    elif isinstance(dtype, pl.List):
        value = st.lists(st.sampled_from(PATTERNS), max_size=3, unique=True)
    elif name in KB.analytes or name.endswith(("_uln", "_lln")):
        # around the limits, where every boundary of design.md lies, and far from them
        value = st.one_of(
            st.sampled_from([0.5, 1, 2, 5, 10, 15, 25, 30, 33, 40, 66, 80, 165, 495, 1000]),
            st.floats(0.01, 20000, allow_nan=False),
        )
    else:
        value = st.one_of(st.integers(0, 100), st.floats(0, 120, allow_nan=False))
    return st.one_of(st.none(), value)


contract_rows = st.fixed_dictionaries({k: _column(k, v) for k, v in schema(KB).items()})


@settings(max_examples=60, deadline=None)
@given(st.lists(contract_rows, min_size=1, max_size=20))
def test_backends_agree_on_any_contract_row(rows: list[dict[str, object]]) -> None:
    assert_backends_agree(rows)


def test_every_engine_expression_compiles() -> None:
    _, plan, _ = compiled(KB)
    names = [name for stage in plan for name, _ in stage]
    from liverlens.engine import stages

    assert names == [e.meta.output_name() for exprs in stages(KB) for e in exprs]


def test_a_node_it_does_not_know_is_refused_not_guessed() -> None:
    import json

    node = json.loads(pl.col("sex").str.to_uppercase().meta.serialize(format="json"))
    with pytest.raises(Unsupported, match="function"):
        _compile(node)


def test_a_process_compiles_the_backend_on_its_second_case_not_its_first() -> None:
    """A one-shot process (``liverlens explain``) evaluates its one case with Polars and
    never pays for the compile; the second case uses the compiled backend; both agree."""
    import dataclasses

    from liverlens.engine.rowwise import evaluate_case

    kb = dataclasses.replace(KB)  # a knowledge base no case has been evaluated with
    row = case_row(kb, resolve(kb, {"labs": {"alt": 95, "ast": 45}, "person": {"age": 28}}))
    before = compiled.cache_info().currsize
    first = evaluate_case(kb, row)
    assert compiled.cache_info().currsize == before
    second = evaluate_case(kb, row)
    assert compiled.cache_info().currsize == before + 1
    assert list(first) == list(second)
    assert all(same(first[k], second[k]) for k in first)


def test_a_polars_the_backend_cannot_read_leaves_single_reports_on_polars(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Polars' serialized form is not a stable format: a version whose expressions hold a
    node this backend does not know must not break a single report. The case is evaluated
    with Polars instead, the same row, and the log says so without any value of the case."""
    import dataclasses

    from liverlens.engine import rowwise

    def refuse(node: dict[str, Any]) -> Any:
        raise Unsupported("node kind NewNode")

    kb = dataclasses.replace(KB)
    row = case_row(kb, resolve(kb, {"labs": {"alt": 95, "ast": 45}, "person": {"age": 28}}))
    expected = rowwise.evaluate_case(kb, row)  # the first case: Polars
    monkeypatch.setattr(rowwise, "_compile", refuse)
    with caplog.at_level("WARNING", logger="liverlens.engine.rowwise"):
        second, third = rowwise.evaluate_case(kb, row), rowwise.evaluate_case(kb, row)
    assert all(same(expected[k], second[k]) and same(expected[k], third[k]) for k in expected)
    assert [r.getMessage() for r in caplog.records] == [
        "row-wise backend unavailable (node kind NewNode); single reports use Polars"
    ]
