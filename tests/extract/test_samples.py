"""The whole path on the hand-made samples: a portal PDF, an Indian lab PDF, a UK scan and a
photo of a Chinese hospital sheet, each with its truth (tests/extract/samples/*.truth.json).

Scored with the benchmark's own rules (benchmarks/extract.py ``score``), so "right" means one
thing everywhere. What is asserted is what the product promises: every value on a text PDF
right; on the photo and the scan most values right, and a wrong value never shown without the
"please check" mark.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from benchmarks.extract import Tally, score

from liverlens.extract import Extraction, read_report

SAMPLES = Path(__file__).parent / "samples"
CASES = sorted(SAMPLES.glob("*.truth.json"))
Sample = tuple[dict[str, Any], Extraction, Tally]


def _read(truth_file: Path) -> tuple[dict[str, Any], Extraction]:
    case = json.loads(truth_file.read_text(encoding="utf-8"))
    files = [(name, (SAMPLES / name).read_bytes()) for name in case["files"]]
    return case, read_report(files)


@pytest.fixture(scope="module")
def read_samples() -> dict[str, Sample]:
    out = {}
    for path in CASES:
        case, found = _read(path)
        tally = Tally()
        score(case, found, tally)
        out[path.name.removesuffix(".truth.json")] = (case, found, tally)
    return out


def test_there_are_samples_of_each_kind() -> None:
    kinds = {json.loads(p.read_text(encoding="utf-8"))["kind"] for p in CASES}
    assert {"text_pdf", "scan", "photo"} <= kinds


@pytest.mark.parametrize("name", ["us_portal", "india_lab"])
def test_text_pdfs_read_every_value_right(read_samples: dict[str, Sample], name: str) -> None:
    case, found, tally = read_samples[name]
    assert tally.right == len(case["labs"]), found.to_dict()["labs"]
    assert tally.wrong == 0 and tally.missed == 0
    assert tally.limits_right == tally.limits_total


@pytest.mark.parametrize("name", ["uk_scan", "cn_hospital_photo"])
def test_photos_and_scans_never_show_a_wrong_value_unmarked(
    read_samples: dict[str, Sample], name: str
) -> None:
    case, found, tally = read_samples[name]
    assert tally.wrong_sure == 0, found.to_dict()["fields"]
    assert tally.right >= 0.8 * len(case["labs"]), (tally, found.to_dict()["labs"])


def test_the_photo_gives_snippets_of_the_page(read_samples: dict[str, Sample]) -> None:
    from liverlens.extract import snippet_png

    _, found, _ = read_samples["cn_hospital_photo"]
    png = snippet_png(found, found.fields[0])
    assert png is not None and png.startswith(b"\x89PNG")


@pytest.mark.parametrize("name", [p.name.removesuffix(".truth.json") for p in CASES])
def test_reading_in_passes_reads_what_the_full_pass_reads(
    read_samples: dict[str, Sample], name: str
) -> None:
    """RapidOCR recognising only the crops that matter (``ocr_passes``) reads every field,
    every unread line and the header exactly as recognising every crop does (the samples
    were read above the default way; here the other)."""
    from liverlens.extract import ocr_passes

    case, found, _ = read_samples[name]
    files = [(n, (SAMPLES / n).read_bytes()) for n in case["files"]]
    assert read_report(files, passes=not ocr_passes.BY_DEFAULT) == found
