"""Error words on pages and in the JSON API follow the person's language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import post_form


def test_api_interpret_errors_in_the_inputs_language(client: TestClient) -> None:
    bad = {"labs": {"alt": {"value": 50, "unit": "kat"}}, "language": "zh"}
    response = client.post("/api/v1/interpret", json=bad)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "labs", "alt", "unit"]
    assert problem["id"] == "error.lab.unknown_unit"
    assert "不是 LiverLens 认识的" in problem["msg"]
    english = client.post("/api/v1/interpret", json={**bad, "language": "en"}).json()
    assert "is not a unit LiverLens knows" in english["detail"][0]["msg"]


def test_api_errors_follow_accept_language_without_a_language_field(client: TestClient) -> None:
    response = client.post(
        "/api/v1/interpret", json={"labs": {}}, headers={"accept-language": "zh-CN"}
    )
    assert response.status_code == 422
    assert "请至少填写一项化验结果" in response.json()["detail"][0]["msg"]
    unauthorised = client.get("/api/v1/panels", headers={"accept-language": "zh-CN"})
    assert unauthorised.status_code == 401 and unauthorised.json()["detail"] == "请先登录"
    assert client.get("/api/v1/panels").json()["detail"] == "sign in first"


def test_form_errors_in_the_page_language(client: TestClient) -> None:
    client.cookies.set("ll_lang", "zh")
    response = post_form(client, "/report", {"alt_value": "abc", "alt_unit": "U/L"})
    assert response.status_code == 422
    assert "“abc”不是数字" in response.text
    client.cookies.set("ll_lang", "en")
    response = post_form(client, "/report", {"alt_value": "abc", "alt_unit": "U/L"})
    assert "&#39;abc&#39; is not a number" in response.text  # escaped by Jinja


def test_sign_in_error_in_chinese(client: TestClient) -> None:
    client.cookies.set("ll_lang", "zh")
    response = post_form(client, "/signin", {"email": "a@b.example", "password": "wrong one"})
    assert response.status_code == 422 and "邮箱和密码与任何账户都不匹配" in response.text


def test_error_pages_in_both_languages(client: TestClient) -> None:
    missing = client.get("/no/such/page", headers={"accept-language": "zh-CN"})
    assert missing.status_code == 404 and "该页面不存在。" in missing.text
    english = client.get("/no/such/page")
    assert english.status_code == 404 and "This page does not exist." in english.text
    refused = client.post("/report", data={"alt_value": "50"}, headers={"accept-language": "zh"})
    assert refused.status_code == 403 and "CSRF 令牌缺失或不正确" in refused.text


def test_a_result_saved_from_a_chinese_report_reopens_in_chinese(client: TestClient) -> None:
    from tests.web.conftest import sign_up

    sign_up(client, "zh-saver@example.org")
    saved = post_form(
        client, "/panels", {"alt_value": "95", "collected_on": "2026-05-01", "language": "zh"}
    )
    assert saved.status_code == 303
    reopened = client.get(saved.headers["location"]).text
    assert 'lang="zh-CN"' in reopened and "您的谷丙转氨酶（ALT）为 95 U/L" in reopened
    english = post_form(client, "/panels", {"alt_value": "60", "collected_on": "2026-06-01"})
    assert "Your ALT is 60 U/L" in client.get(english.headers["location"]).text


def test_a_language_that_is_not_text_still_gets_a_clear_error(client: TestClient) -> None:
    response = client.post("/api/v1/interpret", json={"labs": {"alt": 50}, "language": 5})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "language"] and problem["id"] == "error.input.one_of"
