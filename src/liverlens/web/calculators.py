"""The calculator pages (issue 14, item 6): one page per score, in the MDCalc manner.

A page asks only for its score's inputs, turns them into the input contract with the panel
form's own parser (``forms.to_input``) and reads the score from ``liverlens.api.findings``:
the same checks and the same engine expressions a report, a batch table and Spark use.
Nothing here computes a score or holds a cut-off. This module decides which fields a page
shows, words what each accepts, puts every problem beside its field and gathers what the
template shows. RUCAM, which scores a medicine from dates, has its own module
(``calculator_rucam``) built on the same pieces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from liverlens.api import Findings, findings
from liverlens.errors import InputError
from liverlens.inputs import InputField, input_fields
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import Language, Note, ScoreDef, Source
from liverlens.knowledge.units import unit_symbol
from liverlens.web.forms import issues_by_field, lab_label, to_input

Kind = Literal["lab", "limit", "number", "flag", "choice", "date", "text", "words"]

# What a page asks for besides its score's own inputs (scores.yaml ``inputs``): APRI divides
# by the lab's AST upper limit, and MELD counts dialysis. Asked here, computed by the engine.
EXTRA_INPUTS: dict[str, tuple[str, ...]] = {
    "apri": ("ast_upper",),
    "meld": ("dialysis_twice_past_week",),
}
OPTIONAL = frozenset({"dialysis_twice_past_week"})  # the engine reads "not said" as "no"
# A clinician's labels for the person and context fields: the panel form's are written for
# the person ("Or BMI", "as a doctor judged it"), which reads oddly on a calculator.
FIELD_LABELS = {
    "age": "ui.calc.field.age",
    "bmi": "ui.calc.field.bmi",
    "diabetes": "ui.calc.field.diabetes",
    "ascites": "ui.calc.field.ascites",
    "encephalopathy": "ui.calc.field.encephalopathy",
    "dialysis_twice_past_week": "ui.calc.field.dialysis",
    "sex": "ui.form.sex",
    "alcohol_grams_per_week": "ui.calc.field.alcohol",
    "pregnant": "ui.calc.field.pregnant",
}


@dataclass(frozen=True)
class CalcField:
    """One input of a calculator page, as the template draws it."""

    key: str  # the form field (``ast_value``, ``age``, ``ast_upper``)
    kind: Kind
    label: str  # in the page's language
    accepts: str  # what it takes, in words: its hint, and the tail of its error
    required: bool = True
    units: tuple[str, ...] = ()  # a lab result's units, as the contract spells them
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) of a choice
    unit_label: str = ""  # a lab row's unit control, for screen readers and the summary
    limit_key: str | None = None  # a lab row that also takes the lab's upper limit
    limit_label: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        """Every form field it draws, in page order (a lab row: value, unit, limit)."""
        if self.kind != "lab":
            return (self.key,)
        unit = self.key.removesuffix("_value") + "_unit"
        return (self.key, unit, *((self.limit_key,) if self.limit_key else ()))


@dataclass(frozen=True)
class Result:
    """What a page shows once it has a score."""

    name: str
    value: str  # as shown: "1.67", "7 points"
    band: str | None = None  # the band's id, for styling and for the list of bands
    meaning: str | None = None  # what the band (or, unbanded, the score) means
    notes: tuple[str, ...] = ()  # the engine's caveats (not read in an acute rise, age ...)
    items: tuple[tuple[str, str, str], ...] = ()  # RUCAM: (item, finding, points)


@dataclass(frozen=True)
class Calculator:
    """A calculator page: its fields, its notes and its sources."""

    id: str
    name: str
    about: str
    fields: tuple[CalcField, ...]
    when_to_use: tuple[Note, ...]
    pitfalls: tuple[Note, ...]
    sources: tuple[Source, ...]
    bands: tuple[tuple[str, str], ...] = ()  # (band id, what it means), in order

    @property
    def order(self) -> dict[str, int]:
        keys = [k for f in self.fields for k in f.keys]
        return {k: i for i, k in enumerate(keys)}

    @property
    def labels(self) -> dict[str, str]:
        """Each form field's label, for the error summary (which names what to fix)."""
        out = {f.key: f.label for f in self.fields}
        for f in self.fields:
            if f.kind == "lab":
                out[f.keys[1]] = f.unit_label
            if f.limit_key:
                out[f.limit_key] = f.limit_label
        return out

    @property
    def numbers(self) -> dict[str, int]:
        """Source id -> its number in the page's list of sources."""
        return {s.id: i for i, s in enumerate(self.sources, start=1)}


