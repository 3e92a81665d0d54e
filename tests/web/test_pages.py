"""The pages through the test client: form, report, saving, history, editing, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import csrf, post_form, sign_up

EXERCISE = {
    "alt_value": "95",
    "alt_unit": "U/L",
    "alt_upper": "50",
    "ast_value": "45",
    "sex": "male",
    "age": "28",
    "exercise_days_ago": "1",
}


def test_form_lists_every_analyte_with_its_units(client: TestClient) -> None:
    page = client.get("/").text
    for analyte in ("alt", "ast", "alp", "ggt", "bilirubin", "platelets", "inr", "creatinine"):
        assert f'name="{analyte}_value"' in page and f'name="{analyte}_upper"' in page
    # issue 14: proper unit symbols on screen, the contract's spelling as the value
    assert '<option value="ukat/L">µkat/L</option>' in page
    assert '<option value="10^9/L">10⁹/L</option>' in page
    assert '<option value="mg/dL">mg/dL</option>' in page
    # and the full name beside the abbreviation a lab sheet prints
    assert '<label for="alt_value" class="lab-name">Alanine aminotransferase (ALT)</label>' in page
    assert '<label for="bilirubin_value" class="lab-name">Total bilirubin</label>' in page


def test_report_page_reads_like_the_cli_report(client: TestClient) -> None:
    page = post_form(client, "/report", EXERCISE).text
    assert "Your ALT is 95 U/L, 1.9 times the upper limit." in page
    assert '<svg class="bar"' in page and "ALT 95 U/L; range 50" in page
    for heading in (
        "The short answer",
        "What your numbers mean",
        "What may be behind it",
        "When to see a doctor",
        "Daily life",
        "Sources",
        "Please note",
    ):
        assert f"<h2>{heading}</h2>" in page or f'">{heading}</h2>' in page
    assert "Hard or unaccustomed exercise" in page


def test_non_default_unit_is_converted(client: TestClient) -> None:
    page = post_form(
        client, "/report", {"alt_value": "1.5", "alt_unit": "ukat/L", "sex": "male"}
    ).text
    assert "Your ALT is 90 U/L" in page


def test_urgent_findings_come_first_on_the_page(client: TestClient) -> None:
    page = post_form(client, "/report", {"alt_value": "2500", "symptoms": ["jaundice"]}).text
    alert = page.index('role="alert"')
    assert alert < page.index("The short answer")
    assert "Act on this first" in page[alert : alert + 200]


def test_errors_show_beside_fields_and_keep_what_was_typed(client: TestClient) -> None:
    response = post_form(
        client, "/report", {"alt_value": "abc", "age": "200", "ast_value": "-3", "ast_unit": "U/L"}
    )
    assert response.status_code == 422
    page = response.text
    assert 'id="alt_value-error"' in page and 'id="age-error"' in page
    assert 'id="ast_value-error"' in page
    assert 'value="abc"' in page and 'value="200"' in page and 'value="-3"' in page


def test_the_error_summary_is_focused_and_names_each_field_in_page_order(
    client: TestClient,
) -> None:
    """Issue 14: errors were listed in reverse order and unnamed ('must be at most 120.0'),
    and focus stayed where it was."""
    page = post_form(
        client, "/report", {"alt_value": "abc", "age": "200", "ast_value": "-3", "ast_unit": "U/L"}
    ).text
    summary = page[
        page.index('id="error-summary"') : page.index("</ul>", page.index('id="error-summary"'))
    ]
    assert 'tabindex="-1" autofocus' in summary
    items = re.findall(r'<li><a href="#([a-z_]+)">([^<]+)</a></li>', summary)
    assert [anchor for anchor, _ in items] == ["alt_value", "ast_value", "age"]
    said = dict(items)
    assert said["alt_value"].startswith("Alanine aminotransferase (ALT): ")
    assert said["ast_value"].startswith("Aspartate aminotransferase (AST): ")
    assert said["age"].startswith("Age") and "120" in said["age"]
    # and every error names its field in Chinese too
    zh = post_form(client, "/report?lang=zh", {"alt_value": "abc", "language": "zh"})
    assert "谷丙转氨酶" in zh.text[zh.text.index('id="error-summary"') :][:600]


def test_signed_in_user_saves_views_edits_and_deletes(client: TestClient) -> None:
    sign_up(client, "pages@example.org")
    report = post_form(
        client, "/report", {**EXERCISE, "alt_value": "1.5", "alt_unit": "ukat/L", "alt_upper": ""}
    ).text
    payload = re.search(r'name="payload" value="([^"]+)"', report)
    assert payload, "signed-in report offers saving"
    data = json.loads(payload.group(1).replace("&#34;", '"').replace("&quot;", '"'))
    saved = client.post(
        "/panels",
        data={
            "csrf_token": csrf(client),
            "payload": json.dumps(data),
            "collected_on": "2026-05-01",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    first = saved.headers["location"]
    second = post_form(
        client, "/panels", {"alt_value": "140", "collected_on": "2026-11-01", "sex": "male"}
    )
    assert second.status_code == 303
    history = client.get("/panels").text
    assert history.count("<tr>") == 3  # header + two panels
    assert '<svg class="trend"' in history and "ALT 90 U/L on 2026-05-01" in history
    later = client.get(second.headers["location"]).text
    assert "Your results over time" in later and "2026-05-01" in later
    edit_page = client.get(f"{first}/edit").text
    assert 'value="1.5"' in edit_page and '<option value="ukat/L" selected>' in edit_page
    edited = post_form(
        client,
        f"{first}/edit",
        {"alt_value": "2", "alt_unit": "ukat/L", "collected_on": "2026-05-01", "sex": "male"},
    )
    assert edited.status_code == 303
    assert "Your ALT is 120 U/L" in client.get(first).text
    unconfirmed = post_form(client, f"{first}/delete", {})
    assert unconfirmed.status_code == 303 and unconfirmed.headers["location"] == f"{first}/delete"
    assert client.get(first).status_code == 200  # nothing deleted without the confirmation
    asked = client.get(f"{first}/delete").text
    assert "Delete the result of 2026-05-01?" in asked and 'name="confirm" value="yes"' in asked
    deleted = post_form(client, f"{first}/delete", {"confirm": "yes"})
    assert deleted.status_code == 303 and deleted.headers["location"] == "/panels"
    assert client.get(first).status_code == 404
    assert client.get(f"{first}/delete").status_code == 404
    assert client.get("/panels").text.count("<tr>") == 2


def test_exports_hold_raw_and_normalised_values(client: TestClient) -> None:
    sign_up(client, "export@example.org")
    post_form(
        client, "/panels", {"alt_value": "1.5", "alt_unit": "ukat/L", "collected_on": "2026-05-01"}
    )
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv").text)))
    assert rows == [
        {
            "panel_id": rows[0]["panel_id"],
            "collected_on": "2026-05-01",
            "analyte": "alt",
            "value_as_entered": "1.5",
            "unit_as_entered": "ukat/L",
            "lab_upper_limit_as_entered": "",
            "value": "90.0",
            "unit": "U/L",
        }
    ]
    exported = client.get("/export.json").json()
    assert exported["panels"][0]["labs"]["alt"] == {"value": 1.5, "unit": "ukat/L"}


def test_sign_in_wrong_password_and_sign_out(client: TestClient) -> None:
    sign_up(client, "in@example.org")
    post_form(client, "/signout", {})
    assert client.get("/panels", follow_redirects=False).status_code == 303
    bad = post_form(client, "/signin", {"email": "in@example.org", "password": "nope nope nope"})
    assert bad.status_code == 422 and "do not match" in bad.text
    good = post_form(
        client, "/signin", {"email": "in@example.org", "password": "correct horse battery"}
    )
    assert good.status_code == 303
    assert client.get("/panels").status_code == 200


def test_sign_up_errors_keep_the_email(client: TestClient) -> None:
    response = post_form(client, "/signup", {"email": "short@example.org", "password": "short"})
    assert response.status_code == 422
    assert 'value="short@example.org"' in response.text and "at least 10" in response.text


def test_print_stylesheet_hides_navigation(client: TestClient) -> None:
    css = client.get("/static/style.css").text
    assert "@media print" in css and ".top" in css.split("@media print")[1]


def test_history_chart_draws_each_panel_against_its_own_limit(client: TestClient) -> None:
    """The chart is drawn from the stored values in one engine pass (issue 11, item 15:
    it built every saved panel's full report twice, 13.8 s at 100 panels); each point must
    still stand against the limit in force for that panel: the lab's own, else the preset's."""
    from tests.web.conftest import api_sign_up

    token = api_sign_up(client, "chart@example.org")
    for day, lab in (("2026-01-01", {"value": 60, "upper_limit": 40}), ("2026-02-01", 70)):
        body = {"collected_on": day, "person": {"sex": "male"}, "labs": {"alt": lab}}
        assert (
            client.post("/api/v1/panels", json=body, headers={"x-csrf-token": token}).status_code
            == 201
        )
    page = client.get("/panels?analyte=alt").text
    assert "ALT 60 U/L on 2026-01-01" in page and "ALT 70 U/L on 2026-02-01" in page
    band = re.search(r'class="uln-band" points="([^"]+)"', page)
    assert band, "no limit band"
    ys = [float(p.split(",")[1]) for p in band.group(1).split()[:2]]
    # January's limit is the lab's 40 U/L, February's the ACG 33 U/L for men: in SVG a higher
    # limit is drawn higher up, at a smaller y
    assert ys[0] < ys[1]


def _payload(page: str) -> str:
    found = re.search(r'name="payload" value="([^"]+)"', page)
    assert found, "the report page carries its payload"
    return found.group(1).replace("&#34;", '"').replace("&quot;", '"')


def test_the_retest_goes_to_the_calendar_from_a_report_and_a_saved_result(
    client: TestClient,
) -> None:
    """Issue 14 item 7: 'Add the retest to my calendar' downloads the report's window."""
    today = dt.date.today()
    page = post_form(client, "/report", {**EXERCISE, "collected_on": today.isoformat()}).text
    assert "Add the retest to my calendar" in page
    got = client.post("/report.ics", data={"csrf_token": csrf(client), "payload": _payload(page)})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/calendar")
    assert "attachment" in got.headers["content-disposition"]
    start = re.search(r"DTSTART;VALUE=DATE:(\d{8})", got.text)
    assert start and start.group(1) > f"{today:%Y%m%d}"  # a window after the test day
    sign_up(client, "calendar@example.org")
    page = post_form(client, "/report", {**EXERCISE, "collected_on": "2026-11-20"}).text
    # the save box starts from the test date the form was given
    assert 'id="save_collected_on" name="collected_on" value="2026-11-20"' in page
    saved = post_form(client, "/panels", {**EXERCISE, "collected_on": "2026-11-20"})
    panel = saved.headers["location"]
    assert f'href="{panel}/retest.ics"' in client.get(panel).text
    ics = client.get(f"{panel}/retest.ics")
    assert ics.status_code == 200 and "BEGIN:VEVENT" in ics.text


def test_a_normal_panel_offers_no_calendar_event(client: TestClient) -> None:
    page = post_form(client, "/report", {"alt_value": "30", "alt_upper": "40", "sex": "male"})
    assert "Add the retest to my calendar" not in page.text
    none = client.post(
        "/report.ics", data={"csrf_token": csrf(client), "payload": _payload(page.text)}
    )
    assert none.status_code == 404


def test_a_saved_result_renders_in_the_readers_language_on_the_page_and_in_the_pdf(
    client: TestClient,
) -> None:
    """Issue 14: after switching to 中文 saved reports and their PDFs stayed English, fixed to
    the language picked when the form was sent."""
    import pdfplumber

    sign_up(client, "language@example.org")
    saved = post_form(
        client, "/panels", {**EXERCISE, "collected_on": "2026-11-20", "language": "zh"}
    )
    panel = saved.headers["location"]
    # nothing said by the reader: the language the result was first read in
    assert 'lang="zh-CN"' in client.get(panel).text
    # the reader's choice wins, on the page, in the PDF and in the calendar event
    english = client.get(f"{panel}?lang=en").text
    assert '<div class="report urgency-' in english and 'lang="en"' in english
    assert "Your ALT is 95 U/L" in english
    client.get("/language", params={"to": "en", "next": "/"}, follow_redirects=False)
    pdf = client.get(f"{panel}.pdf")
    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        text = doc.pages[0].extract_text() or ""
    assert "ALT" in text and not re.search(r"[\u4e00-\u9fff]", text)
    client.get("/language", params={"to": "zh", "next": "/"}, follow_redirects=False)
    assert "复查肝功能" in client.get(f"{panel}/retest.ics").text


def _carry(client: TestClient, action: str, page: str, **fields: str) -> Any:
    """Press the report's 'Create an account' or 'Sign in', then fill in that form."""
    token = csrf(client, "/")
    started = client.post(
        action, data={"csrf_token": token, "payload": _payload(page), "start": "1"}
    )
    assert started.status_code == 200 and 'name="payload"' in started.text
    assert "comes with you" in started.text
    return client.post(
        action,
        data={"csrf_token": token, "payload": _payload(started.text), **fields},
        follow_redirects=False,
    )


@pytest.mark.parametrize("action", ["/signup", "/signin"])
def test_signing_up_or_in_from_a_report_keeps_it_and_offers_to_save_it(
    client: TestClient, action: str
) -> None:
    """Issue 14: signing up from a report landed on an empty 'My results'; the report just
    read was lost and had to be typed again."""
    if action == "/signin":
        sign_up(client, "back@example.org")
        client.post("/signout", data={"csrf_token": csrf(client, "/")})
    report = post_form(client, "/report", {**EXERCISE, "collected_on": "2026-11-20"}).text
    assert "Create an account" in report and "Sign in" in report
    login = {"email": "back@example.org", "password": "correct horse battery"}
    if action == "/signup":
        login["email"] = "new@example.org"
    landed = _carry(client, action, report, **login)
    assert landed.status_code == 200, landed.text[:300]
    assert "Your ALT is 95 U/L" in landed.text  # the same report, not an empty list
    assert 'id="save_collected_on" name="collected_on" value="2026-11-20"' in landed.text
    assert client.get("/panels").text.count("<tr>") <= 1  # nothing saved yet
    saved = client.post(
        "/panels",
        data={
            "csrf_token": csrf(client, "/"),
            "payload": _payload(landed.text),
            "collected_on": "2026-11-20",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "2026-11-20" in client.get("/panels").text


def test_a_failed_sign_up_from_a_report_still_carries_it(client: TestClient) -> None:
    report = post_form(client, "/report", EXERCISE).text
    failed = _carry(client, "/signup", report, email="not-an-email", password="x")
    assert failed.status_code == 422 and 'name="payload"' in failed.text


def test_child_pugh_comes_from_the_main_form(client: TestClient) -> None:
    """Issue 14: Child-Pugh could not be had from the web form. Pugh 1973 by hand: bilirubin
    40 µmol/L (34-50) 2, albumin 30 g/L (28-35) 2, INR 1.8 (1.7-2.3) 2, slight ascites 2, no
    encephalopathy 1: 9 points, class B (7-9)."""
    form = client.get("/").text
    assert 'name="ascites"' in form and 'name="encephalopathy"' in form
    page = post_form(
        client,
        "/report",
        {
            "alt_value": "60",
            "bilirubin_value": "40",
            "bilirubin_unit": "umol/L",
            "albumin_value": "30",
            "albumin_unit": "g/L",
            "inr_value": "1.8",
            "ascites": "slight",
            "encephalopathy": "none",
        },
    ).text
    assert re.search(r"Child-Pugh[^.]*\b9\b[^.]*\bB\b", page), page[
        page.find("Child-Pugh") - 100 :
    ][:400]


def test_history_shows_only_tests_with_values_and_a_chart_that_reads(client: TestClient) -> None:
    """Issue 14: the table kept empty columns, the last date was cut ('2025-11'), the band had
    no label, and the points led nowhere."""
    sign_up(client, "history@example.org")
    ids = []
    for day, alt in (("2026-05-01", "90"), ("2026-08-01", "70"), ("2026-11-01", "55")):
        saved = post_form(
            client,
            "/panels",
            {"alt_value": alt, "alt_upper": "40", "ast_value": "40", "collected_on": day},
        )
        ids.append(saved.headers["location"])
    page = client.get("/panels").text
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert "ALT" in head and "AST" in head and "GGT" not in head and "INR" not in head
    chart = page[page.index('<svg class="trend"') : page.index("</svg>")]
    labels = re.findall(
        r'<text class="date" x="[\d.]+" y="[\d.]+" font-size="12" '
        r'text-anchor="(\w+)">([\d-]+)</text>',
        chart,
    )
    assert labels[0] == ("start", "2026-05-01") and labels[-1] == ("end", "2026-11-01")
    assert "ALT upper limit" in chart
    assert all(f'<a href="{panel}" aria-label=' in chart for panel in ids)
    # the unit in the table cells reads as a unit symbol
    post_form(
        client,
        "/panels",
        {"bilirubin_value": "30", "bilirubin_unit": "umol/L", "collected_on": "2026-11-02"},
    )
    assert "30 µmol/L" in client.get("/panels").text


def test_history_draws_every_choice_at_once_and_the_retest_ahead(client: TestClient) -> None:
    """Issue 14, item 4: an analyte is chosen without a reload (every chart is on the page, a
    radio button per choice) and the latest result's retest window is drawn after its last
    point. Two saved ALT results over a limit of 40 (90 two months ago, 60 two days ago,
    nothing else said; two months is not persistent): the plan is a repeat test in 7 to 14
    days, so the window lies ahead of the last point. Once that window is over, nothing is
    drawn ahead."""
    today = dt.date.today()
    sign_up(client, "choices@example.org")
    days = (today - dt.timedelta(days=60), today - dt.timedelta(days=2))
    for day, alt in zip(days, ("90", "60"), strict=True):
        saved = post_form(
            client,
            "/panels",
            {"alt_value": alt, "alt_upper": "40", "ggt_value": "80", "collected_on": str(day)},
        )
        assert saved.status_code == 303
    page = client.get("/panels?analyte=ggt").text
    radios = re.findall(
        r'<input type="radio" class="pick" name="analyte" id="pick-(\d+)" '
        r'value="(\w*)"( checked)?>',
        page,
    )
    # ALT alone would draw the same chart as "ALT and AST" (no AST saved): offered once
    assert [(v, bool(c)) for _, v, c in radios] == [("", False), ("ggt", True)]
    assert page.count('class="choice"') == 2
    ggt = page[page.index('data-analyte="ggt"') :]
    assert f"GGT 80 U/L on {days[1]}" in ggt
    window = re.search(r'<rect class="retest-window" x="([\d.]+)"', page)
    last = re.search(rf'<circle cx="([\d.]+)"[^>]*><title>ALT 60 U/L on {days[1]}', page)
    assert window and last
    assert float(window.group(1)) > float(last.group(1))
    assert 'role="group"' in page and f'aria-label="ALT 60 U/L on {days[1]}"' in page


def test_history_draws_no_retest_window_once_it_is_over(client: TestClient) -> None:
    """The latest result is a month old: its 7-14 day retest window is over, so the chart is
    not stretched to today for it."""
    today = dt.date.today()
    sign_up(client, "overdue@example.org")
    for back, alt in ((90, "90"), (30, "60")):
        day = str(today - dt.timedelta(days=back))
        saved = post_form(
            client, "/panels", {"alt_value": alt, "alt_upper": "40", "collected_on": day}
        )
        assert saved.status_code == 303
    page = client.get("/panels").text
    assert "ALT 60 U/L on" in page
    assert 'class="retest-window"' not in page
