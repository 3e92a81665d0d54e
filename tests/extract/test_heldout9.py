"""The ninth held-out set's generator tells the truth (``heldout9.py``): its pages render the
same for a seed and in every kind, every value the truth holds is printed in its test's card
(home test) or on its test's row (kiosk slip, a wrapped name's second half on the line below)
with its unit and range, a card's status word is its flag, no LiverLens test the truth lacks
is named on a page, the kiosk's print time comes after every other date, and the truth follows
what is printed (units, limits, flags, the collection date, sex and age).

Only the generator is checked here, never a reading: the set exists to measure the reader on
pages nobody shaped it for, so nothing in this file runs (or imports) the reader.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest

from tests.extract.draw import direction
from tests.extract.generate import POOLS, Case, generate, make_case
from tests.extract.heldout9 import HELDOUT9, HOME_UK_WELL, HOME_US_WELL
from tests.extract.heldout9_render import EXTRA_NAMES_Q, SHORT_Q
from tests.extract.heldout_checks import check_every_kind_renders, check_new_patients, pdf_text
from tests.extract.vocab import ANALYTES, FACTOR, FAMILY, FLAG_TEXT, format_date

SEED = 1_100_001
EARLIER_SEEDS = (900_001, 700_001, 500_001, 300_001, 400_001, 600_001, 800_001, 1_000_001)
LANGUAGE = {"heldout_q": "en", "heldout_r": "zh"}
PROFILES = {
    p.name: p for layout in HELDOUT9.values() for ps in layout.profiles.values() for p in ps
}
# Canonical limits a laboratory prints for an adult: (lowest lower, highest lower), (lowest
# upper, highest upper); a limit outside these is a unit converted twice or not at all.
BOUNDS = {
    "alt": ((0, 10), (32, 52)),
    "ast": ((0, 15), (32, 50)),
    "alp": ((30, 50), (100, 150)),
    "ggt": ((0, 11), (32, 71)),
    "bilirubin": ((0, 5.1), (19, 23)),
    "direct_bilirubin": ((0, 0), (3.4, 8)),
    "albumin": ((34, 40), (49, 55)),
    "platelets": ((100, 150), (300, 450)),
    "inr": ((0.8, 0.9), (1.1, 1.2)),
    "ck": ((24, 50), (143, 439)),
    "creatinine": ((41, 71), (73, 133)),
    "sodium": ((133, 137), (144, 147)),
    "bile_acids": ((0, 0), (10, 12)),
}
STATUS = {"High", "Low", "Normal", "Borderline"}
STATUS |= {s.upper() for s in STATUS}


def _cases(n: int = 60) -> list[Case]:
    return [make_case(random.Random(s), name) for name in HELDOUT9 for s in range(n)]


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
                    assert re.match(r"<|Below ", row["range"]), row
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
        if collected["form"] in ("us", "uk"):  # "11/05/2026": settled only when unmistakable
            clear = day.day > 12 or day.day == day.month
            assert case.expected_collected_on == (case.collected_on if clear else None)
        else:
            assert case.expected_collected_on == case.collected_on
    assert marked > 100


def test_the_kits_and_the_conventions_of_each_laboratory() -> None:
    cases = _cases()
    assert {c.style["profile"] for c in cases} == set(PROFILES)
    units = {row["unit"] for c in cases for row in c.printed.values()}
    assert {"umol/L", "g/L", "x10^9/L", "mg/dL", "g/dL", "x10E3/uL", "μmol/L", "10*9/L"} <= units
    ranges = [r["range"] for c in cases for r in c.printed.values()]
    assert any(r.startswith("Below ") for r in ranges) and any("--" in r for r in ranges)
    assert any("～" in r for r in ranges) and any(re.fullmatch(r"0-\d+", r) for r in ranges)
    for case in cases:
        keys = {*case.printed, *(o["key"] for o in case.others)}
        assert set(PROFILES[case.style["profile"]].panel) <= keys, case.id
        us = case.style["profile"].startswith("home_us")
        if case.layout == "heldout_q":
            assert case.style["flag_style"] in ("Word", "word")
            assert case.printed["albumin"]["unit"] == ("g/dL" if us else "g/L")
            forms = (
                ("mon_d_y", "month_d_y", "iso", "us") if us else ("dmon_sp", "dmon", "iso", "uk")
            )
            assert case.header["collected"] is None or case.header["collected"]["form"] in forms
        else:
            assert case.style["flag_style"] in ("arrow", "HL")
            assert all("(" not in r["name"] for r in [*case.printed.values(), *case.others])
    assert {"platelets", "hba1c", "tsh"} <= set(HOME_UK_WELL.panel) and "ldl" in HOME_US_WELL.panel


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
    out = tmp_path_factory.mktemp("held9")
    runs = [
        generate(out / str(i), count=8, seed=SEED, kinds=["text_pdf"], pool="heldout9")
        for i in range(2)
    ]
    return out, runs


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Case]]:
    out = tmp_path_factory.mktemp("held9many")
    cases = generate(out, count=30, seed=SEED + 7, kinds=["text_pdf"], pool="heldout9")
    return [(out / c.files[0], c) for c in cases]


@pytest.fixture(scope="module")
def every(
    rendered: tuple[Path, list[list[Case]]], many: list[tuple[Path, Case]]
) -> list[tuple[Path, Case]]:
    return [(rendered[0] / "0" / c.files[0], c) for c in rendered[1][0]] + many


Word = dict[str, object]


def _lines_of(words: list[Word]) -> list[list[Word]]:
    """Words in lines by their baseline (a large value and its small unit share one), left to
    right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (float(w["bottom"]), float(w["x0"]))):  # type: ignore[arg-type]
        if lines and float(w["bottom"]) - float(lines[-1][0]["bottom"]) <= 3:  # type: ignore[arg-type]
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: float(w["x0"])) for line in lines]  # type: ignore[arg-type]


