"""The seventh held-out set's generator tells the truth (``heldout7.py``): its pages render the
same for a seed and in every kind, every value the truth holds is printed on a page by its
test's name (with the report's decimal mark), the truth follows what is printed (units, limits,
flags, the collection date, sex and age), the interval a row prints beside another sex's or
among age bands is the one the printed sex and age pick, and its limits are ones laboratories
really use.

Only the generator is checked here, never a reading: the set exists to measure the reader on
pages nobody shaped it for, so nothing in this file runs the reader on them.
"""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.extract.generate import POOLS, Case, generate, make_case
from tests.extract.heldout7 import HELDOUT7, NORDIC_RANGES, THIRD_PARTY_RANGES
from tests.extract.heldout7_render import (
    BANDS_M,
    BANDS_N,
    band_texts,
    luhn,
    other_sex_text,
    personal_number,
    uses_comma,
)
from tests.extract.heldout_checks import check_every_kind_renders, check_new_patients
from tests.extract.test_generate import _has_value, _truth_follows_the_printed_row
from tests.extract.vocab import FACTOR, FAMILY

LANGUAGE = {"heldout_m": "en", "heldout_n": "zh"}
# Canonical limits a laboratory prints for an adult (see test_heldout6.py); the Nordic tables
# reach a little higher (GT for men over 40, CK) and lower (ALT for women)
BOUNDS = {
    "alt": ((0, 10), (34, 72)),
    "ast": ((0, 15), (31, 50)),
    "alp": ((34, 50), (100, 135)),
    "ggt": ((0, 10), (36, 115)),
    "bilirubin": ((0, 6), (20, 27)),
    "direct_bilirubin": ((0, 0), (3.4, 8)),
    "albumin": ((34, 40), (45, 55)),
    "platelets": ((100, 165), (300, 450)),
    "inr": ((0.8, 0.9), (1.15, 1.2)),
    "ck": ((0, 50), (145, 310)),
    "creatinine": ((41, 62), (73, 106)),
    "sodium": ((135, 137), (145, 147)),
    "bile_acids": ((0, 0), (8, 12)),
}


def _cases(n: int = 60) -> list[Case]:
    return [make_case(random.Random(s), name) for name in HELDOUT7 for s in range(n)]


def _pointed(case: Case) -> Case:
    """The case with a decimal-comma report's numbers written with points, for the shared
    checker (which reads "," as a thousands separator)."""
    if not uses_comma(case):
        return case
    printed = {
        a: {**row, "value": row["value"].replace(",", "."), "range": row["range"].replace(",", ".")}
        for a, row in case.printed.items()
    }
    return dataclasses.replace(case, printed=printed)


def test_heldout7_truth_follows_the_contract() -> None:
    cases = _cases()
    assert sum(_truth_follows_the_printed_row(_pointed(case)) for case in cases) > 40
    units = {row["unit"] for case in cases for row in case.printed.values()}
    assert {"µkat/L", "U/L", "µmol/L", "g/L", "x10^9/L", "10*9/L", "μmol/L", "×10^9/L"} <= units
    profiles = {case.style["profile"] for case in cases}
    assert profiles == {"nordic_comma", "nordic_point", "continental_comma"} | {
        "continental_point",
        "third_party",
    }
    for case in cases:
        keys = {*case.printed, *(o["key"] for o in case.others)}
        if case.layout == "heldout_m":
            assert {"crp", "sodium", "creatinine", "egfr", "hba1c"} <= keys, case.id
            enzyme = {case.printed[a]["unit"] for a in case.printed if FAMILY[a] == "enzyme"}
            assert (
                enzyme == {"µkat/L"}
                if case.style["profile"].startswith("nordic")
                else (enzyme <= {"U/L", "U/l"})
            ), case.id
        else:
            assert {"alt", "ast", "ggt", "alp", "bilirubin", "bile_acids", "ag_ratio"} <= keys
        collected = case.header["collected"]
        if collected is not None:
            assert re.fullmatch(r"\d{4}[-/]\d\d[-/]\d\d( \d\d:\d\d(:\d\d)?)?", collected["text"])


def test_a_report_writes_every_number_with_one_decimal_mark() -> None:
    commas = points = 0
    for case in _cases():
        texts = [r[k] for r in [*case.printed.values(), *case.others] for k in ("value", "range")]
        if uses_comma(case):
            commas += 1
            assert not any("." in t for t in texts), case.id
            assert any("," in t for t in texts), case.id
        else:
            points += 1
            assert not any("," in t for t in texts), case.id
    assert commas > 10 and points > 40


