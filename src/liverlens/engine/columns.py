"""The column contract every engine backend reads: one row per panel, canonical units.

The single report builds a one-row frame from a ``Case``; ``batch`` and Spark build the same
columns from tables. Column names derive from the input contract (person and context fields
keep their names) and the knowledge base (analyte, symptom and condition ids), so adding a
field or an analyte adds its columns everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from liverlens.inputs import Case, Context, LabResult, Person, scalar_fields
from liverlens.knowledge import BASE_LANGUAGE, KnowledgeBase

if TYPE_CHECKING:
    import polars as pl


@cache
def _dtypes() -> dict[str, pl.DataType]:
    """A contract field's kind -> its column's type (Polars imported on first use only: a
    single report never needs it)."""
    import polars as pl

    return {"number": pl.Float64(), "flag": pl.Boolean(), "choice": pl.String()}


@cache
def _derived_columns() -> dict[str, pl.DataType]:
    """Columns the engine derives from a case rather than reads from one field of it."""
    import polars as pl

    return {
        # medicines, matched against medicines.yaml (null when the person did not say)
        "n_medications": pl.Int64(),
        "med_acetaminophen": pl.Boolean(),
        "med_top_category": pl.String(),
        "med_patterns": pl.List(pl.String()),
        "med_statin": pl.Boolean(),
        # the best temporal link among dated medicines: fits / compatible / incompatible
        "med_timing": pl.String(),
        # serial results (null without history); see engine/trend.py
        "trend_persistent": pl.Boolean(),
        "trend_months_elevated": pl.Float64(),
        "trend_5x_over_2_weeks": pl.Boolean(),
    }


# LiverTox categories from most to least certain; "top" is the most certain among matches.
CATEGORY_ORDER = ("A", "B", "C", "D", "E*", "E", "X")


def lab_uln(analyte: str) -> str:
    """Column holding the laboratory's own upper limit, when it gave one."""
    return f"{analyte}_lab_uln"


def lab_lln(analyte: str) -> str:
    return f"{analyte}_lab_lln"


def comparator(analyte: str) -> str:
    """Column holding "<", "<=", ">" or ">=" when the lab gave only a bound (else null)."""
    return f"{analyte}_comparator"


def symptom(term: str) -> str:
    return f"sym_{term}"


# engine columns filled from input fields of another name (``case_row`` below)
_FILLED_BY: dict[str, tuple[str, ...]] = {
    "bmi": ("bmi", "height_cm", "weight_kg"),  # given, or worked out from height and weight
}
_FILLED_BY_PREFIX = {
    "med_": ("medications",),
    "sym_": ("symptoms",),
    "cond_": ("known_conditions",),
}


@cache  # the input contract's fields are fixed for the life of the process
def filled_by(column: str) -> tuple[str, ...]:
    """The person and context fields (contract names) whose answer fills an engine column:
    the inverse of ``case_row``, so a question about a column can be answered by its field.
    A lab or trend column has none (only a test or an earlier result fills it)."""
    if column in _FILLED_BY:
        return _FILLED_BY[column]
    if column == "n_medications":
        return ("medications",)
    for prefix, fields in _FILLED_BY_PREFIX.items():
        if column.startswith(prefix):
            return fields
    return (column,) if column in {f.name for f in scalar_fields()} else ()


def condition(term: str) -> str:
    return f"cond_{term}"


def schema(kb: KnowledgeBase) -> dict[str, pl.DataType]:
    """Every column the engine reads. Person and context columns carry the contract's own
    field names (``inputs.fields``), so a field added to the contract is a column here."""
    import polars as pl

    dtypes = _dtypes()
    cols: dict[str, pl.DataType] = {"reference": pl.String()}
    cols.update({f.name: dtypes[f.kind] for f in scalar_fields("person")})
    for a in kb.analytes:
        cols[a] = pl.Float64()
        cols[lab_uln(a)] = pl.Float64()
        cols[lab_lln(a)] = pl.Float64()
        cols[comparator(a)] = pl.String()
    cols.update({f.name: dtypes[f.kind] for f in scalar_fields("context")})
    cols.update(_derived_columns())
    for t in kb.vocabulary.symptoms:
        cols[symptom(t.id)] = pl.Boolean()
    for t in kb.vocabulary.conditions:
        cols[condition(t.id)] = pl.Boolean()
    return cols


MIXED_ONLY = "mixed_only"


