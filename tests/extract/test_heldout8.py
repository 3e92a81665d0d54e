"""The eighth held-out set's generator tells the truth (``heldout8.py``): its pages render the
same for a seed and in every kind, every value the truth holds is printed on a page right after
its test's name with its unit and range, no LiverLens test the truth lacks is named on a page,
a US result sits in the "In Range" column exactly when it carries no flag, and the truth
follows what is printed (units, limits, flags, the collection date, sex and age).

Only the generator is checked here, never a reading: the set exists to measure the reader on
pages nobody shaped it for, so nothing in this file runs (or imports) the reader.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pdfplumber
import pytest

from tests.extract.draw import direction
from tests.extract.generate import POOLS, Case, generate, make_case
from tests.extract.heldout8 import CMP, HELDOUT8, HFP, REFLAB_ANNUAL
from tests.extract.heldout8_render import CODE_P
from tests.extract.heldout_checks import check_every_kind_renders, check_new_patients, pdf_text
from tests.extract.vocab import ANALYTES, FACTOR, FAMILY, FLAG_TEXT

SEED = 1_000_001
EARLIER_SEEDS = (900_001, 700_001, 500_001, 300_001, 400_001, 600_001, 800_001)
LANGUAGE = {"heldout_o": "en", "heldout_p": "zh"}
PROFILES = {
    p.name: p for layout in HELDOUT8.values() for ps in layout.profiles.values() for p in ps
}
# Canonical limits a laboratory prints for an adult: (lowest lower, highest lower), (lowest
# upper, highest upper); a limit outside these is a unit converted twice or not at all.
BOUNDS = {
    "alt": ((0, 10), (29, 50)),
    "ast": ((0, 15), (35, 41)),
    "alp": ((15, 45), (100, 150)),
    "ggt": ((0, 10), (36, 70)),
    "bilirubin": ((0, 6), (17, 22)),
    "direct_bilirubin": ((0, 0), (3.4, 8)),
    "albumin": ((35, 40), (49, 55)),
    "platelets": ((100, 150), (300, 450)),
    "inr": ((0.8, 0.9), (1.1, 1.5)),
    "ck": ((25, 50), (143, 440)),
    "creatinine": ((41, 71), (73, 133)),
    "sodium": ((134, 137), (144, 147)),
    "bile_acids": ((0, 0), (10, 12)),
}


def _cases(n: int = 60) -> list[Case]:
    return [make_case(random.Random(s), name) for name in HELDOUT8 for s in range(n)]


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"\d+(?:\.\d+)?", text)]


def test_the_truth_follows_what_is_printed() -> None:
    marked = 0
    for case in _cases():
        profile = PROFILES[case.style["profile"]]
        high, low = FLAG_TEXT[case.style["flag_style"]]
        for analyte, lab in case.labs.items():
            row = case.printed[analyte]
            assert (row["unit"], lab["unit"]) in profile.units[FAMILY[analyte]], (case.id, row)
            value = row["value"].replace(" ", "")
            assert (value[0] if value[0] in "<>" else None) == lab.get("comparator")
            assert float(value.lstrip("<>")) == lab["value"], (case.id, row)
            if row["range"]:
                nums = _numbers(row["range"])
                if len(nums) == 1:
                    assert re.match(r"<|≤", row["range"]), row
                    nums = [None, *nums]  # type: ignore[list-item]
                assert tuple(nums) == (lab.get("lower_limit"), lab.get("upper_limit")), row
            else:
                assert "lower_limit" not in lab and "upper_limit" not in lab
            way = direction(lab["value"], lab.get("comparator"), lab.get("lower_limit"),
                            lab.get("upper_limit")) if row["range"] else ""  # fmt: skip
            assert row["flag"] == {"high": high, "low": low, "": ""}[way], (case.id, row)
            assert case.flags.get(analyte, "") == way, (case.id, analyte)
            marked += bool(way)
        collected = case.header["collected"]
        if collected is None:
            assert case.collected_on is None and case.expected_collected_on is None
            continue
        text = collected["text"]
        if case.layout == "heldout_o":  # month first: settled only when it cannot be misread
            month, day, year = (int(x) for x in re.match(r"(\d\d)/(\d\d)/(\d{4})", text).groups())  # type: ignore[union-attr]
            assert dt.date(year, month, day).isoformat() == case.collected_on, text
            clear = day > 12 or day == month
            assert case.expected_collected_on == (case.collected_on if clear else None), text
        else:
            year, month, day = (int(x) for x in re.match(r"(\d{4})\D(\d\d)\D(\d\d)", text).groups())  # type: ignore[union-attr]
            assert dt.date(year, month, day).isoformat() == case.collected_on
            assert case.expected_collected_on == case.collected_on
    assert marked > 100


def test_the_panels_and_the_conventions_of_each_laboratory() -> None:
    cases = _cases()
    assert {c.style["profile"] for c in cases} == set(PROFILES)
    units = {row["unit"] for c in cases for row in c.printed.values()}
    assert {"mg/dL", "g/dL", "Thousand/uL", "x10E3/uL", "U/L", "IU/L", "μmol/L", "g/L"} <= units
    forms = {c.printed["alt"]["range"][:1] for c in cases if c.printed["alt"]["range"]}
    assert {"<", "0"} <= forms
    assert any("～" in r["range"] for c in cases for r in c.printed.values())
    for case in cases:
        keys = {*case.printed, *(o["key"] for o in case.others)}
        panel = PROFILES[case.style["profile"]].panel
        assert set(panel) <= keys, case.id
        if case.layout == "heldout_o":
            assert case.style["flag_style"] == "HL"
            assert set(CMP) <= keys or set(HFP) <= keys
            assert case.header["collected"] is None or case.header["collected"]["form"] == "us"
        else:
            assert {"alt", "ast", "bilirubin", "albumin", "total_protein"} <= keys
            assert all("(" not in r["name"] for r in [*case.printed.values(), *case.others])
    assert set(REFLAB_ANNUAL.panel) >= {"platelets", "wbc", "ldl"}


def test_sex_and_age_are_in_the_truth_exactly_when_printed() -> None:
    cases = _cases()
    for case in cases:
        h = case.header
        assert (case.sex is None) == (h["sex"] is None)
        assert (case.age is None) == (h["age"] is None)
        if case.age is not None:
            assert re.match(rf"{case.age}(?!\d)", h["age"]), h["age"]
    assert {c.header["sex"] for c in cases} >= {"M", "F", "Male", "Female", "男", "女"}
    assert any(c.sex is None for c in cases) and any(c.age is None for c in cases)


def test_ranges_are_within_what_laboratories_print() -> None:
    seen = 0
    for case in _cases():
        for analyte, lab in case.labs.items():
            factor = FACTOR[(FAMILY[analyte], lab["unit"])]
            (lo_min, lo_max), (hi_min, hi_max) = BOUNDS[analyte]
            if "lower_limit" in lab:
                assert lo_min - 1e-9 <= lab["lower_limit"] * factor <= lo_max + 1, (case.id, lab)
            if "upper_limit" in lab:
                seen += 1
                assert hi_min - 1 <= lab["upper_limit"] * factor <= hi_max + 1, (case.id, lab)
    assert seen > 500


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[Case]]]:
    out = tmp_path_factory.mktemp("held8")
    runs = [
        generate(out / str(i), count=8, seed=SEED, kinds=["text_pdf"], pool="heldout8")
        for i in range(2)
    ]
    return out, runs


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Case]]:
    out = tmp_path_factory.mktemp("held8many")
    return out, generate(out, count=24, seed=SEED + 7, kinds=["text_pdf"], pool="heldout8")


Word = dict[str, object]


def _page_lines(path: Path) -> list[list[list[Word]]]:
    """Each page's text lines, each line its words left to right."""
    pages = []
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            rows: dict[int, list[Word]] = {}
            for w in page.extract_words(x_tolerance=1.5, y_tolerance=2):
                rows.setdefault(round((w["top"] + w["bottom"]) / 4), []).append(w)
            pages.append([sorted(rows[k], key=lambda w: w["x0"]) for k in sorted(rows)])  # type: ignore[arg-type, return-value]
    return pages


