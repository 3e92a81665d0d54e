"""The pages' own words in the visitor's language: Accept-Language, the header switch and its
cookie, every template's chrome in Simplified Chinese, and every ui.* id the templates name."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from liverlens import i18n
from liverlens.knowledge import load_knowledge
from tests.web.conftest import csrf, post_form, sign_up

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
TEMPLATES = Path(__file__).parents[2] / "src" / "liverlens" / "web" / "templates"
SRC = TEMPLATES.parents[1]
UI_ID = re.compile(r"""["'](ui\.[a-z0-9_.]+)["']""")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

# English chrome that must not be left on a Chinese page (case-sensitive, visible text only)
ENGLISH_CHROME = (
    "Skip to content",
    "New result",
    "My results",
    "Sign in",
    "Sign out",
    "Create account",
    "Create an account",
    "LiverLens explains results",
    "What do your liver results mean?",
    "Type the numbers",
    "Your results",
    "Date of the test",
    "Reference limits",
    "Default (ACG 2017",
    "About you",
    "Not said",
    "Not sure / not said",
    "Male",
    "Female",
    "Age (years)",
    "Or BMI",
    "Leave empty",
    "Pregnant?",
    "The days before the test",
    "Alcohol, grams",
    "I take none",
    "Symptoms now",
    "Conditions you know you have",
    "yellow skin",
    "hepatitis B",
    "Explain my results",
    "lab upper limit",
    "upper limit",
    "Your values",
    "Download PDF",
    "Delete this result",
    "Save this result",
    "To print or keep a copy",
    "Edit",
    "Trend",
    "Saved results, newest first",
    "Download all your data",
    "Open",
    "Email",
    "Password",
    "No account?",
    "Create one",
    "Back to the start",
    "Main",
)
# Latin words a Chinese page may still show: names, formats, units, abbreviations on lab sheets
LATIN_ALLOWED = {
    "LiverLens",
    "API",
    "CSV",
    "JSON",
    "PDF",
    "English",
    "ACG",
    "WS",
    "T",
    "ALT",
    "AST",
    "ALP",
    "GGT",
    "INR",
    "CK",
    "BMI",
    "U",
    "IU",
    "L",
    "ukat",
    "umol",
    "mol",  # µmol, µkat: unit symbols, whose µ the word pattern leaves out
    "kat",
    "mmol",
    "mEq",
    "mg",
    "dL",
    "g",
    "uL",
}
SKIPPED = {"script", "style"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class VisibleText(HTMLParser):
    """What a reader sees or hears: text nodes and labelling attributes.

    Elements matching ``skip`` (a tag name, or ``tag.class``) are left out with all they hold.
    """

    def __init__(self, skip: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.skip = skip
        self.parts: list[str] = []
        self._skipping = 0  # depth inside a skipped element

    def _skipped(self, tag: str, attrs: dict[str, str | None]) -> bool:
        classes = (attrs.get("class") or "").split()
        return tag in SKIPPED or any(
            s == tag or (s.startswith(f"{tag}.") and s.split(".", 1)[1] in classes)
            for s in self.skip
        )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self._skipping:
            self._skipping += tag not in VOID
        elif self._skipped(tag, found):
            self._skipping = tag not in VOID
        else:
            self._labels(found)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if not self._skipping and not self._skipped(tag, found):
            self._labels(found)

    def _labels(self, attrs: dict[str, str | None]) -> None:
        for name in ("aria-label", "placeholder", "title", "alt"):
            if attrs.get(name):
                self.parts.append(str(attrs[name]))

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag not in VOID:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def visible(html: str, skip: tuple[str, ...] = ()) -> str:
    parser = VisibleText(skip)
    parser.feed(html)
    return "\n".join(parser.parts)


def assert_no_english(html: str, skip: tuple[str, ...] = ()) -> None:
    """No English chrome phrase and no Latin word but the allowed ones, outside ``skip``."""
    shown = visible(html, skip)
    left = [p for p in ENGLISH_CHROME if p in shown]
    assert not left, f"English chrome on a Chinese page: {left}"
    words = set(re.findall(r"[A-Za-z]+", shown)) - LATIN_ALLOWED
    assert not words, f"Latin words on a Chinese page: {sorted(words)}"
    assert CJK.search(shown)


def assert_chinese_chrome(html: str, skip: tuple[str, ...] = ()) -> None:
    assert '<html lang="zh-CN">' in html
    assert_no_english(html, skip)


def values_box(html: str) -> str:
    found = re.search(r'<aside class="values".*?</aside>', html, re.DOTALL)
    assert found, "no values box"
    return found.group(0)


def without_message(html: str) -> str:
    """An error page without its message (the app's words, not the template's)."""
    return re.sub(r"(<h1>\d{3}</h1>\s*)<p>.*?</p>", r"\1", html, count=1, flags=re.DOTALL)


def switch_to_chinese(client: TestClient) -> None:
    response = client.get("/language", params={"to": "zh", "next": "/"}, follow_redirects=False)
    assert response.status_code == 303


def test_accept_language_picks_the_page_language(client: TestClient) -> None:
    zh = client.get("/", headers=ZH).text
    assert '<html lang="zh-CN">' in zh
    for words in (
        "<h1>您的肝功能化验结果说明什么？</h1>",
        '<button type="submit" class="primary">解读我的结果</button>',
        '<a href="/">填写新结果</a>',
        '<a href="/signin">登录</a>',
        "<legend>目前的症状</legend>",
        "<title>您的肝功能化验结果 · LiverLens</title>",
        '<nav aria-label="主导航">',
        'placeholder="参考上限"',
        "皮肤或眼白发黄",  # the vocabulary's own translation
        "谷丙转氨酶（ALT）",
    ):
        assert words in zh, words
    # the switch offers the other language, marked as being in it
    assert 'href="/language?to=en&amp;next=/" lang="en" hreflang="en">English</a>' in zh
    # the report language follows the page language until the visitor picks one
    assert '<option value="zh" lang="zh-CN" selected>' in zh

    en = client.get("/").text
    assert '<html lang="en">' in en
    assert "<h1>What do your liver results mean?</h1>" in en
    assert ">Explain my results</button>" in en and '<a href="/signin">Sign in</a>' in en
    assert 'href="/language?to=zh&amp;next=/" lang="zh-CN" hreflang="zh-CN">中文</a>' in en
    assert '<option value="en" lang="en" selected>' in en
    assert not CJK.search(
        visible(en).replace("报告语言", "").replace("简体中文", "").replace("中文", "")
    )


def test_query_beats_cookie_beats_accept_language(client: TestClient) -> None:
    assert '<html lang="zh-CN">' in client.get("/?lang=zh").text
    client.cookies.set(i18n.LANGUAGE_COOKIE, "en")
    assert '<html lang="en">' in client.get("/", headers=ZH).text
    assert '<html lang="zh-CN">' in client.get("/?lang=zh-CN").text


def test_switch_sets_the_cookie_and_goes_back(client: TestClient) -> None:
    response = client.get(
        "/language", params={"to": "zh", "next": "/signin"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"
    assert f"{i18n.LANGUAGE_COOKIE}=zh" in response.headers["set-cookie"]
    signin = client.get("/signin").text
    assert '<html lang="zh-CN">' in signin and "<h1>登录</h1>" in signin
    assert 'href="/language?to=en&amp;next=/signin"' in signin
    assert "<h1>您的肝功能化验结果说明什么？</h1>" in client.get("/").text

    back = client.get("/language", params={"to": "en", "next": "/"}, follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"] == "/"
    assert "<h1>What do your liver results mean?</h1>" in client.get("/", headers=ZH).text


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "/\\evil.example", "evil.example"]
)
def test_switch_only_goes_back_to_a_local_path(client: TestClient, target: str) -> None:
    response = client.get("/language", params={"to": "zh", "next": target}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_switch_refuses_an_unknown_language(client: TestClient) -> None:
    response = client.get("/language", params={"to": "xx", "next": "/"}, follow_redirects=False)
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert i18n.LANGUAGE_COOKIE not in response.headers.get("set-cookie", "")
    assert '<html lang="en">' in client.get("/").text


def test_switch_link_keeps_the_current_path(client: TestClient) -> None:
    page = client.get("/signup").text
    assert 'href="/language?to=zh&amp;next=/signup"' in page


def test_form_and_account_pages_in_chinese(client: TestClient) -> None:
    switch_to_chinese(client)
    for path in ("/", "/signin", "/signup"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_chinese_chrome(response.text)
    signup = client.get("/signup").text
    assert "<h1>注册账号</h1>" in signup and "密码（至少 10 个字符）" in signup
    signin = client.get("/signin").text
    assert '<label for="email">电子邮箱</label>' in signin
    assert '还没有账号？<a href="/signup">立即注册</a>。' in signin


def test_error_pages_in_chinese(client: TestClient) -> None:
    switch_to_chinese(client)
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert_chinese_chrome(without_message(missing.text))
    assert '<a href="/">返回首页</a>' in missing.text
    sign_up(client, "lang-error@example.org")
    gone = client.get("/panels/999")
    assert gone.status_code == 404
    assert_chinese_chrome(without_message(gone.text))
    assert "退出登录" in gone.text and '<a href="/panels">我的结果</a>' in gone.text


def test_report_page_in_chinese(client: TestClient) -> None:
    switch_to_chinese(client)
    response = post_form(client, "/report", {"alt_value": "95", "sex": "male", "language": "zh"})
    assert response.status_code == 200
    page = response.text
    # the report itself may cite English titles; its chrome and values box are Chinese
    assert_chinese_chrome(page, skip=("div.report",))
    assert_no_english(values_box(page))
    assert re.search(r'<div class="report urgency-\w+" lang="zh-CN">', page)
    assert "<h2>您的数值</h2>" in page and ">偏高</span>" in page
    assert ">下载 PDF</button>" in page
    assert (
        ">注册账号</button>" in page
        and ">登录</button>" in page
        and "在您点击“保存”之前不会保存任何内容" in page
    )


def test_english_report_on_a_chinese_page_is_marked_english(client: TestClient) -> None:
    switch_to_chinese(client)
    page = post_form(client, "/report", {"alt_value": "95", "language": "en"}).text
    assert '<html lang="zh-CN">' in page
    assert re.search(r'<div class="report urgency-\w+" lang="en">', page)
    assert "<h2>Your values</h2>" in page and ">high</span>" in page  # the report's language
    assert ">下载 PDF</button>" in page  # the page's


def test_chinese_report_on_an_english_page_is_marked_chinese(client: TestClient) -> None:
    page = post_form(client, "/report", {"alt_value": "95", "language": "zh"}).text
    assert '<html lang="en">' in page
    assert re.search(r'<div class="report urgency-\w+" lang="zh-CN">', page)
    assert "<h2>您的数值</h2>" in page and ">Download PDF</button>" in page
    assert '<span class="bar-label">谷丙转氨酶 <strong>95</strong>' in page


def test_saved_results_pages_in_chinese(client: TestClient) -> None:
    sign_up(client, "lang-panels@example.org")
    switch_to_chinese(client)
    empty = client.get("/panels").text
    assert_chinese_chrome(empty)
    assert '您还没有保存过结果。<a href="/">填写化验结果</a>，阅读报告后即可保存。' in empty

    saved = post_form(
        client, "/panels", {"alt_value": "95", "collected_on": "2026-05-01", "language": "zh"}
    )
    assert saved.status_code == 303
    history = client.get("/panels").text
    assert_chinese_chrome(history)  # the trend chart's own labels included
    title = "谷丙转氨酶随时间的变化（阴影为参考上限）"  # only ALT was saved
    assert f'<title id="trend-alt-ast-title">{title}</title>' in history
    assert "<title>2026-05-01：谷丙转氨酶 95 U/L</title>" in history
    assert "<caption>已保存的结果（最新的在前）</caption>" in history
    assert '<th scope="col">谷丙转氨酶</th>' in history
    # one test saved: one chart, so no choice to make
    assert 'class="chart-pick' not in history
    post_form(client, "/panels", {"ggt_value": "80", "collected_on": "2026-06-01"})
    history = client.get("/panels").text
    assert "<legend>显示</legend>" in history
    assert '<label for="pick-1">谷丙转氨酶和谷草转氨酶</label>' in history

    panel = client.get(saved.headers["location"]).text
    assert_chinese_chrome(panel, skip=("div.report", "title"))  # the title is the report's
    assert ">修改</a>" in panel and ">删除此结果</a>" in panel
    asked = client.get(saved.headers["location"] + "/delete").text
    assert_chinese_chrome(asked)
    assert "删除 2026-05-01 的化验结果？" in asked and ">保留</a>" in asked

    edit = client.get(f"{saved.headers['location']}/edit").text
    assert_chinese_chrome(edit)
    assert "<h1>修改已保存的结果</h1>" in edit and ">保存修改</button>" in edit


def test_form_errors_heading_in_chinese(client: TestClient) -> None:
    switch_to_chinese(client)
    token = csrf(client)
    page = client.post("/report", data={"csrf_token": token, "age": "200"}).text
    assert re.search(r"<h2>请检查 \d+ 处填写内容</h2>", page)
    english = client.post("/report?lang=en", data={"csrf_token": token, "age": "200"}).text
    assert re.search(r"<h2>Please check \d+ fields?</h2>", english)


def _template_ids() -> dict[str, set[str]]:
    return {p.name: set(UI_ID.findall(p.read_text())) for p in sorted(TEMPLATES.glob("*.html"))}


def test_every_ui_id_the_templates_name_exists() -> None:
    texts = load_knowledge().texts
    named = _template_ids()
    assert sum(len(ids) for ids in named.values()) > 50  # the pattern still finds them
    for template in ("base.html", "form.html", "_field.html", "error.html", "report.html"):
        assert named[template], f"{template} names no ui.* text"
    missing = {name: sorted(ids - texts.keys()) for name, ids in named.items()}
    assert not any(missing.values()), missing


def test_every_ui_text_is_used_and_has_chinese() -> None:
    texts = load_knowledge().texts
    ui = {i: p for i, p in texts.items() if i.startswith("ui.")}
    used = set().union(*_template_ids().values())
    used |= {m for p in SRC.rglob("*.py") for m in UI_ID.findall(p.read_text())}
    assert not ui.keys() - used, f"ui.yaml texts no page uses: {sorted(ui.keys() - used)}"
    untranslated = [i for i, p in ui.items() if not p.text.zh or not CJK.search(p.text.zh)]
    assert not untranslated, untranslated


NAMES = re.compile(r"LiverLens|API|CSV|JSON|English")
ATTRIBUTE = re.compile(r'[\w-]+="[^"]*"')  # a macro's attribute text is not between tags


def test_templates_hold_no_hard_coded_english() -> None:
    """Words between tags and in labelling attributes come from ui.yaml, never the template."""
    for path in TEMPLATES.glob("*.html"):
        source = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", " ", path.read_text(), flags=re.DOTALL)
        between = re.findall(r">([^<>]*)<", source)
        labels = re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', source)
        left = [
            w.strip()
            for w in between + labels
            if re.search(r"[A-Za-z]{2}", NAMES.sub("", ATTRIBUTE.sub("", w)))
        ]
        assert not left, f"{path.name}: {left}"


def test_reading_a_saved_result_in_another_language_keeps_its_verdict(client: TestClient) -> None:
    """Saved in English (ACG 2017 limits): ALT 260, bilirubin 50 µmol/L on isoniazid is
    Hy's law, urgent. Read in Chinese, the page must not switch to the Chinese default
    limits (WS/T 404, bilirubin limit 26) and drop the red flag: the limits it was first
    read against stay; only the words change. It did drop before the fix."""
    sign_up(client, "verdict@example.org")
    saved = post_form(
        client,
        "/panels",
        {
            "alt_value": "260",
            "ast_value": "180",
            "alp_value": "110",
            "bilirubin_value": "50",
            "bilirubin_unit": "umol/L",
            "sex": "male",
            "age": "45",
            "alcohol_g_week": "0",
            "medications": "isoniazid",
            "collected_on": "2026-11-18",
            "language": "en",
        },
    )
    assert saved.status_code == 303
    where = saved.headers["location"]
    english = client.get(where).text
    assert 'class="urgent"' in english and "Hy" in english
    chinese = client.get(where + "?lang=zh").text
    assert '<html lang="zh-CN">' in chinese
    assert 'class="urgent"' in chinese
    assert "≤ 33 U/L" in chinese or "33 U/L" in chinese  # ACG 2017's ALT limit for men, as saved
