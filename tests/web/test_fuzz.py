"""Schemathesis against the app in-process, from its own OpenAPI schema: no operation answers
5xx, every status it answers is documented, 405s name what is allowed, content types match.

Anonymous and signed in (with the session's CSRF token), a bounded number of examples per
operation in ``make test``; ``LIVERLENS_FUZZ_EXAMPLES=500`` runs a longer search.

``positive_data_acceptance`` is left out on purpose: the schema says "an object", and the
contract's content rules (a known test, a known unit, a believable value) reject much that
is schema-valid, with a 422 that names the problem. That is the behaviour, not a defect.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import checks

from liverlens.web import create_app
from liverlens.web.settings import Settings

EXAMPLES = int(os.environ.get("LIVERLENS_FUZZ_EXAMPLES", "25"))
SESSION = re.compile(r"ll_session=([^;]+)")


# The schema is read from the app when the module loads (schemathesis parametrizes the
# tests from it); the app gets a throwaway SQLite file of its own.
FUZZ_DB = Path(tempfile.mkdtemp(prefix="liverlens-fuzz-")) / "fuzz.db"
fuzzed_app = create_app(Settings(database_url=f"sqlite:///{FUZZ_DB}", secret_key="fuzz-secret"))
schema = schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app)


@pytest.fixture(scope="module")
def signed_in() -> dict[str, str]:
    """Headers of a signed-in user: the session cookie and its CSRF token."""
    with TestClient(fuzzed_app) as client:
        answer = client.post(
            "/api/v1/users", json={"email": "fuzz@example.org", "password": "correct horse 1"}
        )
        assert answer.status_code == 201
        cookie = SESSION.search(answer.headers["set-cookie"])
        assert cookie
        return {"x-csrf-token": answer.json()["csrf_token"], "cookie": f"ll_session={cookie[1]}"}


FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@schema.parametrize()
@FUZZ
def test_every_operation_anonymous(case: Any) -> None:
    case.call_and_validate(excluded_checks=[checks.positive_data_acceptance])


@schema.parametrize()
@FUZZ
def test_every_operation_signed_in(case: Any, signed_in: dict[str, str]) -> None:
    case.call_and_validate(headers=signed_in, excluded_checks=[checks.positive_data_acceptance])
