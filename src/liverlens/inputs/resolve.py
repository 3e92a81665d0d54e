"""From the input contract to a checked ``Case``, in two steps, so every message can name
the field, what was given and what is accepted:

1. ``parse``: ``InterpretInput`` checks shape and types (unknown fields, sex, numbers, dates).
2. ``resolve`` checks the content against the knowledge base (analytes, units, plausible ranges,
   symptom and condition words, presets, languages) and converts every value to its
   canonical unit.

Both raise ``InputError`` with one issue per problem, so a person fixes everything in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from liverlens.errors import InputError, Issue, issue
from liverlens.inputs.model import (
    Context,
    InterpretInput,
    LabEntry,
    LabValue,
    MedicineTaken,
    Person,
)
from liverlens.knowledge import KnowledgeBase, Language
from liverlens.knowledge.medicines import MedicineMatch, match
from liverlens.knowledge.names import fold
from liverlens.knowledge.units import accepted_units, from_canonical, to_canonical, unit_for


@dataclass(frozen=True)
class LabResult:
    """One analyte, converted: ``value`` is canonical; ``raw_*`` is what the person gave."""

    analyte: str
    value: float
    unit: str
    raw_value: float
    raw_unit: str
    upper_limit: float | None
    lower_limit: float | None
    comparator: str | None = None  # "<", "<=", ">" or ">=" when the lab gave only a bound


@dataclass(frozen=True)
class Case:
    """A checked input: canonical values, resolved vocabulary, chosen preset and language."""

    person: Person
    bmi: float | None
    labs: dict[str, LabResult]
    context: Context
    symptoms: frozenset[str]
    symptoms_known: bool
    conditions: frozenset[str]
    conditions_known: bool
    medicines: tuple[MedicineMatch, ...] | None
    history: tuple[tuple[date, dict[str, LabResult]], ...]
    collected_on: date | None
    reference: str
    language: Language


def _loc(parts: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in parts) or "input"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field's type holds, looking through lists, unions and optionals."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str] | None:
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return None
        nxt = _model_in(field.annotation)
        if nxt is None:
            return None
        current = nxt
    return list(getattr(current, "model_fields", {}))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


UNION_ARMS = ("LabValue", "MedicineTaken", "constrained-str", "str")


def _is_tag(part: int | str) -> bool:
    """Pydantic names the arm of a union or a validator in an error's path; not a field."""
    return isinstance(part, str) and (part in UNION_ARMS or part.startswith("function-"))


def _wrong_arm(raw_loc: tuple[int | str, ...], given: Any) -> bool:
    """A union of "text or object" (a medicine: a name, or a name with dates) reports a
    failure for each arm; keep the one that matches what was given."""
    last = raw_loc[-1] if raw_loc else None
    if last == "MedicineTaken":  # the item itself failed as an object
        return not isinstance(given, dict)
    if last in ("constrained-str", "str"):  # the item itself failed as a name
        return isinstance(given, dict)
    return False


def _number_arm(loc: tuple[int | str, ...]) -> bool:
    """The error is about the "a number" arm of a lab entry (number or object)."""
    return any(isinstance(p, str) and p.startswith("function-before[_not_a_flag") for p in loc)


_PYDANTIC_MESSAGES = {
    "float_parsing": "error.input.number",
    "float_type": "error.input.number",
    "finite_number": "error.input.finite",
    "number_not_bool": "error.input.number_not_bool",
    "int_parsing": "error.input.whole_number",
    "int_type": "error.input.whole_number",
    "int_from_float": "error.input.whole_number",
    "bool_parsing": "error.input.yes_no",
    "bool_type": "error.input.yes_no",
    "date_parsing": "error.input.date",
    "date_from_datetime_parsing": "error.input.date",
    "date_from_datetime_inexact": "error.input.date",
    "date_type": "error.input.date",
    "string_type": "error.input.text",
    "list_type": "error.input.list",
    "dict_type": "error.input.object",
    "model_type": "error.input.object",
    "model_attributes_type": "error.input.object",
}
_PYDANTIC_LIMITS = {
    "greater_than_equal": ("error.input.at_least", "ge"),
    "less_than_equal": ("error.input.at_most", "le"),
    "greater_than": ("error.input.above", "gt"),
    "less_than": ("error.input.below", "lt"),
}


