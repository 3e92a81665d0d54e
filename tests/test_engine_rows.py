"""A single report is a batch of one: evaluating many rows at once gives each row's answer."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import liverlens
from liverlens.engine import evaluate
from liverlens.engine.columns import frame
from liverlens.inputs import resolve
from liverlens.knowledge import load_knowledge
from tests.strategies import panels

FIELDS = ["alt_grade", "pattern", "urgency", "enzyme_reading", "ast_alt_ratio", "r_ratio"]

people = st.fixed_dictionaries(
    {},
    optional={
        "sex": st.sampled_from(["male", "female"]),
        "age": st.integers(18, 90),
        "bmi": st.floats(16, 45, allow_nan=False),
    },
)
contexts = st.fixed_dictionaries(
    {},
    optional={
        "strenuous_exercise_days_ago": st.integers(0, 30),
        "alcohol_grams_per_week": st.integers(0, 600),
        "late_nights": st.booleans(),
        "medications": st.lists(st.sampled_from(["ibuprofen", "isoniazid"]), max_size=2),
        "symptoms": st.lists(st.sampled_from(["jaundice", "fever", "abdominal_pain"]), max_size=2),
    },
)
inputs = st.fixed_dictionaries(
    {
        "labs": panels,
        "person": people,
        "context": contexts,
        "reference": st.sampled_from(["acg2017", "cn-wst404"]),
    }
)


@settings(max_examples=25, deadline=None)
@given(st.lists(inputs, min_size=2, max_size=6))
def test_rows_evaluated_together_match_each_alone(batch: list[dict[str, Any]]) -> None:
    kb = load_knowledge()
    together = evaluate(kb, frame(kb, [resolve(kb, d) for d in batch])).to_dicts()
    for data, row in zip(batch, together, strict=True):
        alone = liverlens.interpret(data).to_dict()
        for key in FIELDS:
            value = (
                row[key]
                if key not in ("ast_alt_ratio", "r_ratio")
                else (None if row[key] is None else round(row[key], 2))
            )
            assert value == alone[key], key
        assert sorted(row["red_flags"]) == sorted(f["id"] for f in alone["red_flags"])
