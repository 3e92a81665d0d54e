"""The library entry point: ``interpret(input) -> Report``.

One path for every caller (CLI, web, tests): check the input, run the engine's expressions on
its one row (after a process's first case, on the row-wise backend: the same expressions batch
runs in Polars, without planning a frame for one row), reason about the person, assemble the
report. ``findings`` stops before the
reasoning and the report, for callers that want the engine's numbers alone (a calculator).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from liverlens.engine.columns import case_row
from liverlens.engine.rowwise import evaluate_case
from liverlens.engine.rucam import RucamResult, assess, onset_date, timing_column
from liverlens.engine.trend import case_series, case_trend, trend_columns
from liverlens.inputs import Case, InterpretInput, resolve
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.report.build import build_report
from liverlens.report.clinical_sections import scores_output
from liverlens.report.model import Report


@dataclass(frozen=True)
class _Run:
    case: Case
    row: dict[str, Any]
    trend: Mapping[str, Any] | None
    onset: date | None
    day: date


def _run(kb: KnowledgeBase, data: Mapping[str, Any] | InterpretInput, today: date | None) -> _Run:
    case = resolve(kb, dict(data) if isinstance(data, Mapping) else data)
    day = today or date.today()
    trend = case_trend(kb, case, day)
    onset = onset_date(case, trend, day)
    derived = {**trend_columns(kb, trend), "med_timing": timing_column(kb, case, onset)}
    # one row: the engine's own expressions, from the second case on compiled to the row-wise
    # backend (engine/rowwise.py; tests/test_rowwise.py holds it equal to Polars)
    row = evaluate_case(kb, case_row(kb, case, derived))
    return _Run(case, row, trend, onset, day)


def interpret(
    data: Mapping[str, Any] | InterpretInput,
    *,
    knowledge: KnowledgeBase | None = None,
    today: date | None = None,
) -> Report:
    """Interpret one liver panel (the input contract of design.md).

    Raises ``InputError`` with one issue per problem when the input is not acceptable.
    ``today`` dates the current panel for the trend when the input has no ``collected_on``.

    Example:
        >>> report = interpret({"person": {"sex": "male"}, "labs": {"alt": 85}})
        >>> report.to_dict()["alt_grade"]
        'mild'
    """
    kb = knowledge or load_knowledge()
    run = _run(kb, data, today)
    series = case_series(kb, run.case, run.day)
    return build_report(kb, run.case, run.row, run.trend, series, onset=run.onset, day=run.day)


@dataclass(frozen=True)
class Findings:
    """The engine's numbers for one input: its findings row (every engine column), the
    ``scores`` part of the JSON output, and RUCAM for each medicine given with dates."""

    case: Case
    row: Mapping[str, Any]
    scores: Mapping[str, Mapping[str, Any]]
    rucam: tuple[RucamResult, ...]


def findings(
    data: Mapping[str, Any] | InterpretInput,
    *,
    knowledge: KnowledgeBase | None = None,
    today: date | None = None,
) -> Findings:
    """Check an input and run the engine on it, without the reasoning about causes or the
    report: what a calculator page needs to show one score.

    Why a separate entry point: a calculator must give exactly the number a report, a batch
    table and Spark give, so it has to go through the same checks (``resolve``), the same
    row and the same engine expressions (``evaluate_case``) as ``interpret``; this
    is that path, shared with ``interpret``, stopping once the numbers exist. Raises
    ``InputError`` as ``interpret`` does.

    Example:
        >>> labs = {"ast": 40, "alt": 36, "platelets": 200}
        >>> out = findings({"person": {"age": 50}, "labs": labs})
        >>> out.scores["fib4"]["value"], out.scores["fib4"]["band"]
        (1.67, 'indeterminate')
    """
    kb = knowledge or load_knowledge()
    run = _run(kb, data, today)
    rucam = assess(kb, run.case, run.row, run.onset or run.case.collected_on or run.day, run.day)
    return Findings(run.case, run.row, scores_output(kb, run.row), rucam)
