"""RapidOCR in passes (``extract/ocr_passes.py``) against the full pass, like for like.

Both readers get the same straightened pages of the same development reports (photos, scans
and image PDFs of ``tests/extract/generate.py``'s development layouts; never a held-out
set), and run interleaved in one process, full then passes, three times over (A, B, A, B,
A, B), so that whatever else runs on the machine slows both alike: only ratios of their
times are reported, per report the median of the three pairs' ratios (passes / full, OCR and
parsing; straightening is the same for both and left out), wall-clock and CPU seconds (the
CPU ratio is the steadier one when other work shares the cores), with their median and
spread per kind and language and per layout. Then what each read is
compared: every field (analyte, value, unit, comparator, limits, flag, confidence), the
header (sex, age, collection date) and every unread line (test, reason); any difference is
printed, and both readings are scored against the truth with the benchmark's own rules.

Usage:
    python benchmarks/ocr_two_pass.py                   # 48 development reports, seed 2
    python benchmarks/ocr_two_pass.py --count 24 --seed 1 --kinds photo,scan
    python benchmarks/ocr_two_pass.py --count 24 --layouts big_panel   # where it pays
    python benchmarks/ocr_two_pass.py --pool heldout7 --layouts heldout_n --count 12  # dense sheets
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

OCR_KINDS = ("photo", "scan", "image_pdf")


class _Counts(logging.Handler):
    """The pieces each page read in passes recognised (the reader logs counts only)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.read = self.total = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        found = re.search(r"(\d+) of (\d+) pieces", message)
        if found:
            self.read += int(found.group(1))
            self.total += 0 if "other" in message else int(found.group(2))


def straightened(root: Path, case: dict[str, Any]) -> list[Any]:
    """The report's pages as the reader straightens them, once, for both readers."""
    from liverlens.extract.image import load_images, straighten
    from liverlens.extract.model import Page
    from liverlens.extract.pdf import is_pdf, render_page, text_pages

    pages = []
    for name in case["files"]:
        data = (root / name).read_bytes()
        if is_pdf(data):
            items = [i for i in text_pages(name, data, 1) if not isinstance(i, Page)]
            pages += [straighten(render_page(name, data, i)) for i in items]
        else:
            pages += [straighten(image) for image in load_images(name, data)]
    return pages


def full(images: list[Any]) -> Any:
    from liverlens.extract import read_pages
    from liverlens.extract.ocr import ocr_page

    return read_pages([ocr_page(image, n) for n, image in enumerate(images, 1)])


def in_passes(images: list[Any]) -> Any:
    """``read_report``'s path with ``passes=True``, from straightened pages."""
    from liverlens.extract import ocr_passes, read_pages
    from liverlens.extract.ocr import ocr_page_in_passes

    read = [ocr_page_in_passes(image, n) for n, image in enumerate(images, 1)]
    extraction = read_pages([page for page, _ in read])
    if any(rest for _, rest in read) and ocr_passes.needs_everything(extraction):
        extraction = read_pages([rest() if rest else page for page, rest in read])
    return extraction


def reading(extraction: Any) -> dict[str, Any]:
    """What a reader read, as compared (the evidence text and box are left out)."""
    keys = ("analyte", "value", "unit", "comparator", "lower_limit", "upper_limit", "flag")
    return {
        "fields": [
            {**{k: getattr(f, k) for k in keys}, "confidence": f.confidence}
            for f in extraction.fields
        ],
        "header": [extraction.sex, extraction.age, extraction.collected_on],
        "unread": [[u.analyte, u.reason] for u in extraction.unread],
    }


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    out = []
    if a["header"] != b["header"]:
        out.append(f"header {a['header']} -> {b['header']}")
    if a["unread"] != b["unread"]:
        out.append(f"unread {a['unread']} -> {b['unread']}")
    fa = {json.dumps(f, sort_keys=True) for f in a["fields"]}
    fb = {json.dumps(f, sort_keys=True) for f in b["fields"]}
    out += [f"field only in full: {f}" for f in sorted(fa - fb)]
    out += [f"field only in passes: {f}" for f in sorted(fb - fa)]
    return out


def timed(reader: Callable[[list[Any]], Any], images: list[Any]) -> tuple[float, float, Any]:
    """Wall-clock and CPU seconds (every thread of the process) of one reading."""
    start, cpu = time.perf_counter(), time.process_time()
    found = reader(images)
    return time.perf_counter() - start, time.process_time() - cpu, found


def _spread(values: list[float]) -> str:
    if len(values) < 4:
        return f"{min(values):.2f}-{max(values):.2f}"
    q = statistics.quantiles(values, n=4)
    return f"{q[0]:.2f}-{q[2]:.2f} ({min(values):.2f}-{max(values):.2f})"