@dataclass(frozen=True)
class Outcome:
    """A submitted page: the form as typed, each problem by field, and the result."""

    form: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    result: Result | None = None


def _field(name: str) -> InputField:
    return next(f for f in input_fields() if f.name == name)


def lab_field(
    kb: KnowledgeBase,
    analyte: str,
    lang: Language,
    *,
    with_limit: bool = False,
    required: bool = True,
) -> CalcField:
    """A lab result with its unit (any unit the contract knows: the engine converts), and
    with ``with_limit`` the lab's own upper limit beside it, as the panel form names them."""
    units = tuple(u.unit for u in kb.family_of(analyte).units)
    name = lab_label(kb, analyte, lang)
    shown = kb.say("join.comma", lang).join(unit_symbol(u) for u in units)
    return CalcField(
        f"{analyte}_value",
        "lab",
        name,
        kb.say("ui.calc.accepts_lab", lang, units=shown),
        required=required,
        units=units,
        unit_label=kb.say("ui.form.unit", lang, name=name),
        limit_key=f"{analyte}_upper" if with_limit else None,
        limit_label=kb.say("ui.form.upper_limit", lang, name=name) if with_limit else "",
    )


def limit_field(kb: KnowledgeBase, analyte: str, lang: Language) -> CalcField:
    """A lab's upper limit asked for on its own: APRI divides by it, so it is required."""
    name = lab_label(kb, analyte, lang)
    label = kb.say("ui.form.upper_limit", lang, name=name)
    return CalcField(f"{analyte}_upper", "limit", label, kb.say("ui.calc.accepts_limit", lang))


def person_field(
    kb: KnowledgeBase, name: str, lang: Language, *, required: bool = True
) -> CalcField:
    """A person or context field of the contract, under its form name (``f.short``)."""
    f = _field(name)
    label = kb.say(FIELD_LABELS.get(name, f.label), lang)
    if f.kind == "number":
        low, high = (kb.number(x, 2, lang) for x in (f.low or 0, f.high or 0))
        accepts = kb.say("ui.calc.accepts_number", lang, low=low, high=high)
        return CalcField(f.short, "number", label, accepts, required)
    choices: tuple[tuple[str, str], ...]
    if f.kind == "flag":
        choices = (("", "ui.choice.unsure"), ("yes", "ui.choice.yes"), ("no", "ui.choice.no"))
        accepts = kb.say("ui.calc.accepts_yes_no", lang)
    else:
        choices = f.choice_labels
        accepts = kb.say("ui.calc.accepts_choice", lang)
    shown = tuple((value, kb.say(text_id, lang)) for value, text_id in choices)
    return CalcField(
        f.short, "flag" if f.kind == "flag" else "choice", label, accepts, required, choices=shown
    )


def _score_field(kb: KnowledgeBase, column: str, lang: Language) -> CalcField:
    if column in kb.analytes:
        return lab_field(kb, column, lang)
    if column.endswith("_upper") and column.removesuffix("_upper") in kb.analytes:
        return limit_field(kb, column.removesuffix("_upper"), lang)
    return person_field(kb, column, lang, required=column not in OPTIONAL)


def cited(kb: KnowledgeBase, *groups: Sequence[str]) -> tuple[Source, ...]:
    """The sources of a page, each once, in the order the page first cites them."""
    ids = dict.fromkeys(s for group in groups for s in group)
    return tuple(kb.sources[s] for s in ids)


def score_calculator(kb: KnowledgeBase, score: ScoreDef, lang: Language) -> Calculator:
    columns = (*score.inputs, *EXTRA_INPUTS.get(score.id, ()))
    notes = (*score.when_to_use, *score.pitfalls)
    return Calculator(
        id=score.id,
        name=score.name.get(lang),
        about=score.about.get(lang),
        fields=tuple(_score_field(kb, c, lang) for c in columns),
        when_to_use=score.when_to_use,
        pitfalls=score.pitfalls,
        sources=cited(kb, score.sources, *(n.sources for n in notes)),
        bands=tuple((band, text.get(lang)) for band, text in score.bands.items()),
    )


