"""FHIR R4 out: a report -> a collection Bundle with a DiagnosticReport, one Observation per
analyte (annotated with v3-ObservationInterpretation codes and the reference range used) and a
RiskAssessment for FIB-4 when it was computed.

The Bundle is validated with the ``fhir.resources.R4B`` models; ``check_codes`` adds the checks
those models skip (code bindings: statuses, interpretation codes, UCUM and LOINC systems).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from liverlens.errors import OutputError
from liverlens.knowledge import KnowledgeBase
from liverlens.report.model import Report

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
RISK = "http://terminology.hl7.org/CodeSystem/risk-probability"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DIAG_SERVICE = "http://terminology.hl7.org/CodeSystem/v2-0074"
URGENCY_SYSTEM = "urn:liverlens:codesystem:urgency"
RED_FLAG_SYSTEM = "urn:liverlens:codesystem:red-flag"
UNRECOGNISED_CODES = "urn:liverlens:unrecognised-codes"
INPUT_NOTE = "urn:liverlens:input-note"
HEPATIC_PANEL = "24325-3"  # Hepatic function 2000 panel - Serum or Plasma
UCUM_CODES = {
    "U/L": "U/L",
    "umol/L": "umol/L",
    "g/L": "g/L",
    "10^9/L": "10*9/L",
    "INR": "{INR}",
    "mmol/L": "mmol/L",
}
MOLAR_CODES = {"bilirubin": "14631-6", "direct_bilirubin": "14629-0", "creatinine": "14682-9"}
STATUS_CODES = {"high": ("H", "High"), "low": ("L", "Low"), "normal": ("N", "Normal")}
RISK_OF_BAND = {"low": "low", "indeterminate": "moderate", "high": "high"}


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _loinc_code(kb: KnowledgeBase, analyte: str) -> str:
    return MOLAR_CODES.get(analyte) or kb.analytes[analyte].loinc[0]


def _observation(
    kb: KnowledgeBase, report: Report, analyte: str, effective: str, subject: dict[str, str]
) -> dict[str, Any]:
    f = report.analytes[analyte]
    unit = UCUM_CODES.get(f.unit, f.unit)
    quantity = {"value": f.value, "unit": f.unit, "system": UCUM, "code": unit}
    if f.comparator is not None:
        quantity["comparator"] = f.comparator
    limits: dict[str, Any] = {
        "high": {"value": f.upper_limit, "unit": f.unit, "system": UCUM, "code": unit},
        "text": f"limit source: {f.limit_source}",
    }
    if f.lower_limit is not None:
        limits["low"] = {"value": f.lower_limit, "unit": f.unit, "system": UCUM, "code": unit}
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "laboratory"}]}],
        "code": {
            "coding": [
                {
                    "system": LOINC,
                    "code": _loinc_code(kb, analyte),
                    "display": kb.analytes[analyte].name.en,
                }
            ],
            "text": kb.analytes[analyte].short.get(report.language),
        },
        "effectiveDateTime": effective,
        "valueQuantity": quantity,
        "referenceRange": [limits],
    }
    if f.status is not None:  # a bound that does not settle the status has no interpretation
        code, display = STATUS_CODES[f.status]
        obs["interpretation"] = [
            {"coding": [{"system": INTERPRETATION, "code": code, "display": display}]}
        ]
    obs["subject"] = subject
    return obs


def to_bundle(
    kb: KnowledgeBase,
    report: Report,
    patient_reference: str | None = None,
    unrecognised: list[dict[str, str]] | None = None,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    """The report as a FHIR R4 collection Bundle (validated before it is returned).

    ``unrecognised`` are the input's codes LiverLens did not use and ``notes`` what else the
    reader left out or chose (worded); the DiagnosticReport names both in extensions, so a
    reader of the Bundle knows what the report was built from."""
    effective = (report.collected_on or date.today()).isoformat()
    entries: list[dict[str, Any]] = []
    if patient_reference is None:  # no one named: an anonymous Patient the resources share
        patient_reference = _urn()
        entries.append({"fullUrl": patient_reference, "resource": {"resourceType": "Patient"}})
    subject = {"reference": patient_reference}
    refs: dict[str, str] = {}
    for analyte in report.analytes:
        url = _urn()
        refs[analyte] = url
        entries.append(
            {"fullUrl": url, "resource": _observation(kb, report, analyte, effective, subject)}
        )
    summary = next((s for s in report.to_dict()["sections"] if s["id"] == "summary"), None)
    conclusion_codes = [{"coding": [{"system": URGENCY_SYSTEM, "code": report.urgency}]}]
    conclusion_codes += [
        {"coding": [{"system": RED_FLAG_SYSTEM, "code": f.id}]} for f in report.red_flags
    ]
    diagnostic: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "status": "final",
        "category": [{"coding": [{"system": DIAG_SERVICE, "code": "LAB"}]}],
        "code": {
            "coding": [
                {"system": LOINC, "code": HEPATIC_PANEL, "display": "Hepatic function panel"}
            ],
            "text": "LiverLens interpretation of a liver panel",
        },
        "effectiveDateTime": effective,
        "issued": datetime.now(UTC).isoformat(),
        "result": [{"reference": refs[a]} for a in report.analytes],
        "conclusion": report.title + ("\n\n" + summary["text"] if summary else ""),
        "conclusionCode": conclusion_codes,
        "subject": subject,
    }
    extensions = []
    if unrecognised:
        codes = ", ".join(f"{u['system']}|{u['code']}" for u in unrecognised)
        extensions.append({"url": UNRECOGNISED_CODES, "valueString": codes})
    extensions += [{"url": INPUT_NOTE, "valueString": note} for note in notes or []]
    if extensions:
        diagnostic["extension"] = extensions
    entries.insert(0, {"fullUrl": _urn(), "resource": diagnostic})  # the report first
    fib4 = report.scores.get("fib4", {})
    if fib4.get("value") is not None and fib4.get("band"):
        risk: dict[str, Any] = {
            "resourceType": "RiskAssessment",
            "status": "final",
            "method": {"text": "FIB-4 (Sterling 2006; cut-offs 1.30/2.67, 2.0 from age 65)"},
            "occurrenceDateTime": effective,
            "basis": [{"reference": refs[a]} for a in ("ast", "alt", "platelets") if a in refs],
            "prediction": [
                {
                    "outcome": {"text": "advanced liver fibrosis"},
                    "qualitativeRisk": {
                        "coding": [{"system": RISK, "code": RISK_OF_BAND[fib4["band"]]}]
                    },
                    "rationale": f"FIB-4 {fib4['value']}: {fib4['band']}",
                }
            ],
        }
        risk["subject"] = subject
        entries.append({"fullUrl": _urn(), "resource": risk})
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": datetime.now(UTC).isoformat(),
        "entry": entries,
    }
    validate(bundle)
    return bundle


def validate(bundle: dict[str, Any]) -> None:
    """R4B structure validation plus LiverLens's own binding checks; raises on failure."""
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate(bundle)
    except ValidationError as exc:  # pragma: no cover - a bug if it happens
        raise OutputError(f"LiverLens built an invalid Bundle: {exc}") from exc
    problems = check_codes(bundle)
    if problems:  # pragma: no cover - a bug if it happens
        raise OutputError("; ".join(problems))


