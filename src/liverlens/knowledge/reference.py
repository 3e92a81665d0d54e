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
    out += [
        "## Triage table",
        "",
        "The urgency of a panel is the highest level among the rows that fire; with none it is",
        "`none`. A row fires when every `when` condition holds (an engine predicate, or",
        "`not <predicate>`: not known to hold) and no `unless` predicate does. Each row fires in",
        "the vignettes it names (`tests/cases/`), which a test checks.",
        "",
    ]
    out += _table(
        ["id", "level", "red flag", "when", "unless", "says", "sources", "vignettes"],
        (
            (
                r.id,
                r.level,
                "yes" if r.red_flag else "",
                " and ".join(r.when),
                ", ".join(r.unless),
                r.text.en,
                _src(r.sources),
                ", ".join(r.vignettes),
            )
            for r in kb.urgency_rules
        ),
    )
    out += [
        "## Ranking rules",
        "",
        "Each cause is scored only for the people its `applies` describes and only when there is",
        "something to explain (an abnormal value, an ALT above the healthy limit, or an urgent",
        "finding). Its score is its prior plus the weight of every piece of evidence whose",
        "conditions all hold; evidence whose condition is unknown adds nothing and offers its",
        f"question instead. A score of {kb.likelihood.likely_at_least} or more is likely, "
        f"{kb.likelihood.possible_at_least} or more possible, otherwise less likely. Ties keep",
        "file order. The weights come from the guidelines each row cites; they were never fitted",
        "to a data set. The report explains the likely causes in full (at most three; the two",
        "best when fewer are likely) and the rest in one line.",
        "",
        "## Causes and their evidence",
        "",
    ]
    for cause in kb.causes.values():
        applies = f" Scored only when: {' and '.join(cause.applies)}." if cause.applies else ""
        out += [
            f"### {cause.id} ({cause.origin}, {cause.kind}): {cause.name.en}",
            "",
            f"Prior {cause.prior}.{applies} Sources: {_src(cause.sources)}.",
            "",
        ]
        out += _table(
            ["when", "weight", "says", "sources"],
            (
                (" and ".join(ev.predicates), f"{ev.weight:+d}", ev.text.en, _src(ev.sources))
                for ev in cause.evidence
            ),
        )
    out += [
        "## Next steps",
        "",
        "Said in this order when `when` holds, never beside a step",
        "said before it that it `excludes` (or that excludes it).",
        "",
    ]
    out += _table(
        ["id", "shown as", "when", "excludes", "window", "sources"],
        (
            (
                st.id,
                st.output_id,
                " and ".join(st.when),
                ", ".join(st.excludes),
                st.within_days or " to ".join(st.after_days or ()),
                _src(st.sources),
            )
            for st in kb.next_steps.values()
        ),
    )
    out += ["## Daily-life advice", ""]
    out += _table(
        ["id", "when", "excludes", "sources"],
        (
            (a.id, " and ".join(a.when), ", ".join(a.excludes), _src(a.sources))
            for a in kb.advice.values()
        ),
    )
    out += ["## Texts said only for some people", ""]
    out += _table(
        ["text", "when", "excludes"],
        (
            (t.id, " and ".join(t.when), ", ".join(t.excludes))
            for t in kb.texts.values()
            if t.when or t.excludes
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
    out += [
        "## Medicines (LiverTox)",
        "",
        "Every entry was compared with its LiverTox monograph on the date shown. Confidence V:",
        "read in the monograph; S: a parsed copy of the LiverTox records; R: not in LiverTox.",
        "",
    ]
    out += _table(
        ["id", "category", "confidence", "patterns", "group", "record", "revised", "checked"],
        (
            (
                m.id,
                m.livertox + (" [HD]" if m.high_dose_only else ""),
                m.category_confidence,
                ", ".join(m.patterns),
                m.group or "",
                m.livertox_record or "",
                m.livertox_updated or "",
                m.checked_on or "",
            )
            for m in kb.medicines.values()
        ),
    )
    rucam = kb.rucam
    out += [
        "## RUCAM (updated, 2016)",
        "",
        "Windows: " + ", ".join(f"{k} {v:g}" for k, v in rucam.windows.items()) + ".",
        "",
    ]
    out += _table(
        ["item", "finding", "points"],
        ((i.id, o.id, f"{o.points:+d}") for i in rucam.items for o in i.outcomes),
    )
    out += _table(
        ["band", "total up to"],
        ((b.id, "" if b.up_to is None else b.up_to) for b in rucam.bands),
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
        ["id", "title", "publisher", "link", "confidence"],
        (
            (s.id, s.title, s.publisher or "", s.link or s.standard or "", s.confidence or "")
            for s in kb.sources.values()
        ),
    )
    return "\n".join(out).rstrip() + "\n"
