"""Generate ``docs/clinical-rules.md`` from the knowledge files.

The page lists every rule with its threshold and sources, so a clinician can review the whole
rule set without reading code. It is generated (``liverlens rules``, ``make docs``) and a test
fails when the committed page differs from what the knowledge files produce.
"""

from __future__ import annotations

from collections.abc import Iterable

from liverlens.knowledge.loader import KnowledgeBase


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def _table(header: list[str], rows: Iterable[Iterable[object]]) -> list[str]:
    return [_row(header), _row("---" for _ in header), *(_row(r) for r in rows), ""]


def _src(ids: Iterable[str]) -> str:
    return ", ".join(ids)


def clinical_rules_markdown(kb: KnowledgeBase) -> str:
    out = [
        "# LiverLens clinical rules",
        "",
        "Generated from `src/liverlens/knowledge/data/` by `liverlens rules` (`make docs`).",
        "Do not edit by hand: change the knowledge files and regenerate. Source ids are listed",
        "at the end; confidence V = checked against the primary text, S = secondary source,",
        "R = widely cited, not re-checked.",
        "",
        "## Thresholds",
        "",
    ]
    out += _table(
        ["id", "value", "unit", "meaning", "sources"],
        (
            (t.id, f"{t.value:g}", t.unit, t.meaning, _src(t.sources))
            for t in kb.thresholds.values()
        ),
    )
    out += [
        f"Cause likelihood: score ≥ {kb.likelihood.likely_at_least} likely, "
        f"≥ {kb.likelihood.possible_at_least} possible, otherwise less likely.",
        "",
        "## Reference limits",
        "",
    ]
    for preset in kb.presets.values():
        out += [f"### {preset.id}: {preset.label.en}", "", preset.description.en, ""]
        out += _table(
            ["analyte", "sex", "age", "lower", "upper", "source", "note"],
            (
                (
                    lim.analyte,
                    lim.sex,
                    f"{lim.age_min or ''}-{lim.age_max or ''}".strip("-") or "any",
                    "" if lim.lower is None else f"{lim.lower:g}",
                    f"{lim.upper:g}",
                    lim.source,
                    lim.note or "",
                )
                for lim in preset.limits
            ),
        )
    out += ["## Urgency rules and red flags", ""]
    out += _table(
        ["id", "level", "red flag", "when", "sources"],
        (
            (r.id, r.level, "yes" if r.red_flag else "", r.when, _src(r.sources))
            for r in kb.urgency_rules
        ),
    )
    out += ["## Causes and their evidence", ""]
    for cause in kb.causes.values():
        out += [
            f"### {cause.id} ({cause.origin}, {cause.kind}): {cause.name.en}",
            "",
            f"Prior {cause.prior}. Sources: {_src(cause.sources)}.",
            "",
        ]
        out += _table(
            ["when", "weight", "sources"],
            (
                (" and ".join(ev.predicates), f"{ev.weight:+d}", _src(ev.sources))
                for ev in cause.evidence
            ),
        )
    out += ["## Scores", ""]
    out += _table(
        ["id", "name", "formula", "inputs", "sources"],
        (
            (s.id, s.name.en, s.formula, ", ".join(s.inputs), _src(s.sources))
            for s in kb.scores.values()
        ),
    )
    out += ["## Work-up", ""]
    out += _table(
        ["test", "deferrable", "when", "unless", "sources"],
        (
            (
                t.id,
                "yes" if t.deferrable else "",
                " and ".join(r.predicates),
                ", ".join(r.unless),
                _src(r.sources),
            )
            for t in kb.workup.values()
            for r in t.rules
        ),
    )
    out += ["## Medicines (LiverTox)", ""]
    out += _table(
        ["id", "category", "confidence", "pattern", "kind"],
        (
            (
                m.id,
                m.livertox + (" [HD]" if m.high_dose_only else ""),
                m.category_confidence,
                m.pattern,
                m.kind,
            )
            for m in kb.medicines.values()
        ),
    )
    out += ["## Units", ""]
    out += _table(
        ["family", "unit", "factor to canonical", "canonical"],
        (
            (f.id, u.unit, f"{u.factor:g}", f.canonical)
            for f in kb.unit_families.values()
            for u in f.units
        ),
    )
    out += ["## Sources", ""]
    out += _table(
        ["id", "title", "confidence"],
        ((s.id, s.title, s.confidence or "") for s in kb.sources.values()),
    )
    return "\n".join(out).rstrip() + "\n"
