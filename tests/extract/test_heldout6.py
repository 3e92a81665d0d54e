"""The sixth held-out set's generator tells the truth (``heldout6.py``): its pages render the
same for a seed and in every kind, every value the truth holds is printed by its test's name
with its unit and range, the truth follows what is printed (units, limits, flags, the
collection date, sex and age), and its limits are ones laboratories really use.

Only the generator is checked here, never a reading: the set exists to measure the reader on
pages nobody shaped it for, so nothing in this file runs the reader on them.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tests.extract.generate import POOLS, Case, generate, make_case
from tests.extract.heldout5 import out_of_range
from tests.extract.heldout6 import CMP, HELDOUT6, HFP
from tests.extract.heldout_checks import check_every_kind_renders, check_new_patients, pdf_text
from tests.extract.test_generate import _has_value, _lines, _truth_follows_the_printed_row
from tests.extract.vocab import FACTOR, FAMILY

LANGUAGE = {"heldout_k": "en", "heldout_l": "zh"}
# Canonical limits a laboratory prints for an adult: (lowest lower, highest lower), (lowest
# upper, highest upper); a limit outside these is a unit converted twice or not at all.
BOUNDS = {
    "alt": ((0, 10), (30, 60)),
    "ast": ((0, 15), (30, 45)),
    "alp": ((30, 50), (100, 150)),
    "ggt": ((0, 10), (35, 75)),
    "bilirubin": ((0, 6), (16, 27)),
    "direct_bilirubin": ((0, 0), (3, 9)),
    "albumin": ((34, 40), (45, 58)),
    "platelets": ((100, 150), (280, 460)),
    "inr": ((0.8, 0.9), (1.1, 1.3)),
    "ck": ((26, 50), (140, 400)),
    "creatinine": ((40, 65), (70, 120)),
    "sodium": ((135, 137), (144, 148)),
    "bile_acids": ((0, 0), (10, 10)),
}


def _cases(n: int = 60) -> list[Case]:
    return [make_case(random.Random(s), name) for name in HELDOUT6 for s in range(n)]


def test_heldout6_truth_follows_the_contract() -> None:
    cases = _cases()
    assert sum(_truth_follows_the_printed_row(case) for case in cases) > 40
    units = {row["unit"] for case in cases for row in case.printed.values()}
    assert {"mg/dL", "umol/L", "g/dL", "g/L", "K/uL", "x10^9/L", "μmol/L", "×10^9/L"} <= units
    assert {"mEq/L", "10*9/L"} <= units
    profiles = {case.style["profile"] for case in cases}
    assert profiles == {"portal_us", "portal_us_cerner", "portal_si", "checkup_full"} | {
        "checkup_basic"
    }
    for case in cases:
        keys = {*case.printed, *(o["key"] for o in case.others)}
        if case.style["profile"].startswith("portal_us"):  # a metabolic panel on every report
            assert set(CMP) <= keys, case.id
        elif case.style["profile"] == "portal_si":
            assert set(HFP) <= keys, case.id
        elif case.style["profile"] == "checkup_full":  # the eleven liver items, and the rest
            assert {"alt", "ast", "ggt", "alp", "albumin", "bilirubin", "ibil"} <= keys
            assert {"globulin", "ag_ratio", "uric_acid", "glucose", "triglycerides"} <= keys
        collected = case.header["collected"]
        if collected is not None:
            others = [o["text"] for o in case.header["others"]]
            assert any(not text.startswith(collected["date"]) for text in others)  # a decoy


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
            assert re.match(rf"{case.age}(?!\d)", h["age"]), h["age"]
    assert any(c.sex is None for c in cases if c.layout == "heldout_k")
    assert {c.sex for c in cases if c.layout == "heldout_l"} >= {"male", "female"}
    assert {c.header["sex"] for c in cases} >= {"M", "F", "Male", "Female", "男", "女"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[Case]]]:
    out = tmp_path_factory.mktemp("held6")
    runs = [
        generate(out / str(i), count=8, seed=13, kinds=["text_pdf"], pool="heldout6")
        for i in range(2)
    ]
    return out, runs


def test_heldout6_renders_the_same_for_a_seed(rendered: tuple[Path, list[list[Case]]]) -> None:
    out, runs = rendered
    assert [c.to_dict() for c in runs[0]] == [c.to_dict() for c in runs[1]]
    assert {c.layout for c in runs[0]} == set(POOLS["heldout6"]) == set(HELDOUT6)
    for case in runs[0]:
        assert pdf_text(out / "0" / case.files[0]) == pdf_text(out / "1" / case.files[0]), case.id


def test_every_truth_value_is_printed_with_its_name_unit_and_range(
    rendered: tuple[Path, list[list[Case]]],
) -> None:
    out, runs = rendered
    for case in runs[0]:
        path = out / "0" / case.files[0]
        full = re.sub(r"\s+", " ", pdf_text(path))
        for date in [case.header["collected"], *case.header["others"]]:
            assert date is None or date["text"] in full, (case.id, date)
        for text in (case.header["name"], case.header["sex"], case.header["age"]):
            assert text is None or text in full, (case.id, text)
        lines = [t for _, t in _lines(path)]
        flat = [t.replace(" ", "") for t in lines]
        for analyte, row in case.printed.items():
            name = row["name"].replace(" ", "")
            # the component's block: its name's line and the few under it (a portal card
            # prints the range and the value on lines of their own)
            at = [i for i, t in enumerate(flat) if t.startswith(name)]
            assert at, (case.id, row["name"])
            blocks = [lines[i : i + 6] for i in at]
            assert any(any(_has_value(t, row["value"]) for t in b) for b in blocks), (case.id, row)
            joined = ["".join(b).replace(" ", "") for b in blocks]
            if row["unit"]:
                assert any(row["unit"].replace(" ", "") in j for j in joined), (case.id, analyte)
            if row["range"]:
                assert any(row["range"].replace(" ", "") in j for j in joined), (case.id, analyte)
            shown = row["value"].replace(" ", "").lstrip("<>").replace(",", "")
            assert float(shown) == case.labs[analyte]["value"], (case.id, analyte)


def test_the_checkup_summary_repeats_the_abnormal_values(
    rendered: tuple[Path, list[list[Case]]],
) -> None:
    out, runs = rendered
    repeated = 0
    for case in runs[0]:
        if case.layout != "heldout_l":
            continue
        full = pdf_text(out / "0" / case.files[0])
        for row in case.printed.values():
            if out_of_range(row):
                found = re.findall(rf"(?<![\d.]){re.escape(row['value'])}(?![\d.])", full)
                assert len(found) >= 2, (case.id, row)  # the table and the summary
                repeated += 1
    assert repeated > 3


def test_every_kind_renders(tmp_path: Path) -> None:
    check_every_kind_renders(tmp_path, "heldout6", HELDOUT6)


def test_the_pools_made_before_are_dealt_as_before(tmp_path: Path) -> None:
    assert generate(tmp_path, count=1, seed=13, pool="heldout5")[0].layout == "heldout_i"
    assert list(POOLS)[-5:-2] == ["heldout6", "heldout7", "heldout8"]


def test_the_benchmark_deals_the_sixth_set_patients_no_earlier_set_had() -> None:
    """A case's draws come from its seed alone, so an earlier set's seed would deal that set's
    patients (sex, age, values) into these layouts: the sixth set has a seed of its own, and
    none of the 64 patients a benchmark run deals is one an earlier seed dealt."""
    from benchmarks import extract as bench

    earlier = {bench.HELDOUT_SEED, 700_001, bench.HELDOUT3_SEED, bench.HELDOUT4_SEED}
    earlier.add(bench.HELDOUT5_SEED)
    check_new_patients(LANGUAGE, bench.HELDOUT6_SEED, earlier)
