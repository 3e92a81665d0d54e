"""The fixture generator tells the truth: the same seed gives the same report, every printed
value is on the page where the truth says, flags agree with the ranges, and a collection date
is expected only where its printed form cannot be misread.

Why test a test generator: every reader score is computed against this truth, so a wrong truth
makes a good reader look bad (or a bad one good) without anyone noticing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import yaml
from PIL import Image

from liverlens import knowledge
from liverlens.knowledge.units import normalise_spelling
from tests.extract.draw import direction
from tests.extract.generate import LAYOUTS, Case, generate, make_case, render_pdf
from tests.extract.heldout import HELDOUT
from tests.extract.layouts import sections
from tests.extract.vocab import ANALYTES, FAMILY, FLAG_TEXT, MONTHS

ALL_LAYOUTS = [*LAYOUTS, *HELDOUT]
SAMPLES = Path(__file__).parent / "samples"


def drawn(n: int = 40) -> list[Case]:
    """Many cases of every layout, without rendering (cheap)."""
    return [make_case(random.Random(s), name) for name in ALL_LAYOUTS for s in range(n)]


@pytest.fixture(scope="module")
def text_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    out = tmp_path_factory.mktemp("text")
    cases = generate(out, count=len(LAYOUTS), seed=11, kinds=["text_pdf"])
    cases += generate(out / "held", count=2, seed=11, kinds=["text_pdf"], heldout=True)
    for case in cases[-2:]:
        case.files = [f"held/{name}" for name in case.files]
    return out, cases


def test_make_case_is_deterministic() -> None:
    for name in ALL_LAYOUTS:
        for seed in range(5):
            a = make_case(random.Random(seed), name).to_dict()
            assert a == make_case(random.Random(seed), name).to_dict()
    assert make_case(random.Random(1), "us") != make_case(random.Random(2), "us")


def test_generate_writes_the_truth_it_returns(text_set: tuple[Path, list[Case]]) -> None:
    out, cases = text_set
    written = json.loads((out / "truth.json").read_text())
    assert [Case.from_dict(c) for c in written] == cases[:-2]
    # case i depends on the seed and i only: the first case again, alone
    again = generate(out / "again", count=1, seed=11, kinds=["text_pdf"], layouts=["us"])
    assert [c.to_dict() for c in again] == [cases[0].to_dict()]
    assert {c.layout for c in cases} == set(ALL_LAYOUTS)
    for case in cases:
        assert case.kind == "text_pdf" and all((out / f).exists() for f in case.files)


def test_same_case_renders_the_same_text() -> None:
    case = make_case(random.Random(5), "europe")
    texts = []
    for _ in range(2):
        pdf = render_pdf(case, random.Random(9))
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            texts.append([p.extract_text() for p in doc.pages])
    assert texts[0] == texts[1]


def _lines(path: Path) -> list[tuple[float, str]]:
    """(vertical centre, text) of every text line of every page, pages stacked."""
    out: list[tuple[float, str]] = []
    with pdfplumber.open(path) as doc:
        offset = 0.0
        for page in doc.pages:
            words = page.extract_words(x_tolerance=1.5, y_tolerance=2)
            rows: dict[int, list[dict]] = {}
            for w in words:
                rows.setdefault(round((w["top"] + w["bottom"]) / 4), []).append(w)
            for key in sorted(rows):
                ws = sorted(rows[key], key=lambda w: w["x0"])
                out.append((offset + key * 2, " ".join(w["text"] for w in ws)))
            offset += float(page.height) + 100
    return out


def _has_value(line: str, value: str) -> bool:
    return re.search(rf"(?<![\d.,]){re.escape(value)}(?![\d.,])", line) is not None


def test_printed_values_are_in_the_text_layer_next_to_their_names(
    text_set: tuple[Path, list[Case]],
) -> None:
    out, cases = text_set
    for case in cases:
        lines = [(y, t, t.replace(" ", "")) for y, t in _lines(out / case.files[0])]
        for analyte, row in case.printed.items():
            name = row["name"].replace(" ", "")
            at = [y for y, _, flat in lines if name in flat] or [
                y
                for y, _, flat in lines
                if row["name"].split()[0][:6] in flat  # a name wrapped in its cell
            ]
            assert at, f"{case.id}: {row['name']!r} not on the page"
            near = [t for y, t, _ in lines if any(abs(y - y0) <= 9 for y0 in at)]
            assert any(_has_value(t, row["value"]) for t in near), f"{case.id}: {analyte} {row}"
            if row["unit"]:
                assert any(row["unit"] in t for t in near), f"{case.id}: {analyte} unit"


def _contract_units() -> dict[str, dict[str, str]]:
    """units.yaml's families: normalised spelling -> contract unit (read alone, so this test
    does not depend on the rest of the knowledge base)."""
    data = yaml.safe_load((Path(knowledge.__file__).parent / "data" / "units.yaml").read_text())
    return {
        family["id"]: {
            normalise_spelling(spelling): unit["unit"]
            for unit in family["units"]
            for spelling in (unit["unit"], *unit.get("aliases", []))
        }
        for family in data["unit_families"]
    }


def test_truth_units_are_the_contract_spellings_of_the_printed_ones() -> None:
    units = _contract_units()
    families = {**FAMILY, "inr": "ratio", "sodium": "electrolyte"}
    for case in drawn(15):
        assert set(case.labs) <= set(ANALYTES)
        for analyte, lab in case.labs.items():
            printed = normalise_spelling(case.printed[analyte]["unit"])
            assert units[families[analyte]].get(printed) == lab["unit"], (case.id, analyte)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _range(text: str) -> tuple[float | None, float | None]:
    """An independent reading of a printed range: "(10 - 49)", "<35", "Up to 46", "7～40"."""
    nums = [_number(n) for n in re.findall(r"\d+(?:[.,]\d+)?", text)]
    if len(nums) == 2:
        return nums[0], nums[1]
    assert len(nums) == 1 and re.search(r"<|≤|up to", text, re.I), text
    return None, nums[0]


def test_ranges_and_values_match_what_is_printed() -> None:
    for case in drawn(30):
        comma = case.style["profile"] == "europe"
        for analyte, lab in case.labs.items():
            row = case.printed[analyte]
            value = row["value"].replace(" ", "")
            comparator = value[0] if value[0] in "<>" else None
            assert comparator == lab.get("comparator")
            number = value.lstrip("<>")  # "1,234" in English, "12,5" in a decimal-comma report
            assert _number(number if comma else number.replace(",", "")) == lab["value"]
            if comma:
                assert "." not in row["value"] + row["range"], row
            if row["range"]:
                assert _range(row["range"]) == (lab.get("lower_limit"), lab.get("upper_limit"))
            else:
                assert "lower_limit" not in lab and "upper_limit" not in lab
        for row in case.others if comma else ():
            assert "." not in row["value"] + row["range"] + row["unit"], row


def test_flags_agree_with_the_ranges() -> None:
    marked = 0
    for case in drawn(30):
        high, low = FLAG_TEXT[case.style["flag_style"]]
        for analyte, lab in case.labs.items():
            row = case.printed[analyte]
            way = direction(
                lab["value"], lab.get("comparator"), lab.get("lower_limit"), lab.get("upper_limit")
            )
            if case.style["flag_style"] == "none" or not row["range"]:
                assert row["flag"] == "" and analyte not in case.flags
                continue
            assert row["flag"] == {"high": high, "low": low, "": ""}[way], (case.id, row, lab)
            assert case.flags.get(analyte, "") == way
            marked += bool(way)
        for row in case.others:
            assert row["flag"] in (high, low, "")
    assert marked > 200  # the set is not all normal results


def _date_reading(text: str) -> tuple[dt.date | None, bool]:
    """(the date if the printed form says it, whether the form is unambiguous)."""
    text = text.strip()
    if m := re.match(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", text):
        return dt.date(int(m[1]), int(m[2]), int(m[3])), True
    if m := re.match(r"(\d{1,2})[-/ ]([A-Z][a-z]{2})[-/ ](\d{4})", text):
        return dt.date(int(m[3]), MONTHS.index(m[2]) + 1, int(m[1])), True
    if m := re.match(r"([A-Z][a-z]+) (\d{1,2}), (\d{4})", text):
        return dt.date(int(m[3]), MONTHS.index(m[1][:3]) + 1, int(m[2])), True
    if m := re.match(r"(\d{2})\.(\d{2})\.(\d{4})", text):  # dotted: day first everywhere
        return dt.date(int(m[3]), int(m[2]), int(m[1])), True
    m = re.match(r"(\d{2})[/-](\d{2})[/-](\d{4})", text)
    assert m, text
    a, b = int(m[1]), int(m[2])
    return None, a > 12 or b > 12 or a == b


def test_expected_collection_date_is_none_exactly_when_ambiguous() -> None:
    ambiguous = 0
    for case in drawn(30):
        collected = case.header["collected"]
        if collected is None:
            assert case.collected_on is None and case.expected_collected_on is None
            continue
        day, clear = _date_reading(collected["text"])
        if day is not None:
            assert day.isoformat() == case.collected_on
        assert case.expected_collected_on == (case.collected_on if clear else None), collected
        ambiguous += not clear
        others = [o["text"] for o in case.header["others"]]
        assert any(not text.startswith(collected["date"]) for text in others)  # a decoy date
    assert ambiguous > 20


def test_image_kinds_have_no_text_layer_and_plausible_sizes(tmp_path: Path) -> None:
    kinds = ["image_pdf", "scan", "photo"]
    cases = generate(tmp_path, count=3, seed=4, kinds=kinds, layouts=["uk"])
    with pdfplumber.open(tmp_path / cases[0].files[0]) as doc:
        assert not (doc.pages[0].extract_text() or "").strip()
    with Image.open(tmp_path / cases[1].files[0]) as scan:
        assert 1200 <= max(scan.size) <= 2400 and scan.format == "JPEG"
    with Image.open(tmp_path / cases[2].files[0]) as photo:
        assert 1600 <= max(photo.size) <= 2400 and photo.format == "JPEG"


def test_samples_have_their_truth_and_stay_small() -> None:
    truths = sorted(SAMPLES.glob("*.truth.json"))
    assert len(truths) == 4
    for path in truths:
        case = Case.from_dict(json.loads(path.read_text()))
        assert case.labs and case.files
        for name in case.files:
            assert (SAMPLES / name).stat().st_size < 400_000, name


# --- the held-out sets (``heldout2.py``, ``heldout3.py``, ``heldout4.py``): only their truth is
# checked here, never a reading


def _assert_values_next_to_names(path: Path, case: Case) -> None:
    lines = [(y, t, t.replace(" ", "")) for y, t in _lines(path)]
    for analyte, row in case.printed.items():
        name = row["name"].replace(" ", "")
        at = [y for y, _, flat in lines if name in flat]
        assert at, f"{case.id}: {row['name']!r} not on the page"
        near = [t for y, t, _ in lines if any(abs(y - y0) <= 9 for y0 in at)]
        assert any(_has_value(t, row["value"]) for t in near), f"{case.id}: {analyte} {row}"
        if row["unit"]:
            assert any(row["unit"] in t for t in near), f"{case.id}: {analyte} unit"


@pytest.mark.parametrize(
    ("pool", "before", "first_there"),
    [
        ("heldout2", {"heldout": True}, "heldout_a"),
        ("heldout3", {"pool": "heldout2"}, "heldout_c"),
        ("heldout4", {"pool": "heldout3"}, "heldout_e"),
    ],
)
def test_a_heldout_set_renders_deterministically_with_every_value_in_the_text_layer(
    tmp_path: Path, pool: str, before: dict[str, Any], first_there: str
) -> None:
    from tests.extract.generate import POOLS

    runs = [
        generate(tmp_path / str(i), count=2, seed=13, kinds=["text_pdf"], pool=pool)
        for i in range(2)
    ]
    assert [c.to_dict() for c in runs[0]] == [c.to_dict() for c in runs[1]]
    assert {c.layout for c in runs[0]} == set(POOLS[pool])
    for case in runs[0]:
        texts = []
        for i in range(2):
            with pdfplumber.open(tmp_path / str(i) / case.files[0]) as doc:
                texts.append([p.extract_text() for p in doc.pages])
        assert texts[0] == texts[1]
        full = "\n".join(texts[0])
        for date in [case.header["collected"], *case.header["others"]]:
            assert date is None or date["text"] in full, (case.id, date)
        _assert_values_next_to_names(tmp_path / "0" / case.files[0], case)
    # the pools made before it are dealt as before
    assert generate(tmp_path / "h", count=1, seed=13, **before)[0].layout == first_there


def _truth_follows_the_printed_row(case: Case) -> int:
    """A held-out case's truth against what it prints: units, values, comparators, ranges,
    flags and the collection date; returns how many of its values carry a high/low flag."""
    units = _contract_units()
    families = {**FAMILY, "inr": "ratio", "sodium": "electrolyte"}
    marked = 0
    high, low = FLAG_TEXT[case.style["flag_style"]]
    for analyte, lab in case.labs.items():
        row = case.printed[analyte]
        printed = normalise_spelling(row["unit"])
        assert units[families[analyte]].get(printed) == lab["unit"], (case.id, analyte)
        value = row["value"].replace(" ", "")
        assert (value[0] if value[0] in "<>" else None) == lab.get("comparator")
        assert _number(value.lstrip("<>").replace(",", "")) == lab["value"]
        if row["range"]:
            assert _range(row["range"]) == (lab.get("lower_limit"), lab.get("upper_limit"))
        way = direction(
            lab["value"], lab.get("comparator"), lab.get("lower_limit"), lab.get("upper_limit")
        )
        if case.style["flag_style"] != "none" and row["range"]:
            assert row["flag"] == {"high": high, "low": low, "": ""}[way], (case.id, row)
            marked += bool(way)
    collected = case.header["collected"]
    if collected is None:
        assert case.collected_on is None and case.expected_collected_on is None
        return marked
    day, clear = _date_reading(collected["text"])
    if day is not None:
        assert day.isoformat() == case.collected_on
    assert case.expected_collected_on == (case.collected_on if clear else None), collected
    return marked


def test_heldout2_truth_follows_the_contract() -> None:
    from tests.extract.heldout2 import HELDOUT2

    cases = [make_case(random.Random(s), name) for name in HELDOUT2 for s in range(40)]
    assert sum(_truth_follows_the_printed_row(case) for case in cases) > 40


def test_heldout3_truth_follows_the_contract() -> None:
    from tests.extract.heldout3 import CBC, CMP, HELDOUT3

    cases = [make_case(random.Random(s), name) for name in HELDOUT3 for s in range(40)]
    for case in cases:
        if case.layout == "heldout_e":  # every report prints the whole metabolic panel and CBC
            keys = {*case.printed, *(o["key"] for o in case.others)}
            assert set(CMP) | set(CBC) <= keys, case.id
        collected = case.header["collected"]
        if collected is not None:
            others = [o["text"] for o in case.header["others"]]
            assert any(not text.startswith(collected["date"]) for text in others)  # a decoy
    assert sum(_truth_follows_the_printed_row(case) for case in cases) > 40


def test_heldout4_truth_follows_the_contract() -> None:
    from tests.extract.heldout4 import HELDOUT4

    cases = [make_case(random.Random(s), name) for name in HELDOUT4 for s in range(40)]
    for case in cases:
        if case.layout == "heldout_h":  # a dot-matrix printer's character set: GBK
            for row in case.printed.values():
                text = "".join(row[k] for k in ("name", "value", "flag", "range", "unit"))
                assert text.encode("gbk", errors="replace").decode("gbk") == text, row
            assert all("(" not in o["name"] for o in case.others)  # codes have their own column
        collected = case.header["collected"]
        if collected is not None:
            others = [o["text"] for o in case.header["others"]]
            assert any(not text.startswith(collected["date"]) for text in others)  # a decoy
    assert sum(_truth_follows_the_printed_row(case) for case in cases) > 40


@pytest.mark.parametrize("analytes", [["alt"], ["alt", "ast"], ["alt", "ast", "alp"]])
def test_two_pages_splits_a_short_liver_panel_over_both_pages(analytes: list[str]) -> None:
    """A two-analyte panel once drew a cut past the last row (IndexError on seed 1)."""
    from tests.extract.panels import _split

    for seed in range(30):
        rng = random.Random(seed)
        case = make_case(rng, "two_pages", choices={"analytes": analytes})
        first, second = _split(case, rng)
        printed = [r.get("analyte") for _, rows in (*first, *second) for r in rows]
        assert sorted(a for a in printed if a) == sorted(
            r["analyte"] for _, rows in sections(case) for r in rows if r.get("analyte")
        )
        assert any(s == "liver" for s, _ in first)
