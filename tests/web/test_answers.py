"""Answering the report's questions in place (issue 14, item 2), through the real app.

A plain ALT 85 / AST 40 man of 45: the report asks how much he drinks. Answering 280 g a
week (above the ACG's 210 g for men) must move alcohol from possible to likely and say why;
the answer joins the panel the page carries, or the saved result.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from liverlens import i18n
from tests.web.conftest import csrf, post_form, sign_up

FORM = {"alt_value": "85", "ast_value": "40", "sex": "male", "age": "45"}


def _payload(page: str) -> str:
    found = re.search(r'name="payload" value="([^"]+)"', page)
    assert found, "the report page carries its payload"
    return html.unescape(found.group(1))


def _answer(client: TestClient, page: str, **answers: Any) -> Any:
    data = {"csrf_token": csrf(client), "payload": _payload(page), **answers}
    return client.post("/report/answer", data=data)


def test_the_questions_are_asked_in_place_with_their_fields(client: TestClient) -> None:
    page = post_form(client, "/report", FORM).text
    questions = page[page.index('id="questions"') : page.index('id="daily_life"')]
    assert '<form class="answers" method="post" action="/report/answer"' in questions
    assert 'hx-post="/report/answer"' in questions
    assert "About how much alcohol do you drink in a week?" in questions
    assert 'name="alcohol_g_week"' in questions
    assert 'name="no_known_conditions"' in questions  # a list can be answered "none"
    assert 'name="alt_value"' not in questions  # only what the report asked


def test_an_answer_moves_a_cause_and_says_why(client: TestClient) -> None:
    page = post_form(client, "/report", FORM).text
    answered = _answer(client, page, alcohol_g_week="280")
    assert answered.status_code == 200
    text = answered.text
    box = text[text.index('id="changes"') : text.index("</section>", text.index('id="changes"'))]
    assert "What your answers changed" in box
    assert "Alcohol moved from possible to likely." in box
    assert "You drink about 280 g of alcohol a week, above the 210 g" in box
    assert box.index("moved") < box.index("280 g")
    assert "autofocus" in box
    carried = json.loads(_payload(text))
    assert carried["context"]["alcohol_grams_per_week"] == 280
    assert carried["labs"]["alt"]["value"] == 85  # the rest of the panel as it was
    # the question is answered now, so it is not asked again
    assert "About how much alcohol do you drink in a week?" not in text


def test_only_the_questions_asked_are_taken_from_the_form(client: TestClient) -> None:
    page = post_form(client, "/report", FORM).text
    answered = _answer(client, page, alcohol_g_week="280", alt_value="900", sex="female")
    carried = json.loads(_payload(answered.text))
    assert carried["labs"]["alt"]["value"] == 85
    assert carried["person"]["sex"] == "male"


def test_an_answer_that_does_not_pass_keeps_the_report_and_says_what_is_accepted(
    client: TestClient,
) -> None:
    page = post_form(client, "/report", FORM).text
    failed = _answer(client, page, alcohol_g_week="lots")
    assert failed.status_code == 422
    assert 'id="alcohol_g_week-error"' in failed.text
    assert 'value="lots"' in failed.text  # what was typed stays
    assert "Your ALT is 85 U/L" in failed.text  # the report is still there
    assert json.loads(_payload(failed.text))["labs"]["alt"]["value"] == 85
    both = _answer(client, page, known_conditions="hepatitis_b", no_known_conditions="yes")
    assert both.status_code == 422
    assert "not both" in both.text


def test_an_answer_that_changes_nothing_says_so_in_chinese_too(client: TestClient) -> None:
    client.cookies.set(i18n.LANGUAGE_COOKIE, "zh")
    page = post_form(client, "/report", {**FORM, "language": "zh"}).text
    answered = _answer(client, page, no_known_conditions="yes")
    assert answered.status_code == 200
    assert "您的回答带来的变化" in answered.text
    assert "下面的报告已包含这些回答" in answered.text


def test_answers_to_a_saved_result_are_saved_with_it(client: TestClient) -> None:
    sign_up(client, "answers@example.org")
    page = post_form(client, "/report", FORM).text
    saved = post_form(client, "/panels", {"payload": _payload(page), "collected_on": "2026-11-01"})
    assert saved.status_code == 303
    where = saved.headers["location"]
    shown = client.get(where).text
    assert f'action="{where}/answer"' in shown
    answered = client.post(
        f"{where}/answer", data={"csrf_token": csrf(client), "alcohol_g_week": "280"}
    )
    assert answered.status_code == 200
    assert "Alcohol moved from possible to likely." in answered.text
    again = client.get(where).text  # stored, not only shown
    assert "You drink about 280 g of alcohol a week" in again
    assert 'value="280"' in client.get(f"{where}/edit").text


def test_no_one_answers_for_someone_else(client: TestClient) -> None:
    sign_up(client, "owner@example.org")
    page = post_form(client, "/report", FORM).text
    where = post_form(client, "/panels", {"payload": _payload(page)}).headers["location"]
    client.post("/signout", data={"csrf_token": csrf(client)})
    sign_up(client, "other@example.org")
    tried = client.post(f"{where}/answer", data={"csrf_token": csrf(client), "alcohol_g_week": "0"})
    assert tried.status_code == 404
    without_token = client.post("/report/answer", data={"payload": _payload(page)})
    assert without_token.status_code == 403
