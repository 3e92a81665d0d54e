"""Markdown rendering: the same document as the text format, with headings, a table and
numbered citations that match the numbered source list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from liverlens.engine.statements import Statement
from liverlens.report.document import Block, Bullets, Paragraph, Section, Table
from liverlens.report.render.citations import marks, source_line

if TYPE_CHECKING:
    from liverlens.report.model import Report


def cite(statement: Statement, numbers: Mapping[str, int]) -> str:
    text = statement.text.replace("|", "\\|")
    cited = marks(statement, numbers)
    if not cited:
        return text
    return f"{text} [{', '.join(map(str, cited))}]"


def _block(block: Block, numbers: Mapping[str, int]) -> str:
    if isinstance(block, Paragraph):
        return " ".join(cite(s, numbers) for s in block.statements)
    if isinstance(block, Bullets):
        return "\n".join(f"- {cite(s, numbers)}" for s in block.items)
    if isinstance(block, Table):
        rows = [block.header, tuple("---" for _ in block.header), *block.rows]
        return "\n".join("| " + " | ".join(r) + " |" for r in rows)
    title = cite(Statement(block.title, block.sources), numbers)
    lines = [f"### {block.number}. {title}", ""]
    for part in (*block.parts, *block.details):
        if part.as_list:
            lines.append(f"**{part.label}:**")
            lines += [f"- {cite(s, numbers)}" for s in part.statements]
            lines.append("")
        else:
            text = " ".join(cite(s, numbers) for s in part.statements)
            lines += [f"**{part.label}:** {text}", ""]
    return "\n".join(lines).rstrip()


def section_body(section: Section, numbers: Mapping[str, int]) -> str:
    return "\n\n".join(_block(b, numbers) for b in section.blocks)


def render(report: Report) -> str:
    numbers = report.citation_numbers()
    out = [f"# {report.title}", ""]
    for i, section in enumerate(report.sections):
        if section.detail and not report.sections[i - 1].detail:
            out += [f"## {report.word('heading.more_detail')}", ""]
        level = "###" if section.detail else "##"
        out += [f"{level} {section.heading}", "", section_body(section, numbers), ""]
    out += [f"## {report.word('heading.sources')}", ""]
    out += [f"{i}. {source_line(report, s)}" for i, s in enumerate(report.listed_sources, start=1)]
    out += ["", f"## {report.word('heading.disclaimer')}", "", f"*{report.disclaimer}*"]
    return "\n".join(out) + "\n"