def _pages(path: Path) -> list[tuple[float, list[Word]]]:
    """Each page's width and words, with their font and size."""
    with pdfplumber.open(path) as doc:
        return [
            (float(p.width), p.extract_words(x_tolerance=1.5, y_tolerance=2,
                                             extra_attrs=["fontname", "size"]))
            for p in doc.pages
        ]  # fmt: skip


def _text(line: list[Word]) -> str:
    return " ".join(str(w["text"]) for w in line)


def _spells(lines: list[list[Word]], li: int, wi: int, name: str) -> list[Word] | None:
    """The bold words from ``lines[li][wi]`` (in its size, wrapping under it, perhaps past a
    large value's line) that spell ``name``; None if they do not."""
    first, target, got, used = lines[li][wi], name.replace(" ", ""), "", []
    x0, size = float(first["x0"]), float(first["size"])  # type: ignore[arg-type]
    for line in lines[li : li + 4]:
        words = line[wi:] if line is lines[li] else [w for w in line if float(w["x0"]) >= x0 - 2]  # type: ignore[arg-type]
        if line is not lines[li] and (not words or abs(float(words[0]["x0"]) - x0) > 2):  # type: ignore[arg-type]
            continue
        end = None  # the right edge of the name's last word: a wider gap is the next card
        for w in words:
            if abs(float(w["size"]) - size) > 0.3 or "Bold" not in str(w["fontname"]):  # type: ignore[arg-type]
                break
            if end is not None and float(w["x0"]) - end > 8:  # type: ignore[arg-type]
                break
            end = float(w["x1"])  # type: ignore[arg-type]
            got += str(w["text"])
            used.append(w)
            if got == target:
                return used
            if not target.startswith(got):
                return None
    return None


def _cards(path: Path, names: set[str]) -> Iterator[tuple[str, list[str]]]:
    """(name, the card's other words in reading order) for every card on the home test's
    pages: the words below a bold name in its grid column, down to the next card's name."""
    for width, words in _pages(path):
        lines = _lines_of(words)
        starts = [(name, used) for li, line in enumerate(lines) for wi, w in enumerate(line)
                  for name in names if str(w["text"]) == name.split()[0]
                  and (used := _spells(lines, li, wi, name))]  # fmt: skip
        xs = sorted({round(float(used[0]["x0"])) for _, used in starts})  # type: ignore[arg-type]
        for name, used in starts:
            x0, top = float(used[0]["x0"]), float(used[0]["top"])  # type: ignore[arg-type]
            right = min([x for x in xs if x > x0 + 3], default=width)
            below = [float(u[0]["top"]) for _, u in starts if abs(float(u[0]["x0"]) - x0) < 3  # type: ignore[arg-type]
                     and float(u[0]["top"]) > top + 3]  # type: ignore[arg-type]  # fmt: skip
            bottom = min([*below, top + 130])
            inside = [v for v in words if x0 - 2 <= float(v["x0"]) < right - 2  # type: ignore[arg-type]
                      and top - 5 <= float(v["top"]) < bottom - 1  # type: ignore[arg-type]
                      and not any(v is u for u in used)]  # fmt: skip
            yield name, [str(v["text"]) for line in _lines_of(inside) for v in line]


