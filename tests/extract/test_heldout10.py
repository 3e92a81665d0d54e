"""The tenth held-out set's generator tells the truth (``heldout10.py``): its pages render the
same for a seed and in every kind, every value the truth holds is printed on its test's row
under this request's sample date (GP record) or on its row of the report (maternity hospital),
earlier results stand under earlier dates and are never what the truth holds, no LiverLens test
the truth lacks is named on a page, the print date comes after every other date, 末次月经 and
预产期 bracket the collection, and the truth follows what is printed (units, limits, flags, the
collection date, sex and age).

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
from tests.extract.heldout10 import GP_NAMES, HELDOUT10
from tests.extract.heldout10_maternity import FY_CODES
from tests.extract.heldout_checks import check_every_kind_renders, check_new_patients, pdf_text
from tests.extract.vocab import ANALYTES, FACTOR, FAMILY, FLAG_TEXT, format_date

SEED = 1_300_001
EARLIER_SEEDS = (900_001, 700_001, 500_001, 300_001, 400_001, 600_001, 800_001, 1_000_001)
EARLIER_SEEDS += (1_100_001,)
LANGUAGE = {"heldout_s": "en", "heldout_t": "zh"}
PROFILES = {
    p.name: p for layout in HELDOUT10.values() for ps in layout.profiles.values() for p in ps
}
# Canonical limits a laboratory prints for an adult: (lowest lower, highest lower), (lowest
# upper, highest upper); a limit outside these is a unit converted twice or not at all.
BOUNDS = {
    "alt": ((0, 10), (33, 50)),
    "ast": ((0, 15), (32, 50)),
    "alp": ((30, 50), (100, 150)),
    "ggt": ((0, 11), (32, 71)),
    "bilirubin": ((0, 5.1), (19, 23)),
    "direct_bilirubin": ((0, 0), (3.4, 8)),
    "albumin": ((34, 40), (50, 55)),
    "platelets": ((100, 150), (300, 410)),
    "inr": ((0.8, 0.9), (1.1, 1.2)),
    "ck": ((24, 50), (170, 320)),
    "creatinine": ((41, 64), (73, 133)),
    "sodium": ((133, 137), (145, 147)),
    "bile_acids": ((0, 0), (10, 12)),
}
NHS_HIGH, NHS_LOW = FLAG_TEXT["nhs_limit"]


def _cases(n: int = 60) -> list[Case]:
    return [make_case(random.Random(s), name) for name in HELDOUT10 for s in range(n)]


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
        day = dt.date.fromisoformat(case.collected_on)  # type: ignore[arg-type]
        assert collected["text"].startswith(format_date(day, collected["form"]))
        if collected["form"] == "uk":  # "11/05/2026": settled only when unmistakable
            clear = day.day > 12 or day.day == day.month
            assert case.expected_collected_on == (case.collected_on if clear else None)
        else:
            assert case.expected_collected_on == case.collected_on
    assert marked > 100


def test_the_conventions_of_each_laboratory() -> None:
    cases = _cases()
    assert {c.style["profile"] for c in cases} == set(PROFILES)
    units = {row["unit"] for c in cases for row in c.printed.values()}
    assert {"iu/L", "umol/L", "µmol/L", "g/L", "10*9/L", "μmol/L", "10^9/L"} <= units
    ranges = [r["range"] for c in cases for r in c.printed.values()]
    assert any(" to " in r for r in ranges) and any("～" in r for r in ranges)
    assert any(r.startswith("< ") for r in ranges) and any(r.startswith("≤") for r in ranges)
    for case in cases:
        keys = {*case.printed, *(o["key"] for o in case.others)}
        assert set(PROFILES[case.style["profile"]].panel) <= keys, case.id
        names = {a: r["name"] for a, r in case.printed.items()}
        if case.layout == "heldout_s":
            assert case.style["flag_style"] in ("nhs_limit", "HL")
            styles = [
                {i for i, n in enumerate(GP_NAMES[a]) if n == name} for a, name in names.items()
            ]
            assert set.intersection(*styles), (case.id, names)  # one naming style a report
            assert case.header["collected"] is None or case.header["collected"]["form"] in (
                "dmon", "dmon_sp", "uk")  # fmt: skip
        else:
            assert case.style["flag_style"] in ("arrow", "HL")
            bracketed = {n.endswith((")", "）")) for n in names.values()}
            assert len(bracketed) == 1, (case.id, names)


def test_sex_and_age_are_in_the_truth_exactly_when_printed() -> None:
    cases = _cases()
    for case in cases:
        h = case.header
        assert (case.sex is None) == (h["sex"] is None)
        assert (case.age is None) == (h["age"] is None)
        if case.age is not None:
            assert re.match(rf"{case.age}(?!\d)", h["age"]), h["age"]
    assert {c.header["sex"] for c in cases} >= {"Male", "Female", "男", "女"}
    assert any(c.sex is None for c in cases) and any(c.age is None for c in cases)
    maternity = [c for c in cases if c.layout == "heldout_t" and c.sex]
    women = sum(c.sex == "female" for c in maternity)
    assert women > 0.7 * len(maternity) and women < len(maternity)
    assert all(20 <= c.age <= 47 for c in maternity if c.age is not None)


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
    out = tmp_path_factory.mktemp("held10")
    runs = [
        generate(out / str(i), count=8, seed=SEED, kinds=["text_pdf"], pool="heldout10")
        for i in range(2)
    ]
    return out, runs


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Case]]:
    out = tmp_path_factory.mktemp("held10many")
    cases = generate(out, count=48, seed=SEED + 7, kinds=["text_pdf"], pool="heldout10")
    return [(out / c.files[0], c) for c in cases]


@pytest.fixture(scope="module")
def every(
    rendered: tuple[Path, list[list[Case]]], many: list[tuple[Path, Case]]
) -> list[tuple[Path, Case]]:
    return [(rendered[0] / "0" / c.files[0], c) for c in rendered[1][0]] + many


def _lines(path: Path) -> list[str]:
    """Every page's text lines, one space between words."""
    with pdfplumber.open(path) as doc:
        return [
            re.sub(r"\s+", " ", line).strip()
            for page in doc.pages
            for line in (page.extract_text(x_tolerance=1.5) or "").splitlines()
        ]