def _text(line: list[Word]) -> str:
    return " ".join(str(w["text"]) for w in line)


def test_heldout8_renders_the_same_for_a_seed(rendered: tuple[Path, list[list[Case]]]) -> None:
    out, runs = rendered
    assert [c.to_dict() for c in runs[0]] == [c.to_dict() for c in runs[1]]
    assert {c.layout for c in runs[0]} == set(POOLS["heldout8"]) == set(HELDOUT8)
    for case in runs[0]:
        assert (out / "0" / case.files[0]).stat().st_size > 5_000
        assert pdf_text(out / "0" / case.files[0]) == pdf_text(out / "1" / case.files[0]), case.id


def test_both_layouts_and_languages_and_their_variants_appear(
    many: tuple[Path, list[Case]],
) -> None:
    out, cases = many
    assert {(c.layout, c.language) for c in cases} == set(LANGUAGE.items())
    pages = {c.id: _page_lines(out / c.files[0]) for c in cases}
    two_pages = sum(len(p) > 1 for c in cases if c.layout == "heldout_o" for p in [pages[c.id]])
    assert two_pages >= 2
    side_by_side = 0
    for case in cases:
        heads = [_text(line).replace(" ", "") for page in pages[case.id] for line in page]
        if case.layout == "heldout_p":
            assert any(h.startswith(("代号项目名称", "No代号项目名称")) for h in heads), case.id
            side_by_side += any(h.count("项目名称") == 2 for h in heads)
        else:
            assert any("InRangeOutOfRangeReferenceRange" in h for h in heads), case.id
    assert side_by_side >= 2


def _after_name(lines: list[str], name: str) -> list[list[str]]:
    """The words that follow the test's name on each line that has the name in it."""
    pattern = r"\s*".join(re.escape(ch) for ch in name.replace(" ", ""))
    out = []
    for line in lines:
        for m in re.finditer(pattern, line):
            if not re.match(r"[A-Za-z\u4e00-\u9fff/,]", line[m.end() : m.end() + 1]):
                out.append(line[m.end() :].split())
    return out