def _status_is_the_flag(case: Case, analyte: str, word: str) -> bool:
    row, lab = case.printed[analyte], case.labs[analyte]
    if row["flag"]:
        return word == row["flag"]
    upper = case.style["flag_style"] == "word"
    if word == ("NORMAL" if upper else "Normal"):
        return True
    lo, hi = lab.get("lower_limit") or 0.0, lab["upper_limit"]
    return word == ("BORDERLINE" if upper else "Borderline") and (
        lo + 0.9 * (hi - lo) <= lab["value"] <= hi
    )


def _card_holds(case: Case, analyte: str, words: list[str]) -> str | None:
    """The card's status word when the card (its words after the name) opens with the value
    and the unit (the status on the name's line or after the unit) and holds the range."""
    row = case.printed[analyte]
    words = list(words)
    word = next((w for w in words if w in STATUS), "") if row["range"] else ""
    if word:
        words.remove(word)
    flat = "".join(words)
    opening = "".join(x.replace(" ", "") for x in (row["value"], row["unit"]))
    if not flat.startswith(opening) or row["range"].replace(" ", "") not in flat:
        return None
    return word


def _row_holds(lines: list[list[Word]], row: dict[str, str]) -> str | None:
    """ "whole" or "wrapped" when a slip's line holds the name (or its first part, the rest
    opening the line below in the same column), then the value and flag, unit and range."""
    name, value, flag = row["name"], row["value"], row["flag"]
    for li, line in enumerate(lines):
        for wi, w in enumerate(line):
            part = str(w["text"])
            if not name.startswith(part) or len(part) < min(2, len(name)):
                continue
            rest, after = name[len(part) :], [str(v["text"]) for v in line[wi + 1 :]]
            if rest:
                nxt = lines[li + 1] if li + 1 < len(lines) else []
                under = [v for v in nxt if abs(float(v["x0"]) - float(w["x0"])) < 2]  # type: ignore[arg-type]
                if not under or str(under[0]["text"]) != rest:
                    continue
            opens = after[:1] == [value + flag] or (after[:1] == [value] and (
                not flag or after[1:2] == [flag]))  # fmt: skip
            joined = "".join(after)
            if opens and row["unit"] in joined and row["range"] in joined:
                return "wrapped" if rest else "whole"
    return None


def test_heldout9_renders_the_same_for_a_seed(rendered: tuple[Path, list[list[Case]]]) -> None:
    out, runs = rendered
    assert [c.to_dict() for c in runs[0]] == [c.to_dict() for c in runs[1]]
    assert {c.layout for c in runs[0]} == set(POOLS["heldout9"]) == set(HELDOUT9)
    for case in runs[0]:
        assert (out / "0" / case.files[0]).stat().st_size > 5_000
        assert pdf_text(out / "0" / case.files[0]) == pdf_text(out / "1" / case.files[0]), case.id


def _known_names(case: Case) -> set[str]:
    return {r["name"] for r in [*case.printed.values(), *case.others]} | EXTRA_NAMES_Q


def test_every_truth_value_is_in_its_card_or_on_its_row(every: list[tuple[Path, Case]]) -> None:
    statuses, wrapped = set(), 0
    for path, case in every:
        full = re.sub(r"\s+", " ", pdf_text(path))
        for date in [case.header["collected"], *case.header["others"]]:
            assert date is None or date["text"] in full, (case.id, date)
        for text in (case.header["name"], case.header["sex"], case.header["age"]):
            assert text is None or text in full, (case.id, text)
        if case.layout == "heldout_q":
            cards = list(_cards(path, _known_names(case)))
            for analyte, row in case.printed.items():
                words = [_card_holds(case, analyte, ws) for n, ws in cards if n == row["name"]]
                found = [w for w in words if w is not None]
                assert found, (case.id, row, [ws for n, ws in cards if n == row["name"]])
                assert all(_status_is_the_flag(case, analyte, w) for w in found if w), (
                    case.id,
                    row,
                )
                assert bool(found[0]) == bool(row["range"]), (case.id, row)
                statuses |= {w.capitalize() for w in found}
        else:
            lines = [line for _, words in _pages(path) for line in _lines_of(words)]
            for row in case.printed.values():
                how = _row_holds(lines, row)
                assert how, (case.id, row)
                wrapped += how == "wrapped"
    assert {"High", "Normal", "Borderline"} <= statuses and wrapped >= 5