def test_ranges_are_within_what_laboratories_print() -> None:
    seen = 0
    for case in _cases():
        for analyte, lab in case.labs.items():
            factor = FACTOR[(FAMILY[analyte], lab["unit"])]
            (lo_min, lo_max), (hi_min, hi_max) = BOUNDS[analyte]
            if "lower_limit" in lab:
                assert lo_min - 1e-9 <= lab["lower_limit"] * factor <= lo_max + 0.1, (case.id, lab)
            if "upper_limit" in lab:
                seen += 1
                assert hi_min - 0.1 <= lab["upper_limit"] * factor <= hi_max + 0.1, (case.id, lab)
    assert seen > 500


def test_sex_and_age_are_in_the_truth_exactly_when_printed() -> None:
    cases = _cases()
    for case in cases:
        h = case.header
        assert (case.sex is None) == (h["sex"] is None)
        assert (case.age is None) == (h["age"] is None)
        if case.age is not None:
            assert re.search(rf"(?<!\d){case.age}(?!\d)", h["age"]), h["age"]
    assert any(c.sex is None for c in cases if c.layout == "heldout_m")
    assert {c.header["sex"] for c in cases} >= {"Male", "Woman", "M", "F", "男", "女"}
    assert {c.header["age"][-1] for c in cases if c.header["age"]} >= {"岁", "Y", "y", "s"}


def test_the_personal_number_holds_the_birth_date_and_a_valid_check_digit() -> None:
    for case in _cases(30):
        if case.layout != "heldout_m":
            continue
        number = personal_number(case, random.Random(1))
        assert re.fullmatch(r"\d{6}-\d{4}", number)
        born = case.header["dob_iso"]
        assert number[:6] == born[2:4] + born[5:7] + born[8:10]
        assert luhn(number[:6] + number[7:10]) == number[10]
        if case.sex is not None:  # odd for a man, even for a woman
            assert int(number[9]) % 2 == (case.sex == "male"), case.id


def _drawn(layout: str, **choices: object) -> Case:
    base = {"sex_shown": True, "age_shown": True, "no_range:alp": False, "no_range:ggt": False}
    base |= {"two_form": "dash", "upper_form": "lt"}
    return make_case(random.Random(7), layout, choices={**base, **choices})


def test_age_bands_are_printed_only_around_the_patients_own_interval() -> None:
    woman = {"sex": "female", "analytes": ["alt", "alp"], "upper_only:alp": False}
    old = _drawn("heldout_n", **woman, age=60, **{"range:alp": (50, 135)})
    assert (old.labs["alp"]["lower_limit"], old.labs["alp"]["upper_limit"]) == (50, 135)
    texts = band_texts(old, "alp", THIRD_PARTY_RANGES, BANDS_N["alp"])
    assert texts is not None and texts[2] == old.printed["alp"]["range"]
    numbers = [re.sub(r"\D+", " ", t).split() for t in texts]
    assert numbers == [["45", "125"], ["35", "100"], ["50", "135"]]
    # a woman of 30 with the older band's interval: the bands would contradict the truth
    young = _drawn("heldout_n", **woman, age=30, **{"range:alp": (50, 135)})
    assert band_texts(young, "alp", THIRD_PARTY_RANGES, BANDS_N["alp"]) is None
    # no age on the page: nobody could pick the band
    hidden = _drawn("heldout_n", **woman, age=60, age_shown=False, **{"range:alp": (50, 135)})
    assert hidden.age is None
    assert band_texts(hidden, "alp", THIRD_PARTY_RANGES, BANDS_N["alp"]) is None