def _starts_with_value(words: list[str], row: dict[str, str]) -> bool:
    """The words open with the value as printed, then its flag (own word or glued on)."""
    value, flag = row["value"].split(), row["flag"]
    n = len(value)
    if words[: n - 1] != value[:-1] or len(words) < n:
        return False
    last = words[n - 1]
    if not flag:
        return last == value[-1]
    return last == value[-1] + flag or (last == value[-1] and words[n : n + 1] == [flag])


def test_every_truth_value_follows_its_name_with_its_unit_and_range(
    rendered: tuple[Path, list[list[Case]]], many: tuple[Path, list[Case]]
) -> None:
    cases = [(rendered[0] / "0" / c.files[0], c) for c in rendered[1][0]]
    cases += [(many[0] / c.files[0], c) for c in many[1]]
    for path, case in cases:
        full = re.sub(r"\s+", " ", pdf_text(path))
        for date in [case.header["collected"], *case.header["others"]]:
            assert date is None or date["text"] in full, (case.id, date)
        for text in (case.header["name"], case.header["sex"], case.header["age"]):
            assert text is None or text in full, (case.id, text)
        lines = [_text(line) for page in _page_lines(path) for line in page]
        for analyte, row in case.printed.items():
            after = _after_name(lines, row["name"])
            assert after, (case.id, row["name"])
            here = ["".join(a) for a in after if _starts_with_value(a, row)]
            assert here, (case.id, row, after)
            for part in (row["unit"], row["range"]):
                assert any(part.replace(" ", "") in a for a in here), (case.id, analyte, part)


def _names_of(case: Case, analyte: str) -> list[str]:
    names = list(PROFILES[case.style["profile"]].names[analyte])
    if case.language == "zh":
        names.append(CODE_P[analyte])
    elif analyte == "platelets":
        names.append("PLT")
    return names


def test_no_test_the_truth_lacks_is_named_on_a_page(
    rendered: tuple[Path, list[list[Case]]], many: tuple[Path, list[Case]]
) -> None:
    cases = [(rendered[0] / "0" / c.files[0], c) for c in rendered[1][0]]
    cases += [(many[0] / c.files[0], c) for c in many[1]]
    missing = 0
    for path, case in cases:
        full = re.sub(r"\s+", " ", pdf_text(path))
        for analyte in ANALYTES:
            if analyte in case.labs:
                continue
            missing += 1
            for name in _names_of(case, analyte):
                edge = r"A-Za-z\u4e00-\u9fff"
                pattern = rf"(?<![{edge}]){re.escape(name)}(?![{edge}])"
                assert not re.search(pattern, full, re.I), (case.id, analyte, name)
    assert missing > 100


def test_a_us_result_sits_in_the_column_its_flag_says(many: tuple[Path, list[Case]]) -> None:
    out, cases = many
    checked = {True: 0, False: 0}
    for case in cases:
        if case.layout != "heldout_o":
            continue
        for page in _page_lines(out / case.files[0]):
            head = next((line for line in page if "Out Of Range" in _text(line)), None)
            if head is None:
                continue
            x = {str(w["text"]): float(w["x0"]) for w in head}  # type: ignore[arg-type]
            in_x, out_x, ref_x = x["In"], x["Out"], x["Reference"]
            for line in page:
                text = _text(line)
                for row in case.printed.values():
                    if not text.startswith(row["name"] + " "):
                        continue
                    first = row["value"].split()[0]
                    words = [w for w in line if float(w["x0"]) >= in_x - 3]  # type: ignore[arg-type]
                    assert words and words[0]["text"] == first, (case.id, row, text)
                    x0 = float(words[0]["x0"])  # type: ignore[arg-type]
                    if row["flag"]:
                        assert out_x - 3 <= x0 < ref_x - 3, (case.id, row)
                    else:
                        assert x0 < out_x - 3, (case.id, row)
                    checked[bool(row["flag"])] += 1
    assert checked[True] >= 5 and checked[False] >= 20


def test_every_kind_renders(tmp_path: Path) -> None:
    check_every_kind_renders(tmp_path, "heldout8", HELDOUT8)


def test_the_pools_made_before_are_dealt_as_before(tmp_path: Path) -> None:
    assert generate(tmp_path, count=1, seed=13, pool="heldout7")[0].layout == "heldout_m"
    assert list(POOLS)[-5:-2] == ["heldout6", "heldout7", "heldout8"]


def test_the_eighth_set_seed_deals_patients_no_earlier_set_had() -> None:
    """A case's draws come from its seed alone: the eighth set's seed is its own, and none of
    the 64 patients it deals is one an earlier set's seed dealt into these layouts."""
    from benchmarks import extract as bench

    assert SEED == bench.HELDOUT8_SEED
    check_new_patients(LANGUAGE, SEED, EARLIER_SEEDS)
