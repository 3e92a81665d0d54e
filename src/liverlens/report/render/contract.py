"""The JSON output contract (design.md, ``schema_version`` "1") of a report.

``liverlens explain --format json``, ``POST /api/v1/interpret`` and ``Report.to_dict()`` all
give this. Extend it; never rename what is here.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from liverlens.report.render.text import section_body

if TYPE_CHECKING:
    from liverlens.knowledge.schema import Source
    from liverlens.report.model import Report

SCHEMA_VERSION = "1"


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON output contract (design.md, ``schema_version`` "1")."""
    numbers = report.citation_numbers()
    r = report.reasoning
    return {
        "schema_version": SCHEMA_VERSION,
        "language": report.language,
        "reference": report.reference,
        "title": report.title,
        "analytes": {k: v.to_dict() for k, v in report.analytes.items()},
        "alt_grade": report.alt_grade,
        "alt_above_healthy_limit": report.alt_above_healthy_limit,
        "ast_alt_ratio": None if report.ast_alt_ratio is None else round(report.ast_alt_ratio, 2),
        "r_ratio": None if report.r_ratio is None else round(report.r_ratio, 2),
        "pattern": report.pattern,
        "enzyme_reading": report.enzyme_reading,
        "scores": {k: dict(v) for k, v in report.scores.items()},
        "red_flags": [
            {"id": f.id, "reason": f.statement.text, "sources": list(f.statement.sources)}
            for f in report.red_flags
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
                "name": report.names[c.id],
                "likelihood": c.likelihood,
                "score": c.score,
                "reasons_for": [s.text for s in c.reasons_for],
                "reasons_against": [s.text for s in c.reasons_against],
                "questions": [q.text for q in c.questions],
                "sources": list(
                    dict.fromkeys(
                        [
                            *c.sources,
                            *(s for st in c.reasons_for + c.reasons_against for s in st.sources),
                        ]
                    )
                ),
            }
            for c in r.causes
        ],
        "next_steps": [
            {
                "id": s.id,
                # which wording of the step (next_steps.yaml), e.g. maternity_soon for see_doctor
                "rule": (s.statement.ref or "").removeprefix("step:") or s.id,
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
        "medications": [dict(m) for m in report.medications],
        "rucam": [r.to_dict() for r in r.rucam],
        "advice": [
            {"id": a.id, "text": a.statement.text, "sources": list(a.statement.sources)}
            for a in r.advice
        ],
        "trend": None if report.trend is None else dict(report.trend),
        "sections": [
            {
                "id": s.id,
                "heading": s.heading,
                "text": section_body(s, numbers),
                "sources": s.source_ids(),
                "detail": s.detail,  # under "more detail": folded where a page folds it
            }
            for s in report.sections
        ],
        "sources": [
            {**_source(src, report.language), "cited": i < len(report.listed_sources)}
            for i, src in enumerate(report.sources)
        ],
        "disclaimer": report.disclaimer,
    }


@lru_cache(maxsize=4096)
def _source(src: Source, lang: str) -> dict[str, Any]:
    """A source's entry in ``lang``, but for ``cited``: made once per source and language
    (the source is frozen knowledge; a report lists some thirty, and dumping each anew was
    a tenth of ``to_dict``). Its values are strings, so the copy each report takes is whole."""
    return {
        **{
            k: (src.short.get(lang) if k == "short" and src.short else v)
            for k, v in src.model_dump().items()
            if v is not None
        },
        **({"link": src.link} if src.link else {}),
    }


def render(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"
