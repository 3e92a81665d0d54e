"""How well and how fast LiverLens reads lab reports, per kind of file and language.

The reports come from the fixture generator (``tests/extract/generate.py``) with the truth
drawn from the same data. By default the benchmark uses the *held-out* layouts and seeds
(``tests/extract/heldout.py``), which the parser was not developed or tuned on; ``--dev`` runs
the development layouts instead, to compare.

For every test the truth holds, a reading is ``right`` (value, comparator and unit as printed),
``wrong`` (read, but not that) or ``missed`` (not read; shown as unread or absent). A test read
that the report does not hold is ``wrong`` too. ``wrong, sure`` counts wrong values shown
without the "please check" mark (confidence at or above the mark): the number that matters
most, since a marked value is checked by the person. Limits count as read when both ends match
the printed range. Seconds per page are wall-clock for ``read_report`` on that file, OCR
engine loading included once per process and excluded from the per-page figure.

Usage:
    python benchmarks/extract.py                      # held-out set, both OCR engines
    python benchmarks/extract.py --count 16 --engines rapidocr
    python benchmarks/extract.py --dev                # the development layouts
    python benchmarks/extract.py --heldout3           # the third held-out set, as a whole
    python benchmarks/extract.py --heldout4           # the fourth held-out set
    python benchmarks/extract.py --heldout5           # the fifth held-out set
    python benchmarks/extract.py --heldout6           # the sixth held-out set
    python benchmarks/extract.py --heldout7           # the seventh held-out set
    python benchmarks/extract.py --heldout8           # the eighth held-out set
    python benchmarks/extract.py --heldout9           # the ninth held-out set
    python benchmarks/extract.py --heldout10          # the tenth (newest) held-out set
    python benchmarks/extract.py --dev --misses --kinds photo --engines rapidocr
                                                      # and what each report missed
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

KINDS = ("text_pdf", "image_pdf", "scan", "photo")
OCR_KINDS = {"image_pdf", "scan", "photo"}
HELDOUT_SEED = 900_001  # the development tests use seeds below 1000
HELDOUT3_SEED = 500_001  # the third held-out set (``--heldout3``)
HELDOUT4_SEED = 300_001  # the fourth held-out set (``--heldout4``)
HELDOUT5_SEED = 400_001  # the fifth held-out set (``--heldout5``); not 500_001, the third set's:
# the same seed would deal the same patients (sex, age, values) in the new layouts
HELDOUT6_SEED = 600_001  # the sixth held-out set (``--heldout6``): a seed no earlier set used
HELDOUT7_SEED = 800_001  # the seventh held-out set (``--heldout7``): unused by earlier sets
HELDOUT8_SEED = 1_000_001  # the eighth held-out set (``--heldout8``): unused by earlier sets
HELDOUT9_SEED = 1_100_001  # the ninth held-out set (``--heldout9``): unused by earlier sets
HELDOUT10_SEED = 1_300_001  # the tenth held-out set (``--heldout10``): unused by earlier sets
# Held-out sets nobody has run the reader on yet: development tools refuse them
BLIND: tuple[str, ...] = ("heldout10",)


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    missed: int = 0
    wrong_sure: int = 0
    limits_right: int = 0
    limits_total: int = 0
    header_right: int = 0
    header_total: int = 0
    seconds: list[float] = field(default_factory=list)
    pages: int = 0

    @property
    def total(self) -> int:
        return self.right + self.wrong + self.missed

    def row(self, label: str) -> str:
        n = max(self.total, 1)
        per_page = sum(self.seconds) / max(self.pages, 1)
        limits = self.limits_right / max(self.limits_total, 1)
        header = self.header_right / max(self.header_total, 1)
        return (
            f"| {label} | {self.total} | {self.right / n:.1%} | {self.wrong / n:.1%} | "
            f"{self.missed / n:.1%} | {self.wrong_sure / n:.2%} | {limits:.1%} | {header:.1%} | "
            f"{per_page:.2f} |"
        )


HEADER = (
    "| kind, language, engine | values | right | wrong | missed | wrong, not marked | "
    "limits read | sex/age/date | s per page |\n|---|---|---|---|---|---|---|---|---|"
)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _unit_right(truth: dict[str, Any], got: dict[str, Any], analyte: str) -> bool:
    from liverlens.knowledge import load_knowledge

    printed, read = truth.get("unit"), got.get("unit")
    if read is None:  # not printed or not read: right only where the canonical unit is meant
        family = load_knowledge().family_of(analyte)
        return printed in {None, family.canonical, "INR"}
    return bool(read == printed)


def _right(truth: dict[str, Any], got: dict[str, Any], analyte: str) -> bool:
    """Value, comparator and unit as printed: what ``score`` counts right and ``misses`` lists."""
    return (
        _same(got["value"], truth["value"])
        and got.get("comparator") == truth.get("comparator")
        and _unit_right(truth, got, analyte)
    )


def score(case: dict[str, Any], found: Any, tally: Tally) -> None:
    """Add one report's readings to ``tally``."""
    from liverlens.extract.model import Extraction

    assert isinstance(found, Extraction)
    labs = found.to_input()["labs"]
    # sure or not as the value used is (the first of a test's fields with a value)
    sure = {a: f.confidence >= found.low_confidence for a, f in found.used().items()}
    for analyte, truth in case["labs"].items():
        got = labs.get(analyte)
        if got is None:
            tally.missed += 1
            continue
        if _right(truth, got, analyte):
            tally.right += 1
        else:
            tally.wrong += 1
            tally.wrong_sure += sure.get(analyte, False)
        if truth.get("lower_limit") is not None or truth.get("upper_limit") is not None:
            tally.limits_total += 1
            tally.limits_right += _same(got.get("lower_limit"), truth.get("lower_limit")) and _same(
                got.get("upper_limit"), truth.get("upper_limit")
            )
    for analyte in labs.keys() - case["labs"].keys():
        tally.wrong += 1  # read a test the report does not hold
        tally.wrong_sure += sure.get(analyte, False)
    person = found.to_input().get("person", {})
    expected = {
        "sex": case.get("sex"),
        "age": case.get("age"),
        "date": case.get("expected_collected_on"),
    }
    got_header = {"sex": person.get("sex"), "age": person.get("age"), "date": found.collected_on}
    for key, value in expected.items():
        if value is not None:
            tally.header_total += 1
            tally.header_right += got_header[key] == value
        elif got_header[key] is not None:
            tally.header_total += 1  # read something the page does not settle


