"""The vendored htmx is the pinned release, unchanged, and the report page serves it from
the app itself (no other origin, so the CSP's ``script-src 'self'`` holds)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fastapi.testclient import TestClient

import liverlens.web
from tests.web.conftest import post_form

VENDOR = Path(liverlens.web.__file__).parent / "static" / "vendor" / "htmx"


def test_the_vendored_htmx_is_the_pinned_release() -> None:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    pinned = re.search(r"sha256 of htmx.min.js: ([0-9a-f]{64})", readme)
    assert pinned is not None
    digest = hashlib.sha256((VENDOR / "htmx.min.js").read_bytes()).hexdigest()
    assert digest == pinned.group(1)
    assert "version: 2.0.11" in readme
    assert (VENDOR / "htmx.min.js").read_text(encoding="utf-8").count('version:"2.0.11"') == 1
    assert "Zero-Clause BSD" in (VENDOR / "LICENSE").read_text(encoding="utf-8")


def test_the_report_page_loads_it_from_the_app(client: TestClient) -> None:
    response = post_form(client, "/report", {"alt_value": "85"})
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/vendor/htmx/htmx.min.js" in scripts
    assert all(s.startswith("/static/") for s in scripts)
    served = client.get("/static/vendor/htmx/htmx.min.js")
    assert served.status_code == 200 and "javascript" in served.headers["content-type"]
