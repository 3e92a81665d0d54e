"""CDS Hooks 2.0: a ``patient-view`` service that turns a patient's liver Observations into a
card in the clinician's EHR.

- ``GET /cds-services``: discovery, with prefetch templates for the patient and the liver
  Observations (by LOINC code, newest first).
- ``POST /cds-services/liverlens-patient-view``: verifies the client's JWT (asymmetric keys
  from the configured trusted issuers; ``aud`` must be this endpoint), reads the prefetch,
  calls ``liverlens.interpret`` once and answers with at most one card whose indicator follows
  the urgency. A prefetch key that is ``null`` means the EHR has no such data (no card); a
  missing one is read from the client's ``fhirServer`` with its ``fhirAuthorization``
  (``cds_fetch.py``), and without those the service answers 412 as the spec asks.

Trusted issuers come from the settings (``LIVERLENS_CDS_TRUSTED_ISSUERS``: JSON mapping each
``iss`` to ``{"keys": [JWK, ...]}``). With none configured every call is refused.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Body, HTTPException, Request

from liverlens import i18n
from liverlens.api import interpret
from liverlens.errors import FhirFetchError, InputError
from liverlens.fhir.inbound import from_resources
from liverlens.knowledge import load_knowledge
from liverlens.report.clinician import summarize
from liverlens.report.model import Report
from liverlens.report.render.summary import card_markdown
from liverlens.vocabulary import Likelihood, Urgency
from liverlens.web import cds_auth
from liverlens.web.cds_fetch import fetch_missing
from liverlens.web.openapi import responses

SERVICE_ID = "liverlens-patient-view"
INDICATOR = {
    Urgency.URGENT: "critical",
    Urgency.SOON: "warning",
    Urgency.ROUTINE: "info",
    Urgency.NONE: "info",
}
SUMMARY_MAX = 139

router = APIRouter(tags=["CDS Hooks"])


def _prefetch_templates() -> dict[str, str]:
    kb = load_knowledge()
    codes = ",".join(f"http://loinc.org|{c}" for c in kb.loinc_index)
    return {
        "patient": "Patient/{{context.patientId}}",
        "observations": f"Observation?patient={{{{context.patientId}}}}&code={codes}"
        "&_sort=-date&_count=100",
    }


@router.get("/cds-services", summary="CDS Hooks discovery")
def discovery() -> dict[str, Any]:
    return {
        "services": [
            {
                "hook": "patient-view",
                "id": SERVICE_ID,
                "title": "LiverLens liver enzyme review",
                "description": "Reads the patient's liver panel (ALT first) and returns a card "
                "with the grade, pattern, red flags, likely causes and next tests.",
                "prefetch": _prefetch_templates(),
            }
        ]
    }


def verify_jwt(request: Request) -> dict[str, Any]:
    """Verify the call's JWT (``cds_auth``) against the configured issuers and this service's
    configured endpoint; 401 with the reason if it does not pass."""
    settings = request.app.state.settings
    if not settings.cds_trusted_issuers:
        raise HTTPException(
            status_code=401,
            detail="no trusted CDS clients are configured (set LIVERLENS_CDS_TRUSTED_ISSUERS)",
        )
    if not settings.public_url:
        raise HTTPException(
            status_code=401,
            detail="this service's address is not configured (set LIVERLENS_PUBLIC_URL), "
            "so no token's audience can be checked",
        )
    audience = f"{settings.public_url.rstrip('/')}/cds-services/{SERVICE_ID}"
    try:
        return cds_auth.verify(
            request.headers.get("authorization", ""),
            settings.cds_trusted_issuers,
            audience,
            request.app.state.cds_replays,
        )
    except cds_auth.Refused as exc:
        raise HTTPException(status_code=401, detail=str(exc)) from exc


def _entries(value: object) -> list[dict[str, Any]]:
    """The resources of one prefetch value: a resource, or a Bundle's entries."""
    if not isinstance(value, dict):
        return []
    if value.get("resourceType") != "Bundle":
        return [value]
    entries = value.get("entry")
    return [
        e["resource"]
        for e in (entries if isinstance(entries, list) else [])
        if isinstance(e, dict) and isinstance(e.get("resource"), dict)
    ]