def run(
    cases: list[dict[str, Any]], root: Path, engines: list[str], show_misses: bool = False
) -> dict[str, Tally]:
    from liverlens.extract import read_report

    tallies: dict[str, Tally] = defaultdict(Tally)
    for engine in engines:
        warm = next((c for c in cases if c["kind"] in OCR_KINDS), None)
        if warm is not None:  # load the OCR engine outside the timed runs
            read_report(_files(root, warm), engine=engine)
        for case in cases:
            if case["kind"] not in OCR_KINDS and engine != engines[0]:
                continue
            label = f"{case['kind']}, {case['language']}" + (
                f", {engine}" if case["kind"] in OCR_KINDS else ""
            )
            files = _files(root, case)
            start = time.perf_counter()
            try:
                found = read_report(files, engine=engine)
            except Exception as exc:  # an unread report: every value missed
                tallies[label].missed += len(case["labs"])
                print(f"  {case['id']}: {type(exc).__name__}", file=sys.stderr)
                continue
            elapsed = time.perf_counter() - start
            t = tallies[label]
            t.seconds.append(elapsed)
            t.pages += max(len(found.pages), 1)
            score(case, found, t)
            if show_misses:
                for line in misses(case, found):
                    print(f"  {case['id']} ({engine}): {line}", file=sys.stderr)
    return tallies


def misses(case: dict[str, Any], found: Any) -> list[str]:
    """What a report was read wrong or not at all, with what was printed: the lines to look at
    when mending the reader (development layouts only: a held-out set looked at this way is
    held out no longer)."""
    labs = found.to_input()["labs"]
    printed = case.get("printed", {})
    out = []
    for analyte, truth in case["labs"].items():
        got, p = labs.get(analyte), printed.get(analyte, {})
        shown = " | ".join(str(p.get(k, "")) for k in ("name", "value", "unit", "range"))
        if got is None:
            out.append(f"missed {analyte}: printed {shown}")
        elif not _right(truth, got, analyte):
            sure = any(
                f.analyte == analyte and f.confidence >= found.low_confidence for f in found.fields
            )
            out.append(f"wrong{', SURE' if sure else ''} {analyte}: read {got}, printed {shown}")
    out += [f"read {a} the report does not hold" for a in labs.keys() - case["labs"].keys()]
    out += [f"unread {u.analyte}: {u.reason}: {u.text!r}" for u in found.unread]
    return out


