"""Reading a lab report through the web: ``POST /api/v1/extract`` and the front page's upload
(``POST /read-report``), on real files read by the real ``liverlens.extract.read_report``.

The report is a PDF made with WeasyPrint, so its text layer is what a lab portal's PDF has.
It is built to reach every branch the form shows: plain rows with both limits, a result given
as a bound (``<5``), a row without its unit (read with low confidence: "please check" and the
focus), a row whose result is words (listed as not read), and sex, age and date in the header.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import tempfile
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
import starlette.formparsers
from fastapi.testclient import TestClient
from sqlalchemy import text

from liverlens.web import create_app
from liverlens.web.middleware import DRAIN_FACTOR, TOO_LARGE, BodyLimit
from liverlens.web.settings import MAX_UPLOAD_BYTES, Settings
from tests.web.conftest import csrf

weasyprint = pytest.importorskip("weasyprint")
pytest.importorskip("pdfplumber")

REPORT = """<html><head><style>body {{ font-family: sans-serif; }} td {{ padding: 2px 12px; }}
</style></head><body>
<h1>Clinical Laboratory Report</h1>
<p>Patient: {name} &nbsp; Sex: Female &nbsp; Age: 52</p>
<p>Collected: 2026-03-14</p>
<table>
<tr><th>Test</th><th>Result</th><th>Unit</th><th>Reference</th></tr>
<tr><td>ALT</td><td>{alt}</td><td>U/L</td><td>7-40</td></tr>
<tr><td>AST</td><td>45</td><td>U/L</td><td>13-35</td></tr>
<tr><td>GGT</td><td>120</td><td>U/L</td><td>10-60</td></tr>
<tr><td>Total bilirubin</td><td>&lt;5</td><td>umol/L</td><td>3.4-20.5</td></tr>
<tr><td>Albumin</td><td>42</td><td></td><td>40-55</td></tr>
<tr><td>Platelets</td><td>see note</td><td>10^9/L</td><td>125-350</td></tr>
</table></body></html>"""


def report_pdf(alt: str = "85", name: str = "Test Person") -> bytes:
    pdf: bytes = weasyprint.HTML(string=REPORT.format(alt=alt, name=name)).write_pdf()
    return pdf


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return report_pdf()


def upload(client: TestClient, path: str, files: list[tuple[str, bytes]], **kw: Any) -> Any:
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    return client.post(path, files=parts, **kw)


def upload_page(client: TestClient, files: list[tuple[str, bytes]], **kw: Any) -> Any:
    """The front page's upload form, with its CSRF token, as a browser posts it."""
    return upload(client, "/read-report", files, data={"csrf_token": csrf(client)}, **kw)


# --- the JSON API -----------------------------------------------------------------------------


def test_a_text_pdf_gives_each_test_with_its_unit_limits_and_evidence(
    client: TestClient, pdf: bytes
) -> None:
    response = upload(client, "/api/v1/extract", [("report.pdf", pdf)])
    assert response.status_code == 200, response.text
    assert "set-cookie" not in response.headers  # stores nothing, not even a cookie
    body = response.json()
    assert body["labs"]["alt"] == {"value": 85, "unit": "U/L", "lower_limit": 7, "upper_limit": 40}
    assert body["labs"]["ggt"] == {
        "value": 120,
        "unit": "U/L",
        "lower_limit": 10,
        "upper_limit": 60,
    }
    assert body["labs"]["bilirubin"]["comparator"] == "<"
    assert body["person"] == {"sex": "female", "age": 52}
    assert body["collected_on"] == "2026-03-14"
    assert body["pages"] == [{"page": 1, "kind": "text"}]
    fields = {f["analyte"]: f for f in body["fields"]}
    assert fields["ast"]["text"].split() == ["AST", "45", "U/L", "13-35"]
    assert fields["ast"]["confidence"] == 1.0 and fields["ast"]["page"] == 1
    assert all(f["snippet"] is None for f in body["fields"])  # a text layer: `text` is it
    assert fields["albumin"]["unit"] is None and fields["albumin"]["confidence"] < 0.85
    assert [u["analyte"] for u in body["unread"]] == ["platelets"]
    # what was read is the input contract: interpret takes it as it is
    keys = ("labs", "person", "collected_on")
    explained = client.post("/api/v1/interpret", json={k: body[k] for k in keys})
    assert explained.status_code == 200, explained.text
    assert explained.json()["analytes"]["alt"]["value"] == 85


