"""The summary for the doctor on the web (routes/summary.py): the report page's two buttons,
the clinician view and the one-page PDF, for the report just read (from its payload, with
its CSRF token) and for a saved result (its owner only, in the reader's language)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf, post_form, sign_up

pdfium = pytest.importorskip("pypdfium2", reason="install liverlens[extract] (pypdfium2)")
pytest.importorskip("weasyprint", reason="install liverlens[pdf]")

FORM = {
    "alt_value": "95",
    "alt_unit": "U/L",
    "alt_upper": "50",
    "ast_value": "45",
    "sex": "male",
    "age": "28",
    "exercise_days_ago": "1",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _payload(page: str) -> str:
    found = re.search(r'name="payload" value="([^"]+)"', page)
    assert found, "the report page carries its payload"
    return found.group(1).replace("&#34;", '"').replace("&quot;", '"')


def pdf_text(response: Any) -> tuple[int, str]:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    doc = pdfium.PdfDocument(response.content)
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    return len(doc), " ".join(text.split())


def test_a_report_offers_the_summary_and_the_clinician_view(client: TestClient) -> None:
    page = post_form(client, "/report", FORM).text
    actions = page[page.index('<div class="actions no-print">') :]
    for action, label in (
        ("/report/summary.pdf", "Summary for your doctor (PDF)"),
        ("/report/summary", "Clinician view"),
    ):
        form = re.search(
            rf'<form method="post" action="{re.escape(action)}".*?</form>', actions, re.S
        )
        assert form and label in form.group(0) and 'name="payload"' in form.group(0)
        assert 'name="csrf_token"' in form.group(0)


def test_the_clinician_view_of_an_unsaved_report(client: TestClient) -> None:
    page = post_form(client, "/report", FORM).text
    view = client.post(
        "/report/summary", data={"csrf_token": csrf(client), "payload": _payload(page)}
    )
    assert view.status_code == 200 and view.headers["content-type"].startswith("text/html")
    html = view.text
    assert '<link rel="stylesheet" href="/static/summary.css">' in html
    assert "<h1>Liver test summary for the clinician</h1>" in html
    assert "Test date not given" in html
    # what the patient entered, and the values against the lab's limit with the fold
    assert "<dt>Sex:</dt><dd>male</dd>" in html and "<dt>Age:</dt><dd>28 y</dd>" in html
    assert "<dt>Strenuous exercise:</dt><dd>1 d before the test</dd>" in html
    assert '<th scope="row">ALT</th><td class="num">95 U/L</td><td>≤ 50 U/L (lab)</td>' in html
    assert '<td class="num">1.9</td><td class="status-high">high</td>' in html
    assert "Hard or unaccustomed exercise</strong> (likely)" in html
    # no lay explanation, the page's own PDF button carries the payload on
    assert "What happens in the body" not in html and "Daily life" not in html
    assert re.search(r'action="/report/summary.pdf".*?name="payload"', html, re.S)
    assert client.get("/static/summary.css").status_code == 200


def test_the_summary_pdf_of_an_unsaved_report_is_one_page(client: TestClient) -> None:
    page = post_form(client, "/report", FORM).text
    got = client.post(
        "/report/summary.pdf", data={"csrf_token": csrf(client), "payload": _payload(page)}
    )
    pages, text = pdf_text(got)
    assert pages == 1
    assert "Liver test summary for the clinician" in text and "95 U/L" in text
    assert 'filename="liverlens-summary.pdf"' in got.headers["content-disposition"]


def test_the_summary_needs_the_csrf_token_and_a_payload_that_reads(client: TestClient) -> None:
    page = post_form(client, "/report", FORM).text
    for path in ("/report/summary", "/report/summary.pdf"):
        assert client.post(path, data={"payload": _payload(page)}).status_code == 403
        wrong = client.post(path, data={"csrf_token": "nope", "payload": _payload(page)})
        assert wrong.status_code == 403
        broken = client.post(path, data={"csrf_token": csrf(client), "payload": "{not json"})
        assert broken.status_code == 422
        bad = client.post(
            path, data={"csrf_token": csrf(client), "payload": '{"labs": {"alt": -5}}'}
        )
        assert bad.status_code == 422
        assert client.get(path).status_code == 405


def test_a_saved_result_gives_its_owner_the_view_and_the_pdf(client: TestClient) -> None:
    sign_up(client, "summary@example.org")
    saved = post_form(client, "/panels", {**FORM, "collected_on": "2026-11-20"})
    panel = saved.headers["location"]
    shown = client.get(panel).text
    assert f'href="{panel}/summary.pdf"' in shown and f'href="{panel}/summary"' in shown
    view = client.get(f"{panel}/summary")
    assert view.status_code == 200 and "Test date 2026-11-20" in view.text
    assert f'href="{panel}/summary.pdf"' in view.text and f'href="{panel}"' in view.text
    pages, text = pdf_text(client.get(f"{panel}/summary.pdf"))
    assert pages == 1 and "Test date 2026-11-20" in text
    assert (
        "liverlens-summary-2026-11-20.pdf"
        in client.get(f"{panel}/summary.pdf").headers["content-disposition"]
    )


def test_a_saved_summary_reads_in_the_readers_language(client: TestClient) -> None:
    sign_up(client, "summary-zh@example.org")
    saved = post_form(client, "/panels", {**FORM, "collected_on": "2026-11-20"})
    panel = saved.headers["location"]
    zh = client.get(f"{panel}/summary?lang=zh").text
    assert "<h1>肝功能检查摘要（供医生参考）</h1>" in zh and "检测日期 2026-11-20" in zh
    assert 'lang="zh-CN"' in zh
    client.get("/language", params={"to": "zh", "next": "/"}, follow_redirects=False)
    pages, text = pdf_text(client.get(f"{panel}/summary.pdf"))
    assert pages == 1 and "肝功能检查摘要" in text and CJK.search(text)


def test_no_one_else_sees_a_saved_summary(client: TestClient) -> None:
    sign_up(client, "owner-summary@example.org")
    panel = post_form(client, "/panels", {**FORM, "collected_on": "2026-11-20"}).headers["location"]
    assert client.get(f"{panel}/summary").status_code == 200
    client.post("/signout", data={"csrf_token": csrf(client)})
    for path in (f"{panel}/summary", f"{panel}/summary.pdf"):
        anonymous = client.get(path, follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"] == "/signin"
    sign_up(client, "someone-else@example.org")
    for path in (f"{panel}/summary", f"{panel}/summary.pdf", "/panels/999999/summary"):
        assert client.get(path).status_code == 404
