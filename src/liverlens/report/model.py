"""``Report``: one person's interpretation, self-contained, with its output contract.

A report carries everything it needs to render (titles, words, sources), so it can be pickled,
stored or rendered later without the knowledge base. ``to_dict`` is the JSON output contract of
design.md (``schema_version`` "1").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from liverlens.engine.reasoning import CauseFinding, Reasoning, Step, UrgencyReason
from liverlens.knowledge.schema import Language, Source
from liverlens.report.document import Section
from liverlens.report.render import markdown as render_markdown
from liverlens.report.render import text as render_text
from liverlens.vocabulary import Grade, Pattern, Status, Urgency

SCHEMA_VERSION = "1"
Format = Literal["text", "markdown", "html", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html", "json")


@dataclass(frozen=True)
class AnalyteFinding:
    value: float
    unit: str
    upper_limit: float
    lower_limit: float | None
    limit_source: str
    fold_uln: float
    status: Status
    given_value: float
    given_unit: str

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
        if self.given_unit != self.unit:
            out["given"] = {"value": self.given_value, "unit": self.given_unit}
        return out


@dataclass(frozen=True)
class Report:
    """The interpretation of one panel for one person."""

    language: Language
    reference: str
    title: str
    analytes: Mapping[str, AnalyteFinding]
    alt_grade: Grade | None
    ast_alt_ratio: float | None
    r_ratio: float | None
    pattern: Pattern | None
    enzyme_reading: str | None
    alt_above_healthy_limit: bool
    names: Mapping[str, str]
    scores: Mapping[str, Mapping[str, Any]]
    trend: Mapping[str, Any] | None
    medications: tuple[Mapping[str, Any], ...]
    series: tuple[Mapping[str, Any], ...]  # ALT/AST over time with each panel's limit
    reasoning: Reasoning
    sections: tuple[Section, ...]
    sources: tuple[Source, ...]
    disclaimer: str
    words: Mapping[str, str]

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

    def word(self, word_id: str) -> str:
        return self.words[word_id]

    def citation_numbers(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.sources, start=1)}

    def describe_source(self, src: Source) -> str:
        bits = [src.title.rstrip(".")]
        if src.authors:
            bits.append(src.authors.rstrip("."))
        if src.publisher:
            bits.append(src.publisher)
        if src.date:
            bits.append(src.date)
        if src.reviewer:
            bits.append(self.words["source.reviewed_by"].format(reviewer=src.reviewer))
        if src.file:
            bits.append(self.words["source.file"].format(file=src.file))
        return f"{'. '.join(bits)}. [{src.id}]"

    def to_dict(self) -> dict[str, Any]:
        """The JSON output contract (design.md, ``schema_version`` "1")."""
        numbers = self.citation_numbers()
        r = self.reasoning
        return {
            "schema_version": SCHEMA_VERSION,
            "language": self.language,
            "reference": self.reference,
            "title": self.title,
            "analytes": {k: v.to_dict() for k, v in self.analytes.items()},
            "alt_grade": self.alt_grade,
            "alt_above_healthy_limit": self.alt_above_healthy_limit,
            "ast_alt_ratio": None if self.ast_alt_ratio is None else round(self.ast_alt_ratio, 2),
            "r_ratio": None if self.r_ratio is None else round(self.r_ratio, 2),
            "pattern": self.pattern,
            "enzyme_reading": self.enzyme_reading,
            "scores": {k: dict(v) for k, v in self.scores.items()},
            "red_flags": [
                {"id": f.id, "reason": f.statement.text, "sources": list(f.statement.sources)}
                for f in self.red_flags
            ],
            "urgency": r.urgency,
            "urgency_reasons": [
                {
                    "id": u.id,
                    "level": u.level,
                    "text": u.statement.text,
                    "sources": list(u.statement.sources),
                }
                for u in r.urgency_reasons
            ],
            "causes": [
                {
                    "id": c.id,
                    "name": self.names[c.id],
                    "likelihood": c.likelihood,
                    "score": c.score,
                    "reasons_for": [s.text for s in c.reasons_for],
                    "reasons_against": [s.text for s in c.reasons_against],
                    "questions": list(c.questions),
                    "sources": list(
                        dict.fromkeys(
                            [
                                *c.sources,
                                *(
                                    s
                                    for st in c.reasons_for + c.reasons_against
                                    for s in st.sources
                                ),
                            ]
                        )
                    ),
                }
                for c in r.causes
            ],
            "next_steps": [
                {
                    "id": s.id,
                    "text": s.statement.text,
                    "after_days": list(s.after_days) if s.after_days else None,
                    "within_days": s.within_days,
                    "sources": list(s.statement.sources),
                }
                for s in r.next_steps
            ],
            "workup": [
                {
                    "id": w.id,
                    "name": w.name,
                    "reason": w.statement.text,
                    "timing": w.timing,
                    "sources": list(w.statement.sources),
                }
                for w in r.workup
            ],
            "medications": [dict(m) for m in self.medications],
            "advice": [
                {"id": a.id, "text": a.statement.text, "sources": list(a.statement.sources)}
                for a in r.advice
            ],
            "trend": None if self.trend is None else dict(self.trend),
            "sections": [
                {
                    "id": s.id,
                    "heading": s.heading,
                    "text": render_text.section_body(s, numbers),
                    "sources": s.source_ids(),
                }
                for s in self.sections
            ],
            "sources": [
                {
                    k: (src.short.get(self.language) if k == "short" and src.short else v)
                    for k, v in src.model_dump().items()
                    if v is not None
                }
                for src in self.sources
            ],
            "disclaimer": self.disclaimer,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_text(self) -> str:
        return render_text.render(self)

    def to_markdown(self) -> str:
        return render_markdown.render(self)

    def to_pdf(self) -> bytes:
        """A printable PDF (needs liverlens[pdf] and a CJK font for Chinese)."""
        from liverlens.report.render import pdf as render_pdf

        return render_pdf.render(self)

    def to_html(self, after_urgent: str | None = None) -> str:
        """The report as an HTML fragment (no ``<html>`` wrapper), citations linked.

        ``after_urgent`` is trusted HTML placed after the title and any urgent box."""
        from markupsafe import Markup

        from liverlens.report.render import html as render_html

        extra = None if after_urgent is None else Markup(after_urgent)  # noqa: S704
        return str(render_html.render(self, extra))

    def render(self, fmt: Format) -> str:
        if fmt == "text":
            return self.to_text()
        if fmt == "markdown":
            return self.to_markdown()
        if fmt == "html":
            return self.to_html() + "\n"
        if fmt == "json":
            return self.to_json() + "\n"
        raise ValueError(f"unknown format {fmt!r}; accepted: {', '.join(FORMATS)}")