def test_pages_of_several_files_are_read_in_order(client: TestClient, pdf: bytes) -> None:
    second = report_pdf(alt="91")
    body = upload(client, "/api/v1/extract", [("a.pdf", pdf), ("b.pdf", second)]).json()
    assert body["pages"] == [{"page": 1, "kind": "text"}, {"page": 2, "kind": "text"}]
    assert {f["page"] for f in body["fields"]} == {1, 2}


def test_a_file_that_is_no_report_is_422_with_the_reason_in_english_and_chinese(
    client: TestClient,
) -> None:
    garbage = [("scan.pdf", b"this is not a PDF, nor a picture \x00\x01\x02")]
    english = upload(client, "/api/v1/extract", garbage)
    assert english.status_code == 422
    [problem] = english.json()["detail"]
    assert problem["id"] == "error.extract.unreadable" and problem["loc"] == ["body", "file"]
    assert "scan.pdf could not be read as a lab report" in problem["msg"]
    assert "PDF, JPEG, PNG" in problem["msg"]
    chinese = upload(client, "/api/v1/extract?lang=zh", garbage)
    assert chinese.status_code == 422
    assert chinese.json()["detail"][0]["msg"].startswith("无法将 scan.pdf 读取为化验单")
    by_header = upload(client, "/api/v1/extract", garbage, headers={"accept-language": "zh-CN"})
    assert by_header.json()["detail"][0]["msg"] == chinese.json()["detail"][0]["msg"]


def test_a_pdf_without_liver_tests_is_422(client: TestClient) -> None:
    words = "Dear patient, your appointment with the clinic is on Monday at ten in the morning."
    letter = weasyprint.HTML(string=f"<p>{words}</p>")
    response = upload(client, "/api/v1/extract", [("letter.pdf", letter.write_pdf())])
    assert response.status_code == 422
    assert response.json()["detail"][0]["id"] == "error.extract.no_tests_found"