def test_both_layouts_and_languages_and_their_variants_appear(
    every: list[tuple[Path, Case]],
) -> None:
    assert {(c.layout, c.language) for _, c in every} == set(LANGUAGE.items())
    two_pages = grid3 = one_a_row = narrow = a5 = flag_column = glued = 0
    for path, case in every:
        pages = _pages(path)
        heads = [_text(line).replace(" ", "") for _, ws in pages for line in _lines_of(ws)]
        if case.layout == "heldout_q":
            two_pages += len(pages) > 1
            bold = [(round(float(w["x0"])), w) for _, ws in pages for w in ws  # type: ignore[arg-type]
                    if "Bold" in str(w["fontname"]) and str(w["text"]) in
                    {n.split()[0] for n in _known_names(case)}]  # fmt: skip
            columns = len({x // 20 for x, _ in bold})
            grid3 += columns >= 3
            one_a_row += columns == 1
        else:
            width = pages[0][0] / 72 * 25.4
            narrow += width < 90
            a5 = a5 + (abs(width - 148) < 2)
            flag_column += any(h.startswith(("项目结果提示", "项目名称结果提示")) for h in heads)
            glued += any(re.fullmatch(r"[\d.]+[↑↓]", str(w["text"])) for _, ws in pages for w in ws)
            assert any("检验报告单" in h for h in heads) and any("打印时间" in h for h in heads)
    assert two_pages >= 3 and grid3 >= 2 and one_a_row >= 2
    assert narrow >= 3 and a5 >= 2 and flag_column >= 2 and glued >= 1


def test_the_kiosk_prints_after_every_date_it_shows(every: list[tuple[Path, Case]]) -> None:
    checked = 0
    for path, case in every:
        if case.layout != "heldout_r":
            continue
        stamps = re.findall(r"打印时间[ ：](\d{4})(\D)(\d\d)\D(\d\d) (\d\d):(\d\d)", pdf_text(path))
        assert stamps, case.id
        printed = {dt.datetime(int(y), int(m), int(d), int(hh), int(mm)) for y, _, m, d, hh, mm
                   in stamps}  # fmt: skip
        assert len(printed) == 1 and all(sep == stamps[0][1] for _, sep, *_ in stamps)
        for date in [case.header["collected"], *case.header["others"]]:
            if date:
                when = dt.datetime.strptime(date["text"][:16].replace("/", "-"), "%Y-%m-%d %H:%M")
                assert when < min(printed), (case.id, date)
                checked += 1
    assert checked >= 10


def _names_of(case: Case, analyte: str) -> list[str]:
    names = list(PROFILES[case.style["profile"]].names[analyte])
    if case.language == "en":
        names.append(SHORT_Q[analyte])
    elif analyte == "platelets":
        names.append("血小板")  # MPV and PDW are printed only beside a platelet count
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
                if analyte == "platelets" and case.language == "zh":
                    pattern = re.escape(name)
                assert not re.search(pattern, full, re.I), (case.id, analyte, name)
    assert missing > 100


def test_every_kind_renders(tmp_path: Path) -> None:
    check_every_kind_renders(tmp_path, "heldout9", HELDOUT9)


def test_the_pools_made_before_are_dealt_as_before(tmp_path: Path) -> None:
    assert generate(tmp_path, count=1, seed=13, pool="heldout8")[0].layout == "heldout_o"
    assert list(POOLS)[-4:-1] == ["heldout7", "heldout8", "heldout9"]


def test_the_ninth_set_seed_deals_patients_no_earlier_set_had() -> None:
    """A case's draws come from its seed alone: the ninth set's seed is its own, and none of
    the 64 patients it deals is one an earlier set's seed dealt into these layouts."""
    from benchmarks import extract as bench

    assert SEED == bench.HELDOUT9_SEED
    check_new_patients(LANGUAGE, SEED, EARLIER_SEEDS)
