"""``POST /fhir/$interpret``: FHIR R4 in (Observations, a Bundle or NDJSON, plus a Patient),
a collection Bundle out (DiagnosticReport, annotated Observations, FIB-4 RiskAssessment).
Stores nothing. Errors come back as an OperationOutcome with status 422."""

from __future__ import annotations

from fastapi import APIRouter, Request

from liverlens import i18n
from liverlens.errors import InputError
from liverlens.fhir import interpret_fhir
from liverlens.web.openapi import responses
from liverlens.web.responses import JSON

router = APIRouter(tags=["FHIR"])
FHIR_JSON = "application/fhir+json"


def outcome(messages: list[str]) -> dict[str, object]:
    """One OperationOutcome issue per problem, in the requested language."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "invalid", "diagnostics": m} for m in messages],
    }


@router.post(
    "/fhir/$interpret",
    summary="Interpret FHIR Observations; returns a Bundle",
    responses=responses(413, 422),
)
async def fhir_interpret(request: Request, lang: str = "en") -> JSON:
    text = (await request.body()).decode("utf-8", errors="replace")
    try:
        result = interpret_fhir(text, language=lang)
    except InputError as exc:
        said = i18n.describe(exc, lang)
        return JSON(outcome(said), status_code=422, media_type=FHIR_JSON)
    return JSON(result.bundle, media_type=FHIR_JSON)
