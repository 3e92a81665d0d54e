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
from liverlens.inputs import InputField, input_fields
from liverlens.inputs.fields import fieldsets
from liverlens.inputs.numbers import NotANumber, number_issue, read_number, split_bound
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.knowledge.schema import Language

YES_NO = {"": None, "yes": True, "no": False}


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


def lab_label(kb: KnowledgeBase, analyte: str, lang: Language) -> str:
    """A test's name on the form: the English full name or the Chinese short name, with the
    abbreviation most lab sheets print beside it ("Alanine aminotransferase (ALT)")."""
    a = kb.analytes[analyte]
    full = a.name.en[:1].upper() + a.name.en[1:] if lang == "en" else a.short.get(lang)
    if full != a.short.en and a.short.en.isupper():
        full += kb.say("ui.form.abbreviation", lang, short=a.short.en)
    return full


_LAB_PARTS: tuple[tuple[str, str | None], ...] = (
    ("value", None),
    ("unit", "ui.form.unit"),
    ("lower", "ui.form.lower_limit"),
    ("upper", "ui.form.upper_limit"),
)


def error_summary(
    kb: KnowledgeBase, errors: dict[str, str], lang: Language
) -> list[tuple[str, str, str]]:
    """The form's errors in the order their fields appear on the page, each as (field id,
    the field's label, the message), so the summary names what to fix and where."""
    labels: dict[str, str] = {"files": kb.say("ui.upload.label", lang), "labs": ""}
    for f in lab_fields(kb):
        name = lab_label(kb, f.analyte, lang)
        for part, label_id in _LAB_PARTS:
            key = f"{f.analyte}_{part}"
            labels[key] = name if label_id is None else kb.say(label_id, lang, name=name)
    labels["collected_on"] = kb.say("ui.form.collected_on", lang)
    for fields in fieldsets().values():
        for field in fields:
            labels[field.short] = kb.say(field.label, lang)
    order = {key: i for i, key in enumerate(labels)}
    ranked = sorted(errors, key=lambda key: order.get(key, len(order)))
    return [(key, labels.get(key, ""), errors[key]) for key in ranked]


class _Errors(dict[str, str]):
    """Form errors by field, worded in the page's language."""

    def __init__(self, lang: Language) -> None:
        super().__init__()
        self.lang = lang

    def add(self, key: str, message: str, **values: object) -> None:
        self[key] = load_knowledge().say(message, self.lang, **values)


def _number(form: dict[str, str], key: str, errors: _Errors) -> float | None:
    raw = form.get(key, "").strip()
    if not raw:
        return None
    try:
        return read_number(raw)
    except NotANumber as problem:  # "1,000": asked about, never guessed
        said = number_issue(key, problem)
        errors.add(key, said.message, **dict(said.values))
        return None


def _lab_value(form: dict[str, str], key: str, errors: _Errors) -> tuple[float | None, str | None]:
    """A lab value field: a number, or a bound (``<5``) as the value and its comparator.

    A report read by ``liverlens.extract`` fills the field as the lab printed it, so a person
    checks ``<5`` against the sheet rather than a bare 5 that reads as a measured value."""
    raw = form.get(key, "")
    comparator, rest = split_bound(raw)
    if comparator is None:
        return _number(form, key, errors), None
    if not rest.strip():  # a bare "<": no number to go with it
        errors.add(key, "error.form.not_number", given=raw.strip())
        return None, None
    value = _number({key: rest}, key, errors)
    return value, None if value is None else comparator


def _words(raw: str) -> list[str]:
    return [w.strip() for w in re.split(r"[\n,;]+", raw) if w.strip()]


def _field_value(f: InputField, form: dict[str, Any], errors: _Errors) -> Any:
    """One contract field from its form field (``f.short``); None when left empty."""
    if f.kind == "number":
        return _number(form, f.short, errors)
    if f.kind == "flag":
        return YES_NO.get(str(form.get(f.short, "")))
    if f.kind == "words":
        if form.get(f"no_{f.short}") == "yes":  # "I have none": known to be none
            ticked = f.vocabulary is not None and form.get(f.short)
            if ticked or (f.vocabulary is None and _words(str(form.get(f.short, "")))):
                none = load_knowledge().say(f.none_label or "", errors.lang)
                errors.add(f.short, "error.form.none_and_some", none=none)
            return []
        if f.vocabulary is not None:  # ticked boxes; none ticked says nothing
            return list(form.get(f.short) or []) or None
        return _words(str(form.get(f.short, ""))) or None
    return form.get(f.short) or None