def _pydantic_issue(where: str, err: Any) -> Issue:
    """Pydantic's error as one of our messages, so it reads in the person's language."""
    given = repr(err.get("input"))
    if len(given) > 60:  # never echo a huge input back
        given = given[:57] + "..."
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind in _PYDANTIC_MESSAGES:
        return issue(where, _PYDANTIC_MESSAGES[kind], given=given)
    if kind in _PYDANTIC_LIMITS:
        message, key = _PYDANTIC_LIMITS[kind]
        return issue(where, message, limit=ctx.get(key), given=given)
    if kind == "too_long":
        actual = ctx.get("actual_length")
        return issue(where, "error.input.too_many", limit=ctx.get("max_length"), given=actual)
    if kind == "string_too_long":
        return issue(where, "error.input.too_long", limit=ctx.get("max_length"))
    if kind == "literal_error":
        return issue(where, "error.input.one_of", expected=ctx.get("expected"), given=given)
    return issue(where, "error.input.other", detail=err["msg"], given=given)


def _pydantic_issues(exc: ValidationError) -> list[Issue]:
    """One readable line per problem: field path, what is wrong, what was given."""
    issues: list[Issue] = []
    for err in exc.errors(include_url=False):
        raw_loc = err["loc"]
        loc = tuple(p for p in raw_loc if not _is_tag(p))
        given = err.get("input")
        # A lab entry is "a number or an object"; pydantic reports a failure for each branch.
        # Keep the branch that matches what was given.
        if _number_arm(raw_loc) and isinstance(given, dict):
            continue
        if "LabValue" in raw_loc and raw_loc[-1] == "LabValue" and not isinstance(given, dict):
            continue
        if _wrong_arm(raw_loc, given):
            continue
        if err["type"] == "extra_forbidden":
            accepted = _fields_at(InterpretInput, loc)
            if accepted:
                issues.append(
                    issue(_loc(loc), "error.input.unknown_field", accepted=", ".join(accepted))
                )
            else:
                issues.append(issue(_loc(loc), "error.input.unknown_field_bare"))
        elif err["type"] == "missing":
            issues.append(issue(_loc(loc), "error.input.missing"))
        elif _number_arm(raw_loc) and err["type"] in ("float_type", "float_parsing"):
            issues.append(issue(_loc(loc), "error.input.lab_shape", given=repr(given)))
        else:
            issues.append(_pydantic_issue(_loc(loc), err))
    return issues


def _surrogates(value: Any, path: str) -> list[str]:
    """Where text holds a lone surrogate (JSON allows "\\ud800"; no text can contain it):
    keys and values alike, so nothing invalid reaches a database, a log or an answer."""
    if isinstance(value, str):
        return [path] if _LONE_SURROGATE.search(value) else []
    if isinstance(value, dict):
        found: list[str] = []
        for k, v in value.items():
            key = str(k)
            if _LONE_SURROGATE.search(key):
                found.append(f"{path}.{readable(key)}" if path else readable(key))
            else:
                found += _surrogates(v, f"{path}.{key}" if path else key)
        return found
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _surrogates(v, f"{path}.{i}")]
    return []