DATE = r"\d\d-[A-Z][a-z]{2}-\d{4}|\d\d/\d\d/\d{4}|\d{1,2} [A-Z][a-z]{2} \d{4}"


def _after_name(lines: list[str], i: int, text: str, name: str) -> str | None:
    """What follows the name in ``text`` (line ``i`` or its tail): the name whole, or its first
    words with the rest opening the next line (a wrapped cell); None if it does not open it."""
    words = name.split()
    for cut in range(len(words), 0, -1):
        first, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if text == first or text.startswith(first + " "):
            if rest and not (i + 1 < len(lines) and lines[i + 1].startswith(rest)):
                continue
            after = text[len(first) :].strip()
            if re.match(r"[<>]?\d", after):
                return after
    return None


def _view(lines: list[str]) -> str:
    if any(line.startswith("Date Test Result Range Abnormal") for line in lines):
        return "rows"
    return "test" if any(line.startswith("Latest request:") for line in lines) else "blocks"


def _gp_results(case: Case, lines: list[str]) -> dict[str, list[tuple[str | None, str]]]:
    """Per analyte, every result the page prints for it: (the sample date it stands under,
    None where the page prints none; the text after the name: value, unit, range, flag)."""
    view, collected = _view(lines), case.header["collected"]
    label = collected["label"] if collected else None
    out: dict[str, list[tuple[str | None, str]]] = {a: [] for a in case.printed}
    date, heading = None, None
    for i, line in enumerate(lines):
        if view == "blocks" and label and line.startswith(label + " "):
            date = re.match(DATE, line[len(label) + 1 :])[0]  # type: ignore[index]
        if view == "test":
            if not (m := re.fullmatch(rf"({DATE}) (.*)", line)):  # a test's name heads its lines
                heading = next((a for a, r in case.printed.items() if line == r["name"]), None)
            elif heading:
                out[heading].append((m[1], m[2]))
            continue
        m = re.match(rf"({DATE}) ", line) if view == "rows" else None
        text = line[len(m[0]) :] if m else line
        for a, row in case.printed.items():
            after = _after_name(lines, i, text, row["name"])
            if after is not None:
                out[a].append((m[1] if m else date, after))
    return out


