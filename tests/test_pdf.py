"""PDF reports: rendered with WeasyPrint and read back with pdftotext (poppler-utils)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import liverlens
from liverlens.cli import cli

pytest.importorskip("weasyprint", reason="install liverlens[pdf]")
PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None, reason="apt-get install poppler-utils")


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    assert PDFTOTEXT
    out = subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


@needs_poppler
def test_pdf_holds_the_report_and_the_trend_chart(tmp_path: Path) -> None:
    report = liverlens.interpret(
        {
            "labs": {"alt": 90, "ast": 50},
            "person": {"sex": "male", "age": 50},
            "collected_on": "2026-11-01",
            "history": [{"collected_on": "2026-02-01", "labs": {"alt": 80, "ast": 40}}],
        }
    )
    pdf = report.to_pdf()
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf, tmp_path)
    assert "Your ALT is 90 U/L, 2.7 times the upper limit" in text
    assert "Your results over time" in text and "2026-02-01" in text  # chart axis and text
    assert "Sources" in text and "does not diagnose" in text


@needs_poppler
def test_urgent_box_comes_first_in_the_pdf(tmp_path: Path) -> None:
    text = text_of(liverlens.interpret({"labs": {"alt": 2500}}).to_pdf(), tmp_path)
    assert text.index("Act on this first") < text.index("The short answer")


@needs_poppler
def test_cli_writes_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["explain", "--alt", "95", "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "Your ALT is 95 U/L" in text_of(out.read_bytes(), tmp_path)
    refused = CliRunner().invoke(cli, ["explain", "--alt", "95", "--format", "pdf"])
    assert refused.exit_code == 2 and "needs -o FILE" in refused.stderr
