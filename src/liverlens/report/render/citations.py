"""Citations, once for every format: how sources are numbered, which numbers a statement
carries, and how a source reads in the list at the end.

Sources are numbered by ``Report.citation_numbers`` (order of first use), so text, Markdown,
HTML, PDF and JSON give the same source the same number. Each renderer only decides how the
numbers look (``[1, 2]``, a link, a superscript).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from liverlens.engine.statements import Statement
from liverlens.knowledge.schema import Source

if TYPE_CHECKING:
    from liverlens.report.model import Report


def marks(statement: Statement, numbers: Mapping[str, int]) -> list[int]:
    """The citation numbers a statement carries, in the order it cites them."""
    return [numbers[s] for s in statement.sources]


def source_parts(report: Report, src: Source) -> tuple[str, str | None]:
    """A source as the list shows it: its description (title, publisher, date, reviewer, a
    standard's number) and, apart, the link a reader follows (DOI, PubMed or URL). Authors
    stay in the JSON. A seed article is cited by its title and publisher; one that names
    neither publisher nor link says so."""
    bits = [src.title.rstrip(".")]
    if src.publisher:
        bits.append(src.publisher)
    if src.date and src.date[:4] not in (src.publisher or ""):
        bits.append(src.date)
    if src.reviewer:
        bits.append(report.word("source.reviewed_by").format(reviewer=src.reviewer))
    if src.standard:
        bits.append(src.standard)
    if not src.publisher and not src.link:
        bits.append(report.word("source.unlinked"))
    return f"{'. '.join(bits)}.", src.link


def source_line(report: Report, src: Source) -> str:
    """One entry of the source list as plain text."""
    text, link = source_parts(report, src)
    return f"{text} {link}" if link else text
