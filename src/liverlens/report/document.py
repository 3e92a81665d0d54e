"""A tiny document model: sections of blocks, each statement carrying its sources.

The builder decides *what* the report says; renderers (text, Markdown, later HTML and PDF) only
decide how it looks. Citation numbers are fixed once, in order of first use, so every format
numbers the same source the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from liverlens.engine.statements import Statement


@dataclass(frozen=True)
class Paragraph:
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[Statement, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Part:
    """A labelled part of an entry, e.g. "Why it fits" with its reasons."""

    label: str
    statements: tuple[Statement, ...]
    as_list: bool = False


@dataclass(frozen=True)
class Entry:
    """A numbered item with a title and labelled parts (one likely cause).

    ``parts`` are the card a reader sees first (why it fits, what to do, when to retest);
    ``details`` open under it on demand (what happens in the body, what a doctor may
    prescribe). Text formats print both; the web page folds the details."""

    number: int
    title: str
    parts: tuple[Part, ...]
    sources: tuple[str, ...] = ()
    ref: str | None = None  # the knowledge text its title says (a cause's name)
    details: tuple[Part, ...] = ()


Block = Paragraph | Bullets | Table | Entry


@dataclass(frozen=True)
class Section:
    """A headed part of the report. ``detail`` sections come after the short report, under
    "more detail": folded on the web page, printed in full everywhere else."""

    id: str
    heading: str
    blocks: tuple[Block, ...]
    detail: bool = False

    def statements(self) -> Iterator[Statement]:
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield from block.statements
            elif isinstance(block, Bullets):
                yield from block.items
            elif isinstance(block, Entry):
                yield Statement(block.title, block.sources, block.ref)
                for part in (*block.parts, *block.details):
                    yield from part.statements

    def source_ids(self) -> list[str]:
        seen: list[str] = []
        for st in self.statements():
            for s in st.sources:
                if s not in seen:
                    seen.append(s)
        return seen
