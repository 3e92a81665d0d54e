"""The values box: each result with its bar against its range and its status word.

Written once for every format that draws it (the web report page and the PDF), from the
words the report carries, so the box reads in the report's language wherever it appears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from liverlens.knowledge.numbers import bounded
from liverlens.knowledge.units import unit_symbol
from liverlens.report.render.charts import value_bar

if TYPE_CHECKING:
    from liverlens.report.model import Report

WORDS = ("ui.values.label", "ui.values.heading", "ui.values.range")


def values_box(report: Report) -> Markup:
    """``<aside class="values">``: a line per result, with its bar and status."""
    items = []
    for analyte, f in report.analytes.items():
        name = report.analyte_names[analyte]
        bar = value_bar(
            name,
            f.value,
            f.lower_limit,
            f.upper_limit,
            f.status,
            f.unit,
            report.word("ui.values.range"),
        )
        unit = "" if f.unit == "INR" else f" {escape(unit_symbol(f.unit))}"
        state = f.status or "unknown"
        status = escape(report.word(f"status.{state}"))
        shown = escape(bounded(f.value, f.comparator, 6))
        items.append(
            f'<li><span class="bar-label">{escape(name)} <strong>{shown}</strong>{unit}'
            f'</span> {bar} <span class="status status-{state}">{status}</span></li>'
        )
    return Markup(
        f'<aside class="values" aria-label="{escape(report.word("ui.values.label"))}">'
        f"<h2>{escape(report.word('ui.values.heading'))}</h2>"
        f'<ul class="bars">{"".join(items)}</ul></aside>'
    )
