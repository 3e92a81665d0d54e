"""``/api/docs``: the API's OpenAPI page, served by the app itself.

FastAPI's own page loads Swagger UI from a CDN with no integrity check, runs an inline
script (which the app's CSP forbids) and is blank offline. Here Swagger UI's files come from
an installed package (``fastapi-offline``), under ``/api/docs/assets``, and the page starts
them with a script file of ours, so the page works offline and keeps the same CSP as every
other page. A stylesheet of ours darkens the colours whose text falls under WCAG's contrast,
and the page is one ``<main>`` landmark.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from liverlens.extras import require

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>LiverLens API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
<link rel="stylesheet" href="/static/api-docs.css">
</head><body><main id="swagger-ui"></main>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body></html>
"""


def assets() -> StaticFiles:
    """Swagger UI's JavaScript and CSS, from the package that ships them."""
    package = require("fastapi_offline", "the API documentation page", "web")
    return StaticFiles(directory=str(resources.files(package.__name__) / "static"))


@router.get("/api/docs")
def api_docs() -> HTMLResponse:
    return HTMLResponse(PAGE)
