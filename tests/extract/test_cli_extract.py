"""`liverlens extract` and `liverlens explain --report` on a real PDF with a text layer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from liverlens.cli import cli

REPORT = """<html><head><meta charset="utf-8"><style>
body {{ font-family: 'Noto Sans CJK SC'; font-size: 10pt }} td {{ padding: 2px 14px }}
</style></head><body>
<h2>Riverside Laboratory — Liver function tests</h2>
<p>Patient: Test Person &nbsp; Sex: Female &nbsp; Age: 45 Y</p>
<p>Collected: 14-Mar-2026 08:10 &nbsp; Reported: 15-Mar-2026</p>
<table><tr><th>Test</th><th>Result</th><th>Flag</th><th>Reference range</th><th>Units</th></tr>
{rows}
</table></body></html>"""

ROWS = [
    ("ALT (SGPT)", "85", "H", "7-40", "U/L"),
    ("AST (SGOT)", "45", "H", "&lt;35", "U/L"),
    ("Alkaline Phosphatase", "1,234", "H", "40-129", "IU/L"),
    ("Bilirubin, Total", "1.2", "", "0.1-1.2", "mg/dL"),
    ("Bilirubin, Indirect", "0.8", "", "0.1-1.0", "mg/dL"),
    ("Glucose", "98", "", "70-99", "mg/dL"),
    ("GGT", "pending", "", "(10 - 49)", "U/L"),
]


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import weasyprint

    rows = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in ROWS)
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    weasyprint.HTML(string=REPORT.format(rows=rows)).write_pdf(path)
    return path


def test_extract_json_is_the_input_contract_with_evidence(report_pdf: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(report_pdf), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["labs"] == {
        "alt": {"value": 85, "unit": "U/L", "lower_limit": 7, "upper_limit": 40},
        "ast": {"value": 45, "unit": "U/L", "upper_limit": 35},
        "alp": {"value": 1234, "unit": "IU/L", "lower_limit": 40, "upper_limit": 129},
        "bilirubin": {"value": 1.2, "unit": "mg/dL", "lower_limit": 0.1, "upper_limit": 1.2},
    }
    assert out["person"] == {"sex": "female", "age": 45}
    assert out["collected_on"] == "2026-03-14"
    alt = next(f for f in out["fields"] if f["analyte"] == "alt")
    assert alt["page"] == 1 and alt["confidence"] == 1.0 and "85" in alt["text"]
    assert len(alt["box"]) == 4
    assert [(u["analyte"], u["reason"]) for u in out["unread"]] == [
        ("ggt", "error.extract.no_value")
    ]


def test_extract_text_marks_what_was_not_read(report_pdf: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(report_pdf)])
    assert result.exit_code == 0
    assert "Read 4 tests from 1 page(s)" in result.output
    assert "ALT | 85 | U/L | 7-40 | 100% | 1" in result.output
    assert "Not read (please type it): GGT" in result.output


def test_explain_report_shows_what_it_read_then_explains(report_pdf: Path) -> None:
    result = CliRunner().invoke(
        cli, ["explain", "--report", str(report_pdf), "--format", "json", "--age", "46"]
    )
    assert result.exit_code == 0, result.output
    assert "Read 4 tests" in result.stderr
    out = json.loads(result.stdout)
    assert out["analytes"]["alt"]["value"] == 85
    assert out["analytes"]["alt"]["upper_limit"] == 40  # the lab's own limit
    assert out["analytes"]["bilirubin"]["unit"] in {"umol/L", "mg/dL"}


def test_an_unreadable_file_exits_2_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "photo.jpg"
    bad.write_bytes(b"not an image at all")
    result = CliRunner().invoke(cli, ["extract", str(bad)])
    assert result.exit_code == 2
    assert "photo.jpg could not be read as a lab report" in result.stderr
    assert "accepted: PDF, JPEG, PNG" in result.stderr
    assert result.stdout == ""


def test_a_pdf_with_no_liver_tests_says_so(tmp_path: Path) -> None:
    import weasyprint

    path = tmp_path / "letter.pdf"
    weasyprint.HTML(string="<p>" + "Dear patient, your appointment is on Monday. " * 5).write_pdf(
        path
    )
    result = CliRunner().invoke(cli, ["extract", str(path), "--lang", "zh"])
    assert result.exit_code == 2
    assert "没有找到肝功能检查项目" in result.stderr