def vocabulary_fields() -> list[InputField]:
    """The fields filled by ticking words from vocabulary.yaml (symptoms, conditions)."""
    return [f for f in input_fields() if f.vocabulary is not None]


def to_input(
    kb: KnowledgeBase, form: dict[str, Any], lang: Language = "en"
) -> tuple[dict[str, Any], dict[str, str]]:
    """Build the input contract from a form; returns it with number-format errors by field,
    worded in ``lang`` (the page's language)."""
    errors = _Errors(lang)
    labs: dict[str, Any] = {}
    for f in lab_fields(kb):
        value, comparator = _lab_value(form, f"{f.analyte}_value", errors)
        upper = _number(form, f"{f.analyte}_upper", errors)
        lower = _number(form, f"{f.analyte}_lower", errors)  # only a read report shows it
        if value is None:
            if upper is not None or lower is not None:
                errors.add(f"{f.analyte}_value", "error.form.value_for_limit")
            continue
        entry: dict[str, Any] = {"value": value, "unit": form.get(f"{f.analyte}_unit") or None}
        if comparator is not None:
            entry["comparator"] = comparator
        if lower is not None:
            entry["lower_limit"] = lower
        if upper is not None:
            entry["upper_limit"] = upper
        labs[f.analyte] = entry
    groups: dict[str, dict[str, Any]] = {"person": {}, "context": {}}
    for field in input_fields():
        value = _field_value(field, form, errors)
        if value is not None:
            groups[field.group][field.name] = value
    data: dict[str, Any] = {"labs": labs, **groups}
    if form.get("collected_on"):
        data["collected_on"] = form["collected_on"]
    if form.get("reference"):
        data["reference"] = form["reference"]
    if form.get("language"):
        data["language"] = form["language"]
    return data, errors


def field_for(path: str) -> str:
    """Which form field an input-contract issue's field (``labs.alt.unit``) belongs to."""
    parts = path.split(".")
    if parts[0] == "labs" and len(parts) >= 2:
        tail = parts[2] if len(parts) > 2 else "value"
        short = {"upper_limit": "upper", "lower_limit": "lower", "comparator": "value"}
        return f"{parts[1]}_{short.get(tail, tail)}"
    if parts[0] in ("person", "context") and len(parts) >= 2:
        found = {f.path: f.short for f in input_fields()}
        return found.get(f"{parts[0]}.{parts[1]}", parts[1])
    if parts[0] in ("collected_on", "reference", "language", "labs"):
        return parts[0]
    return "form"


def issues_by_field(error: InputError, lang: Language = "en") -> dict[str, str]:
    """The problems of an ``InputError`` by form field, worded in ``lang``."""
    out: dict[str, str] = {}
    for problem in error.details:
        key = field_for(problem.field)
        message = i18n.said(problem, lang)
        out[key] = f"{out[key]}; {message}" if key in out else message
    return out


def _shown(value: Any) -> str:
    """A stored or posted value as a form field shows it (as given when it is no number)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g}"
    return "" if value is None else str(value)


def form_from_input(kb: KnowledgeBase, data: dict[str, Any]) -> dict[str, Any]:
    """The reverse of ``to_input``: fill the form from a stored panel (for editing)."""
    form: dict[str, Any] = {}
    labs = data.get("labs")
    for analyte, lab in (labs if isinstance(labs, dict) else {}).items():
        entry = lab if isinstance(lab, dict) else {"value": lab}
        form[f"{analyte}_value"] = str(entry.get("comparator") or "") + _shown(entry.get("value"))
        form[f"{analyte}_unit"] = str(entry.get("unit") or "")
        for key, short in (("lower_limit", "lower"), ("upper_limit", "upper")):
            if entry.get(key) is not None:
                form[f"{analyte}_{short}"] = _shown(entry[key])
    for f in input_fields():
        group = data.get(f.group)
        value = group.get(f.name) if isinstance(group, dict) else None
        if value is None:
            continue
        if f.kind == "flag":
            form[f.short] = "yes" if value is True else "no" if value is False else str(value)
        elif f.kind == "words" and isinstance(value, list):
            words = [str(v) for v in value]
            form[f.short] = words if f.vocabulary is not None else "\n".join(words)
            if value == []:
                form[f"no_{f.short}"] = "yes"
        else:
            form[f.short] = _shown(value)
    form["collected_on"] = data.get("collected_on", "")
    form["reference"] = data.get("reference", "")
    form["language"] = data.get("language", "")
    return form