def test_the_other_sexs_interval_needs_the_patients_sex_on_the_page() -> None:
    ggt = {"profile": "nordic_comma", "analytes": ["alt", "ggt"], "age": 52}
    man = _drawn("heldout_m", sex="male", **ggt, **{"range:ggt": (None, 114.0)})
    assert man.labs["ggt"]["upper_limit"] == 1.9 and man.printed["ggt"]["range"] == "<1,90"
    bands = band_texts(man, "ggt", NORDIC_RANGES, BANDS_M["ggt"])
    assert bands is not None and bands[2] == "<1,90" and bands[0] == "<0,75"
    assert other_sex_text(man, "ggt", NORDIC_RANGES) == "<0,75"
    unsure = _drawn("heldout_m", sex="male", sex_shown=False, **ggt, **{"range:ggt": (None, 114)})
    assert unsure.sex is None
    assert other_sex_text(unsure, "ggt", NORDIC_RANGES) is None
    assert band_texts(unsure, "ggt", NORDIC_RANGES, BANDS_M["ggt"]) is None


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[Case]]]:
    out = tmp_path_factory.mktemp("held7")
    runs = [
        generate(out / str(i), count=12, seed=13, kinds=["text_pdf"], pool="heldout7")
        for i in range(2)
    ]
    return out, runs


def _pages(path: Path) -> list[list[str]]:
    """Each page's text lines (pdfium's text layer: a table row is one line)."""
    doc = pdfium.PdfDocument(str(path))
    try:
        return [doc[i].get_textpage().get_text_range().splitlines() for i in range(len(doc))]
    finally:
        doc.close()


def test_heldout7_renders_the_same_for_a_seed(rendered: tuple[Path, list[list[Case]]]) -> None:
    out, runs = rendered
    assert [c.to_dict() for c in runs[0]] == [c.to_dict() for c in runs[1]]
    assert {c.layout for c in runs[0]} == set(POOLS["heldout7"]) == set(HELDOUT7)
    for case in runs[0]:
        assert _pages(out / "0" / case.files[0]) == _pages(out / "1" / case.files[0]), case.id


def test_every_truth_value_is_printed_on_a_page_beside_its_name(
    rendered: tuple[Path, list[list[Case]]],
) -> None:
    out, runs = rendered
    two_pages = continued = both_sexes = 0
    for case in runs[0]:
        pages = _pages(out / "0" / case.files[0])
        two_pages += len(pages) > 1
        full = re.sub(r"\s+", " ", " ".join(" ".join(p) for p in pages))
        continued += "(continued)" in full or "（续上页）" in full
        for date in [case.header["collected"], *case.header["others"]]:
            assert date is None or date["text"] in full, (case.id, date)
        for text in (case.header["name"], case.header["sex"]):
            assert text is None or text in full, (case.id, text)
        if case.age is not None:
            assert re.search(rf"(?<!\d){case.age}(?!\d)", full)
        for analyte, row in case.printed.items():
            name = row["name"].replace(" ", "")
            spots = [
                (lines, i)
                for lines in pages
                for i, line in enumerate(lines)
                if line.replace(" ", "").startswith(name) or f" {row['name']} " in f" {line} "
            ]
            assert spots, (case.id, row["name"])
            here = [(lines, i) for lines, i in spots if _has_value(lines[i], row["value"])]
            assert here, (case.id, row)  # the value as printed: "0,45" on a comma report
            if row["unit"]:
                assert any(row["unit"] in lines[i] for lines, i in here), (case.id, analyte)
            if row["range"]:  # on the row's line, or on the interval cell's lines under it
                near = [" ".join(lines[i : i + 3]) for lines, i in here]
                assert any(row["range"] in t for t in near), (case.id, analyte, row["range"])
                both_sexes += any(re.search(r"Men:|M: |男:", t) for t in near)
    assert two_pages >= 3 and continued >= 1 and both_sexes >= 2


def test_every_kind_renders(tmp_path: Path) -> None:
    check_every_kind_renders(tmp_path, "heldout7", HELDOUT7)


def test_the_pools_made_before_are_dealt_as_before(tmp_path: Path) -> None:
    assert generate(tmp_path, count=1, seed=13, pool="heldout6")[0].layout == "heldout_k"
    assert list(POOLS)[-5:-2] == ["heldout6", "heldout7", "heldout8"]


def test_the_benchmark_deals_the_seventh_set_patients_no_earlier_set_had() -> None:
    """A case's draws come from its seed alone, so an earlier set's seed would deal that set's
    patients (sex, age, values) into these layouts: the seventh set has a seed of its own, and
    none of the 64 patients a benchmark run deals is one an earlier seed dealt."""
    from benchmarks import extract as bench

    earlier = {bench.HELDOUT_SEED, 700_001, bench.HELDOUT3_SEED, bench.HELDOUT4_SEED}
    earlier |= {bench.HELDOUT5_SEED, bench.HELDOUT6_SEED}
    check_new_patients(LANGUAGE, bench.HELDOUT7_SEED, earlier)
