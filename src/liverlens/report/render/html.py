"""HTML rendering of the report document: semantic, escaped, no scripts.

Used by the web page (and, later, the PDF). Citations are links to the numbered source list.
Red flags sit in an ``role="alert"`` box at the top, so they come first for screen readers too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from liverlens.engine.statements import Statement
from liverlens.report.document import Block, Bullets, Paragraph, Section, Table
from liverlens.report.render.citations import marks, source_parts
from liverlens.report.render.values import values_box

if TYPE_CHECKING:
    from liverlens.knowledge.schema import Source
    from liverlens.report.model import Report


def cite(statement: Statement, numbers: Mapping[str, int]) -> Markup:
    text = escape(statement.text)
    cited = marks(statement, numbers)
    if not cited:
        return Markup(text)
    links = ", ".join(f'<a href="#src-{n}">{n}</a>' for n in cited)
    return Markup(f'{text} <sup class="cite">[{links}]</sup>')


def _block(block: Block, numbers: Mapping[str, int]) -> str:
    if isinstance(block, Paragraph):
        return "<p>" + " ".join(cite(s, numbers) for s in block.statements) + "</p>"
    if isinstance(block, Bullets):
        items = "".join(f"<li>{cite(s, numbers)}</li>" for s in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.header)
        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in block.rows
        )
        return (
            f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
    title = cite(Statement(block.title, block.sources), numbers)
    parts = []
    for part in block.parts:
        if part.as_list:
            items = "".join(f"<li>{cite(s, numbers)}</li>" for s in part.statements)
            parts.append(f"<dt>{escape(part.label)}</dt><dd><ul>{items}</ul></dd>")
        else:
            text = " ".join(cite(s, numbers) for s in part.statements)
            parts.append(f"<dt>{escape(part.label)}</dt><dd>{text}</dd>")
    return (
        f'<article class="cause"><h3>{block.number}. {title}</h3>'
        f"<dl>{''.join(parts)}</dl></article>"
    )


def section_html(section: Section, numbers: Mapping[str, int]) -> Markup:
    body = "".join(_block(b, numbers) for b in section.blocks)
    heading = escape(section.heading)
    if section.id == "urgent":
        return Markup(
            f'<section class="urgent" role="alert" aria-labelledby="h-urgent">'
            f'<h2 id="h-urgent">{heading}</h2>{body}</section>'
        )
    return Markup(
        f'<section id="{section.id}" class="section-{section.id}">'
        f"<h2>{heading}</h2>{body}</section>"
    )


def _source_item(report: Report, src: Source) -> str:
    """A source with its link as a link (the text renderers print the address)."""
    text, link = source_parts(report, src)
    if link is None:
        return str(escape(text))
    return f'{escape(text)} <a href="{escape(link)}" rel="noopener">{escape(link)}</a>'


def render(report: Report, after_values: Markup | None = None) -> Markup:
    """The report: its title, any urgent box, the values box, then the article.

    The values box (and ``after_values``, e.g. the PDF's trend chart) comes right after the
    title and the urgent box, so red flags stay the first thing read."""
    numbers = report.citation_numbers()
    out = [f'<h1 class="report-title">{escape(report.title)}</h1>']
    sections = [section_html(s, numbers) for s in report.sections]
    has_urgent = bool(report.sections) and report.sections[0].id == "urgent"
    boxes = [values_box(report)] if report.analytes else []
    if after_values is not None:
        boxes.append(after_values)
    sections[1 if has_urgent else 0 : 1 if has_urgent else 0] = boxes
    out += sections
    sources = "".join(
        f'<li id="src-{i}">{_source_item(report, s)}</li>'
        for i, s in enumerate(report.listed_sources, start=1)
    )
    out.append(
        f'<section id="sources"><h2>{escape(report.word("heading.sources"))}</h2>'
        f"<ol>{sources}</ol></section>"
    )
    out.append(
        f'<section id="disclaimer" class="disclaimer"><h2>'
        f"{escape(report.word('heading.disclaimer'))}</h2><p>{escape(report.disclaimer)}</p>"
        f"</section>"
    )
    return Markup("\n".join(out))
