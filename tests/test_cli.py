"""The ``liverlens`` command, end to end through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from liverlens.cli import cli

EXAMPLE = [
    "explain",
    "--alt",
    "95",
    "--alt-upper",
    "50",
    "--ast",
    "45",
    "--sex",
    "male",
    "--age",
    "28",
    "--exercise-days-ago",
    "1",
]


def invoke(args: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args, input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_issue_example_prints_the_article() -> None:
    code, out, err = invoke(EXAMPLE)
    assert code == 0, err
    assert out.startswith("Your ALT is 95 U/L, 1.9 times the upper limit.")
    for heading in (
        "The short answer",
        "What your numbers mean",
        "Reading the pattern",
        "What may be behind it",
        "What to do now",
        "When to see a doctor",
        "Daily life",
        "Sources",
        "Please note",
    ):
        assert f"\n{heading}\n" in out
    assert "1. Hard or unaccustomed exercise: likely" in out


def test_markdown_format() -> None:
    code, out, _ = invoke([*EXAMPLE, "--format", "markdown"])
    assert code == 0
    assert out.startswith("# Your ALT is 95 U/L")
    assert "\n## The short answer\n" in out
    assert "| ALT | 95 U/L | ≤ 50 U/L (your lab) | 1.9 | high |" in out


def test_json_format_follows_the_contract() -> None:
    code, out, _ = invoke([*EXAMPLE, "--format", "json"])
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == "1"
    assert data["analytes"]["alt"]["limit_source"] == "lab"
    assert data["alt_grade"] == "borderline"


def test_input_file_and_stdin_give_the_same_report(tmp_path: Path) -> None:
    case = {"person": {"sex": "female", "age": 50}, "labs": {"alt": 150, "ast": 30, "alp": 90}}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    code_f, from_file, _ = invoke(["explain", "--input", str(path), "--format", "json"])
    code_s, from_stdin, _ = invoke(
        ["explain", "--input", "-", "--format", "json"], stdin=json.dumps(case)
    )
    assert code_f == code_s == 0
    assert json.loads(from_file) == json.loads(from_stdin)
    assert json.loads(from_file)["pattern"] == "hepatocellular"


def test_options_override_the_input_file(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"labs": {"alt": 60}, "person": {"sex": "female"}}))
    code, out, _ = invoke(["explain", "--input", str(path), "--alt", "20", "--format", "json"])
    assert code == 0
    assert json.loads(out)["analytes"]["alt"]["value"] == 20


def test_units_medicines_and_symptoms_from_options() -> None:
    code, out, _ = invoke(
        [
            "explain",
            "--alt",
            "3",
            "--alt-unit",
            "µkat/L",
            "--bilirubin",
            "1.5",
            "--bilirubin-unit",
            "mg/dL",
            "--medication",
            "ibuprofen",
            "--symptom",
            "jaundice",
            "--format",
            "json",
        ]
    )
    assert code == 0
    data = json.loads(out)
    assert data["analytes"]["alt"]["value"] == 180
    assert data["analytes"]["bilirubin"]["value"] == 25.65
    assert data["urgency"] == "urgent"
    assert [f["id"] for f in data["red_flags"]] == ["jaundice"]


def test_bad_input_exits_2_with_one_line_and_nothing_on_stdout() -> None:
    for args in (
        ["explain", "--alt", "-4"],
        ["explain", "--alt", "50", "--alt-unit", "mmol/L"],
        ["explain", "--alt", "abc"],
        ["explain", "--alt", "50", "--sex", "x"],
        ["explain", "--ast", "50", "--ast-unit", "kg"],
        ["explain"],
        ["explain", "--input", "/no/such/file.json"],
        ["explain", "--alt-unit", "U/L"],
    ):
        code, out, err = invoke(args)
        assert code == 2, args
        assert out == "", args
        assert err.startswith("liverlens: ") and err.count("\n") == 1, (args, err)


def test_bad_json_on_stdin_exits_2() -> None:
    code, out, err = invoke(["explain", "--input", "-"], stdin="{not json")
    assert (code, out) == (2, "")
    assert "not valid JSON" in err


def test_help_shows_examples_and_generated_lab_options() -> None:
    code, out, _ = invoke(["explain", "--help"])
    assert code == 0
    assert "Example:" in out
    for option in ("--alt-upper", "--direct-bilirubin-unit", "--platelets", "--ck"):
        assert option in out


def test_explain_as_a_process_prints_all_of_the_report_and_exits_as_before() -> None:
    """A successful ``explain`` ends its process without tearing the interpreter down
    (``cli.base.finished``): the whole report still reaches a pipe, byte for byte as in
    process, with exit 0; a bad input still exits 2 with its reason on stderr."""
    import subprocess
    import sys

    command = [sys.executable, "-c", "from liverlens.cli import main; main()"]
    done = subprocess.run([*command, *EXAMPLE], capture_output=True, text=True, timeout=120)
    code, out, _ = invoke(EXAMPLE)
    assert (done.returncode, done.stdout) == (code, out) == (0, out)
    assert out.rstrip().endswith("without medical advice.")
    bad = subprocess.run(
        [*command, "explain", "--alt", "abc"], capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 2 and "alt" in bad.stderr and bad.stdout == ""
