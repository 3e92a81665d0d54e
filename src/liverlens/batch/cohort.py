"""Cohort worklists from long lab-event tables: one row per person, most urgent first.

Input: one row per lab event with ``person_id``, ``collected_at``, ``test`` (a LOINC code or a
name such as "ALT" or "谷丙转氨酶"), ``value``, ``unit`` and optionally ``sex`` and
``birth_date``. Events become panels (one per person and day, the last value of each test),
the panels go through the same engine as every report, and ALT's serial-result rules
(``engine.trend``) run per person. Hepatitis B/C screening tests are recognised from
``screening.yaml`` so the worklist can show who has a persistent rise and no screen.

Every step is a Polars expression over the whole table (or over one person's group on Spark),
and every result is computed per person, so a table too large for memory can be split by
person and done piece by piece (``batch.cohort_file``). An event that cannot be used is
counted with its reason (``EVENT_PROBLEMS``), a rejected panel with its reject reason, and a
person left with nothing usable still gets a worklist row (``assessed`` false).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Self

import polars as pl

from liverlens.batch.matching import (
    COHORT_KEY_FIELDS,
    ColumnMatch,
    cohort_names,
    find_cohort_columns,
    match_columns,
)
from liverlens.batch.table import TableSpec, to_contract
from liverlens.engine import evaluate_lazy
from liverlens.engine.trend import PERSON, trend_stats
from liverlens.errors import InputError, issue
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.names import FOLD_DROP
from liverlens.vocabulary import Grade, Urgency

REQUIRED = ("person_id", "collected_at", "test", "value")
# Most urgent first; then a persistent rise with no hepatitis screen, any persistent rise, the
# worst grade and the longest elevation; people with no usable result last. Spark sorts by the
# same columns. person_id makes the order total, so every run gives the same worklist.
WORKLIST_ORDER = [
    "urgency_rank",
    "assessed",
    "persistent_without_screen",
    "persistent",
    "worst_grade_rank",
    "months_elevated",
    "person_id",
]
WORKLIST_DESCENDING = [True, True, True, True, True, True, False]
WORKLIST_INPUTS = (
    "alt",
    "alt_status",
    "alt_fold",
    "alt_grade",
    "fib4_band",
    "urgency",
    "red_flags",
)


def worklist_columns(kb: KnowledgeBase) -> list[str]:
    """The worklist's columns, in order (the same for every partition of a table)."""
    return [
        "person_id",
        "assessed",
        "n_panels",
        "latest_on",
        "latest_grade",
        "worst_grade",
        "latest_fib4_band",
        "urgency",
        "latest_red_flags",
        "persistent",
        "months_elevated",
        "first_elevated_on",
        "direction",
        "normalised",
        *(f"{t}_tested" for t in kb.screening),
        "persistent_without_screen",
        "unusable_events",
        "rejected_panels",
        "urgency_rank",
        "worst_grade_rank",
    ]


def test_targets(kb: KnowledgeBase, tests: pl.Series) -> pl.Expr:
    """Each event's analyte id (or ``screen:<id>``, or null), looked up once per distinct
    spelling of the test: a lab feed has a few dozen, and folding text is the costly part."""
    lookup = test_lookup(kb)
    spellings = tests.cast(pl.String).drop_nulls().unique()
    raw = spellings.str.strip_chars()
    folded = raw.str.to_lowercase().str.replace_all(FOLD_DROP, "")
    found = pl.select(
        pl.coalesce(
            raw.replace_strict(lookup, default=None, return_dtype=pl.String),
            folded.replace_strict(lookup, default=None, return_dtype=pl.String),
        )
    ).to_series()
    return (
        pl.col(tests.name)
        .cast(pl.String)
        .replace_strict(spellings, found, default=None, return_dtype=pl.String)
    )


def test_lookup(kb: KnowledgeBase) -> dict[str, str]:
    """LOINC code or folded test name -> analyte id, or ``screen:<id>`` for a screening test:
    the knowledge base's own indexes, in one table for a vectorised lookup."""
    screens = {k: f"screen:{v}" for k, v in kb.screening_index.items()}
    return {**screens, **kb.loinc_index, **kb.analyte_names}


