"""Fetch what a CDS client did not prefetch, from its FHIR server, as CDS Hooks 2.0 allows.

When a call lacks a prefetch key (or carries an OperationOutcome there because the client's
own prefetch failed) and gives both ``fhirServer`` and ``fhirAuthorization``, the service may
read the data itself with the client's bearer token. Without both, or when the server cannot
be read, the answer stays 412 Precondition Failed, as the spec requires.

The token is the EHR's, so it is only ever sent to the ``fhirServer`` the verified client
named: search pages are followed only while their ``next`` link stays on that server, only
``https`` is accepted (plain ``http`` only to this machine, for development), redirects are
not followed, and the patient id must be a FHIR id before it goes into a URL.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from liverlens.errors import FhirFetchError

FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # used with fullmatch: no trailing newline
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT_S = 10.0
MAX_PAGES = 20  # 20 pages of _count=100: more liver results than any chart holds
MAX_BYTES = 20 << 20


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """urllib forwards the Authorization header to wherever a redirect points; refusing
    redirects keeps the EHR's token on the server the client named (a 3xx becomes an error)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _check_server(server: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(server)
    local_http = parts.scheme == "http" and parts.hostname in LOOPBACK
    if parts.scheme != "https" and not local_http:
        raise FhirFetchError(f"fhirServer must use https (given {parts.scheme or 'no'} scheme)")
    if not parts.netloc or parts.username or parts.password:
        raise FhirFetchError("fhirServer must be a plain https://host/path base URL")
    return parts


def _same_server(url: str, base: urllib.parse.SplitResult) -> bool:
    parts = urllib.parse.urlsplit(url)
    return (parts.scheme, parts.netloc) == (base.scheme, base.netloc) and parts.path.startswith(
        base.path.rstrip("/") + "/"
    )


def _get(url: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 - only https (or loopback http) reaches here
        url,
        headers={"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"},
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT_S) as response:
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise FhirFetchError(f"the FHIR server answered {exc.code} for {url}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FhirFetchError(f"the FHIR server could not be reached ({exc})") from exc
    if len(body) > MAX_BYTES:
        raise FhirFetchError(f"the FHIR server's answer for {url} is larger than 20 MiB")
    try:
        value = json.loads(body)
    except json.JSONDecodeError as exc:
        raise FhirFetchError(f"the FHIR server's answer for {url} is not JSON") from exc
    if not isinstance(value, dict):
        raise FhirFetchError(f"the FHIR server's answer for {url} is not a FHIR resource")
    return value


def _search(first: str, token: str, base: urllib.parse.SplitResult) -> dict[str, Any]:
    """All pages of a search as one searchset Bundle."""
    entries: list[Any] = []
    url: str | None = first
    for _ in range(MAX_PAGES):
        if url is None:
            break
        page = _get(url, token)
        if page.get("resourceType") != "Bundle":
            raise FhirFetchError(f"expected a Bundle from {url}, got {page.get('resourceType')}")
        entries += page.get("entry") or []
        nexts = [
            link.get("url") for link in page.get("link") or [] if link.get("relation") == "next"
        ]
        url = nexts[0] if nexts and isinstance(nexts[0], str) else None
        if url is not None and not _same_server(url, base):
            raise FhirFetchError("a search page pointed to another server; it was not followed")
    return {"resourceType": "Bundle", "type": "searchset", "entry": entries}


def fetch_missing(
    body: Mapping[str, Any],
    templates: Mapping[str, str],
    prefetch: dict[str, Any],
    required: frozenset[str] = frozenset({"observations"}),
) -> dict[str, Any]:
    """``prefetch`` completed from the client's FHIR server; raises ``FhirFetchError`` when a
    ``required`` key can be neither found nor fetched (the caller answers 412 with the
    reason). An optional key (the Patient: sex and age refine the card but are not needed)
    that cannot be fetched is left out."""

    def failed(value: object) -> bool:  # the client tried and sent an OperationOutcome
        return isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"

    missing = [key for key in templates if key not in prefetch or failed(prefetch[key])]
    if not missing:
        return prefetch
    try:
        server, token, patient = _fetch_settings(body, missing)
    except FhirFetchError:
        if required & set(missing):
            raise
        return {k: v for k, v in prefetch.items() if not failed(v)}
    base = _check_server(server)
    done = dict(prefetch)
    for key in missing:
        query = templates[key].replace("{{context.patientId}}", patient)
        url = server.rstrip("/") + "/" + query
        if key in required:
            done[key] = _search(url, token, base)
            continue
        try:
            done[key] = _get(url, token)
        except FhirFetchError:
            done[key] = None  # optional: the card can be made without it
    return done


def _fetch_settings(body: Mapping[str, Any], missing: list[str]) -> tuple[str, str, str]:
    """The FHIR server, the bearer token and the patient id, or why they cannot be used."""
    server, auth = body.get("fhirServer"), body.get("fhirAuthorization")
    if not isinstance(server, str) or not isinstance(auth, dict):
        raise FhirFetchError(
            f"prefetch {', '.join(missing)} missing, and no fhirServer with fhirAuthorization "
            "to fetch it from"
        )
    token = auth.get("access_token")
    bearer = str(auth.get("token_type", "")).lower() == "bearer"
    if not isinstance(token, str) or not token or not bearer:
        raise FhirFetchError("fhirAuthorization needs a Bearer access_token")
    context = body.get("context")
    patient = context.get("patientId") if isinstance(context, dict) else None
    if not isinstance(patient, str) or not FHIR_ID.fullmatch(patient):
        raise FhirFetchError("context.patientId is not a FHIR id")
    return server, token, patient
