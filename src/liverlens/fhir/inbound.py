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

from liverlens.errors import InputError, issue
from liverlens.extras import require
from liverlens.knowledge import KnowledgeBase

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
SKIPPED_STATUS = {"cancelled", "entered-in-error", "registered"}


@dataclass
class FhirInput:
    """The input contract built from FHIR, plus what could not be used and why."""

    data: dict[str, Any]
    unrecognised: list[dict[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


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


def _day(obs: Any) -> date | None:
    when = obs.effectiveDateTime or (obs.effectivePeriod.start if obs.effectivePeriod else None)
    when = when or obs.effectiveInstant or obs.issued
    if when is None:
        return None
    day: date = when.date() if hasattr(when, "date") else when
    return day


def _unit(quantity: Any) -> str | None:
    unit: str | None = quantity.code or quantity.unit
    return unit


def from_resources(
    kb: KnowledgeBase, resources: list[dict[str, Any]], today: date | None = None
) -> FhirInput:
    loinc = kb.loinc_index
    result = FhirInput(data={})
    panels: dict[date, dict[str, Any]] = {}
    person: dict[str, Any] = {}
    birth: date | None = None
    for raw in resources:
        kind = raw.get("resourceType")
        if kind == "OperationOutcome":
            continue
        resource = _validate(raw)
        if kind == "Patient":
            if resource.gender in ("male", "female"):
                person["sex"] = resource.gender
            birth = resource.birthDate
            continue
        if kind != "Observation":
            result.skipped.append(f"{kind}: not used")
            continue
        if resource.status in SKIPPED_STATUS:
            result.skipped.append(f"Observation/{resource.id}: status {resource.status}")
            continue
        codes = [c for c in (resource.code.coding or []) if c.system == LOINC]
        analyte = next((loinc[c.code] for c in codes if c.code in loinc), None)
        if analyte is None:
            for c in resource.code.coding or [{}]:
                result.unrecognised.append(
                    {
                        "system": getattr(c, "system", None) or "",
                        "code": getattr(c, "code", None) or "",
                        "display": getattr(c, "display", None) or resource.code.text or "",
                    }
                )
            continue
        quantity = resource.valueQuantity
        if quantity is None or quantity.value is None:
            result.skipped.append(f"Observation/{resource.id}: no numeric value")
            continue
        lab: dict[str, Any] = {"value": float(quantity.value)}
        unit = _unit(quantity)
        if unit:
            lab["unit"] = unit
        for rr in resource.referenceRange or []:
            if rr.high is not None and rr.high.value is not None:
                lab["upper_limit"] = float(rr.high.value)
            if rr.low is not None and rr.low.value is not None:
                lab["lower_limit"] = float(rr.low.value)
            break
        day = _day(resource) or today or date.today()
        panels.setdefault(day, {})[analyte] = lab
    if not panels:
        known = ", ".join(f"{a}: {', '.join(kb.analytes[a].loinc)}" for a in kb.analytes)
        raise InputError(issue("FHIR", "error.fhir.no_known_codes", known=known))
    days = sorted(panels)
    latest = days[-1]
    if birth is not None:
        person["age"] = (latest - birth).days // 365.25
    result.data = {
        "person": person,
        "labs": panels[latest],
        "collected_on": latest.isoformat(),
        "history": [{"collected_on": d.isoformat(), "labs": panels[d]} for d in days[:-1]],
    }
    return result


def from_text(kb: KnowledgeBase, text: str, today: date | None = None) -> FhirInput:
    return from_resources(kb, resources_from_text(text), today)
