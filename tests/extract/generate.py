"""Synthetic lab reports with their truth, for testing and benchmarking the lab-report reader.

Why synthetic: real reports carry patients' data and cannot be shipped, and a benchmark has to
be rerun by anyone on the same bytes. Why drawn rather than hand-written: a reader tuned on ten
fixtures learns ten fixtures; drawing names, units, ranges, flags, dates and layouts from what
laboratories really print (``vocab.py``, ``profiles.py``) gives as many different pages as a
benchmark needs, each with the answer known exactly, because every printed number is made from
the truth rather than the other way round.

A case is deterministic from its seed (``random.Random`` for the words, ``numpy`` for the image
noise), so ``generate`` with the same arguments writes the same truth and the same images.

Usage::

    python -m tests.extract.generate --out /tmp/reports --count 40 --seed 1
    python -m tests.extract.generate --out /tmp/held --count 20 --seed 2 --heldout \\
        --kinds text_pdf,photo
    python -m tests.extract.generate --out /tmp/held2 --count 20 --seed 700001 --heldout2
    python -m tests.extract.generate --out /tmp/held3 --count 20 --seed 500001 --heldout3
    python -m tests.extract.generate --out /tmp/held4 --count 20 --seed 300001 --heldout4
    python -m tests.extract.generate --out /tmp/held5 --count 20 --seed 400001 --heldout5
    python -m tests.extract.generate --out /tmp/held6 --count 20 --seed 600001 --heldout6
    python -m tests.extract.generate --out /tmp/held7 --count 20 --seed 800001 --heldout7
    python -m tests.extract.generate --out /tmp/held8 --count 20 --seed 1000001 --heldout8
    python -m tests.extract.generate --out /tmp/held9 --count 20 --seed 1100001 --heldout9
    python -m tests.extract.generate --out /tmp/held10 --count 20 --seed 1300001 --heldout10
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tests.extract import imaging, layouts, panels
from tests.extract.draw import (
    CONDITIONS,
    PRESENT,
    Picker,
    draw_canonical,
    draw_header,
    lab_row,
    other_rows,
    weighted,
)
from tests.extract.heldout import HELDOUT
from tests.extract.heldout2 import HELDOUT2
from tests.extract.heldout3 import HELDOUT3
from tests.extract.heldout4 import HELDOUT4
from tests.extract.heldout5 import HELDOUT5
from tests.extract.heldout6 import HELDOUT6
from tests.extract.heldout7 import HELDOUT7
from tests.extract.heldout8 import HELDOUT8
from tests.extract.heldout9 import HELDOUT9
from tests.extract.heldout10 import HELDOUT10
from tests.extract.layouts import Layout
from tests.extract.layouts_cumulative import render_cumulative
from tests.extract.profiles import PROFILES
from tests.extract.vocab import ANALYTES, CORE, FAMILY, VALUE_DP

KINDS = ("text_pdf", "image_pdf", "scan", "photo")
_P = PROFILES
LAYOUTS: dict[str, Layout] = {
    "us": Layout("us", {"en": (_P["us"],)}, "lft", layouts.render_us),
    "uk": Layout("uk", {"en": (_P["uk"],)}, "lft", layouts.render_uk),
    "india": Layout("india", {"en": (_P["india"],)}, "lft", layouts.render_india),
    "cn_hospital": Layout("cn_hospital", {"zh": (_P["cn"],)}, "lft", panels.render_cn_hospital),
    "big_panel": Layout(
        "big_panel",
        {"en": (_P["us"], _P["uk"], _P["india"]), "zh": (_P["cn"],)},
        "big",
        panels.render_big_panel,
    ),
    "two_pages": Layout(
        "two_pages",
        {"en": (_P["uk"], _P["us"]), "zh": (_P["cn"],)},
        "long",
        panels.render_two_pages,
        min_analytes=4,
    ),
    "two_columns": Layout(
        "two_columns",
        {"en": (_P["uk"], _P["us"], _P["india"]), "zh": (_P["cn"],)},
        "lft",
        panels.render_two_columns,
        min_analytes=3,
    ),
    "europe": Layout("europe", {"en": (_P["europe"],)}, "lft", layouts.render_europe),
    "cumulative": Layout(
        "cumulative", {"en": (_P["us"], _P["uk"]), "zh": (_P["cn"],)}, "lft", render_cumulative
    ),
}


# The layout sets ``generate`` deals from: the development layouts, the first held-out set
# (which the reader's developers have since looked at), the second, the third, the fourth, the
# fifth, the sixth, the seventh, the eighth, the ninth, and the tenth, the newest.
POOLS: dict[str, dict[str, Layout]] = {
    "dev": LAYOUTS,
    "heldout": HELDOUT,
    "heldout2": HELDOUT2,
    "heldout3": HELDOUT3,
    "heldout4": HELDOUT4,
    "heldout5": HELDOUT5,
    "heldout6": HELDOUT6,
    "heldout7": HELDOUT7,
    "heldout8": HELDOUT8,
    "heldout9": HELDOUT9,
    "heldout10": HELDOUT10,
}


def layout_by_name(name: str) -> Layout:
    found = next((pool[name] for pool in POOLS.values() if name in pool), None)
    if found is None:
        raise KeyError(f"unknown layout {name!r}")
    return found


@dataclass
class Case:
    """One report's truth: what a perfect reader returns, and what was printed, for debugging.

    ``labs`` is the LiverLens input contract (analyte -> value, contract unit spelling, limits,
    comparator); ``flags`` holds "high"/"low" for the rows the page marks; ``printed`` holds,
    per analyte, the name, value, unit, range and flag texts exactly as on the page; ``others``
    the non-liver rows around them; ``header`` the patient block as printed. ``collected_on``
    is the collection date whenever one is printed; ``expected_collected_on`` only when its
    printed form cannot be misread (a month name, the year first, a day over 12, day == month,
    or a dotted "05.03.2026", which is day first wherever it is printed), because "03/04/2026"
    is a guess either way and a reader should leave it to a person.
    """

    id: str
    layout: str
    language: str
    labs: dict[str, dict[str, Any]]
    sex: str | None
    age: int | None
    collected_on: str | None
    expected_collected_on: str | None
    printed: dict[str, dict[str, str]]
    flags: dict[str, str] = field(default_factory=dict)
    header: dict[str, Any] = field(default_factory=dict)
    others: list[dict[str, str]] = field(default_factory=list)
    style: dict[str, Any] = field(default_factory=dict)
    kind: str = ""
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Case:
        return cls(**dict(data))


def make_case(
    rng: random.Random,
    layout: str,
    *,
    language: str | None = None,
    choices: Mapping[str, Any] | None = None,
    case_id: str = "",
) -> Case:
    """Draw one report for ``layout``. ``choices`` forces any draw by its key (see ``Picker``):
    "language", "profile", "sex", "age", "condition", "analytes", "flag_style", "date_form",
    "unit:<family>", "dp:<family>", "name:<analyte>", "value:<analyte>" (canonical units)..."""
    spec = layout_by_name(layout)
    pick = Picker(rng, choices)
    language = language or pick.choice("language", sorted(spec.profiles))
    profiles = {p.name: p for p in spec.profiles[language]}
    profile = profiles[pick.choice("profile", sorted(profiles))]
    sex = pick.choice("sex", spec.sexes)
    age = int(pick.value("age", rng.choice(range(spec.ages[0], spec.ages[1] + 1))))
    condition = pick.forced.get("condition") or weighted(rng, CONDITIONS)
    canonical = draw_canonical(rng, condition, sex)
    chosen = pick.forced.get("analytes") or [
        a for a in ANALYTES if rng.random() < PRESENT[a] or a in profile.panel
    ]
    while len(chosen) < spec.min_analytes:
        chosen = [*chosen, rng.choice([a for a in CORE if a not in chosen])]
    chosen = [a for a in ANALYTES if a in chosen]
    forms = (
        pick.choice("two_form", profile.two_forms),
        pick.choice("upper_form", profile.upper_forms),
    )
    flag_style = pick.choice("flag_style", profile.flag_styles)
    if flag_style == "word":
        flag_style = pick.choice("flag_words", ("word", "Word"))
    units = {
        fam: pick.choice(f"unit:{fam}", profile.units[fam]) for fam in sorted(set(FAMILY.values()))
    }
    dps = {
        fam: pick.choice(f"dp:{fam}", profile.dp.get(fam) or VALUE_DP.get((fam, unit[1]), (0,)))
        for fam, unit in units.items()
    }
    if units["enzyme"][1] == "ukat/L":
        dps["enzyme"] = 2
    name_style = pick.choice("name_style", profile.name_styles) if profile.name_styles else None
    labs, printed, flags = {}, {}, {}
    for analyte in chosen:
        fam = FAMILY[analyte]
        lab, row, way = lab_row(
            pick, profile, analyte, canonical[analyte], sex,
            unit=units[fam], dp=dps[fam], flag_style=flag_style, forms=forms,
            name_style=name_style,
        )  # fmt: skip
        labs[analyte], printed[analyte] = lab, row
        if way:
            flags[analyte] = way
    others = other_rows(rng, profile, spec.panel, labs, flag_style, forms[0])
    restyle = name_restyler(
        name_style,
        upper=pick.chance("upper_names", profile.upper_names),
        fullwidth=language == "zh" and pick.chance("fullwidth", 0.3),
    )
    for row in [*printed.values(), *others]:
        row["name"] = restyle(row["name"], "analyte" in row)
    shown = 0.98 if language == "zh" else 0.9
    header, collected_on, expected = draw_header(
        pick, profile, sex, age,
        sex_shown=pick.chance("sex_shown", shown), age_shown=pick.chance("age_shown", shown),
    )  # fmt: skip
    return Case(
        id=case_id or f"{layout}-{language}",
        layout=layout,
        language=language,
        labs=labs,
        sex=sex if header["sex"] else None,
        age=age if header["age"] else None,
        collected_on=collected_on,
        expected_collected_on=expected,
        printed=printed,
        flags=flags,
        header=header,
        others=others,
        style={
            "profile": profile.name,
            "condition": condition,
            "flag_style": flag_style,
            "range_forms": list(forms),
            "date_form": header["collected"]["form"] if header["collected"] else None,
            "units": {fam: unit[0] for fam, unit in units.items()},
        },
    )


def name_restyler(style: int | None, *, upper: bool, fullwidth: bool) -> Callable[[str, bool], str]:
    """One report's naming applied to every row: "总蛋白(TP)" becomes "TP 总蛋白" or "总蛋白"
    beside style-1 or style-2 liver names, capitals throughout, or full-width brackets."""

    def restyle(name: str, is_liver: bool) -> str:
        if not is_liver and style in (1, 2) and (m := re.fullmatch(r"(.+)\((.+)\)", name)):
            name = f"{m[2]} {m[1]}" if style == 1 else m[1]
        if upper:
            name = name.upper()
        if fullwidth:
            name = name.replace("(", "（").replace(")", "）")
        return name

    return restyle


@functools.cache
def _cjk_font_check() -> None:
    """Fail with the cause when no Simplified Chinese font is installed: WeasyPrint draws
    Chinese as blank boxes, and every Chinese report's checks fail on missing text (as on a
    machine set up without ``.ci/run``)."""
    found = subprocess.run(["fc-list", ":lang=zh-cn"], capture_output=True, text=True).stdout
    if not found.strip():
        raise RuntimeError(
            "no Simplified Chinese font: install fonts-noto-cjk (.ci/run installs it) to render "
            "the Chinese test reports"
        )


def render_pdf(case: Case, rng: random.Random) -> bytes:
    """The case's layout as a PDF with a text layer (WeasyPrint)."""
    import weasyprint  # here: slow to import, and only rendering needs it

    if case.language == "zh":
        _cjk_font_check()
    html = layout_by_name(case.layout).render(case, rng)
    return bytes(weasyprint.HTML(string=html).write_pdf())