def _about(resource: dict[str, Any], patient_id: str) -> bool:
    """Whether a resource is about the card's patient (or names no one)."""
    if resource.get("resourceType") == "Patient":
        return resource.get("id") in (None, patient_id)
    subject = resource.get("subject")
    reference = subject.get("reference") if isinstance(subject, dict) else None
    return reference is None or str(reference).split("/_history")[0] == f"Patient/{patient_id}"


def _resources(prefetch: dict[str, Any], patient_id: str) -> list[dict[str, Any]]:
    """The prefetched resources about the card's patient. A search result may carry other
    patients' Observations (a server that ignores ``patient=``): those are left out, never
    merged into this patient's card."""
    found = [r for key in ("patient", "observations") for r in _entries(prefetch.get(key))]
    return [r for r in found if _about(r, patient_id)]


def _summary(report: Report) -> str:
    """The card's one line (under 140 characters), in the report's language."""
    kb, lang = load_knowledge(), report.language
    alt = report.analytes.get("alt")
    parts = []
    if report.red_flags:
        flags = ", ".join(f.id.replace("_", " ") for f in report.red_flags)
        parts.append(kb.say("cds.urgent", lang, flags=flags))
    if alt is not None:
        grade = kb.say(f"cds.grade.{report.alt_grade or 'normal'}", lang)
        parts.append(kb.say("cds.alt", lang, fold=f"{alt.fold_uln:.1f}", grade=grade))
    if report.trend and report.trend.get("persistent"):
        months = f"{report.trend['months_elevated']:g}"
        parts.append(kb.say("cds.raised_months", lang, months=months))
    likely = [report.names[c.id] for c in report.causes if c.likelihood == Likelihood.LIKELY][:2]
    if likely:
        joined = kb.say("join.comma", lang).join(likely)
        parts.append(kb.say("cds.likely", lang, causes=joined))
    said = kb.say("cds.separator", lang).join(parts) or kb.say("cds.reviewed", lang)
    text = f"LiverLens: {said}"
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def _detail(report: Report) -> str:
    """The card's Markdown detail, in the report's language and a clinician's register: the
    clinician summary (``report/clinician.py``) that the one-page summary PDF and the web's
    clinician view also render, so the EHR says what the page the patient brings says. The
    lay explanation stays in the full report."""
    return card_markdown(summarize(report))


@router.post(
    f"/cds-services/{SERVICE_ID}",
    summary="patient-view: the LiverLens card",
    responses=responses(400, 401, 412, 413, 422),
)
def patient_view(
    request: Request,
    body: dict[str, Any] = Body(...),  # noqa: B008
) -> dict[str, Any]:
    verify_jwt(request)
    context = body.get("context")
    if body.get("hook") != "patient-view" or not isinstance(context, dict):
        raise HTTPException(status_code=400, detail="expected a patient-view call with context")
    patient_id = context.get("patientId")
    if not isinstance(patient_id, str):
        raise HTTPException(status_code=400, detail="context.patientId must be a FHIR id")
    given = body.get("prefetch")
    try:
        prefetch = fetch_missing(
            body, _prefetch_templates(), given if isinstance(given, dict) else {}
        )
    except FhirFetchError as exc:
        raise HTTPException(status_code=412, detail=str(exc)) from exc
    if prefetch.get("observations") is None:
        return {"cards": []}  # null: the EHR has no liver Observations for this patient
    kb = load_knowledge()
    # CDS Hooks has no language field; the client's Accept-Language chooses the card's words
    lang = i18n.from_accept_language(request.headers.get("accept-language")) or i18n.DEFAULT
    try:
        source = from_resources(kb, _resources(prefetch, patient_id))
        report = interpret({**source.data, "language": lang}, knowledge=kb)
    except InputError:
        return {"cards": []}
    base = str(request.base_url).rstrip("/")
    return {
        "cards": [
            {
                "uuid": str(uuid.uuid4()),
                "summary": _summary(report),
                "indicator": INDICATOR[report.urgency],
                "detail": _detail(report),
                "source": {
                    "label": "LiverLens",
                    "url": f"{base}/",
                    "topic": {"system": "urn:liverlens:codesystem:urgency", "code": report.urgency},
                },
            }
        ]
    }
