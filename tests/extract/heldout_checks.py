"""Checks every held-out set's generator tests share: each kind renders, and the set's seed
deals patients no earlier set's seed dealt into its layouts (``test_heldout6.py`` ...).

Why shared: each set's tests were written blind, one after another, and had grown the same
two checks three times; a set differs only in its pool, layouts and seeds.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from pathlib import Path

import pdfplumber
from PIL import Image

from tests.extract.generate import KINDS, generate, make_case


def pdf_text(path: Path) -> str:
    """A PDF's text layer, page after page ("" for an image-only page)."""
    with pdfplumber.open(path) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def check_every_kind_renders(tmp_path: Path, pool: str, layouts: Iterable[str]) -> None:
    """Every layout of ``pool`` renders as every kind: PDFs with a text layer exactly when
    they are text PDFs, photos and scans as JPEGs of a phone's size."""
    cases = generate(tmp_path, count=8, seed=5, kinds=list(KINDS), pool=pool)
    assert {(c.layout, c.kind) for c in cases} == {(n, k) for n in layouts for k in KINDS}
    for case in cases:
        assert case.files and all((tmp_path / f).stat().st_size > 5_000 for f in case.files)
        if case.kind in ("text_pdf", "image_pdf"):
            text = pdf_text(tmp_path / case.files[0])
            assert bool(text.strip()) == (case.kind == "text_pdf"), case.id
        else:
            for name in case.files:
                with Image.open(tmp_path / name) as image:
                    assert image.format == "JPEG" and 1200 <= max(image.size) <= 2400


def dealt_patients(layout: str, seed: int, language: str) -> set[tuple[object, ...]]:
    """The 64 patients (age, condition, values) a benchmark run deals into ``layout``."""
    out = set()
    for i in range(64):
        case = make_case(random.Random(seed * 1_000_003 + i), layout, language=language)
        values = tuple((a, lab["value"]) for a, lab in sorted(case.labs.items()))
        out.add((case.age, case.style["condition"], values))
    return out


def check_new_patients(languages: Mapping[str, str], seed: int, earlier: Iterable[int]) -> None:
    """A case's draws come from its seed alone, so an earlier set's seed would deal that set's
    patients into these layouts: ``seed`` deals patients no ``earlier`` seed dealt."""
    earlier = set(earlier)
    assert seed not in earlier
    for layout, language in languages.items():
        mine = dealt_patients(layout, seed, language)
        assert len(mine) > 60
        for other in earlier:
            assert not mine & dealt_patients(layout, other, language), (layout, other)