def _files(root: Path, case: dict[str, Any]) -> list[tuple[str, bytes]]:
    return [(name, (root / name).read_bytes()) for name in case["files"]]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--count", type=int, default=64, help="reports in all, dealt over the kinds and layouts"
    )
    parser.add_argument("--engines", default="rapidocr,tesseract")
    parser.add_argument("--kinds", default=",".join(KINDS))
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--dev", action="store_true", help="the development layouts")
    which.add_argument(
        "--heldout2",
        action="store_true",
        help="the second held-out layouts (tests/extract/heldout2.py), seed 700001",
    )
    which.add_argument(
        "--heldout3",
        action="store_true",
        help="the third held-out layouts (tests/extract/heldout3.py), seed 500001",
    )
    which.add_argument(
        "--heldout4",
        action="store_true",
        help="the fourth held-out layouts (tests/extract/heldout4.py), seed 300001",
    )
    which.add_argument(
        "--heldout5",
        action="store_true",
        help="the fifth held-out layouts (tests/extract/heldout5.py), seed 400001",
    )
    which.add_argument(
        "--heldout6",
        action="store_true",
        help="the sixth held-out layouts (tests/extract/heldout6.py), seed 600001",
    )
    which.add_argument(
        "--heldout7",
        action="store_true",
        help="the seventh held-out layouts (tests/extract/heldout7.py), seed 800001",
    )
    which.add_argument(
        "--heldout8",
        action="store_true",
        help="the eighth held-out layouts",
    )
    which.add_argument(
        "--heldout9",
        action="store_true",
        help="the ninth held-out layouts (tests/extract/heldout9.py), seed 1100001",
    )
    which.add_argument(
        "--heldout10",
        action="store_true",
        help="the tenth (newest) held-out layouts (tests/extract/heldout10.py), seed 1300001",
    )
    parser.add_argument("--out", type=Path, default=None, help="keep the generated files here")
    parser.add_argument("--json", type=Path, default=None, help="write the tallies as JSON")
    parser.add_argument(
        "--misses", action="store_true", help="print each miss on stderr (development sets only)"
    )
    args = parser.parse_args(argv)
    from tests.extract.generate import generate

    root = args.out or Path(tempfile.mkdtemp(prefix="liverlens-extract-"))
    kinds = args.kinds.split(",")
    started = time.perf_counter()
    pools = ("heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8",
             "heldout9", "heldout10")  # fmt: skip
    pool = next((p for p in pools if getattr(args, p)), None)
    seeds = {"heldout2": 700_001, "heldout3": HELDOUT3_SEED, "heldout4": HELDOUT4_SEED}
    seeds |= {"heldout5": HELDOUT5_SEED, "heldout6": HELDOUT6_SEED, "heldout7": HELDOUT7_SEED}
    seeds |= {"heldout8": HELDOUT8_SEED, "heldout9": HELDOUT9_SEED}
    seeds |= {"heldout10": HELDOUT10_SEED}
    seed = 1 if args.dev else seeds.get(pool, HELDOUT_SEED)
    cases = generate(
        root, count=args.count, seed=seed, kinds=kinds, heldout=not args.dev, pool=pool
    )
    made = time.perf_counter() - started
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    print(f"{len(cases)} reports generated in {made:.0f} s under {root}", file=sys.stderr)
    tallies = run(truth, root, args.engines.split(","), args.misses)
    print(HEADER)
    for label in sorted(tallies):
        print(tallies[label].row(label))
    all_ocr = [t for label, t in tallies.items() if "," in label and label.count(",") == 2]
    if all_ocr:
        per_page = [s for t in all_ocr for s in t.seconds]
        print(f"\nmedian seconds per OCR report: {statistics.median(per_page):.2f}")
    if args.json:
        args.json.write_text(
            json.dumps({k: vars(v) for k, v in tallies.items()}, indent=2), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