def write_kind(out: Path, stem: str, kind: str, pdf: bytes, nrng: np.random.Generator) -> list[str]:
    """Write ``pdf`` as ``kind``; returns the file names (one per page for images)."""
    if kind == "text_pdf":
        (out / f"{stem}.pdf").write_bytes(pdf)
        return [f"{stem}.pdf"]
    if kind == "image_pdf":
        (out / f"{stem}.pdf").write_bytes(imaging.image_pdf(pdf, dpi=200))
        return [f"{stem}.pdf"]
    pages = len(imaging.page_sizes(pdf))
    names = [f"{stem}.jpg"] if pages == 1 else [f"{stem}-p{i + 1}.jpg" for i in range(pages)]
    if kind == "scan":
        dpi = int(nrng.integers(150, 201))
        for name, page in zip(names, imaging.rasterize(pdf, dpi), strict=True):
            (out / name).write_bytes(imaging.scan(page, nrng))
    elif kind == "photo":
        for i, name in enumerate(names):
            (out / name).write_bytes(imaging.photo(pdf, i, nrng))
    else:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    return names


def generate(
    out_dir: Path,
    *,
    count: int,
    seed: int,
    kinds: Sequence[str] = ("text_pdf",),
    languages: Sequence[str] = ("en", "zh"),
    layouts: Sequence[str] | None = None,
    heldout: bool = False,
    timings: dict[str, list[float]] | None = None,
    pool: str | None = None,
) -> list[Case]:
    """Write ``count`` reports and ``truth.json`` into ``out_dir``.

    Kinds and layouts are dealt in turn (case i is kind ``i % len(kinds)`` of layout
    ``(i // len(kinds)) % len(layouts)``) so a small set still covers every pair. Case i's
    draws depend only on ``seed`` and i, so adding kinds or cases leaves the others unchanged.
    ``heldout`` uses the held-out layouts instead of the ones the reader is developed on;
    ``pool`` ("dev", "heldout", "heldout2" ... "heldout10", a key of ``POOLS``), when
    given, names the set outright and ``heldout`` is then ignored."""
    for kind in kinds:
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    if pool is not None and pool not in POOLS:
        raise ValueError(f"unknown pool {pool!r}; one of {', '.join(POOLS)}")
    chosen = POOLS[pool] if pool is not None else HELDOUT if heldout else LAYOUTS
    names = list(layouts or chosen)
    names = [n for n in names if set(layout_by_name(n).profiles) & set(languages)]
    if not names:
        raise ValueError("no layout prints any of the languages asked for")
    out_dir.mkdir(parents=True, exist_ok=True)
    cases = []
    for i in range(count):
        kind, name = kinds[i % len(kinds)], names[(i // len(kinds)) % len(names)]
        case_seed = seed * 1_000_003 + i
        rng = random.Random(case_seed)
        langs = [lang for lang in sorted(layout_by_name(name).profiles) if lang in languages]
        language = langs[rng.randrange(len(langs))]
        case = make_case(rng, name, language=language, case_id=f"{name}-{language}-{seed}-{i:04d}")
        started = time.perf_counter()
        pdf = render_pdf(case, random.Random(case_seed ^ 0x5EED))
        case.kind = kind
        case.files = write_kind(out_dir, case.id, kind, pdf, np.random.default_rng(case_seed))
        if timings is not None:
            timings.setdefault(kind, []).append(time.perf_counter() - started)
        cases.append(case)
    truth = [c.to_dict() for c in cases]
    (out_dir / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n")
    return cases


HELD_FLAGS = tuple(f"heldout{n}" for n in range(2, 11))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--kinds", default="text_pdf", help=f"comma-separated: {','.join(KINDS)}")
    parser.add_argument("--languages", default="en,zh")
    parser.add_argument("--layouts", default=None, help="comma-separated layout names")
    held = parser.add_mutually_exclusive_group()
    held.add_argument("--heldout", action="store_true", help="the held-out layouts only")
    held.add_argument("--heldout2", action="store_true", help="the second held-out layouts only")
    held.add_argument("--heldout3", action="store_true", help="the third held-out layouts only")
    held.add_argument("--heldout4", action="store_true", help="the fourth held-out layouts only")
    held.add_argument("--heldout5", action="store_true", help="the fifth held-out layouts only")
    held.add_argument("--heldout6", action="store_true", help="the sixth held-out layouts only")
    held.add_argument("--heldout7", action="store_true", help="the seventh held-out layouts only")
    held.add_argument("--heldout8", action="store_true", help="the eighth held-out layouts only")
    held.add_argument("--heldout9", action="store_true", help="the ninth held-out layouts only")
    held.add_argument(
        "--heldout10", action="store_true", help="the tenth (newest, unseen) held-out layouts only"
    )
    args = parser.parse_args(argv)
    timings: dict[str, list[float]] = {}
    cases = generate(
        args.out,
        count=args.count,
        seed=args.seed,
        kinds=args.kinds.split(","),
        languages=args.languages.split(","),
        layouts=args.layouts.split(",") if args.layouts else None,
        heldout=args.heldout,
        timings=timings,
        pool=next((p for p in HELD_FLAGS if getattr(args, p)), None),
    )
    for kind, secs in timings.items():
        print(f"{kind}: {len(secs)} files, {sum(secs) / len(secs):.2f} s each")
    print(f"{len(cases)} cases, truth in {args.out / 'truth.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