@dataclass(frozen=True)
class CohortColumns:
    """Names of the input's columns (defaults are the documented ones)."""

    person_id: str = "person_id"
    collected_at: str = "collected_at"
    test: str = "test"
    value: str = "value"
    unit: str = "unit"
    sex: str = "sex"
    birth_date: str = "birth_date"

    @classmethod
    def found_in(cls, columns: list[str], mapping: Mapping[str, str] | None = None) -> Self:
        """The columns of a table with ``columns``: ``mapping`` (field -> column) first, then
        each field's own name, then for sex and the birth date the names tables use
        (``Gender``, ``DOB``: table_words.yaml). Raises ``InputError`` for a bad mapping."""
        fields = [f.name for f in dataclasses.fields(cls)]
        found, problems = find_cohort_columns(columns, fields, mapping or {})
        if problems:
            raise InputError(problems)
        return cls(**found)

    def describe(self, kb: KnowledgeBase, columns: list[str]) -> ColumnMatch:
        """What a cohort reads from a table with ``columns`` (``batch.matching``)."""
        used = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        used = {f: c for f, c in used.items() if c in columns}
        names = cohort_names([f.name for f in dataclasses.fields(self)])
        return match_columns(kb, columns, used, names, COHORT_KEY_FIELDS)

    def check(self, columns: list[str]) -> None:
        missing = [getattr(self, f) for f in REQUIRED if getattr(self, f) not in columns]
        if missing:
            raise InputError(
                issue(
                    "",
                    "error.cohort.missing_columns",
                    missing=missing,
                    required=", ".join(REQUIRED),
                )
            )


# Why an event could not be used, in the order the checks run (an event gets the first that
# applies). A screening test needs neither a date nor a value: that it was done is the finding.
NO_PERSON_ID = "no_person_id"
UNKNOWN_TEST = "unknown_test"
NO_DATE = "no_date"
NO_VALUE = "no_value"
EVENT_PROBLEMS = {  # problem -> the words that say it (messages.yaml)
    NO_PERSON_ID: "note.cohort.no_person_id",
    UNKNOWN_TEST: "note.cohort.unknown_test",
    NO_DATE: "note.cohort.no_date",
    NO_VALUE: "note.cohort.no_value",
}
# A date as ISO 8601 writes it, optionally with a time (and a zone, which is not applied: the
# day is the day written). One fixed pattern, row by row, rather than Polars' format inference:
# that guesses from the first value of the table, so a partition could read what the whole
# table did not.
ISO_DAY = (
    r"^\s*(\d{4}-\d{2}-\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\s*$"
)


