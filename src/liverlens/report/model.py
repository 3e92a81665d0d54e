"""``Report``: one person's interpretation, self-contained, with its output contract.

A report carries everything it needs to render (titles, words, sources), so it can be pickled,
stored or rendered later without the knowledge base. ``to_dict`` is the JSON output contract of
design.md (``schema_version`` "1").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from liverlens.engine.reasoning import CauseFinding, Reasoning, Step, UrgencyReason
from liverlens.knowledge.schema import Language, Source
from liverlens.report.document import Section
from liverlens.vocabulary import Grade, Pattern, Status, Urgency


@dataclass(frozen=True)
class AnalyteFinding:
    value: float
    unit: str
    upper_limit: float
    lower_limit: float | None
    limit_source: str
    fold_uln: float
    status: Status | None  # None: given only as a bound that does not settle it
    given_value: float
    given_unit: str
    comparator: str | None = None  # "<", "<=", ">" or ">=" when the lab gave only a bound

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "unit": self.unit,
            "upper_limit": self.upper_limit,
            "lower_limit": self.lower_limit,
            "limit_source": self.limit_source,
            "fold_uln": round(self.fold_uln, 2),
            "status": self.status,
        }
        if self.comparator is not None:
            out["comparator"] = self.comparator
        if self.given_unit != self.unit:
            out["given"] = {"value": self.given_value, "unit": self.given_unit}
        return out


@dataclass(frozen=True)
class Report:
    """The interpretation of one panel for one person."""

    language: Language
    language_tag: str  # BCP 47, for HTML lang and FHIR ("zh-CN")
    reference: str
    collected_on: date | None  # the date of the test, when the input gave one
    title: str
    analytes: Mapping[str, AnalyteFinding]
    alt_grade: Grade | None
    ast_alt_ratio: float | None
    r_ratio: float | None
    pattern: Pattern | None
    enzyme_reading: str | None
    alt_above_healthy_limit: bool
    names: Mapping[str, str]  # cause id -> its name in the report's language
    analyte_names: Mapping[str, str]  # analyte id -> its short name in the report's language
    scores: Mapping[str, Mapping[str, Any]]
    trend: Mapping[str, Any] | None
    medications: tuple[Mapping[str, Any], ...]
    series: tuple[Mapping[str, Any], ...]  # ALT/AST over time with each panel's limit
    reasoning: Reasoning
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]  # cited by the sections first, then the rest of the JSON trail
    disclaimer: str
    words: Mapping[str, str]
    listed: int = -1  # how many of ``sources`` the sections cite (the list a reader sees)

    @property
    def listed_sources(self) -> tuple[Source, ...]:
        """The sources the report's sentences cite, numbered in order of first use."""
        return self.sources if self.listed < 0 else self.sources[: self.listed]

    @property
    def urgency(self) -> Urgency:
        return self.reasoning.urgency

    @property
    def causes(self) -> tuple[CauseFinding, ...]:
        return self.reasoning.causes

    @property
    def red_flags(self) -> tuple[UrgencyReason, ...]:
        return tuple(r for r in self.reasoning.urgency_reasons if r.red_flag)

    @property
    def next_steps(self) -> tuple[Step, ...]:
        return self.reasoning.next_steps

    def citation_numbers(self) -> dict[str, int]:
        """Source id -> its number: sources are numbered in order of first use, once, so
        every format gives the same source the same number."""
        return {s.id: i for i, s in enumerate(self.sources, start=1)}

    def word(self, word_id: str) -> str:
        return self.words[word_id]

    def to_dict(self) -> dict[str, Any]:
        """The JSON output contract (design.md, ``schema_version`` "1")."""
        from liverlens.report.render.contract import to_dict

        return to_dict(self)

    def to_json(self) -> str:
        return self.render("json")

    def to_text(self) -> str:
        return self.render("text")

    def to_markdown(self) -> str:
        return self.render("markdown")

    def to_html(self) -> str:
        """The report as an HTML fragment (no ``<html>`` wrapper), citations linked."""
        return self.render("html")

    def to_pdf(self) -> bytes:
        """A printable PDF (needs liverlens[pdf] and a CJK font for Chinese)."""
        from liverlens.report.render import render_pdf

        return render_pdf(self)

    def render(self, fmt: str) -> str:
        """The report in a text format: one of ``liverlens.report.render.FORMATS``."""
        from liverlens.report.render import render

        return render(self, fmt)