def test_no_file_or_no_multipart_body(client: TestClient) -> None:
    empty = client.post("/api/v1/extract", data={"other": "x"}, files={"x": ("", b"")})
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["loc"] == ["body", "files"]
    assert "Choose one or more files" in empty.json()["detail"][0]["msg"]
    as_json = client.post("/api/v1/extract", json={"files": []})
    assert as_json.status_code == 400
    assert "multipart/form-data" in as_json.json()["detail"]
    broken = client.post(
        "/api/v1/extract",
        content=b"--b\r\nno headers here",
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert broken.status_code == 400


def test_more_than_ten_files_is_413(client: TestClient, pdf: bytes) -> None:
    response = upload(client, "/api/v1/extract", [(f"p{i}.pdf", pdf) for i in range(11)])
    assert response.status_code == 413
    assert response.json()["detail"] == "Too many files: send at most 10 for one report."
    chinese = upload(client, "/api/v1/extract?lang=zh", [("p.pdf", pdf)] * 11)
    assert chinese.json()["detail"] == "文件太多：一份化验单最多 10 个文件。"


def test_more_than_20_mb_is_413_in_words(client: TestClient) -> None:
    big = [("photo.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 1))]  # dropped unread: never decoded
    response = upload(client, "/api/v1/extract", big)
    assert response.status_code == 413
    assert "at most 20 MB in all" in response.json()["detail"]
    chinese = upload(client, "/api/v1/extract", big, headers={"accept-language": "zh"})
    assert chinese.status_code == 413 and "20 兆字节" in chinese.json()["detail"]
    # just over, with room left for the multipart's own lines: counted by the route
    over = [("a.jpg", b"\xff" * (MAX_UPLOAD_BYTES - 500)), ("b.jpg", b"\xff" * 1000)]
    assert upload(client, "/api/v1/extract", over).status_code == 413


def test_the_upload_limit_is_only_for_the_upload_routes(client: TestClient) -> None:
    huge = b'{"labs": {"alt": 5}, "x": "' + b"a" * 400_000 + b'"}'
    response = client.post(
        "/api/v1/interpret", content=huge, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def _run_limit(size: int, chunk: int = 1000) -> tuple[int, bytes, dict[str, Any]]:
    """Stream ``size`` bytes through ``BodyLimit`` (limit 2000 on /upload) in chunks; returns
    the status, the body the app got and the scope it saw."""
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        message = await receive()
        seen.update(scope=scope, body=message["body"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    pieces = [b"x" * min(chunk, size - i) for i in range(0, size, chunk)] or [b""]
    messages = [
        {"type": "http.request", "body": p, "more_body": i < len(pieces) - 1}
        for i, p in enumerate(pieces)
    ]

    async def receive() -> Any:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    limited = BodyLimit(app, 100, {"/upload": 2000})
    await limited({"type": "http", "path": "/upload", "headers": []}, receive, send)
    return sent[0]["status"], seen.get("body", b""), seen.get("scope", {})


def _in_own_loop(func: Any, *args: int) -> Any:
    """Run ``func(*args)`` on a fresh event loop in its own thread: a browser test earlier in
    the session may have left an event loop running on this one (Playwright's sync API)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(func(*args))).result()


def test_an_upload_over_its_limit_is_read_to_the_end_and_dropped() -> None:
    status, body, scope = _in_own_loop(_run_limit, 2000)
    assert status == 200 and len(body) == 2000 and not scope.get(TOO_LARGE)
    status, body, scope = _in_own_loop(_run_limit, 2001)  # the route says "too large" in words
    assert status == 200 and body == b"" and scope[TOO_LARGE]
    status, _, _ = _in_own_loop(_run_limit, 2000 * DRAIN_FACTOR + 1)  # beyond: refused here
    assert status == 413


def test_the_openapi_schema_documents_the_route(client: TestClient) -> None:
    operation = client.get("/api/openapi.json").json()["paths"]["/api/v1/extract"]["post"]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["properties"]["files"]["items"]["format"] == "binary"
    assert {"200", "400", "413", "422", "501"} <= operation["responses"].keys()
    assert "10 files" in operation["responses"]["413"]["description"]
    assert "20 MB" in operation["responses"]["413"]["description"]
    assert "lang" in {p["name"] for p in operation["parameters"]}
    assert "/read-report" not in client.get("/api/openapi.json").json()["paths"]  # a page


def test_no_file_name_or_content_in_the_logs(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret_pdf = report_pdf(alt="987", name="Zebulon Quux")  # made before logs are caught
    caplog.set_level(logging.DEBUG)
    read = upload(client, "/api/v1/extract", [("zebulon-quux-labs.pdf", secret_pdf)])
    assert read.status_code == 200 and read.json()["labs"]["alt"]["value"] == 987
    bad = upload(client, "/api/v1/extract", [("zebulon-quux-scan.jpg", b"Zebulon Quux 987")])
    assert bad.status_code == 422 and "zebulon-quux-scan.jpg" in bad.text  # told to the caller
    page = upload_page(client, [("zebulon-quux-page.pdf", secret_pdf)])
    assert page.status_code == 200
    logged = caplog.text
    for secret in ("zebulon", "Zebulon", "Quux", "987", "labs.pdf", "scan.jpg"):
        assert secret not in logged, secret
    assert re.search(r"POST /api/v1/extract 200", logged)
    assert re.search(r"POST /api/v1/extract 422", logged)


def test_the_upload_never_touches_a_temporary_file(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, pdf: bytes
) -> None:
    """Starlette's form parser spools files over 1 MB to disk; the upload routes must not use
    it, nor any other temporary file, for the bytes a person sent."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an uploaded file went to a temporary file")

    for name in ("SpooledTemporaryFile", "TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.setattr(starlette.formparsers, "SpooledTemporaryFile", refuse)
    padded = pdf + b"\n%" + b"x" * (2 * 1024 * 1024)  # past the 1 MB where spooling starts
    assert upload(client, "/api/v1/extract", [("report.pdf", padded)]).status_code == 200
    assert upload_page(client, [("report.pdf", padded)]).status_code == 200


# --- the front page ---------------------------------------------------------------------------


def value_of(html: str, field: str) -> str:
    found = re.search(rf'id="{field}" name="{field}"[^>]*?value="([^"]*)"', html, re.DOTALL)
    assert found, f"no field {field}"
    return found.group(1)


def test_the_front_page_offers_the_upload(client: TestClient) -> None:
    html = client.get("/").text
    assert 'action="/read-report" enctype="multipart/form-data"' in html
    assert re.search(
        r'<input type="file" id="files" name="files" multiple accept="[^"]*\.heic', html
    )
    assert "Upload your lab report" in html and "Up to 10 files, 20 MB in all" in html
    chinese = client.get("/?lang=zh").text
    assert "上传化验单" in chinese and "读取化验单" in chinese


def test_an_uploaded_report_fills_the_form_with_its_evidence(
    client: TestClient, pdf: bytes
) -> None:
    response = upload_page(client, [("report.pdf", pdf)])
    assert response.status_code == 200, response.text[:2000]
    html = response.text
    # each value with its unit and the lab's limits, and the header
    assert value_of(html, "alt_value") == "85"
    assert value_of(html, "alt_lower") == "7" and value_of(html, "alt_upper") == "40"
    assert re.search(r'id="alt_unit".*?<option value="U/L" selected>', html, re.DOTALL)
    assert value_of(html, "bilirubin_value") == "&lt;5"  # a bound stays a bound
    assert re.search(r'<option value="female" selected>', html)
    assert value_of(html, "age") == "52" and value_of(html, "collected_on") == "2026-03-14"
    assert html.count("Read from your report; please check.") == 3  # sex, age, date
    # beside each value: the line it was read from and how sure the reader was
    assert re.search(
        r'id="alt_read">.*?<q class="snippet-text">ALT\s+85\s+U/L\s+7-40</q>', html, re.DOTALL
    )
    assert "read with 100% confidence" in html  # a text layer
    unsure = re.search(r'id="albumin_read">.*?read with (\d+)% confidence', html, re.DOTALL)
    assert unsure and int(unsure.group(1)) < 85  # under the low-confidence mark
    # the unsure one (albumin: no unit printed) is marked and focused, and its unit is asked
    albumin = re.search(r'<div class="lab-row[^"]*check-this">\s*<label for="(\w+)_value"', html)
    assert albumin and albumin.group(1) == "albumin"
    assert re.search(r'id="albumin_value"[^>]*autofocus', html, re.DOTALL)
    assert html.count(" autofocus") == 1
    assert "The unit was not read" in html
    assert re.search(r'id="albumin_unit"[^>]*>\s*<option value="" selected>unit\?</option>', html)
    # what could not be read, and the summary
    assert re.search(r"We could not read:\s*</p>\s*<ul><li><q>Platelets\s+see note", html)
    assert "— please type it" in html
    assert "Read 5 tests from 1 page. Check each value against your report, then press" in html
    assert "1 value is marked &#34;please check&#34;" in html
    # Explain is today's form
    assert re.search(r'<form method="post" action="/report" novalidate>', html)


def test_the_filled_form_in_chinese(client: TestClient, pdf: bytes) -> None:
    html = upload_page(client, [("report.pdf", pdf)], params={"lang": "zh"}).text
    assert "已从 1 页中读出 5 项化验。请对照化验单逐项核对，然后点击“解读我的结果”。" in html
    assert "读取可信度 100%" in html and "请核对" in html and "以下内容未能读出：" in html
    assert "读取自化验单，请核对。" in html


class FormFields(HTMLParser):
    """What a browser would send for the form posting to ``action``: each input's value and
    each select's selected option (the first when none is), file inputs left out."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self.select: str | None = None
        self.first: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and a.get("type") not in ("file", "checkbox") and "name" in a:
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select, self.first = a["name"], None
        elif tag == "option" and self.select is not None:
            self.first = a["value"] if self.first is None else self.first
            if "selected" in a:
                self.fields[self.select] = a["value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            self.fields.setdefault(self.select, self.first or "")
            self.select = None


def explain_form(html: str) -> dict[str, str]:
    parser = FormFields("/report")
    parser.feed(html)
    return dict(parser.fields)


def test_corrected_values_are_explained_like_a_typed_form(client: TestClient, pdf: bytes) -> None:
    form = explain_form(upload_page(client, [("report.pdf", pdf)]).text)
    assert form["alt_value"] == "85" and form["bilirubin_value"] == "<5"
    assert form["albumin_unit"] == ""  # not read: the person chooses it
    form |= {"alt_value": "58", "albumin_unit": "g/L"}  # the person's corrections
    report = client.post("/report", data=form)
    assert report.status_code == 200, report.text[:2000]
    payload = re.search(r'name="payload" value="([^"]*)"', report.text)
    assert payload
    sent = json.loads(unescape(payload.group(1)))
    assert sent["labs"]["alt"] == {"value": 58, "unit": "U/L", "lower_limit": 7, "upper_limit": 40}
    assert sent["labs"]["bilirubin"]["comparator"] == "<"
    assert sent["labs"]["albumin"] == {
        "value": 42,
        "unit": "g/L",
        "lower_limit": 40,
        "upper_limit": 55,
    }
    assert sent["person"] == {"sex": "female", "age": 52} and sent["collected_on"] == "2026-03-14"
    assert "58" in report.text


def test_nothing_is_stored(client: TestClient, pdf: bytes) -> None:
    upload_page(client, [("report.pdf", pdf)])
    upload(client, "/api/v1/extract", [("report.pdf", pdf)])
    with client.app.state.engine.connect() as db:
        assert db.execute(text("select count(*) from panels")).scalar() == 0
        assert db.execute(text("select count(*) from panel_values")).scalar() == 0


def test_the_upload_page_refuses_without_its_token(client: TestClient, pdf: bytes) -> None:
    client.get("/")
    assert upload(client, "/read-report", [("report.pdf", pdf)]).status_code == 403
    forged = upload(client, "/read-report", [("r.pdf", pdf)], data={"csrf_token": "forged"})
    assert forged.status_code == 403
    other_site = upload_page(client, [("r.pdf", pdf)], headers={"origin": "https://evil.example"})
    assert other_site.status_code == 403


def test_upload_problems_show_beside_the_control(client: TestClient) -> None:
    bad = upload_page(client, [("notes.txt", b"just some words")])
    assert bad.status_code == 422
    assert re.search(
        r'<p class="error" id="files-error" role="alert">notes.txt could not be read', bad.text
    )
    assert 'aria-describedby="files-error files-hint"' in bad.text
    assert '<a href="#files">' in bad.text  # the error summary links to the control
    left_empty = [("files", ("", b"", "application/octet-stream"))]  # as a browser sends it
    none = client.post("/read-report", files=left_empty, data={"csrf_token": csrf(client)})
    assert none.status_code == 422 and "Choose one or more files" in none.text
    chinese = upload_page(client, [("notes.txt", b"words")], params={"lang": "zh"})
    assert "无法将 notes.txt 读取为化验单" in chinese.text


def test_too_large_on_the_page_says_so_on_the_page(client: TestClient) -> None:
    big = [("photo.jpg", b"\xff" * (MAX_UPLOAD_BYTES + 100_000))]
    response = upload(client, "/read-report", big, data={"csrf_token": "dropped with the body"})
    assert response.status_code == 413
    assert "The files are too large: at most 20 MB in all." in response.text
    assert 'id="files"' in response.text  # the front page again, to choose other files


@pytest.fixture
def small_limits(tmp_path: Any) -> Iterator[TestClient]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'limits.db'}",
        secret_key="test-secret",
        max_upload_files=2,
        max_upload_bytes=3 * 2**20,
    )
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        yield c


def test_the_limits_come_from_the_settings(small_limits: TestClient, pdf: bytes) -> None:
    assert "Up to 2 files, 3 MB in all" in small_limits.get("/").text
    three = upload(small_limits, "/api/v1/extract", [("r.pdf", pdf)] * 3)
    assert three.status_code == 413 and "at most 2" in three.json()["detail"]
    big = upload(small_limits, "/api/v1/extract", [("r.jpg", b"x" * (3 * 2**20 + 1))])
    assert big.status_code == 413 and "at most 3 MB" in big.json()["detail"]


# --- the form's new readings (forms.py) -------------------------------------------------------


def test_a_typed_bound_and_lower_limit_reach_the_contract(client: TestClient) -> None:
    token = csrf(client)
    data = {"csrf_token": token, "alt_value": "≥ 1000", "alt_unit": "U/L", "alt_lower": "7"}
    data["alt_upper"] = "40"
    report = client.post("/report", data=data)
    assert report.status_code == 200, report.text[:1500]
    payload = re.search(r'name="payload" value="([^"]*)"', report.text)
    assert payload
    alt = json.loads(unescape(payload.group(1)))["labs"]["alt"]
    assert alt == {
        "value": 1000,
        "unit": "U/L",
        "comparator": ">=",
        "lower_limit": 7,
        "upper_limit": 40,
    }
    bare = client.post("/report", data={"csrf_token": token, "alt_value": "<"})
    assert bare.status_code == 422 and "is not a number" in bare.text
    limit_only = client.post("/report", data={"csrf_token": token, "alt_lower": "7"})
    assert limit_only.status_code == 422