def table(title: str, groups: dict[str, list[dict[str, Any]]]) -> None:
    print(
        f"| {title} | reports | pieces recognised | wall ratio: median | quartiles (range) "
        "| CPU ratio: median | quartiles (range) | readings different |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for label in sorted(groups):
        rows = groups[label]
        wall, cpu = [r["wall"] for r in rows], [r["cpu"] for r in rows]
        read = sum(r["pieces"][0] for r in rows) / max(1, sum(r["pieces"][1] for r in rows))
        print(
            f"| {label} | {len(rows)} | {read:.0%} | {statistics.median(wall):.2f} | "
            f"{_spread(wall)} | {statistics.median(cpu):.2f} | {_spread(cpu)} | "
            f"{sum(bool(r['diff']) for r in rows)} |"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=48, help="development reports")
    parser.add_argument("--seed", type=int, default=2, help="the development seed to deal from")
    parser.add_argument("--kinds", default=",".join(OCR_KINDS))
    parser.add_argument("--rounds", type=int, default=3, help="A, B pairs per report")
    parser.add_argument("--layouts", default=None, help="the pool's layouts, e.g. big_panel")
    parser.add_argument(
        "--pool",
        default="dev",
        help="dev, or a held-out set already looked at (development data now; never a blind one)",
    )
    parser.add_argument("--out", type=Path, default=None, help="keep the generated files here")
    parser.add_argument("--json", type=Path, default=None, help="write the per-report results")
    args = parser.parse_args(argv)
    if args.seed >= 300_000:
        parser.error("held-out seeds are not for this benchmark: development seeds only")
    kinds = args.kinds.split(",")
    if not set(kinds) <= set(OCR_KINDS):
        parser.error(f"kinds are OCR kinds: {', '.join(OCR_KINDS)}")

    from tests.extract.generate import POOLS, generate

    from benchmarks.extract import BLIND, Tally, score
    from liverlens.extract import ocr

    root = args.out or Path(tempfile.mkdtemp(prefix="liverlens-two-pass-"))
    layouts = args.layouts.split(",") if args.layouts else None
    looked_at = [name for name in POOLS if name not in BLIND]
    if args.pool not in looked_at:
        parser.error(f"pools looked at already: {', '.join(looked_at)} (never a blind set)")
    if layouts and not set(layouts) <= set(POOLS[args.pool]):
        parser.error(f"the pool's layouts: {', '.join(POOLS[args.pool])}")
    generate(root, count=args.count, seed=args.seed, kinds=kinds, pool=args.pool, layouts=layouts)
    cases = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    counts = _Counts()
    logging.getLogger(ocr.__name__).addHandler(counts)
    logging.getLogger(ocr.__name__).setLevel(logging.INFO)
    ocr._engine()  # loaded outside the timed runs
    warm = straightened(root, cases[0])
    full(warm), in_passes(warm)

    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: {"full": Tally(), "passes": Tally()})
    rows = []
    for case in cases:
        label = f"{case['kind']}, {case['language']}"
        images = straightened(root, case)
        wall: list[float] = []
        cpu: list[float] = []
        found: dict[str, Any] = {}
        for _ in range(args.rounds):  # A, B, A, B: each pair's ratio, then their median
            spent = {}
            for name, reader in (("full", full), ("passes", in_passes)):
                counts.read = counts.total = 0
                spent[name] = timed(reader, images)
                found[name] = spent[name][2]
            wall.append(spent["passes"][0] / spent["full"][0])
            cpu.append(spent["passes"][1] / spent["full"][1])
        diff = differences(reading(found["full"]), reading(found["passes"]))
        for name in ("full", "passes"):
            score(case, found[name], tallies[label][name])
        rows.append(
            {
                "id": case["id"],
                "label": label,
                "layout": case["layout"],
                "wall": statistics.median(wall),
                "cpu": statistics.median(cpu),
                "pieces": [counts.read, counts.total],
                "rounds": {"wall": wall, "cpu": cpu},
                "diff": diff,
            }
        )
        state = "same" if not diff else "DIFFERENT"
        print(
            f"  {case['id']}: wall {rows[-1]['wall']:.2f}, CPU {rows[-1]['cpu']:.2f}, "
            f"{counts.read}/{counts.total} pieces ({state})",
            file=sys.stderr,
        )
        for line in diff:
            print(f"    {line}", file=sys.stderr)

    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_layout: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_kind[row["label"]].append(row)
        by_layout[row["layout"]].append(row)
    table("kind, language", by_kind)
    print()
    table("layout", by_layout)
    print()
    table("all", {"all OCR reports": rows})
    print("\n| kind, language | right: full | right: passes | wrong, not marked: full | passes |")
    print("|---|---|---|---|---|")
    for label in sorted(tallies):
        a, b = tallies[label]["full"], tallies[label]["passes"]
        print(
            f"| {label} | {a.right}/{a.total} | {b.right}/{b.total} | {a.wrong_sure} | "
            f"{b.wrong_sure} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
