"""The library entry point: ``interpret(input) -> Report``.

One path for every caller (CLI, web, tests): check the input, run the vectorised engine on a
one-row frame, reason about the person, assemble the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from liverlens.engine import evaluate
from liverlens.engine.columns import frame
from liverlens.engine.rucam import onset_date, timing_column
from liverlens.engine.trend import case_series, case_trend, trend_columns
from liverlens.inputs import InterpretInput, resolve
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.report.build import build_report
from liverlens.report.model import Report


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
    case = resolve(kb, dict(data) if isinstance(data, Mapping) else data)
    day = today or date.today()
    trend = case_trend(kb, case, day)
    onset = onset_date(case, trend, day)
    derived = {**trend_columns(kb, trend), "med_timing": timing_column(kb, case, onset)}
    row = evaluate(kb, frame(kb, [case], [derived])).row(0, named=True)
    return build_report(kb, case, row, trend, case_series(kb, case, day), onset=onset, day=day)