def readable(text: str) -> str:
    """``text`` with any lone surrogate shown as U+FFFD, so it can be said back."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def parse(data: Any) -> InterpretInput:
    """Validate the shape of the input contract."""
    if isinstance(data, InterpretInput):
        return data
    if not isinstance(data, dict):
        raise InputError(issue("input", "error.input.not_object", given=type(data).__name__))
    bad = _surrogates(data, "")
    if bad:
        raise InputError([issue(where, "error.input.not_unicode") for where in bad])
    try:
        return InterpretInput.model_validate(data)
    except ValidationError as exc:
        raise InputError(_pydantic_issues(exc)) from exc


def _resolve_labs(
    kb: KnowledgeBase, labs: dict[str, LabEntry], where: str, issues: list[Issue]
) -> dict[str, LabResult]:
    out: dict[str, LabResult] = {}
    for key, entry in labs.items():
        analyte = key.strip().lower()
        field = f"{where}.{key}"
        if analyte not in kb.analytes:
            issues.append(issue(field, "error.lab.unknown_test", accepted=", ".join(kb.analytes)))
            continue
        lab = entry if isinstance(entry, LabValue) else LabValue(value=entry)
        family = kb.family_of(analyte)
        unit = unit_for(kb, analyte, lab.unit)
        if unit is None:
            issues.append(
                issue(
                    f"{field}.unit",
                    "error.lab.unknown_unit",
                    unit=repr(lab.unit),
                    accepted=", ".join(accepted_units(family)),
                )
            )
            continue
        value = to_canonical(lab.value, unit)
        upper = None if lab.upper_limit is None else to_canonical(lab.upper_limit, unit)
        lower = None if lab.lower_limit is None else to_canonical(lab.lower_limit, unit)
        top = kb.analytes[analyte].plausible_max
        if lab.value < 0:
            issues.append(issue(field, "error.lab.negative", given=f"{lab.value:g}"))
        elif value > top:
            issues.append(
                issue(
                    field,
                    "error.lab.implausible",
                    given=f"{lab.value:g}",
                    unit=unit.unit,
                    top=f"{top:g}",
                    canonical=family.canonical,
                )
            )
        lowest, highest = kb.analytes[analyte].limit_range
        for name, limit, raw in (
            ("upper_limit", upper, lab.upper_limit),
            ("lower_limit", lower, lab.lower_limit),
        ):
            floor = lowest if name == "upper_limit" else 0.0
            if limit is not None and raw is not None and not floor <= limit <= highest:
                issues.append(
                    issue(
                        f"{field}.{name}",
                        "error.lab.implausible_limit",
                        given=f"{raw:g}",
                        unit=unit.unit,
                        low=f"{from_canonical(floor, unit):g}",
                        high=f"{from_canonical(highest, unit):g}",
                    )
                )
        if upper is not None and lower is not None and lower >= upper:
            issues.append(issue(field, "error.lab.limits_order"))
        out[analyte] = LabResult(
            analyte=analyte,
            value=value,
            unit=family.canonical,
            raw_value=lab.value,
            raw_unit=unit.unit,
            upper_limit=upper,
            lower_limit=lower,
            comparator=lab.comparator,
        )
    return out


def _lab_issues_alone(kb: KnowledgeBase, data: Any) -> list[Issue]:
    labs = data.get("labs") if isinstance(data, dict) else None
    if not isinstance(labs, dict):
        return []
    parsed: dict[str, LabEntry] = {}
    for key, entry in labs.items():
        try:
            parsed[key] = InterpretInput.model_validate({"labs": {key: entry}}).labs[key]
        except ValidationError:
            continue  # its shape problem is already reported
    issues: list[Issue] = []
    _resolve_labs(kb, parsed, "labs", issues)
    return issues


def _resolve_terms(
    kb: KnowledgeBase, kb_terms: Any, given: list[str] | None, field: str, issues: list[Issue]
) -> frozenset[str]:
    if given is None:
        return frozenset()
    index = kb.term_index(kb_terms)
    found: set[str] = set()
    for word in given:
        term_id = index.get(fold(word))
        if term_id is None:
            accepted = ", ".join(t.id for t in kb_terms)
            issues.append(
                issue(field, "error.input.unknown_word", word=repr(word), accepted=accepted)
            )
        else:
            found.add(term_id)
    return frozenset(found)


def _resolve_medicines(
    kb: KnowledgeBase, given: list[str | MedicineTaken] | None, issues: list[Issue]
) -> tuple[MedicineMatch, ...] | None:
    """Match each name; a medicine given with dates keeps them (RUCAM reads them)."""
    if given is None:
        return None
    out: list[MedicineMatch] = []
    for i, entry in enumerate(given):
        name = entry if isinstance(entry, str) else entry.name
        if not name.strip():
            continue
        found = match(kb, name)
        if isinstance(entry, MedicineTaken):
            start, stop = entry.started_on, entry.stopped_on
            if start is not None and stop is not None and stop < start:
                issues.append(issue(f"context.medications.{i}", "error.input.stopped_before"))
            found = replace(found, started_on=start, stopped_on=stop)
        out.append(found)
    return tuple(out)


def resolve(kb: KnowledgeBase, data: Any) -> Case:
    """Check the input's content against the knowledge base and convert it into a ``Case``."""
    try:
        inp = parse(data)
    except InputError as exc:
        # Report the labs' content problems too, so one correction round fixes everything.
        raise InputError([*exc.details, *_lab_issues_alone(kb, data)]) from exc
    issues: list[Issue] = []
    labs = _resolve_labs(kb, inp.labs, "labs", issues)
    if not inp.labs:
        issues.append(issue("labs", "error.input.no_labs", accepted=", ".join(kb.analytes)))
    history = []
    for i, entry in enumerate(inp.history):
        history.append(
            (entry.collected_on, _resolve_labs(kb, entry.labs, f"history.{i}.labs", issues))
        )
    symptoms = _resolve_terms(
        kb, kb.vocabulary.symptoms, inp.context.symptoms, "context.symptoms", issues
    )
    conditions = _resolve_terms(
        kb,
        kb.vocabulary.conditions,
        inp.context.known_conditions,
        "context.known_conditions",
        issues,
    )
    reference = inp.reference or kb.preset_for(inp.language)
    if reference not in kb.presets:
        issues.append(
            issue(
                "reference",
                "error.input.unknown_preset",
                given=repr(reference),
                accepted=", ".join(kb.presets),
            )
        )
    missing = kb.untranslated(inp.language)
    if inp.language not in kb.languages:
        issues.append(
            issue(
                "language",
                "error.input.one_of",
                expected=", ".join(kb.languages),
                given=repr(inp.language),
            )
        )
    elif missing:
        ready = ", ".join(lang for lang in kb.languages if not kb.untranslated(lang))
        issues.append(
            issue(
                "language",
                "error.input.language_not_ready",
                given=repr(inp.language),
                count=len(missing),
                accepted=ready,
            )
        )
    if inp.person.pregnant and inp.person.sex == "male":
        issues.append(issue("person.pregnant", "error.input.pregnant_male"))
    if inp.person.pregnancy_weeks is not None and (
        inp.person.pregnant is False or inp.person.sex == "male"
    ):
        issues.append(issue("person.pregnancy_weeks", "error.input.weeks_not_pregnant"))
    medicines = _resolve_medicines(kb, inp.context.medications, issues)
    if issues:
        raise InputError(issues)
    p = inp.person
    if p.pregnancy_weeks is not None and p.pregnant is None:
        p = p.model_copy(update={"pregnant": True})  # weeks of pregnancy say it
    bmi = p.bmi
    if bmi is None and p.height_cm is not None and p.weight_kg is not None:
        bmi = round(p.weight_kg / (p.height_cm / 100) ** 2, 1)
    return Case(
        person=p,
        bmi=bmi,
        labs=labs,
        context=inp.context,
        symptoms=symptoms,
        symptoms_known=inp.context.symptoms is not None,
        conditions=conditions,
        conditions_known=inp.context.known_conditions is not None,
        medicines=medicines,
        history=tuple(sorted(history, key=lambda h: h[0])),
        collected_on=inp.collected_on,
        reference=reference,
        language=inp.language,
    )
