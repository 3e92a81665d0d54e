"""The panel form: its fields (generated from the knowledge base), how a submission becomes the
input contract, and how contract errors find their way back to the field that caused them.

Nothing typed is lost: a rejected form is shown again with every value as entered and each
message beside its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from liverlens import i18n
from liverlens.errors import InputError
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.knowledge.schema import Language

YES_NO = {"": None, "yes": True, "no": False}
PERSON_NUMBERS = ("age", "height_cm", "weight_kg", "bmi")
PERSON_FLAGS = ("diabetes", "pregnant", "asian")
CONTEXT_FLAGS = ("late_nights", "fatigue", "recent_heavy_drinking", "possible_overdose")


@dataclass(frozen=True)
class LabField:
    analyte: str
    label: str
    units: tuple[str, ...]


def lab_fields(kb: KnowledgeBase) -> list[LabField]:
    return [
        LabField(a, kb.analytes[a].short.en, tuple(u.unit for u in kb.family_of(a).units))
        for a in kb.analytes
    ]


class _Errors(dict[str, str]):
    """Form errors by field, worded in the page's language."""

    def __init__(self, lang: Language) -> None:
        super().__init__()
        self.lang = lang

    def add(self, key: str, message: str, **values: object) -> None:
        self[key] = load_knowledge().say(message, self.lang, **values)


def _number(form: dict[str, str], key: str, errors: _Errors) -> float | None:
    raw = form.get(key, "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        errors.add(key, "error.form.not_number", given=raw)
        return None


def _words(raw: str) -> list[str]:
    return [w.strip() for w in re.split(r"[\n,;]+", raw) if w.strip()]


def to_input(
    kb: KnowledgeBase, form: dict[str, Any], lang: Language = "en"
) -> tuple[dict[str, Any], dict[str, str]]:
    """Build the input contract from a form; returns it with number-format errors by field,
    worded in ``lang`` (the page's language)."""
    errors = _Errors(lang)
    labs: dict[str, Any] = {}
    for f in lab_fields(kb):
        value = _number(form, f"{f.analyte}_value", errors)
        upper = _number(form, f"{f.analyte}_upper", errors)
        if value is None:
            if upper is not None:
                errors.add(f"{f.analyte}_value", "error.form.value_for_limit")
            continue
        entry: dict[str, Any] = {"value": value, "unit": form.get(f"{f.analyte}_unit") or None}
        if upper is not None:
            entry["upper_limit"] = upper
        labs[f.analyte] = entry
    person: dict[str, Any] = {}
    if form.get("sex"):
        person["sex"] = form["sex"]
    for key in PERSON_NUMBERS:
        v = _number(form, key, errors)
        if v is not None:
            person[key] = v
    for key in PERSON_FLAGS:
        flag = YES_NO.get(str(form.get(key, "")))
        if flag is not None:
            person[key] = flag
    context: dict[str, Any] = {}
    days = _number(form, "exercise_days_ago", errors)
    if days is not None:
        context["strenuous_exercise_days_ago"] = days
    grams = _number(form, "alcohol_g_week", errors)
    if grams is not None:
        context["alcohol_grams_per_week"] = grams
    for key in CONTEXT_FLAGS:
        flag = YES_NO.get(str(form.get(key, "")))
        if flag is not None:
            context[key] = flag
    meds = form.get("medications", "")
    if form.get("no_medications") == "yes":
        context["medications"] = []
    elif meds.strip():
        context["medications"] = _words(meds)
    symptoms = form.get("symptoms") or []
    if symptoms:
        context["symptoms"] = list(symptoms)
    conditions = form.get("known_conditions") or []
    if conditions:
        context["known_conditions"] = list(conditions)
    data: dict[str, Any] = {"labs": labs, "person": person, "context": context}
    if form.get("collected_on"):
        data["collected_on"] = form["collected_on"]
    if form.get("reference"):
        data["reference"] = form["reference"]
    if form.get("language"):
        data["language"] = form["language"]
    return data, errors


_PATH_TO_FIELD = {
    "person.sex": "sex",
    "context.strenuous_exercise_days_ago": "exercise_days_ago",
    "context.alcohol_grams_per_week": "alcohol_g_week",
    "context.medications": "medications",
    "context.symptoms": "symptoms",
    "context.known_conditions": "known_conditions",
    "collected_on": "collected_on",
    "reference": "reference",
    "language": "language",
    "labs": "labs",
}


def field_for(issue: str) -> str:
    """Which form field an input-contract issue ("labs.alt.unit: ...") belongs to."""
    path = issue.split(":", 1)[0].strip()
    parts = path.split(".")
    if parts[0] == "labs" and len(parts) >= 2:
        tail = parts[2] if len(parts) > 2 else "value"
        return f"{parts[1]}_{'upper' if tail == 'upper_limit' else tail}"
    if parts[0] == "person" and len(parts) == 2:
        return _PATH_TO_FIELD.get(path, parts[1])
    if parts[0] == "context" and len(parts) >= 2:
        return _PATH_TO_FIELD.get(f"context.{parts[1]}", parts[1])
    return _PATH_TO_FIELD.get(path, "form")


def issues_by_field(error: InputError, lang: Language = "en") -> dict[str, str]:
    """The problems of an ``InputError`` by form field, worded in ``lang``."""
    out: dict[str, str] = {}
    for problem in error.details:
        key = field_for(problem.field)
        message = i18n.said(problem, lang)
        out[key] = f"{out[key]}; {message}" if key in out else message
    return out


def form_from_input(kb: KnowledgeBase, data: dict[str, Any]) -> dict[str, Any]:
    """The reverse of ``to_input``: fill the form from a stored panel (for editing)."""
    form: dict[str, Any] = {}
    for analyte, lab in (data.get("labs") or {}).items():
        form[f"{analyte}_value"] = f"{lab['value']:g}"
        form[f"{analyte}_unit"] = lab.get("unit") or ""
        if lab.get("upper_limit") is not None:
            form[f"{analyte}_upper"] = f"{lab['upper_limit']:g}"
    person = data.get("person") or {}
    for key, value in person.items():
        form[key] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    context = data.get("context") or {}
    if "strenuous_exercise_days_ago" in context:
        form["exercise_days_ago"] = f"{context['strenuous_exercise_days_ago']:g}"
    if "alcohol_grams_per_week" in context:
        form["alcohol_g_week"] = f"{context['alcohol_grams_per_week']:g}"
    for key in CONTEXT_FLAGS:
        if key in context:
            form[key] = "yes" if context[key] else "no"
    if context.get("medications") == []:
        form["no_medications"] = "yes"
    form["medications"] = "\n".join(context.get("medications") or [])
    form["symptoms"] = list(context.get("symptoms") or [])
    form["known_conditions"] = list(context.get("known_conditions") or [])
    form["collected_on"] = data.get("collected_on", "")
    form["reference"] = data.get("reference", "")
    form["language"] = data.get("language", "")
    return form
