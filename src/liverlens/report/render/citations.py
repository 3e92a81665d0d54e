"""Citations, once for every format: how sources are numbered, which numbers a statement
carries, and how a source reads in the list at the end.

Sources are numbered by ``Report.citation_numbers`` (order of first use), so text, Markdown,
HTML, PDF and JSON give the same source the same number. Each renderer only decides how the
numbers look (``[1, 2]``, a link, a superscript).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from liverlens.engine.reasoning import Statement
from liverlens.knowledge.schema import Source

if TYPE_CHECKING:
    from liverlens.report.model import Report


def marks(statement: Statement, numbers: Mapping[str, int]) -> list[int]:
    """The citation numbers a statement carries, in the order it cites them."""
    return [numbers[s] for s in statement.sources]


def source_line(report: Report, src: Source) -> str:
    """One entry of the source list: title, authors, publisher, date, reviewer, id."""
    bits = [src.title.rstrip(".")]
    if src.authors:
        bits.append(src.authors.rstrip("."))
    if src.publisher:
        bits.append(src.publisher)
    if src.date:
        bits.append(src.date)
    if src.reviewer:
        bits.append(report.word("source.reviewed_by").format(reviewer=src.reviewer))
    if src.file:
        bits.append(report.word("source.file").format(file=src.file))
    return f"{'. '.join(bits)}. [{src.id}]"
