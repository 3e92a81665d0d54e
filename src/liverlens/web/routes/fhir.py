"""``POST /fhir/$interpret``: FHIR R4 in (Observations, a Bundle or NDJSON, plus a Patient),
a collection Bundle out (DiagnosticReport, annotated Observations, FIB-4 RiskAssessment).
Stores nothing. Errors come back as an OperationOutcome with status 422."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from liverlens.errors import InputError
from liverlens.fhir import interpret_fhir

router = APIRouter(tags=["FHIR"])
FHIR_JSON = "application/fhir+json"


def outcome(message: str) -> dict[str, object]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "invalid", "diagnostics": message}],
    }


@router.post("/fhir/$interpret", summary="Interpret FHIR Observations; returns a Bundle")
async def fhir_interpret(request: Request, lang: str = "en") -> JSONResponse:
    text = (await request.body()).decode("utf-8", errors="replace")
    try:
        result = interpret_fhir(text, language=lang)
    except InputError as exc:
        return JSONResponse(outcome(str(exc)), status_code=422, media_type=FHIR_JSON)
    return JSONResponse(result.bundle, media_type=FHIR_JSON)