def _pattern_tokens(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """A medicine whose only pattern is "mixed" fits a hepatocellular or a cholestatic
    presentation alike; one that is "cholestatic or mixed" does not fit a hepatocellular one."""
    return (MIXED_ONLY,) if patterns == ("mixed",) else patterns


def _medicine_columns(case: Case) -> dict[str, object]:
    if case.medicines is None:
        return {
            "n_medications": None,
            "med_acetaminophen": None,
            "med_top_category": None,
            "med_patterns": None,
            "med_statin": None,
            "med_timing": None,
        }
    found = [m.medicine for m in case.medicines if m.medicine is not None]
    # a medicine that harms only above its safe dose (paracetamol) is not, at a normal dose,
    # a "well-known cause"; its own cause entry covers the overdose
    categories = [m.livertox for m in found if not m.high_dose_only]
    top = min(categories, key=CATEGORY_ORDER.index) if categories else None
    return {
        "n_medications": len(case.medicines),
        "med_acetaminophen": any(m.id == "acetaminophen" for m in found),
        "med_top_category": top,
        "med_patterns": sorted({p for m in found for p in _pattern_tokens(m.patterns)}),
        "med_statin": any(m.group == "statin" for m in found),
        "med_timing": None,  # needs the date of the first abnormal test: see engine.rucam
    }


def case_row(
    kb: KnowledgeBase, case: Case, trend: dict[str, object] | None = None
) -> dict[str, object]:
    """One row of the column contract from a checked case. Unknown stays ``None``."""
    row: dict[str, object] = {"reference": case.reference}
    for f in scalar_fields():
        row[f.name] = getattr(case.person if f.group == "person" else case.context, f.name)
    row.update(
        bmi=case.bmi,  # given, or worked out from height and weight
        **_medicine_columns(case),
        trend_persistent=None,
        trend_months_elevated=None,
        trend_5x_over_2_weeks=None,
    )
    row.update(trend or {})
    for a in kb.analytes:
        lab = case.labs.get(a)
        row[a] = None if lab is None else lab.value
        row[lab_uln(a)] = None if lab is None else lab.upper_limit
        row[lab_lln(a)] = None if lab is None else lab.lower_limit
        row[comparator(a)] = None if lab is None else lab.comparator
    for t in kb.vocabulary.symptoms:
        row[symptom(t.id)] = (t.id in case.symptoms) if case.symptoms_known else None
    for t in kb.vocabulary.conditions:
        row[condition(t.id)] = (t.id in case.conditions) if case.conditions_known else None
    return row


def frame(
    kb: KnowledgeBase,
    cases: Sequence[Case],
    trends: Sequence[dict[str, object] | None] | None = None,
) -> pl.DataFrame:
    """A frame of the column contract for checked cases (a single report is a batch of one)."""
    import polars as pl

    extra = trends or [None] * len(cases)
    rows = [case_row(kb, c, t) for c, t in zip(cases, extra, strict=True)]
    return pl.DataFrame(rows, schema=schema(kb), orient="row")


def case_from_row(
    kb: KnowledgeBase,
    row: Mapping[str, Any],
    given: Mapping[str, tuple[float, str]] | None = None,
    language: str = BASE_LANGUAGE,
) -> Case:
    """The ``Case`` a row of the column contract stands for: the inverse of ``case_row``.

    A table's row becomes a report from the very row the engine evaluated, so the text and
    the columns of one row cannot disagree. ``given`` is analyte -> (value, unit) as the table
    wrote it, for the report's "converted from" note. A row carries no medicines (unknown),
    no history and no date.
    """
    given = given or {}
    labs: dict[str, LabResult] = {}
    for a in kb.analytes:
        if row.get(a) is None:
            continue
        raw_value, raw_unit = given.get(a, (row[a], kb.family_of(a).canonical))
        labs[a] = LabResult(
            analyte=a,
            value=row[a],
            unit=kb.family_of(a).canonical,
            raw_value=raw_value,
            raw_unit=raw_unit,
            upper_limit=row.get(lab_uln(a)),
            lower_limit=row.get(lab_lln(a)),
            comparator=row.get(comparator(a)),
        )
    values = {f.name: row.get(f.name) for f in scalar_fields()}
    person = Person(**{f.name: values[f.name] for f in scalar_fields("person")})
    context = Context(**{f.name: values[f.name] for f in scalar_fields("context")})
    sym = {t.id: row.get(symptom(t.id)) for t in kb.vocabulary.symptoms}
    cond = {t.id: row.get(condition(t.id)) for t in kb.vocabulary.conditions}
    return Case(
        person=person,
        bmi=row.get("bmi"),
        labs=labs,
        context=context,
        symptoms=frozenset(k for k, v in sym.items() if v),
        symptoms_known=any(v is not None for v in sym.values()),
        conditions=frozenset(k for k, v in cond.items() if v),
        conditions_known=any(v is not None for v in cond.values()),
        medicines=None,
        history=(),
        collected_on=None,
        reference=str(row["reference"]),
        language=language,
    )
