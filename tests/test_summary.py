"""The one-page summary for the doctor (``report/clinician.py``, ``report/render/summary.py``).

What each vignette must show was decided from its input before the code ran: the persistent
rise gives its months and says persistent; Hy's law is the first thing on the page; a normal
ALT beside a raised GGT and bilirubin shows those values as high; an entirely normal panel has
nothing to work up. Every summary is in the clinician register (no lay section, no dose, the
causes "to consider"), in English and Chinese, and fits one A4 page.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

import liverlens
from liverlens.inputs import resolve
from liverlens.knowledge import load_knowledge
from liverlens.report.clinician import ClinicianSummary, summarize
from liverlens.report.render import summary as layout

CASES = Path(__file__).parent / "cases"
SRC = Path(liverlens.__file__).parent
TODAY = date(2026, 11, 21)  # dates a panel without collected_on, as tests/test_vignettes.py
LANGS = ("en", "zh")
CJK = re.compile(r"[\u4e00-\u9fff]")
TAG = re.compile(r"<[^>]+>")


def vignette(name: str, lang: str, *, pin_reference: bool = True) -> ClinicianSummary:
    """The summary of a vignette in ``lang``. The content tests pin the ACG preset, so the
    Chinese summary reads the same limits as the English one (Chinese otherwise defaults to
    WS/T 404, whose higher limits change what is flagged)."""
    data: dict[str, Any] = yaml.safe_load((CASES / f"{name}.yaml").read_text())["input"]
    data = {**data, "language": lang}
    if pin_reference:
        data.setdefault("reference", "acg2017")
    kb = load_knowledge()
    report = liverlens.interpret(data, today=TODAY)
    return summarize(report, resolve(kb, data), knowledge=kb, today=TODAY)


def text_of(s: ClinicianSummary) -> str:
    return " ".join(TAG.sub(" ", str(layout.html(s))).split()).replace("&#39;", "'")


def pdf_pages_and_text(s: ClinicianSummary) -> tuple[int, str]:
    pdfium = pytest.importorskip("pypdfium2", reason="install liverlens[extract] (pypdfium2)")
    doc = pdfium.PdfDocument(layout.pdf(s))
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    return len(doc), " ".join(text.split())


def row(s: ClinicianSummary, analyte: str) -> tuple[str, str, str, str, str, str]:
    v = next(v for v in s.values if v.analyte == analyte)
    return v.value, v.unit, v.limit, v.source, v.fold, v.status


# --- content, decided from each vignette's input ----------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_persistent_rise_shows_its_months_and_says_persistent(lang: str) -> None:
    """ALT 68, 72, 70 and 74 U/L from 10 March to 21 November 2026: 8.4 months raised, past
    the 6-month line; the last step (70 to 74, +5.7%) is within the reference change."""
    s = vignette("issue3_trend_persistent_over_8_months", lang)
    if lang == "en":
        assert s.trend == (
            "ALT stable, +5.7% since 2026-09-01 (4 results): within expected variation",
            "raised for 8.4 months since 2026-03-10: persistent",
        )
        assert [(d.label, d.value) for d in s.details] == [
            ("Sex:", "male"),
            ("Age:", "47 y"),
            ("BMI:", "24 kg/m²"),
            ("Diabetes:", "no"),
            ("Alcohol:", "0 g/week"),
            ("Medicines:", "none"),
        ]  # only what was given: no pregnancy, symptoms or conditions
        assert s.date_line == "Test date not given"
    else:
        assert "自 2026-03-10 起持续升高 8.4 个月，属持续性升高" in s.trend
        assert s.trend[0].startswith("ALT 稳定，较 2026-09-01 变化 +5.7%")
        values = [d.value for d in s.details]
        assert values == ["男", "47 岁", "24 kg/m²", "否", "每周 0 克酒精", "无"]
        assert s.date_line == "未提供检测日期"
    assert row(s, "alt")[:5] == ("74", "U/L", "≤ 33 U/L", "ACG 2017", "2.2")
    assert row(s, "alt")[5] == "high" and s.urgency == "routine"


@pytest.mark.parametrize("lang", LANGS)
def test_hys_law_is_the_first_thing_on_the_page(lang: str) -> None:
    """Isoniazid, ALT 260 (7.9x of 33), bilirubin 50 (2.4x of 21), ALP normal: Hy's law and
    the FDA stopping rule are red flags, urgent, and come before anything else."""
    s = vignette("guide_hys_law_isoniazid", lang)
    assert s.urgency == "urgent"
    first = {"en": "Hy's law: ALT or AST above 3× ULN", "zh": "符合 Hy 法则"}[lang]
    assert s.flags[0].text.startswith(first) and s.flags[0].numbers
    assert len(s.flags) == 2  # and the FDA rule for stopping a drug
    assert s.causes[0].id == "drug_induced" and s.causes[0].likelihood == "likely"
    assert any(d.value == {"en": "isoniazid", "zh": "异烟肼"}[lang] for d in s.details)
    assert row(s, "bilirubin")[1:3] == ("µmol/L", "≤ 21 µmol/L")
    assert row(s, "bilirubin")[4:] == ("2.4", "high")
    pages, text = pdf_pages_and_text(s)
    assert pages == 1
    flag_at = text.index(first.split(":")[0])
    assert flag_at < text.index(s.words["details"]) < text.index(s.words["results"])


@pytest.mark.parametrize("lang", LANGS)
def test_normal_alt_beside_an_abnormal_panel_shows_the_abnormal_values(lang: str) -> None:
    """ALT 28 and AST 30 in range, GGT 150 (about 2.5x) and bilirubin 30 above: no false
    reassurance, the raised values are on the page as high and the panel is to review soon."""
    s = vignette("guide_normal_alt_raised_ggt_bilirubin", lang)
    assert {v.analyte: v.status for v in s.values} == {
        "alt": "normal",
        "ast": "normal",
        "alp": "normal",
        "ggt": "high",
        "bilirubin": "high",
    }
    assert row(s, "ggt")[:2] == ("150", "U/L") and row(s, "bilirubin")[:2] == ("30", "µmol/L")
    assert s.urgency == "soon" and not s.flags
    assert "alcohol" in {c.id for c in s.causes}
    high = {"en": "high", "zh": "偏高"}[lang]
    text = text_of(s)
    assert "150 U/L" in text and "30 µmol/L" in text and text.count(high) >= 2


@pytest.mark.parametrize("lang", LANGS)
def test_a_normal_panel_has_nothing_to_work_up(lang: str) -> None:
    s = vignette("guide_normal_panel", lang)
    assert s.urgency == "none" and not s.flags and not s.causes and not s.workup
    assert s.not_calculated is None  # nothing abnormal: no score is asked for
    html = str(layout.html(s))
    assert s.words["causes"] not in html and s.words["workup"] not in html
    assert {"en": "no abnormal result", "zh": "结果无异常"}[lang] in html


LAY = (
    "label.body",
    "label.todo",
    "label.course",
    "label.treatments",
    "heading.questions",
    "heading.daily_life",
    "heading.next_steps",
    "heading.see_doctor",
    "heading.summary",
    "ui.values.heading",
)
CONTENT_CASES = (
    "issue3_trend_persistent_over_8_months",
    "guide_hys_law_isoniazid",
    "guide_normal_alt_raised_ggt_bilirubin",
    "guide_normal_panel",
)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CONTENT_CASES)
def test_the_summary_speaks_to_the_clinician(name: str, lang: str) -> None:
    """No lay section or mechanism, no medicine a doctor may prescribe, no dose; the causes
    are to be considered and the disclaimer says so."""
    kb = load_knowledge()
    s = vignette(name, lang)
    text = text_of(s)
    for text_id in LAY:
        assert kb.say(text_id, lang) not in text, text_id
    for cause in kb.causes.values():  # what happens in the body, each wording of it
        assert all(v.text.get(lang)[:40] not in text for v in cause.mechanism), cause.id
    assert not re.search(r"\d\s*(mg|g/day|毫克)\b", text)
    assert s.disclaimer in text and kb.say("clinician.disclaimer", lang) == s.disclaimer
    assert ("not diagnosed" if lang == "en" else "并非诊断") in s.disclaimer
    if lang == "zh":
        assert CJK.search(s.heading) and not re.search(r"\b(Results|Work-up)\b", text)


def test_sources_carry_the_full_reports_numbers() -> None:
    """A source has the same number on the summary as in the full report it sits beside."""
    data = yaml.safe_load((CASES / "guide_hys_law_isoniazid.yaml").read_text())["input"]
    report = liverlens.interpret(data, today=TODAY)
    s = summarize(report, today=TODAY)
    numbers = report.citation_numbers()
    by_number = {n: src for src, n in numbers.items()}
    assert s.sources
    assert all(text.startswith(report.sources[n - 1].title[:30]) for n, text in s.sources)
    cited = {n for f in s.flags for n in f.numbers}
    assert {numbers["fda2009"], numbers["easl_dili2019"]} <= cited
    assert {n for n, _ in s.sources} >= cited and set(by_number) >= {n for n, _ in s.sources}


def test_the_cds_card_detail_says_what_the_summary_says() -> None:
    """One source for the clinician register: the card renders the same summary."""
    from liverlens.web.routes.cds import _detail

    data = yaml.safe_load((CASES / "guide_hys_law_isoniazid.yaml").read_text())["input"]
    report = liverlens.interpret(data, today=TODAY)
    detail, s = _detail(report), summarize(report)
    assert all(f.text in detail for f in s.flags)
    assert all(c.name in detail for c in s.causes) and all(p in detail for p in s.pattern)
    assert all(f"{v.name} {v.value}" in detail for v in s.values)
    assert detail.index(s.flags[0].text) < detail.index(s.words["results"])


# --- the words --------------------------------------------------------------------------------


def test_every_red_flag_has_a_clinician_wording() -> None:
    kb = load_knowledge()
    flags = [r.id for r in kb.urgency_rules if r.red_flag]
    assert len(flags) >= 8
    for flag in flags:
        phrase = kb.text(f"clinician.flag.{flag}").text
        assert CJK.search(phrase.zh), flag
        assert not phrase.en.startswith(("You", "Your")), flag  # the clinician's register


def test_every_clinician_word_the_code_uses_exists() -> None:
    texts = load_knowledge().texts
    used = set()
    for path in (SRC / "report" / "clinician.py", SRC / "report" / "render" / "summary.py"):
        used |= set(re.findall(r"""["'](clinician\.[a-z0-9_.]+[a-z0-9_])["']""", path.read_text()))
    assert len(used) > 30
    assert sorted(used - texts.keys()) == []
    code = (SRC / "report" / "clinician.py").read_text()
    prefixes = set(re.findall(r"""f["'](clinician\.[a-z_.]+)\{""", code))
    assert prefixes  # the f-string families: each has at least one member
    assert all(any(t.startswith(p) for t in texts) for p in prefixes)


# --- one page -----------------------------------------------------------------------------------

# the vignettes whose summaries fill the page most (measured over all of tests/cases: the
# paracetamol and acute hepatitis panels carry five red flags, four causes and the longest
# work-up), besides the content vignettes above; rendering all 256 takes minutes
FULLEST = (
    "issue3_paracetamol_massive_alt_no_overdose_stated",
    "issue3_acute_hepatitis_no_stiffness_scan",
    "issue12_paracetamol_alt_4500",
    "issue3_acute_viral_hepatitis_jaundice",
    "issue3_massive_alt_ischaemic_heart_failure",
    "issue12_pregnancy_high_bp_low_platelets_urgent",
)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", (*FULLEST, *CONTENT_CASES[:1], *CONTENT_CASES[2:]))
def test_the_summary_pdf_is_one_page(name: str, lang: str) -> None:
    s = vignette(name, lang, pin_reference=False)
    pages, text = pdf_pages_and_text(s)
    assert pages == 1, f"{name} ({lang}) is {pages} pages"
    assert s.heading in text and s.disclaimer.split(",")[0].split("，")[0] in text


def everything(lang: str) -> dict[str, Any]:
    """A panel with every field filled in: 13 tests, 60 medicines, every symptom and known
    condition, pregnancy, history; nine red flags."""
    kb = load_knowledge()
    labs = {"alt": 1400, "ast": 1100, "alp": 300, "ggt": 400, "bilirubin": 90}
    labs |= {"direct_bilirubin": 60, "albumin": 28, "platelets": 80, "inr": 1.9, "ck": 900}
    labs |= {"creatinine": 150, "sodium": 128, "bile_acids": 120}
    person = {"sex": "female", "age": 30, "pregnancy_weeks": 30, "bmi": 31, "diabetes": True}
    context = {
        "alcohol_grams_per_week": 400,
        "recent_heavy_drinking": True,
        "strenuous_exercise_days_ago": 2,
        "possible_overdose": True,
        "medications": [m.names[0] for m in list(kb.medicines.values())[:60]],
        "symptoms": [s.id for s in kb.vocabulary.symptoms],
        "known_conditions": [c.id for c in kb.vocabulary.conditions],
        "ascites": "slight",
        "encephalopathy": "grade_1_2",
    }
    history = [{"collected_on": "2026-05-01", "labs": {"alt": 300}}]
    return {
        "person": {**person, "high_blood_pressure": True},
        "labs": labs,
        "collected_on": "2026-11-20",
        "context": context,
        "history": history,
        "language": lang,
    }


@pytest.mark.parametrize("lang", LANGS)
def test_a_panel_with_every_field_filled_in_still_fits_one_page(lang: str) -> None:
    """Set smaller (``FIT_SIZES``) rather than run over; the medicines past the first twelve
    are counted, not named (the full report names them all)."""
    kb = load_knowledge()
    data = everything(lang)
    report = liverlens.interpret(data, today=TODAY)
    s = summarize(report, resolve(kb, data), knowledge=kb, today=TODAY)
    assert len(s.flags) >= 8 and s.date_line.endswith("2026-11-20")
    medicines = next(d.value for d in s.details if d.label.startswith(("Medicines", "用药")))
    assert medicines.endswith({"en": "48 others", "zh": "其他 48 种"}[lang])
    pages, _ = pdf_pages_and_text(s)
    assert pages == 1