def only(calc: Calculator, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The submitted values of this page's own fields, nothing else: a stray field (a
    pregnancy flag, another test) must not change what the page computes."""
    return {k: str(raw[k]) for f in calc.fields for k in f.keys if isinstance(raw.get(k), str)}


def explained(
    kb: KnowledgeBase, calc: Calculator, errors: Mapping[str, str], lang: Language
) -> dict[str, str]:
    """Each problem followed by what its field accepts, in page order (the summary's)."""
    accepts = {f.key: f.accepts for f in calc.fields}  # a unit's own error lists its units
    for f in calc.fields:
        if f.limit_key:
            accepts[f.limit_key] = kb.say("ui.calc.accepts_limit", lang)
    order = calc.order
    out: dict[str, str] = {}
    for key in sorted(errors, key=lambda k: order.get(k, len(order))):
        said = errors[key]
        if key in accepts:
            said = kb.say("ui.calc.error", lang, message=said, accepted=accepts[key])
        out[key] = said
    return out


def run(
    kb: KnowledgeBase, form: dict[str, Any], lang: Language
) -> tuple[dict[str, Any], dict[str, str], Findings | None]:
    """The input contract of a page's form, its problems by field, and the engine's run
    (None when the contract refused the input)."""
    data, errors = to_input(kb, form, lang)
    try:
        found = findings(data)
    except InputError as exc:
        return data, issues_by_field(exc, lang) | dict(errors), None
    return data, dict(errors), found


def missing(calc: Calculator, form: Mapping[str, str], errors: dict[str, str], needs: str) -> None:
    """Mark each empty required field, also when the contract refused the input before the
    engine could say what the score needs (an empty page has no results at all); the
    contract's own "give at least one result" then says nothing the fields do not."""
    empty = [f.key for f in calc.fields if f.required and not form.get(f.key, "").strip()]
    for key in empty:
        errors.setdefault(key, needs)
    if empty:
        errors.pop("labs", None)


def _key(kb: KnowledgeBase, column: str) -> str:
    """The form field of an engine column the score still needs."""
    if column in kb.analytes:
        return f"{column}_value"
    return _field(column).short


def _shown(kb: KnowledgeBase, value: object, lang: Language) -> str:
    if isinstance(value, float):
        return kb.number(value, 3, lang)  # FIB-4 and APRI come rounded to 2, NFS to 3
    return str(value)


def score_result(kb: KnowledgeBase, score: ScoreDef, found: Findings, lang: Language) -> Result:
    """The score as a page shows it: the engine's value, band and caveats, in words from
    the knowledge files (``scores.yaml``, and the report's own caveat texts)."""
    entry, row = found.scores[score.id], found.row
    name = score.name.get(lang)
    value = entry["value"]
    shown = _shown(kb, value, lang)
    band = entry.get(score.band_key) if score.band else None
    if isinstance(value, int) and score.band is not None:
        shown = kb.say("ui.calc.points", lang, value=shown)
    notes: list[str] = []
    invalid = entry.get("not_valid")
    if invalid:
        notes.append(kb.say(f"scores.not_valid.{invalid}", lang, name=name, value=shown))
    if score.id == "fib4" and entry.get("age_caveat"):
        notes.append(kb.say("scores.fib4_young", lang))
    if score.id == "fib4" and row.get("fib4_older_cutoff"):
        notes.append(kb.say("scores.fib4_older", lang))
    if score.id == "meld" and entry.get("meld") is not None and entry["meld"] != value:
        notes.append(kb.say("ui.calc.meld_before_sodium", lang, meld=entry["meld"]))
    meaning = score.bands[band].get(lang) if band else None  # MELD-Na: its lead says it
    return Result(name, shown, band, meaning, tuple(notes))


def calculate_score(
    kb: KnowledgeBase, score: ScoreDef, raw: Mapping[str, Any], lang: Language
) -> Outcome:
    """A submitted score page: the result, or every problem beside its field."""
    calc = score_calculator(kb, score, lang)
    form = only(calc, raw)
    _, errors, found = run(kb, form, lang)
    name = score.name.get(lang)
    needs = kb.say("ui.calc.needs", lang, score=name)
    if found is not None:
        entry = found.scores[score.id]
        for column in entry["needs"]:
            errors.setdefault(_key(kb, column), needs)
        for column in entry.get("needs_exact", ()):
            errors.setdefault(_key(kb, column), kb.say("ui.calc.needs_exact", lang, score=name))
    missing(calc, form, errors, needs)
    if errors or found is None:
        return Outcome(form, explained(kb, calc, errors, lang))
    return Outcome(form, {}, score_result(kb, score, found, lang))
