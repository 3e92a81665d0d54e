"""The column contract every engine backend reads: one row per panel, canonical units.

The single report builds a one-row frame from a ``Case``; ``batch`` and Spark build the same
columns from tables. Column names derive from the knowledge base (analyte, symptom and condition
ids), so adding an analyte to ``analytes.yaml`` adds its columns everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from liverlens.inputs import Case
from liverlens.knowledge import KnowledgeBase

PERSON_COLUMNS: dict[str, pl.DataType] = {
    "reference": pl.String(),
    "sex": pl.String(),
    "age": pl.Float64(),
    "bmi": pl.Float64(),
    "asian": pl.Boolean(),
    "diabetes": pl.Boolean(),
    "pregnant": pl.Boolean(),
}
CONTEXT_COLUMNS: dict[str, pl.DataType] = {
    "exercise_days_ago": pl.Float64(),
    "late_nights": pl.Boolean(),
    "fatigue": pl.Boolean(),
    "alcohol_g_week": pl.Float64(),
    "recent_heavy_drinking": pl.Boolean(),
    "n_medications": pl.Int64(),
}


def lab_uln(analyte: str) -> str:
    """Column holding the laboratory's own upper limit, when it gave one."""
    return f"{analyte}_lab_uln"


def lab_lln(analyte: str) -> str:
    return f"{analyte}_lab_lln"


def symptom(term: str) -> str:
    return f"sym_{term}"


def condition(term: str) -> str:
    return f"cond_{term}"


def schema(kb: KnowledgeBase) -> dict[str, pl.DataType]:
    cols: dict[str, pl.DataType] = dict(PERSON_COLUMNS)
    for a in kb.analytes:
        cols[a] = pl.Float64()
        cols[lab_uln(a)] = pl.Float64()
        cols[lab_lln(a)] = pl.Float64()
    cols.update(CONTEXT_COLUMNS)
    for t in kb.vocabulary.symptoms:
        cols[symptom(t.id)] = pl.Boolean()
    for t in kb.vocabulary.conditions:
        cols[condition(t.id)] = pl.Boolean()
    return cols


def case_row(kb: KnowledgeBase, case: Case) -> dict[str, object]:
    """One row of the column contract from a checked case. Unknown stays ``None``."""
    p, c = case.person, case.context
    row: dict[str, object] = {
        "reference": case.reference,
        "sex": p.sex,
        "age": p.age,
        "bmi": case.bmi,
        "asian": p.asian,
        "diabetes": p.diabetes,
        "pregnant": p.pregnant,
        "exercise_days_ago": c.strenuous_exercise_days_ago,
        "late_nights": c.late_nights,
        "fatigue": c.fatigue,
        "alcohol_g_week": c.alcohol_grams_per_week,
        "recent_heavy_drinking": c.recent_heavy_drinking,
        "n_medications": None if c.medications is None else len(c.medications),
    }
    for a in kb.analytes:
        lab = case.labs.get(a)
        row[a] = None if lab is None else lab.value
        row[lab_uln(a)] = None if lab is None else lab.upper_limit
        row[lab_lln(a)] = None if lab is None else lab.lower_limit
    for t in kb.vocabulary.symptoms:
        row[symptom(t.id)] = (t.id in case.symptoms) if case.symptoms_known else None
    for t in kb.vocabulary.conditions:
        row[condition(t.id)] = (t.id in case.conditions) if case.conditions_known else None
    return row


def frame(kb: KnowledgeBase, cases: Sequence[Case]) -> pl.DataFrame:
    """A frame of the column contract for checked cases (a single report is a batch of one)."""
    return pl.DataFrame([case_row(kb, c) for c in cases], schema=schema(kb), orient="row")
