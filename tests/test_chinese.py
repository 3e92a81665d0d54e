"""Simplified Chinese: every text translated with the same placeholders, and a Chinese report
for every vignette renders as text, Markdown, JSON and (for one case per category) PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

import liverlens
from liverlens.knowledge import KnowledgeBase
from tests.conftest import CASES

CASE_FILES = sorted(CASES.glob("*.yaml"))
CJK = re.compile(r"[\u4e00-\u9fff]")
# One vignette per category: the seeds' scenarios and the guideline ones.
CATEGORIES = [
    "seed001_exercise_day_after",
    "seed002_late_nights_fatigue",
    "seed002_alcohol_heavy_weekend",
    "seed001_hepatitis_b_known",
    "seed004_hepatitis_c_known",
    "seed004_fatty_liver_overweight_diabetes",
    "seed001_drug_amoxiclav_moderate",
    "seed000_biliary_cholestatic_pain",
    "seed000_cirrhosis_signals",
    "seed003_alt_high_ast_normal",
    "guide_normal_panel",
    "issue3_paracetamol_overdose_tylenol",
    "issue3_trend_persistent_over_8_months",
]


def test_every_text_has_its_chinese_translation(kb: KnowledgeBase) -> None:
    assert kb.untranslated("zh") == ()


def test_chinese_analyte_names_follow_lab_reports(kb: KnowledgeBase) -> None:
    assert kb.analytes["alt"].short.zh == "谷丙转氨酶"
    assert kb.analytes["ast"].short.zh == "谷草转氨酶"


def _zh(case: dict[str, Any]) -> dict[str, Any]:
    return {**case["input"], "language": "zh"}


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_every_vignette_reads_in_chinese(path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    report = liverlens.interpret(_zh(case))
    text, md = report.to_text(), report.to_markdown()
    assert "简要回答" in text and "请注意" in text and "## 简要回答" in md
    out = report.to_dict()
    assert out["language"] == "zh"
    for section in out["sections"]:
        assert CJK.search(section["heading"]), section["heading"]
    # the clinical answer does not change with the language
    english = liverlens.interpret(case["input"]).to_dict()
    for key in ("alt_grade", "pattern", "urgency"):
        if "reference" in case["input"]:
            assert out[key] == english[key], key


def test_every_category_is_covered() -> None:
    names = {p.stem for p in CASE_FILES}
    assert set(CATEGORIES) <= names


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="apt-get install poppler-utils")
@pytest.mark.parametrize("name", CATEGORIES)
def test_chinese_pdf_per_category(name: str, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    case = yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))
    pdf = tmp_path / "zh.pdf"
    pdf.write_bytes(liverlens.interpret(_zh(case)).to_pdf())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "简要回答" in text and "请注意" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts or "Noto" in fonts, fonts


def test_limit_source_labels_follow_the_report_language() -> None:
    """The short name of the limit used (sources.yaml ``short``) is a translated text too."""
    zh = liverlens.interpret({"labs": {"alt": 80, "inr": 1.1}, "language": "zh"})
    en = liverlens.interpret({"labs": {"alt": 80, "inr": 1.1}})
    assert "常用成人参考范围" in zh.to_text() and "typical adult range" not in zh.to_text()
    assert "typical adult range" in en.to_text()
    shorts = {s["id"]: s.get("short") for s in zh.to_dict()["sources"]}
    assert shorts.get("western_ranges") == "常用成人参考范围"


def test_pdf_values_box_and_chart_speak_chinese() -> None:
    """The PDF's own values box and trend chart (not only the report text) are translated."""
    from liverlens.report.render.pdf import html_document

    report = liverlens.interpret(
        {
            "labs": {"alt": 95, "ast": 30},
            "history": [{"collected_on": "2026-01-10", "labs": {"alt": 88, "ast": 28}}],
            "collected_on": "2026-06-01",
            "language": "zh",
        }
    )
    page = html_document(report)
    values = page[page.index('<aside class="values"') :]
    assert "谷丙转氨酶 <strong>95</strong>" in values
    assert '<span class="status status-high">偏高</span>' in values
    assert "谷丙转氨酶和谷草转氨酶随时间的变化" in values
    assert ">high<" not in values and " on 2026" not in values