@dataclass
class CohortSummary:
    """What a cohort run did: how many people, panels and events, and why what was left out
    was left out (event problems and reject reasons, each with its count)."""

    events: int = 0
    people: int = 0
    not_assessed: int = 0  # worklist rows with no usable panel (``assessed`` false)
    panels: int = 0  # panels that went through the engine
    rejected_panels: int = 0
    unusable: Counter[str] = field(default_factory=Counter)  # EVENT_PROBLEMS -> events
    rejected: Counter[str] = field(default_factory=Counter)  # reject reason -> panels
    unreadable_birth_dates: int = 0  # people whose birth date could not be read (no age)
    partitions: int = 1

    @property
    def unusable_events(self) -> int:
        return sum(self.unusable.values())

    @property
    def anything_left_out(self) -> bool:
        """Whether a result LiverLens reads was left out: exit 3. Tests it does not read
        (glucose in a whole lab feed) are counted and said, but are not a failure, or every
        run over a laboratory's full export would end in one."""
        problems = sum(n for k, n in self.unusable.items() if k != UNKNOWN_TEST)
        return bool(problems or self.rejected_panels)

    def add(self, other: CohortSummary) -> None:
        """Add the counts of a disjoint set of people (another partition)."""
        for name in ("events", "people", "not_assessed", "panels", "rejected_panels"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.unreadable_birth_dates += other.unreadable_birth_dates
        self.unusable.update(other.unusable)
        self.rejected.update(other.rejected)


def read_day(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """The day of a date or time column; text is read as ISO 8601 (else null)."""
    if dtype == pl.String:
        return column.str.extract(ISO_DAY, 1).str.to_date("%Y-%m-%d", strict=False)
    return column.cast(pl.Date)


def _counts(frame: pl.DataFrame, column: str) -> Counter[str]:
    return Counter(dict(frame.get_column(column).drop_nulls().value_counts().iter_rows()))


@dataclass
class Panels:
    """Events turned into panels, and what became of every person and event."""

    wide: pl.DataFrame  # one row per person and day
    screened: pl.DataFrame  # person -> {screen}_tested
    people: pl.DataFrame  # every person with an id: person_id, unusable_events
    unusable: Counter[str]
    unreadable_birth_dates: int


def events_to_panels(kb: KnowledgeBase, events: pl.DataFrame, names: CohortColumns) -> Panels:
    """Pivot events to one row per person and day (the last value of each test that day);
    also the screening flags per person, and why each unusable event was not used."""
    names.check(events.columns)
    target = test_targets(kb, events.get_column(names.test))
    person = pl.col(names.person_id).cast(pl.String)
    value = pl.col(names.value).cast(pl.String)
    df = events.with_columns(
        person.alias("person_id"),
        read_day(pl.col(names.collected_at), events.schema[names.collected_at]).alias(
            "collected_on"
        ),
        target.alias("_target"),
        value.alias("_value"),
    )
    screen = pl.col("_target").str.starts_with("screen:")
    problem = (
        pl.when(pl.col("person_id").str.strip_chars().fill_null("") == "")
        .then(pl.lit(NO_PERSON_ID))
        .when(screen.fill_null(False))
        .then(None)
        .when(~pl.col("_target").is_in(list(kb.analytes)).fill_null(False))
        .then(pl.lit(UNKNOWN_TEST))
        .when(pl.col("collected_on").is_null())
        .then(pl.lit(NO_DATE))
        .when(pl.col("_value").str.strip_chars().fill_null("") == "")
        .then(pl.lit(NO_VALUE))
    )
    df = df.with_columns(problem.alias("_problem"))
    unusable = _counts(df, "_problem")
    df = df.filter(pl.col("_problem").ne_missing(NO_PERSON_ID))
    screened = (
        df.filter(screen)
        .group_by("person_id")
        .agg((pl.col("_target") == f"screen:{t}").any().alias(f"{t}_tested") for t in kb.screening)
    )
    labs = df.filter(pl.col("_problem").is_null() & ~screen)
    has_unit = names.unit in events.columns
    labs = labs.with_columns(
        (pl.col(names.unit).cast(pl.String) if has_unit else pl.lit(None, pl.String)).alias(
            "_unit"
        ),
    )
    # Each analyte's value and unit become their own columns, the day's last event of each test
    # winning: rows keep the file's order within a group, so "last" is the file's last. One
    # grouping with a filtered aggregation per test, not a sort and a pivot (a third of the
    # time: sorting by a text id was the cost).
    given = set(labs.get_column("_target").unique())
    present = [a for a in kb.analytes if a in given]
    aggregations = []
    for a in present:
        this = pl.col("_target") == a
        aggregations += [
            pl.col("_value").filter(this).last().alias(a),
            pl.col("_unit").filter(this).last().alias(f"{a}_unit"),
        ]
    wide = labs.group_by("person_id", "collected_on").agg(aggregations)
    # Every analyte's column, empty where no event gave it: the same columns whatever part of
    # the table this is (an empty column reads as "not measured", as a missing one would).
    wide = wide.with_columns(
        pl.lit(None, pl.String).alias(a) for a in kb.analytes if a not in wide.columns
    )
    has_birth = names.birth_date in df.columns
    people = df.group_by("person_id").agg(
        pl.col("_problem").is_not_null().sum().cast(pl.Int64).alias("unusable_events"),
        *([pl.col(names.sex).drop_nulls().last().alias("sex")] if names.sex in df.columns else []),
        *([pl.col(names.birth_date).drop_nulls().last().alias("_birth")] if has_birth else []),
    )
    unreadable_births = 0
    if has_birth:
        birth = read_day(pl.col("_birth"), people.schema["_birth"])
        people = people.with_columns(birth.alias("_birth_on"))
        unreadable_births = people.filter(
            pl.col("_birth").is_not_null() & pl.col("_birth_on").is_null()
        ).height
    wide = wide.join(people.drop("unusable_events"), on="person_id", how="left")
    if has_birth:
        age = (pl.col("collected_on") - pl.col("_birth_on")).dt.total_days() / 365.25
        wide = wide.with_columns(age.floor().alias("age")).drop("_birth", "_birth_on")
    return Panels(
        wide, screened, people.select("person_id", "unusable_events"), unusable, unreadable_births
    )


def cohort_worklist(
    kb: KnowledgeBase, events: pl.DataFrame, names: CohortColumns | None = None
) -> tuple[pl.DataFrame, CohortSummary]:
    """One row per person, sorted as a worklist, and what the run counted.

    Every person with an id gets a row: one with no usable panel (every event unusable, or
    every panel rejected) has ``assessed`` false, no findings, and the counts that say why, so
    a person is never lost without a trace. Everything here is computed per person, so the
    table can be split by person and the pieces' worklists merged (``cohort_file``).
    """
    names = names or CohortColumns()
    panels = events_to_panels(kb, events, names)
    wide, screened = panels.wide, panels.screened
    spec = TableSpec()
    contract, reject_kinds = to_contract(kb, wide, spec, spec.resolve(kb, wide.columns))
    reasons = contract.get_column("ll_reject_reason")
    rejected = reasons.is_not_null()
    # Only the columns the worklist reads: Polars then skips most of the engine (profiled:
    # 0.15 s instead of 1.7 s per million events, and far less memory).
    findings = (
        evaluate_lazy(kb, contract.drop("ll_reject_reason").lazy())
        .select(*WORKLIST_INPUTS)
        .collect()
        .with_columns(
            wide.get_column("person_id"),
            wide.get_column("collected_on"),
            pl.Series("_rejected", rejected),
        )
        .filter(~pl.col("_rejected"))
    )
    keys = findings.select("person_id").unique().with_row_index(PERSON)
    trend_input = (
        findings.lazy()
        .select("person_id", "collected_on", "alt", "alt_status", "alt_fold")
        .join(keys.lazy(), on="person_id")
    )
    trends = trend_stats(kb, trend_input).collect().join(keys, on=PERSON).drop(PERSON)
    ordered = findings.sort("person_id", "collected_on")
    grade_rank = pl.col("alt_grade").replace_strict(
        Grade.ranks(), default=None, return_dtype=pl.Int64
    )
    per_person = ordered.group_by("person_id").agg(
        pl.len().alias("n_panels"),
        pl.col("collected_on").last().alias("latest_on"),
        pl.col("alt_grade").last().alias("latest_grade"),
        pl.col("alt_grade").sort_by(grade_rank).drop_nulls().last().alias("worst_grade"),
        pl.col("fib4_band").drop_nulls().last().alias("latest_fib4_band"),
        pl.col("urgency").last().alias("urgency"),
        pl.col("red_flags").last().alias("latest_red_flags"),
    )
    everyone = panels.people.join(
        wide.select("person_id", pl.Series("rejected_panels", rejected))
        .group_by("person_id")
        .agg(pl.col("rejected_panels").sum().cast(pl.Int64)),
        on="person_id",
        how="left",
    )
    out = (
        everyone.join(per_person, on="person_id", how="left")
        .join(
            trends.select(
                "person_id",
                "persistent",
                "months_elevated",
                "first_elevated_on",
                "direction",
                "normalised",
            ),
            on="person_id",
            how="left",
        )
        .join(screened, on="person_id", how="left")
        .with_columns(pl.col(f"{t}_tested").fill_null(False) for t in kb.screening)
        .with_columns(
            pl.col("persistent").fill_null(False),
            pl.col("n_panels").fill_null(0).cast(pl.Int64),
            pl.col("rejected_panels").fill_null(0),
        )
    )
    urgency_rank = pl.col("urgency").replace_strict(
        Urgency.ranks(), default=0, return_dtype=pl.Int64
    )
    worst_rank = pl.col("worst_grade").replace_strict(
        Grade.ranks(), default=0, return_dtype=pl.Int64
    )
    unscreened = ~pl.all_horizontal([pl.col(f"{t}_tested") for t in kb.screening])
    out = out.with_columns(
        (pl.col("n_panels") > 0).alias("assessed"),
        (pl.col("persistent") & unscreened).alias("persistent_without_screen"),
        urgency_rank.alias("urgency_rank"),
        worst_rank.alias("worst_grade_rank"),
        pl.col("months_elevated").fill_null(0.0),
    ).select(*worklist_columns(kb))
    out = out.sort(WORKLIST_ORDER, descending=WORKLIST_DESCENDING)
    summary = CohortSummary(
        events=events.height,
        people=out.height,
        not_assessed=int((~out.get_column("assessed")).sum()),
        panels=findings.height,
        rejected_panels=int(rejected.sum()),
        unusable=panels.unusable,
        rejected=reject_kinds,
        unreadable_birth_dates=panels.unreadable_birth_dates,
    )
    return out, summary
