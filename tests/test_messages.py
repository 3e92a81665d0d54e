"""Errors and CLI messages in English and Simplified Chinese (messages.yaml), and how the
language is chosen (liverlens.i18n)."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import liverlens
from liverlens import i18n
from liverlens.cli import cli
from liverlens.errors import InputError, issue
from liverlens.knowledge import load_knowledge

SRC = Path(liverlens.__file__).parent
MESSAGE_ID = re.compile(r"""["']((?:error|cli|cds|note)\.[a-z0-9_.]+[a-z0-9_])["']""")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_message_id_the_code_uses_exists() -> None:
    """A typo in a message id fails here, not in front of a person."""
    texts = load_knowledge().texts
    used = {
        (path.relative_to(SRC).as_posix(), found)
        for path in SRC.rglob("*.py")
        for found in MESSAGE_ID.findall(path.read_text(encoding="utf-8"))
    }
    assert len(used) > 40  # the scan finds the catalogue's users
    templates = {"error.html"}  # a template file name, not a message
    missing = sorted(
        (where, text_id) for where, text_id in used if text_id not in texts.keys() | templates
    )
    assert missing == []


def test_every_error_and_cli_message_is_translated() -> None:
    kb = load_knowledge()
    messages = {k: v for k, v in kb.texts.items() if k.startswith(("error.", "cli.", "cds."))}
    assert len(messages) > 60
    for text_id, phrase in messages.items():
        assert phrase.text.zh, text_id
        if text_id not in ("error.plain", "cds.separator", "cds.label", "cds.cause"):  # marks
            assert CJK.search(phrase.text.zh), f"{text_id} has no Chinese in its zh text"


def test_input_error_speaks_both_languages() -> None:
    bad = {"labs": {"alt": {"value": 50, "unit": "kat"}, "ast": -3}, "language": "zh"}
    with pytest.raises(InputError) as caught:
        liverlens.interpret(bad)
    exc = caught.value
    assert [d.message for d in exc.details] == ["error.lab.unknown_unit", "error.lab.negative"]
    assert i18n.describe(exc)[0].startswith("labs.alt.unit: 'kat' is not a unit LiverLens knows")
    assert "accepted: U/L" in i18n.describe(exc)[0]
    zh = i18n.describe(exc, "zh")
    assert zh[0].startswith("labs.alt.unit: 'kat' 不是 LiverLens 认识的") and "可用单位" in zh[0]
    assert zh[1] == "labs.ast: 数值不能为负数（收到 -3）"


def test_shape_errors_from_pydantic_are_ours_too() -> None:
    with pytest.raises(InputError) as caught:
        liverlens.interpret({"labs": {"alt": 50}, "person": {"age": "old", "sex": "other"}})
    by_field = {d.field: d for d in caught.value.details}
    assert by_field["person.age"].message == "error.input.number"
    assert by_field["person.sex"].message == "error.input.one_of"
    assert "person.age: 应为数字（收到 'old'）" in i18n.describe(caught.value, "zh")


def test_input_error_pickles_with_its_details() -> None:
    """Spark and multiprocessing move exceptions between processes."""
    exc = InputError([issue("labs.alt", "error.lab.negative", given="-1"), "a plain line"])
    back = pickle.loads(pickle.dumps(exc))
    assert back.details == exc.details and i18n.describe(back) == i18n.describe(exc)
    assert i18n.describe(back, "zh") == ["labs.alt: 数值不能为负数（收到 -1）", "a plain line"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR, zh-TW;q=0.5", "zh"),
        ("zh;q=0, en;q=0.1", "en"),  # q=0 means "not this one"
        ("fr, de", None),
        ("", None),
        ("zh;q=abc, en", "en"),  # a broken weight drops that entry only
    ],
)
def test_accept_language(header: str, expected: str | None) -> None:
    assert i18n.from_accept_language(header) == expected


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL wins, as in gettext
        ({"LC_MESSAGES": "zh_SG.UTF-8", "LANG": "en_GB.UTF-8"}, "zh"),
        ({"LIVERLENS_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LIVERLENS_LANG": "zh"}, "zh"),
    ],
)
def test_cli_language_from_the_environment(env: dict[str, str], expected: str) -> None:
    assert i18n.for_cli(env) == expected


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, env=env)
    return result.exit_code, result.stdout, result.stderr


def test_cli_error_in_chinese_with_lang_zh() -> None:
    code, _, err = run(["explain", "--alt", "50", "--alt-unit", "kat", "--lang", "zh"])
    assert code == 2
    assert err.startswith("liverlens: labs.alt.unit: 'kat' 不是 LiverLens 认识的")


def test_cli_error_in_english_by_default() -> None:
    code, _, err = run(["explain", "--alt", "50", "--alt-unit", "kat"], env={"LANG": "C.UTF-8"})
    assert code == 2 and "is not a unit LiverLens knows" in err


def test_cli_locale_chooses_messages_and_report(tmp_path: Path) -> None:
    env = {"LIVERLENS_LANG": "zh"}
    code, out, err = run(["explain", "--alt", "80"], env=env)
    assert code == 0, err
    assert "谷丙转氨酶" in out
    src = tmp_path / "labs.csv"
    src.write_text("alt,ast\n95,40\nabc,30\n", encoding="utf-8")
    code, _, err = run(["batch", str(src), "-o", str(tmp_path / "out.csv")], env=env)
    assert code == 3
    assert "共 2 行" in err and "被拒绝的行：1" in err
    code, _, err = run(["batch", str(tmp_path / "nope.csv"), "-o", "x.csv"], env=env)
    assert code == 2 and "文件不存在" in err
