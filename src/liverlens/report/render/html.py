"""HTML rendering of the report document: semantic, escaped, no scripts.

Used by the web page and the PDF. Citations are links to the numbered source list. Red flags
sit in an ``role="alert"`` box at the top, so they come first for screen readers too. Folding
is ``<details>``, which needs no script.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from liverlens.engine.statements import Statement
from liverlens.report.document import Block, Bullets, Entry, Paragraph, Part, Section, Table
from liverlens.report.render.citations import marks, source_parts
from liverlens.report.render.values import values_box

if TYPE_CHECKING:
    from liverlens.knowledge.schema import Source
    from liverlens.report.changes import Change
    from liverlens.report.model import Report


def cite(statement: Statement, numbers: Mapping[str, int]) -> Markup:
    text = escape(statement.text)
    cited = marks(statement, numbers)
    if not cited:
        return Markup(text)
    links = ", ".join(f'<a href="#src-{n}">{n}</a>' for n in cited)
    return Markup(f'{text} <sup class="cite">[{links}]</sup>')


def _parts(parts: tuple[Part, ...], numbers: Mapping[str, int]) -> str:
    out = []
    for part in parts:
        if part.as_list:
            items = "".join(f"<li>{cite(s, numbers)}</li>" for s in part.statements)
            out.append(f"<dt>{escape(part.label)}</dt><dd><ul>{items}</ul></dd>")
        else:
            text = " ".join(cite(s, numbers) for s in part.statements)
            out.append(f"<dt>{escape(part.label)}</dt><dd>{text}</dd>")
    return f"<dl>{''.join(out)}</dl>"


def _entry_sources(entry: Entry, numbers: Mapping[str, int]) -> list[int]:
    """The numbers of every source the entry cites, in the order of the source list."""
    said = [Statement(entry.title, entry.sources)]
    said += [s for p in (*entry.parts, *entry.details) for s in p.statements]
    return sorted({n for st in said for n in marks(st, numbers)})


def _entry(entry: Entry, words: Mapping[str, str], numbers: Mapping[str, int], open_: bool) -> str:
    """A cause card; its details fold under a ``<details>`` that opens without JavaScript."""
    title = cite(Statement(entry.title, entry.sources), numbers)
    card = f'<article class="cause card"><h3>{entry.number}. {title}</h3>'
    card += _parts(entry.parts, numbers)
    if entry.details:
        listed = ", ".join(f'<a href="#src-{n}">{n}</a>' for n in _entry_sources(entry, numbers))
        card += (
            f'<details class="card-details"{" open" if open_ else ""}>'
            f"<summary>{escape(words['label.card_details'])}</summary>"
            f"{_parts(entry.details, numbers)}"
            f'<p class="cause-sources">{escape(words["heading.sources"])}: {listed}</p>'
            f"</details>"
        )
    return card + "</article>"


def _block(block: Block, numbers: Mapping[str, int], words: Mapping[str, str], open_: bool) -> str:
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
    return _entry(block, words, numbers, open_)


def section_html(
    section: Section,
    numbers: Mapping[str, int],
    words: Mapping[str, str],
    *,
    open_: bool = False,
) -> Markup:
    body = "".join(_block(b, numbers, words, open_) for b in section.blocks)
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


def render(
    report: Report,
    after_values: Markup | None = None,
    *,
    open_: bool = False,
    bodies: Mapping[str, Markup] | None = None,
) -> Markup:
    """The report: its title, any urgent box, the values box, the short report, then "more
    detail", the sources and the disclaimer.

    The values box (and ``after_values``, e.g. the PDF's trend chart) comes right after the
    title and the urgent box, so red flags stay the first thing read. "More detail" and each
    cause card's details are ``<details>`` elements, folded on the page and ``open_`` in the
    PDF, so both keep one order. ``bodies`` replaces a section's body by its id, keeping its
    heading and place (the web page asks the questions in place, with their answers)."""
    numbers = report.citation_numbers()
    words = report.words
    out = [f'<h1 class="report-title">{escape(report.title)}</h1>']
    short = [s for s in report.sections if not s.detail]
    detail = [s for s in report.sections if s.detail]

    def shown(section: Section) -> str:
        body = (bodies or {}).get(section.id)
        if body is None:
            return str(section_html(section, numbers, words, open_=open_))
        return (
            f'<section id="{section.id}" class="section-{section.id}">'
            f"<h2>{escape(section.heading)}</h2>{body}</section>"
        )

    sections = [shown(s) for s in short]
    has_urgent = bool(short) and short[0].id == "urgent"
    boxes = [str(values_box(report))] if report.analytes else []
    if after_values is not None:
        boxes.append(str(after_values))
    sections[1 if has_urgent else 0 : 1 if has_urgent else 0] = boxes
    out += sections
    if detail:
        out.append(
            f'<details class="more-detail" id="more-detail"{" open" if open_ else ""}>'
            f"<summary><h2>{escape(words['heading.more_detail'])}</h2></summary>"
            + "".join(shown(s) for s in detail)
            + "</details>"
        )
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


def changes_html(report: Report, changes: Sequence[Change], heading: str) -> Markup:
    """What answering the questions changed, as a status box that takes focus when it
    arrives (``autofocus``: on a new page and when htmx swaps the report in place)."""
    numbers = report.citation_numbers()
    items = []
    for change in changes:
        said = cite(change.said, numbers)
        if change.because is not None:  # cited by the numbers the report's list has
            listed = tuple(src for src in change.because.sources if src in numbers)
            said = Markup(f"{said} {cite(replace(change.because, sources=listed), numbers)}")
        items.append(f"<li>{said}</li>")
    return Markup(
        f'<section class="changes" id="changes" role="status" tabindex="-1" autofocus '
        f'aria-labelledby="h-changes"><h2 id="h-changes">{escape(heading)}</h2>'
        f"<ul>{''.join(items)}</ul></section>"
    )
