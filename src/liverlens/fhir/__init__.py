"""FHIR R4 in and out (``pip install liverlens[fhir]``): read Observations and a Patient,
write a DiagnosticReport, annotated Observations and a FIB-4 RiskAssessment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from liverlens import i18n
from liverlens.api import interpret
from liverlens.fhir.inbound import FhirInput, from_text
from liverlens.fhir.outbound import to_bundle
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.report.model import Report


@dataclass(frozen=True)
class FhirResult:
    report: Report
    source: FhirInput
    bundle: dict[str, Any]


def interpret_fhir(
    text: str,
    *,
    language: str = "en",
    knowledge: KnowledgeBase | None = None,
    today: date | None = None,
) -> FhirResult:
    """Interpret FHIR JSON/NDJSON; the result carries the report and the output Bundle."""
    kb = knowledge or load_knowledge()
    source = from_text(kb, text, today)
    data = dict(source.data, language=language)
    report = interpret(data, knowledge=kb, today=today)
    notes = [i18n.line(n, language) for n in source.notes]
    bundle = to_bundle(
        kb,
        report,
        patient_reference=source.patient,
        unrecognised=source.unrecognised,
        notes=notes,
    )
    return FhirResult(report, source, bundle)


__all__ = ["FhirResult", "interpret_fhir", "to_bundle"]
