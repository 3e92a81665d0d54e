"""Plain-text rendering for terminals and the ``text`` format: wrapped, numbered citations."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING

from liverlens.engine.statements import Statement
from liverlens.report.document import Block, Bullets, Paragraph, Section, Table
from liverlens.report.render.citations import marks, source_line

if TYPE_CHECKING:
    from liverlens.report.model import Report

WIDTH = 88


def _wide(ch: str) -> bool:
    """A CJK character or full-width punctuation: two terminal columns."""
    return "\u2e80" <= ch <= "\ufe4f" or "\uff00" <= ch <= "\uffef"


def display_width(text: str) -> int:
    """Terminal columns: CJK characters (and full-width punctuation) take two."""
    if text.isascii():  # the common case, and no ASCII character is wide
        return len(text)
    return sum(2 if _wide(ch) else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def cite(statement: Statement, numbers: Mapping[str, int]) -> str:
    cited = marks(statement, numbers)
    if not cited:
        return statement.text
    return f"{statement.text} [{','.join(map(str, cited))}]"


def _wrap(
    text: str, indent: str = "", first: str | None = None, *, long_words: bool = True
) -> list[str]:
    first = indent if first is None else first
    if display_width(text) > len(text) * 1.3:  # mostly Chinese: its own rules (``_wrap_cjk``)
        return _wrap_cjk(text, indent, first, long_words=long_words)
    width = WIDTH
    if _fits(text, width - len(first)):
        return [first + text]
    lines = _greedy(text, width, first, indent) if _plain(text) else None
    if lines is not None:
        return lines
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=long_words,
    ) or [indent.rstrip()]


_NO_BREAK_BEFORE = frozenset("，。、；：？！）」』》〉】〕”’,.;:?!)]%")
_NO_BREAK_AFTER = frozenset("（「『《〈【〔“‘([")


def _cjk_chunks(text: str) -> list[str]:
    """``text`` as the pieces a Chinese line may break between, each with the space before it.
    A line may break between two Chinese characters (not before closing punctuation nor after
    opening), and at a space between two Latin words; a space beside a Chinese character
    holds its neighbours together ("除 ALT 外", "1.9 倍"), and a Latin word or number is never
    cut."""
    atoms: list[tuple[str, bool]] = []  # (text with its leading space, may break before it)
    i, n, space = 0, len(text), False
    while i < n:
        if text[i].isspace():
            space, i = True, i + 1
            continue
        j = i + 1
        if not _wide(text[i]):
            while j < n and not text[j].isspace() and not _wide(text[j]):
                j += 1
        piece = text[i:j]
        if atoms:
            before, after = atoms[-1][0][-1], piece[0]
            if space:
                brk = not _wide(before) and not _wide(after)
            else:
                brk = _wide(before) and _wide(after)
            brk = brk and after not in _NO_BREAK_BEFORE and before not in _NO_BREAK_AFTER
            atoms.append(((" " if space else "") + piece, brk))
        else:
            atoms.append((piece, False))
        space, i = False, j
    chunks: list[str] = []
    for piece, brk in atoms:
        if brk or not chunks:
            chunks.append(piece)
        else:
            chunks[-1] += piece
    return chunks


def _wrap_cjk(text: str, indent: str, first: str, *, long_words: bool) -> list[str]:
    """Mostly Chinese text in lines of at most ``WIDTH`` columns (each character two), broken
    only where ``_cjk_chunks`` allows; a chunk longer than a line is cut by columns when
    ``long_words``, else left whole on its own line."""
    lines: list[str] = []
    line = first
    for chunk in _cjk_chunks(text):
        bare = chunk.lstrip(" ")
        empty = line == (first if not lines else indent)
        if display_width(line) + display_width(bare if empty else chunk) <= WIDTH:
            line += bare if empty else chunk
            continue
        if not empty:
            lines.append(line)
            line = indent
        while long_words and display_width(line) + display_width(bare) > WIDTH:
            room = WIDTH - display_width(line)
            cut = 0
            while cut < len(bare) and display_width(bare[: cut + 1]) <= room:
                cut += 1
            if cut == 0:
                break
            lines.append(line + bare[:cut])
            line, bare = indent, bare[cut:]
        line += bare
    if line.strip() or not lines:
        lines.append(line if line.strip() else indent.rstrip())
    return lines


_BREAKS = frozenset("\t\n\x0b\x0c\r")  # the whitespace textwrap rewrites to spaces
# and the rest of ASCII's whitespace but the space: textwrap drops a word made of it
_ODD_SPACE = _BREAKS | frozenset("\x1c\x1d\x1e\x1f")


def _fits(text: str, room: int) -> bool:
    """Whether ``textwrap`` would give ``text`` back whole on one line: short ASCII with no
    tab or line break to rewrite and no trailing whitespace to drop. Most bullets are this, and
    textwrap's chunking costs a report more than the rest of its text does (measured)."""
    return (
        0 < len(text) <= room
        and text.isascii()
        and not text[-1].isspace()
        and _BREAKS.isdisjoint(text)
    )


