"""What the OpenAPI schema says each route may answer besides success.

Every status a route can return is documented, so a client (and a schema fuzzer) knows them
all; the words are the ones the answers carry, in short.
"""

from __future__ import annotations

from typing import Any

from liverlens.web.settings import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES

DESCRIPTIONS = {
    400: "The request body cannot be read (not JSON, or not what this operation takes).",
    405: "This path does not take that method; Allow lists the ones it takes.",
    401: "Not signed in, or the credentials or token were not accepted.",
    403: "The CSRF token is missing or wrong, or the request came from another site.",
    404: "No such panel among yours.",
    409: "An account with this e-mail exists.",
    412: "A CDS call without the data it needs and no FHIR server to fetch it from.",
    413: "The request body is larger than 256 kB.",
    422: "The input does not follow the contract: one entry per problem (loc, msg, id).",
    429: "Too many failed sign-ins: wait the seconds in Retry-After.",
    501: "This installation cannot read lab reports: the `extract` extra is not installed.",
    503: "The database stayed busy; nothing was written. Retry after the seconds in Retry-After.",
}
UPLOAD = {
    400: "The body is not multipart/form-data.",
    413: f"More than {MAX_UPLOAD_FILES} files, or more than {MAX_UPLOAD_BYTES // 2**20} MB in "
    "all (`detail` says which, in words).",
    422: "No file was sent, or a file is no readable PDF or picture, or no liver test was "
    "found on it: one entry per problem (loc, msg, id).",
}
"""The upload routes' own wording of the statuses they answer differently."""


def responses(
    *codes: int, overrides: dict[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` argument of a route or router for these error statuses;
    ``overrides`` words a status the route answers for its own reason (an upload's 413)."""
    words = {**DESCRIPTIONS, **(overrides or {})}
    return {code: {"description": words[code]} for code in codes}
