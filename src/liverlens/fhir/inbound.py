"""FHIR R4 in: Observations (alone, in a Bundle, or as NDJSON) and a Patient -> the input contract.

Every resource is first validated with the ``fhir.resources.R4B`` models (R4B is the R4-shaped
package; never the top-level R5 models, which silently accept R4 JSON). Observations are
recognised by LOINC code only (``system`` must be http://loinc.org): a code LiverLens does not
know is reported back in ``unrecognised``, never guessed. The latest date's panel becomes the
current labs; earlier dates become ``history``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from liverlens.errors import InputError, Issue, issue
from liverlens.extras import require
from liverlens.fhir.observations import (
    PartialDate,
    Reading,
    panels_by_day,
    partial_date,
    read_observation,
)
from liverlens.inputs import MAX_HISTORY
from liverlens.knowledge import KnowledgeBase

SKIPPED_STATUS = {"cancelled", "entered-in-error", "registered"}


@dataclass
class FhirInput:
    """The input contract built from FHIR, plus what could not be used and why: codes
    LiverLens does not know (``unrecognised``) and everything else it left out or chose
    (``notes``, worded by ``i18n``)."""

    data: dict[str, Any]
    unrecognised: list[dict[str, str]] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)
    patient: str | None = None  # "Patient/<id>" the resources are about, when they name one


def _validate(resource: dict[str, Any]) -> Any:
    """Validate one resource with its R4B model (structure, datatypes, no unknown fields)."""
    kind = resource.get("resourceType")
    models = _models()
    if kind not in models:
        raise InputError(
            issue(
                "FHIR",
                "error.fhir.resource_type",
                given=repr(kind),
                accepted=", ".join(sorted(models)),
            )
        )
    try:
        return models[kind].model_validate(resource)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            issue(f"FHIR {kind}", "error.fhir.invalid", where=where, detail=first["msg"])
        ) from exc


def _models() -> dict[str, Any]:
    require("fhir.resources", "FHIR input", "fhir")
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.observation import Observation
    from fhir.resources.R4B.operationoutcome import OperationOutcome
    from fhir.resources.R4B.patient import Patient

    return {
        "Bundle": Bundle,
        "Observation": Observation,
        "Patient": Patient,
        "OperationOutcome": OperationOutcome,
    }


def resources_from_text(text: str) -> list[dict[str, Any]]:
    """A JSON resource, a Bundle, or NDJSON (one resource per line) -> flat resource list."""
    text = text.strip()
    if not text:
        raise InputError(issue("FHIR", "error.fhir.empty"))
    try:
        items = [json.loads(text)]
    except json.JSONDecodeError:
        try:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise InputError(
                issue("FHIR", "error.fhir.not_json", detail=exc.msg, line=exc.lineno)
            ) from exc
    out: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            raise InputError(issue("FHIR", "error.fhir.not_objects"))
        out += _flatten(item)
    return out


def _flatten(resource: dict[str, Any]) -> list[dict[str, Any]]:
    if resource.get("resourceType") != "Bundle":
        return [resource]
    _validate(resource)
    out = []
    for entry in resource.get("entry") or []:
        search = (entry.get("search") or {}).get("mode")
        inner = entry.get("resource")
        if inner is None or search in ("include", "outcome"):
            if inner is not None and inner.get("resourceType") == "Patient":
                out.append(inner)
            continue
        out += _flatten(inner)
    return out


def _subject(resource: Any) -> str | None:
    """``Patient/<id>`` an Observation is about (None when it names no one)."""
    ref = resource.subject.reference if resource.subject is not None else None
    return str(ref).split("/_history")[0] if ref else None


def from_resources(
    kb: KnowledgeBase, resources: list[dict[str, Any]], today: date | None = None
) -> FhirInput:
    """The input contract from FHIR resources of one patient.

    Observations of more than one patient (or a Patient resource for someone else than the
    Observations name) are refused rather than merged. Two results of one test on one day:
    the later one is used, and the report says so; two different ones at the same moment are
    refused. What is left out (a status, a value string that is not a number, a range in an
    unknown unit) is said in ``notes``, never dropped in silence.
    """
    result = FhirInput(data={})
    readings: list[Reading] = []
    patients: set[str] = set()
    person: dict[str, Any] = {}
    birth: PartialDate | None = None
    for raw in resources:
        kind = raw.get("resourceType")
        if kind == "OperationOutcome":
            continue
        resource = _validate(raw)
        if kind == "Patient":
            if resource.gender in ("male", "female"):
                person["sex"] = resource.gender
            birth = partial_date(resource.birthDate)
            if resource.id:
                patients.add(f"Patient/{resource.id}")
            continue
        if kind != "Observation":
            result.notes.append(issue("FHIR", "note.fhir.not_used", what=kind))
            continue
        if resource.status in SKIPPED_STATUS:
            result.notes.append(
                issue(f"Observation/{resource.id}", "note.fhir.status", status=resource.status)
            )
            continue
        subject = _subject(resource)
        if subject:
            patients.add(subject)
        reading = read_observation(
            kb, resource, result.notes, result.unrecognised, today or date.today()
        )
        if reading is not None:
            readings.append(reading)
    if len(patients) > 1:
        raise InputError(
            issue("FHIR", "error.fhir.many_patients", patients=", ".join(sorted(patients)))
        )
    if not readings:
        known = ", ".join(f"{a}: {', '.join(kb.analytes[a].loinc)}" for a in kb.analytes)
        raise InputError(issue("FHIR", "error.fhir.no_known_codes", known=known))
    panels = panels_by_day(readings, result.notes)
    days = sorted(panels)
    if len(days) > MAX_HISTORY + 1:  # the contract's bound: the latest panels are kept
        result.notes.append(
            issue(
                "FHIR", "note.fhir.history_trimmed", kept=MAX_HISTORY, since=days[-MAX_HISTORY - 1]
            )
        )
        days = days[-MAX_HISTORY - 1 :]
    latest = days[-1]
    if birth is not None:
        person["age"] = birth.youngest_age_on(latest)
        if birth.precision != "day":
            result.notes.append(
                issue("Patient.birthDate", "note.fhir.partial_birth", given=birth.text)
            )
    result.patient = next(iter(patients), None)
    result.data = {
        "person": person,
        "labs": panels[latest],
        "collected_on": latest.isoformat(),
        "history": [{"collected_on": d.isoformat(), "labs": panels[d]} for d in days[:-1]],
    }
    return result


def from_text(kb: KnowledgeBase, text: str, today: date | None = None) -> FhirInput:
    return from_resources(kb, resources_from_text(text), today)