def _plain(text: str) -> bool:
    """Whether ``textwrap`` would wrap ``text`` at single spaces alone: ASCII, nothing to
    rewrite, single spaces between words and none at either end."""
    return (
        text != ""
        and text.isascii()
        and _ODD_SPACE.isdisjoint(text)
        and "  " not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


def _greedy(text: str, width: int, first: str, indent: str) -> list[str] | None:
    """What ``textwrap.wrap`` gives for a plain text: each line ends at the last space that
    leaves it no longer than the line. None when a word is longer than a line (``textwrap``
    cuts it, and fills the line before with its start)."""
    lines: list[str] = []
    start, prefix = 0, first
    while True:
        room = width - len(prefix)
        if len(text) - start <= room:
            lines.append(prefix + text[start:])
            return lines
        cut = text.rfind(" ", start, start + room + 1)
        if cut <= start:
            return None
        lines.append(prefix + text[start:cut])
        start, prefix = cut + 1, indent


def _table(block: Table) -> list[str]:
    cells = [block.header, *block.rows]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(block.header))]

    def line(r: tuple[str, ...]) -> str:
        return "  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip()

    return [line(block.header), "  ".join("-" * w for w in widths), *(line(r) for r in block.rows)]


def block_lines(block: Block, numbers: Mapping[str, int]) -> list[str]:
    if isinstance(block, Paragraph):
        return _wrap(" ".join(cite(s, numbers) for s in block.statements))
    if isinstance(block, Bullets):
        return [ln for s in block.items for ln in _wrap(cite(s, numbers), "  ", "- ")]
    if isinstance(block, Table):
        return _table(block)
    title = cite(Statement(block.title, block.sources), numbers)
    lines = _wrap(title, "   ", f"{block.number}. ")
    for part in (*block.parts, *block.details):
        if part.as_list:
            lines.append(f"   {part.label}:")
            for s in part.statements:
                lines += _wrap(cite(s, numbers), "       ", "     - ")
        else:
            text = " ".join(cite(s, numbers) for s in part.statements)
            lines += _wrap(f"{part.label}: {text}", "     ", "   ")
    return lines


def section_body(section: Section, numbers: Mapping[str, int]) -> str:
    chunks = ["\n".join(block_lines(b, numbers)) for b in section.blocks]
    return "\n\n".join(chunks)


def render(report: Report) -> str:
    numbers = report.citation_numbers()
    out = [*_wrap(report.title), "=" * min(WIDTH, display_width(report.title)), ""]
    for i, section in enumerate(report.sections):
        if section.detail and not report.sections[i - 1].detail:
            more = report.word("heading.more_detail").upper()
            out += [more, "=" * display_width(more), ""]
        rule = "-" * display_width(section.heading)
        out += [section.heading, rule, section_body(section, numbers), ""]
    heading = report.word("heading.sources")
    out += [heading, "-" * display_width(heading)]
    for i, src in enumerate(report.listed_sources, start=1):
        # a link is never broken across lines, so it can be copied
        out += _wrap(source_line(report, src), "     ", f"[{i}] ", long_words=False)
    heading = report.word("heading.disclaimer")
    out += ["", heading, "-" * display_width(heading), *_wrap(report.disclaimer)]
    return "\n".join(out) + "\n"
