"""The fifth held-out set's generator tells the truth (``heldout5.py``): its pages render the
same for a seed, every value the truth holds is printed beside its test's name, and the truth
follows what is printed (units, limits, flags, the collection date).

Only the generator is checked here, never a reading: the set exists to measure the reader on
pages nobody shaped it for, so nothing in this file runs the reader on them.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pdfplumber
import pytest

from tests.extract.generate import POOLS, Case, generate, layout_by_name, make_case
from tests.extract.heldout5 import (
    APP_RANGES,
    CHAIN_RANGES,
    HELDOUT5,
    other_sex_range,
    out_of_range,
)
from tests.extract.test_generate import _has_value, _lines, _range, _truth_follows_the_printed_row

RANGES = {"heldout_i": CHAIN_RANGES, "heldout_j": APP_RANGES}


def _cases(n: int = 60) -> list[Case]:
    return [make_case(random.Random(s), name) for name in HELDOUT5 for s in range(n)]


def test_heldout5_truth_follows_the_contract() -> None:
    cases = _cases()
    assert sum(_truth_follows_the_printed_row(case) for case in cases) > 40
    units = {row["unit"] for case in cases for row in case.printed.values()}
    assert {"mEq/L", "/µL", "thou/µL", "μmol/L", "×10⁹/L"} <= units  # the labs' own spellings
    for case in cases:
        if case.layout == "heldout_i":  # the chain's LFT: bilirubins, transaminases, ALP, albumin
            assert {"alt", "ast", "alp", "bilirubin", "direct_bilirubin", "albumin"} <= set(
                case.labs
            )
        collected = case.header["collected"]
        if collected is not None:
            others = [o["text"] for o in case.header["others"]]
            assert any(not text.startswith(collected["date"]) for text in others)  # a decoy


def test_the_other_sexs_range_is_printed_only_when_the_patients_line_can_be_told() -> None:
    found = 0
    for case in _cases():
        for analyte, row in case.printed.items():
            other = other_sex_range(case, analyte, RANGES[case.layout])
            if case.sex is None or not row["range"]:
                assert other is None, (case.id, analyte)
            elif other is not None:
                found += 1
                assert other != row["range"]
                # the same form and decimals as the patient's, so only the sex label tells them
                assert _range(other)[1] is not None
                assert re.sub(r"[\d.]", "", other) == re.sub(r"[\d.]", "", row["range"])
    assert found > 100


def test_out_of_range_reads_the_printed_row() -> None:
    row = {"value": "58", "range": "< 50"}
    assert out_of_range(row) == "high"
    assert out_of_range({**row, "value": "<5"}) == ""
    assert out_of_range({"value": "0.29", "range": "0.3 - 1.2"}) == "low"
    assert out_of_range({"value": "250000", "range": "150000 - 410000"}) == ""
    assert out_of_range({"value": "3.1", "range": ""}) == ""


def test_computed_ratio_rows_are_printed_but_not_in_the_truth() -> None:
    seen = 0
    for case in _cases(30):
        html = layout_by_name(case.layout).render(case, random.Random(3))
        ast, alt = case.labs.get("ast"), case.labs.get("alt")
        if not ast or not alt or "comparator" in ast or "comparator" in alt:
            continue
        ratio = f"{ast['value'] / alt['value']:.2f}"
        if re.search(r"SGOT/SGPT Ratio|AST/ALT Ratio|谷草/谷丙|AST/ALT比值", html):
            seen += 1
            assert ratio in html, case.id
        assert set(case.labs) <= set(case.printed)
    assert seen > 20


def _near(lines: list[tuple[float, str]], at: list[float], reach: float) -> list[str]:
    return [t for y, t in lines if any(abs(y - y0) <= reach for y0 in at)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[Case]]]:
    out = tmp_path_factory.mktemp("held5")
    runs = [
        generate(out / str(i), count=6, seed=13, kinds=["text_pdf"], pool="heldout5")
        for i in range(2)
    ]
    return out, runs


def test_heldout5_renders_the_same_for_a_seed(rendered: tuple[Path, list[list[Case]]]) -> None:
    out, runs = rendered
    assert [c.to_dict() for c in runs[0]] == [c.to_dict() for c in runs[1]]
    assert {c.layout for c in runs[0]} == set(POOLS["heldout5"]) == set(HELDOUT5)
    for case in runs[0]:
        texts = []
        for i in range(2):
            with pdfplumber.open(out / str(i) / case.files[0]) as doc:
                texts.append([p.extract_text() for p in doc.pages])
        assert texts[0] == texts[1], case.id


def test_every_truth_value_is_printed_beside_its_name(
    rendered: tuple[Path, list[list[Case]]],
) -> None:
    out, runs = rendered
    for case in runs[0]:
        path = out / "0" / case.files[0]
        with pdfplumber.open(path) as doc:
            full = "\n".join(p.extract_text() for p in doc.pages)
        for date in [case.header["collected"], *case.header["others"]]:
            assert date is None or date["text"] in full, (case.id, date)
        for text in (case.header["name"], case.header["sex"], case.header["age"]):
            assert text is None or text in full.replace("\n", " "), (case.id, text)
        lines = _lines(path)
        flat = [(y, t.replace(" ", "")) for y, t in lines]
        for analyte, row in case.printed.items():
            name = row["name"].replace(" ", "")
            # a long Chinese name may wrap in the app's narrow name column, and the abnormal
            # results' summary prints the name and value again
            at = [y for y, t in flat if name in t or name[:6] in t]
            assert at, (case.id, row["name"])
            assert any(_has_value(t, row["value"]) for t in _near(lines, at, 9)), (case.id, row)
            near = "".join(_near(lines, at, 22)).replace(" ", "")  # the app's second line
            if row["unit"]:
                assert row["unit"].replace(" ", "") in near, (case.id, analyte, "unit")
            if row["range"]:
                assert row["range"].replace(" ", "") in near, (case.id, analyte, "range")
            lab = case.labs[analyte]
            shown = row["value"].replace(" ", "").lstrip("<>")
            assert float(shown) == lab["value"], (case.id, analyte)


def test_the_pools_made_before_are_dealt_as_before(tmp_path: Path) -> None:
    assert generate(tmp_path, count=1, seed=13, pool="heldout4")[0].layout == "heldout_g"
    assert list(POOLS).index("heldout5") == 5  # before the sixth set (``test_heldout6.py``)


def test_the_benchmark_deals_the_fifth_set_patients_no_earlier_set_had() -> None:
    """A case's draws come from its seed alone, so the third set's seed (500_001) would give the
    fifth set's layouts the third set's patients, values and all, which its developers have
    seen: the fifth set has a seed of its own."""
    from benchmarks import extract as bench

    earlier = {bench.HELDOUT_SEED, 700_001, bench.HELDOUT3_SEED, bench.HELDOUT4_SEED}
    assert bench.HELDOUT5_SEED not in earlier

    def patient(layout: str, seed: int) -> tuple[object, ...]:
        case = make_case(random.Random(seed * 1_000_003), layout, language="en")
        return case.age, case.style["condition"], case.labs["alt"]["value"]

    # the reason: the same seed deals the same patient into another pool's layout
    assert patient("heldout_e", bench.HELDOUT3_SEED) == patient("heldout_i", bench.HELDOUT3_SEED)
    assert patient("heldout_e", bench.HELDOUT3_SEED) != patient("heldout_i", bench.HELDOUT5_SEED)