def check_codes(bundle: dict[str, Any]) -> list[str]:
    """The code bindings fhir.resources does not check."""
    problems = []
    allowed_interpretation = {c for c, _ in STATUS_CODES.values()}
    for entry in bundle.get("entry", []):
        r = entry["resource"]
        kind = r["resourceType"]
        if kind == "Patient":  # the anonymous subject: nothing coded to check
            continue
        if r.get("status") not in {"final", "amended", "corrected", "preliminary"}:
            problems.append(f"{kind}: status {r.get('status')!r}")
        if kind == "Observation":
            for coding in r["code"]["coding"]:
                if coding["system"] != LOINC:
                    problems.append(f"Observation code system {coding['system']}")
            if r["valueQuantity"]["system"] != UCUM:
                problems.append("Observation valueQuantity must use UCUM")
            for interp in r.get("interpretation", []):
                for coding in interp["coding"]:
                    if coding["system"] != INTERPRETATION or coding["code"] not in (
                        allowed_interpretation
                    ):
                        problems.append(f"interpretation {coding}")
        if kind == "RiskAssessment":
            for p in r["prediction"]:
                code = p["qualitativeRisk"]["coding"][0]["code"]
                if code not in {"negligible", "low", "moderate", "high", "certain"}:
                    problems.append(f"risk-probability {code}")
    return problems