def _day(text: str) -> dt.date:
    for fmt in ("%d-%b-%Y", "%d/%m/%Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _row_opens(words: list[str], case: Case, row: dict[str, str]) -> bool:
    """A maternity report's row after its name: (the code,) the value and flag (glued or
    spaced), unit and range; or the value, range, unit and flag (spaces aside)."""
    value, flag, unit, rng_text = (row[k].replace(" ", "") for k in ("value", "flag", "unit",
                                                                     "range"))  # fmt: skip
    code = FY_CODES[row["analyte"]]
    joined = "".join(words)
    forms = (value + flag + unit + rng_text, value + rng_text + unit + flag)
    return joined in forms or joined in (code + f for f in forms[:1])


def test_heldout10_renders_the_same_for_a_seed(rendered: tuple[Path, list[list[Case]]]) -> None:
    out, runs = rendered
    assert [c.to_dict() for c in runs[0]] == [c.to_dict() for c in runs[1]]
    assert {c.layout for c in runs[0]} == set(POOLS["heldout10"]) == set(HELDOUT10)
    for case in runs[0]:
        assert (out / "0" / case.files[0]).stat().st_size > 5_000
        assert pdf_text(out / "0" / case.files[0]) == pdf_text(out / "1" / case.files[0]), case.id


def test_every_truth_value_is_on_its_row_under_this_requests_date(
    every: list[tuple[Path, Case]],
) -> None:
    earlier_differs = checked = 0
    for path, case in every:
        full = re.sub(r"\s+", " ", pdf_text(path))
        for date in [case.header["collected"], *case.header["others"]]:
            assert date is None or date["text"] in full, (case.id, date)
        for text in (case.header["name"], case.header["sex"], case.header["age"]):
            assert text is None or text in full, (case.id, text)
        lines = _lines(path)
        if case.layout == "heldout_t":
            for row in case.printed.values():
                found = [line.split(" ") for line in lines if line.split(" ")[:1] == [row["name"]]
                         or line.split(" ")[1:2] == [row["name"]]]  # fmt: skip
                opens = [_row_opens(ws[ws.index(row["name"]) + 1 :], case, row) for ws in found]
                assert opens.count(True) == 1, (case.id, row, found)
            continue
        collected = case.header["collected"]
        now = collected["date"] if collected else None
        for analyte, results in _gp_results(case, lines).items():
            row, lab = case.printed[analyte], case.labs[analyte]
            tail = " ".join(x for x in (row["value"], row["unit"], row["range"], row["flag"]) if x)
            current = [after for date, after in results if date == now]
            assert current == [tail], (case.id, analyte, results)
            for date, after in results:
                if date == now:
                    continue
                assert now and _day(date) < _day(now), (case.id, analyte, date)  # type: ignore[arg-type]
                value = after.split(" ")[0]
                assert after.startswith(value) and row["range"] in after, (case.id, after)
                if value != row["value"]:
                    earlier_differs += 1
                    assert float(value.lstrip("<>")) != lab["value"], (case.id, analyte, value)
            checked += 1
    assert checked > 100 and earlier_differs > 40


def test_dates_fall_where_they_should(every: list[tuple[Path, Case]]) -> None:
    printed = pregnancies = 0
    for path, case in every:
        text = re.sub(r"\s+", " ", pdf_text(path))
        day = dt.date.fromisoformat(case.collected_on) if case.collected_on else None
        if case.layout == "heldout_s":
            stamps = set(re.findall(rf"Printed from .+? on ({DATE}) \d\d:\d\d", text))
            assert len(stamps) == 1, (case.id, stamps)
            when = _day(stamps.pop())
            others = [_day(re.match(DATE, o["text"])[0]) for o in case.header["others"]]  # type: ignore[index]
            assert all(when > d for d in [*others, *([day] if day else [])]), case.id
            printed += 1
            continue
        lmp = re.search(r"末次月经：(\d{4})\D(\d\d)\D(\d\d)", text)
        edd = re.search(r"预产期：(\d{4})\D(\d\d)\D(\d\d)", text)
        weeks = re.search(r"孕周：孕?(\d+)(?:\+|W\+|周)(\d)", text)
        assert bool(lmp) == bool(edd) and (not lmp or weeks), case.id
        if lmp and edd and weeks and day:
            first = dt.date(*map(int, lmp.groups()))
            due = dt.date(*map(int, edd.groups()))
            assert first < day < due and (due - first).days == 280, case.id
            assert (day - first).days == 7 * int(weeks[1]) + int(weeks[2]), case.id
            assert case.sex == "female" and case.age is not None and case.age <= 45
            pregnancies += 1
    assert printed >= 20 and pregnancies >= 6


def test_both_layouts_and_their_variants_appear(every: list[tuple[Path, Case]]) -> None:
    assert {(c.layout, c.language) for _, c in every} == set(LANGUAGE.items())
    views, flags, styles = set(), set(), set()
    multi = earlier = a5 = code_col = bilingual = ogtt = trimester = reports = 0
    for path, case in every:
        lines = _lines(path)
        with pdfplumber.open(path) as doc:
            pages = len(doc.pages)
            height = float(doc.pages[0].height) / 72 * 25.4
        multi += pages > 1
        text = " ".join(lines)
        if case.layout == "heldout_s":
            views.add(_view(lines))
            flags |= {r["flag"] for r in case.printed.values() if r["flag"]}
            styles.add(case.printed["alt"]["name"].split()[0])
            earlier += len(set(re.findall(DATE, text))) > 3
        else:
            a5 += abs(height - 148) < 2
            code_col += any(x.startswith("序号 项目名称 英文缩写 结果") for x in lines)
            bilingual += case.printed["alt"]["name"].endswith((")", "）"))
            ogtt += "餐后2小时血糖" in text
            trimester += "孕中期" in text
            reports += text.replace(" ", "").count("检验报告单") > 1
    assert views == {"blocks", "rows", "test"} and {NHS_HIGH, NHS_LOW, "H"} <= flags
    assert styles >= {"Serum", "Plasma"} and multi >= 10 and earlier >= 10
    assert a5 >= 2 and code_col >= 2 and bilingual >= 4 and ogtt >= 1 and reports >= 6
    assert trimester >= 1


def _names_of(case: Case, analyte: str) -> list[str]:
    names = list(PROFILES[case.style["profile"]].names[analyte])
    if case.language == "zh":
        names.append(FY_CODES[analyte])
    return names


def test_no_test_the_truth_lacks_is_named_on_a_page(every: list[tuple[Path, Case]]) -> None:
    missing = 0
    for path, case in every:
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


def test_every_kind_renders(tmp_path: Path) -> None:
    check_every_kind_renders(tmp_path, "heldout10", HELDOUT10)


def test_the_pools_made_before_are_dealt_as_before(tmp_path: Path) -> None:
    assert generate(tmp_path, count=1, seed=13, pool="heldout9")[0].layout == "heldout_q"
    assert list(POOLS)[-3:] == ["heldout8", "heldout9", "heldout10"]
    # every earlier layout draws sexes and ages as before the maternity layout's own draws
    earlier = [lay for name, pool in POOLS.items() if name != "heldout10" for lay in pool.values()]
    assert all(lay.sexes == ("male", "female") and lay.ages == (18, 88) for lay in earlier)


def test_the_tenth_set_seed_deals_patients_no_earlier_set_had() -> None:
    """A case's draws come from its seed alone: the tenth set's seed is its own, and none of
    the 64 patients it deals is one an earlier set's seed dealt into these layouts."""
    from benchmarks import extract as bench

    assert SEED == bench.HELDOUT10_SEED
    assert SEED not in (bench.HELDOUT_SEED, bench.HELDOUT9_SEED, bench.HELDOUT8_SEED)
    assert "heldout10" in bench.BLIND
    check_new_patients(LANGUAGE, SEED, EARLIER_SEEDS)
