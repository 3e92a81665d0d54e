"""What reading a lab report gives: words with their place on the page, and the fields read.

Every reader (a PDF's text layer, OCR of a photo or a scanned page) produces ``Page`` objects of
``Token`` s; the parser turns the tokens into ``ReadField`` s and ``Unread`` lines. Nothing here
guesses: a field carries the exact text it was read from, its box and how sure the reader was,
so a person can check it before anything is interpreted.

Boxes are ``(x0, y0, x1, y1)`` with the origin at the page's top left, in the page's own
units (PDF points for a text layer, pixels of the straightened image for OCR).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Box = tuple[float, float, float, float]
PageKind = Literal["text", "ocr"]


@dataclass(frozen=True)
class Token:
    """A run of text the reader found: a word (text layer) or a line piece (OCR)."""

    text: str
    box: Box
    confidence: float  # 0..1; a PDF's text layer is 1.0


@dataclass(frozen=True)
class Page:
    """One page as read. ``image`` is the straightened page as an RGB ``numpy`` array for OCR
    pages (kept in memory only, for snippets), ``None`` for a text layer. ``unread`` are the
    boxes of pieces OCR found but did not recognise (``ocr_passes``): they hold no text, and
    the page's rows are levelled and grouped with them among the tokens, as the whole page's
    tokens would be."""

    number: int  # 1-based, across every file given
    width: float
    height: float
    kind: PageKind
    tokens: tuple[Token, ...]
    image: Any = None
    unread: tuple[Box, ...] = ()


@dataclass(frozen=True)
class ReadField:
    """One liver test read from the report, with where and how sure."""

    analyte: str
    value: float | None
    unit: str | None  # the contract's unit spelling ("U/L", "umol/L"), None when not printed
    comparator: str | None  # "<", "<=", ">", ">=" for a result printed as a bound
    lower_limit: float | None
    upper_limit: float | None
    flag: str | None  # "high" / "low" when the report marks it (H, L, ↑, ↓, *)
    confidence: float
    page: int
    text: str  # the line as read
    box: Box

    def to_dict(self) -> dict[str, Any]:
        return {
            "analyte": self.analyte,
            "value": self.value,
            "unit": self.unit,
            "comparator": self.comparator,
            "lower_limit": self.lower_limit,
            "upper_limit": self.upper_limit,
            "flag": self.flag,
            "confidence": round(self.confidence, 3),
            "page": self.page,
            "text": self.text,
            "box": [round(v, 1) for v in self.box],
        }


@dataclass(frozen=True)
class Unread:
    """A line that looked like a liver test but could not be read, and why (a message id
    of ``messages.yaml``, ``error.extract.*``)."""

    analyte: str | None
    reason: str
    page: int
    text: str
    box: Box

    def to_dict(self) -> dict[str, Any]:
        return {
            "analyte": self.analyte,
            "reason": self.reason,
            "page": self.page,
            "text": self.text,
            "box": [round(v, 1) for v in self.box],
        }


@dataclass(frozen=True)
class Extraction:
    """Everything read from one report (one or more files and pages)."""

    fields: tuple[ReadField, ...]
    unread: tuple[Unread, ...] = ()
    sex: str | None = None
    age: float | None = None
    collected_on: str | None = None  # ISO date
    pages: tuple[Page, ...] = field(default=(), repr=False, compare=False)
    low_confidence: float = 0.85  # fields under this are marked for checking

    def used(self) -> dict[str, ReadField]:
        """The field each test's value is taken from: its first field with a value (a test
        read twice with two values keeps both fields, each marked for checking)."""
        chosen: dict[str, ReadField] = {}
        for f in self.fields:
            if f.value is not None:
                chosen.setdefault(f.analyte, f)
        return chosen

    def to_input(self) -> dict[str, Any]:
        """The input contract (``liverlens.interpret`` accepts it as it is)."""
        labs: dict[str, Any] = {}
        for f in self.used().values():
            lab: dict[str, Any] = {"value": f.value}
            for key in ("unit", "comparator", "lower_limit", "upper_limit"):
                if getattr(f, key) is not None:
                    lab[key] = getattr(f, key)
            labs[f.analyte] = lab
        out: dict[str, Any] = {"labs": labs}
        person = {k: v for k, v in (("sex", self.sex), ("age", self.age)) if v is not None}
        if person:
            out["person"] = person
        if self.collected_on:
            out["collected_on"] = self.collected_on
        return out

    def to_dict(self) -> dict[str, Any]:
        """The input contract plus ``fields`` (each value with its evidence) and ``unread``."""
        out = self.to_input()
        out["fields"] = [f.to_dict() for f in self.fields]
        out["unread"] = [u.to_dict() for u in self.unread]
        out["pages"] = [{"page": p.number, "kind": p.kind} for p in self.pages]
        return out

    def needs_checking(self) -> tuple[ReadField, ...]:
        """Fields read with low confidence, least sure first: the form focuses these."""
        low = [f for f in self.fields if f.confidence < self.low_confidence]
        return tuple(sorted(low, key=lambda f: f.confidence))
