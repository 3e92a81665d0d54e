"""Rebuild the four hand-tuned samples in ``tests/extract/samples/`` (checked in, each < 400 KB).

Why hand-tuned samples next to a generator: people look at these (the reader's developers, a
reviewer, a demo), so each is one plausible patient rather than a random draw: a US portal PDF
of a fatty-liver panel, an Indian lab's PDF with SGPT/SGOT names and mg/dL, a UK trust's scan
of a cholestatic picture with an ambiguous "05/03/2026" collection date (the truth expects no
date), and a phone photo of a Chinese hospital sheet with 丙氨酸氨基转移酶(ALT) and ↑ flags.
They are made by the same code as every fixture, with the draws forced by ``choices``.

    python -m tests.extract.make_samples
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import numpy as np

from tests.extract import imaging
from tests.extract.generate import Case, make_case, render_pdf
from tests.extract.vocab import ANALYTES

SAMPLES = Path(__file__).parent / "samples"
STEADY = {  # no censored values, every range printed, no thousands separators
    **{f"censor:{a}": False for a in ANALYTES},
    **{f"no_range:{a}": False for a in ANALYTES},
    "thousands": False,
    "collected_shown": True,
    "sex_shown": True,
    "age_shown": True,
}


def _day(iso: str) -> int:
    return dt.date.fromisoformat(iso).toordinal()


SPECS: dict[str, dict[str, Any]] = {
    "us_portal": {
        "layout": "us",
        "kind": "text_pdf",
        "seed": 101,
        "look": 3,
        "choices": {
            "sex": "male",
            "age": 52,
            "condition": "fatty",
            "analytes": ["alt", "ast", "alp", "ggt", "bilirubin", "albumin", "platelets"],
            "value:alt": 68,
            "value:ast": 45,
            "value:alp": 92,
            "value:ggt": 71,
            "value:bilirubin": 13.7,
            "value:albumin": 44,
            "value:platelets": 231,
            "flag_style": "HL",
            "date_form": "us",
            "collected_ordinal": _day("2026-03-14"),
            "dob": True,
            "unit:enzyme": ("U/L", "U/L"),
            "unit:platelets": ("x10^3/uL", "10^3/uL"),
            "range:alt": (0, 44),
            "upper_only:alt": False,
            "upper_only:ast": False,
            "upper_names": False,
            "range:ast": (0, 40),
            "two_form": "dash",
        },
    },
    "india_lab": {
        "layout": "india",
        "kind": "text_pdf",
        "seed": 202,
        "look": 5,
        "choices": {
            "sex": "female",
            "age": 38,
            "condition": "fatty",
            "analytes": ["alt", "ast", "alp", "ggt", "bilirubin", "direct_bilirubin", "albumin"],
            "value:alt": 47,
            "value:ast": 36,
            "value:alp": 118,
            "value:ggt": 52,
            "value:bilirubin": 24.0,
            "value:direct_bilirubin": 3.4,
            "value:albumin": 41,
            "flag_style": "HL",
            "date_form": "dmon_slash",
            "collected_ordinal": _day("2026-02-09"),
            "unit:enzyme": ("U/L", "U/L"),
            "dp:enzyme": 0,
            "two_form": "spaced",
            "upper_form": "upto",
        },
    },
    "uk_scan": {
        "layout": "uk",
        "kind": "scan",
        "seed": 303,
        "look": 2,
        "choices": {
            "sex": "female",
            "age": 67,
            "condition": "cholestasis",
            "analytes": ["alt", "alp", "ggt", "bilirubin", "albumin", "inr"],
            "value:alt": 88,
            "value:alp": 412,
            "value:ggt": 380,
            "value:bilirubin": 34,
            "value:albumin": 36,
            "value:inr": 1.0,
            "flag_style": "HL",
            "date_form": "uk",
            "collected_ordinal": _day("2026-03-05"),
            "unit:enzyme": ("U/L", "U/L"),
            "unit:bilirubin": ("umol/L", "umol/L"),
            "dp:bilirubin": 0,
            "two_form": "paren",
        },
    },
    "cn_hospital_photo": {
        "layout": "cn_hospital",
        "kind": "photo",
        "seed": 404,
        "look": 7,
        "choices": {
            "sex": "male",
            "age": 45,
            "condition": "hepatitis",
            "analytes": "alt ast alp ggt bilirubin direct_bilirubin albumin bile_acids".split(),
            "value:alt": 156.3,
            "value:ast": 98.7,
            "value:alp": 102,
            "value:ggt": 88.4,
            "value:bilirubin": 24.6,
            "value:direct_bilirubin": 9.1,
            "value:albumin": 38.2,
            "value:bile_acids": 18.5,
            "flag_style": "arrow",
            "date_form": "iso",
            "collected_ordinal": _day("2026-03-14"),
            "dp:enzyme": 1,
            "range:bilirubin": (0, 23),
            "two_form": "dash",
        },
    },
}


def build(name: str, spec: dict[str, Any], out: Path = SAMPLES) -> Case:
    case = make_case(
        random.Random(spec["seed"]),
        spec["layout"],
        choices={**STEADY, **spec["choices"]},
        case_id=name,
    )
    pdf = render_pdf(case, random.Random(spec["look"]))
    nrng = np.random.default_rng(spec["seed"])
    if spec["kind"] == "text_pdf":
        files = {f"{name}.pdf": pdf}
    elif spec["kind"] == "scan":
        page = imaging.rasterize(pdf, 150)[0]
        files = {f"{name}.jpg": imaging.scan(page, nrng, quality=62)}
    else:
        files = {f"{name}.jpg": imaging.photo(pdf, 0, nrng, quality=72, long_side=1800)}
    out.mkdir(parents=True, exist_ok=True)
    for file_name, data in files.items():
        (out / file_name).write_bytes(data)
    case.kind, case.files = spec["kind"], sorted(files)
    text = json.dumps(case.to_dict(), ensure_ascii=False, indent=1) + "\n"
    (out / f"{name}.truth.json").write_text(text)
    return case


def main() -> None:
    for name, spec in SPECS.items():
        case = build(name, spec)
        sizes = ", ".join(f"{f} {(SAMPLES / f).stat().st_size // 1024} KB" for f in case.files)
        print(f"{name}: {sizes}")


if __name__ == "__main__":
    main()
