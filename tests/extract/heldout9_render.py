"""The ninth held-out set's pages (see ``heldout9.py``; the same rule: do not read or tune on
these when working on the reader).

A renderer only arranges what the case says was printed. What it adds around the drawn rows
(ferritin, vitamins, a cholesterol ratio, comments, a summary, identifiers) comes from the
case's own numbers or the render RNG and never holds a LiverLens test the truth does not know
about. The kiosk slips (``heldout_r``) are in ``heldout9_kiosk.py``; the rows both add are made
by ``extra_row`` here.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests.extract.draw import direction
from tests.extract.layouts import (
    Row,
    dates,
    digits,
    document,
    esc,
    font_for,
    key_of,
    page_css,
    sections,
)
from tests.extract.vocab import FLAG_TEXT, format_number, format_range

if TYPE_CHECKING:
    from tests.extract.generate import Case

Bounds = tuple[float | None, float]


def _number(text: str) -> float | None:
    try:
        return float(text.lstrip("<> ").replace(",", ""))
    except ValueError:
        return None


def limits(range_text: str) -> tuple[float | None, float | None]:
    """The (lower, upper) limits a printed range means ("Below 40" and "<40": no lower)."""
    nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", range_text)]
    if len(nums) == 2:
        return nums[0], nums[1]
    if len(nums) == 1 and range_text.lstrip().startswith(">"):
        return nums[0], None
    return (None, nums[0]) if nums else (None, None)


def extra_row(case: Case, key: str, name: str, value: float, dp: int, unit: str,
           bounds: Bounds | None, section: str = "x", gt: bool = False) -> Row:  # fmt: skip
    """A row the page adds (not a LiverLens test), written and flagged in the report's style;
    ``gt``: the bound is a lower limit printed alone ("> 60", an eGFR)."""
    value = max(round(value, dp), 10.0**-dp)
    text, way = "", ""
    if bounds is not None:
        lo, hi = bounds
        forms = case.style["range_forms"]
        hi_t = format_number(hi, dp)
        if gt:
            text = f">{hi_t}" if forms[0] == "dash" else f"> {hi_t}"
            way = direction(value, None, hi, None)
        elif lo is None:
            text, way = format_range(forms[1], "0", hi_t), direction(value, None, None, hi)
        else:
            text = format_range(forms[0], format_number(lo, dp), hi_t)
            way = direction(value, None, lo, hi)
    high, low = FLAG_TEXT[case.style["flag_style"]]
    return {"key": key, "name": name, "value": format_number(value, dp), "unit": unit,
            "range": text, "flag": high if way == "high" else low if way == "low" else "",
            "section": section}  # fmt: skip


# --- heldout_q: a home blood test's results dashboard, saved as PDF ---------------------------

BRANDS_Q = {  # (brand, partner laboratory, accreditation) per flavour
    "uk": (("Hemora", "Calder Pathology Partnership", "UKAS-accredited medical laboratory No. 9"),
           ("Vellum Health", "Severn Valley Laboratories", "UKAS-accredited medical laboratory "
            "No. 8"), ("Kindred Bloods", "Alder Diagnostics Ltd", "ISO 15189, UKAS No. 9")),
    "us": (("Brightvial", "Westlake Clinical Laboratory", "CLIA #05D"),
           ("Labwise Home", "Prairie Reference Labs", "CLIA #14D"),
           ("Clearpanel", "Coastal Diagnostic Services", "CAP-accredited, CLIA #10D")),
}  # fmt: skip
KITS_Q = {"home_uk_liver": ("Liver Function Blood Test", "Liver Health Check"),
          "home_uk_well": ("Advanced Well Person Blood Test", "Ultimate Health Check"),
          "home_us_liver": ("Liver Health Test", "Liver Function Panel"),
          "home_us_well": ("Comprehensive Wellness Test", "Annual Health Panel")}  # fmt: skip
DOCTORS_Q = {"uk": ("Dr Helen Marsh", "Dr Samir Qureshi", "Dr Fiona Ridley", "Dr Tom Achebe"),
             "us": ("Dr. Laura Chen, MD", "Dr. Marcus Bell, DO", "Dr. Anita Rao, MD")}  # fmt: skip
SECTION_Q = {  # a card's section: analytes, ``vocab.OTHERS`` keys and the page's own rows
    **dict.fromkeys(("alt", "ast", "alp", "ggt", "bilirubin", "direct_bilirubin", "albumin",
                     "bile_acids", "total_protein", "globulin", "ag_ratio", "ibil", "ldh",
                     "prealbumin", "cholinesterase"), "liver"),
    **dict.fromkeys(("creatinine", "urea", "egfr", "sodium", "potassium", "chloride",
                     "bicarbonate", "uric_acid"), "kidney"),
    **dict.fromkeys(("platelets", "haemoglobin", "wbc", "rbc", "mcv"), "blood"),
    **dict.fromkeys(("cholesterol", "hdl", "ldl", "triglycerides", "x_ratio"), "heart"),
    **dict.fromkeys(("glucose", "hba1c"), "diabetes"),
    **dict.fromkeys(("tsh", "ft4"), "thyroid"),
    **dict.fromkeys(("calcium", "phosphate", "magnesium"), "bone"),
    **dict.fromkeys(("inr", "pt"), "clotting"),
    **dict.fromkeys(("x_ferritin", "x_iron", "x_tsat"), "iron"),
    **dict.fromkeys(("x_vitd", "x_b12"), "vitamins"),
    "crp": "inflammation", "ck": "muscle",
}  # fmt: skip
TITLES_Q = {  # aligned: one report titles every section in one style
    "liver": ("Liver health", "Liver function"), "kidney": ("Kidney health", "Kidney function"),
    "blood": ("Blood count", "Full blood count"), "heart": ("Heart health", "Cholesterol"),
    "diabetes": ("Diabetes", "Blood sugar"), "thyroid": ("Thyroid", "Thyroid health"),
    "bone": ("Bone health", "Minerals"), "clotting": ("Clotting", "Blood clotting"),
    "iron": ("Iron status", "Iron"), "vitamins": ("Vitamins", "Vitamins"),
    "inflammation": ("Inflammation", "Inflammation"), "muscle": ("Muscle health", "Muscle"),
}  # fmt: skip
BLURBS_Q = {
    "liver": "How well your liver is working, and whether it is under strain.",
    "kidney": "How well your kidneys are filtering waste from your blood.",
    "blood": "The cells that carry oxygen, fight infection and help your blood clot.",
    "heart": "The fats in your blood that affect your risk of heart disease.",
    "diabetes": "Your average blood sugar over the last 2 to 3 months.",
    "thyroid": "The gland that sets how fast your body uses energy.",
    "bone": "Minerals your bones, nerves and muscles need.",
    "clotting": "How quickly your blood forms a clot.",
    "iron": "Your body's stores of iron, needed to make red blood cells.",
    "vitamins": "Vitamins many people in the UK and US run low on in winter.",
    "inflammation": "A general marker of inflammation anywhere in the body.",
    "muscle": "An enzyme released by muscles, raised after hard exercise.",
}
ORDER_Q: tuple[str, ...] = (
    "alt",
    "alp",
    "ggt",
    "ast",
    "bilirubin",
    "direct_bilirubin",
    "ibil",
    "albumin",
)
ORDER_Q += ("total_protein", "globulin", "ag_ratio", "bile_acids")
SHORT_Q = {"alt": "ALT", "ast": "AST", "alp": "ALP", "ggt": "GGT", "bilirubin": "bilirubin",
           "direct_bilirubin": "direct bilirubin", "albumin": "albumin", "inr": "INR",
           "platelets": "platelet count", "ck": "CK", "creatinine": "creatinine",
           "sodium": "sodium", "bile_acids": "bile acid level"}  # fmt: skip
# the page's own rows: key -> (UK name, unit, US name, unit, log-median, sd, dp, bounds M, F)
EXTRAS_Q = {
    "x_ferritin": ("Ferritin", "ug/L", "Ferritin", "ng/mL", 110, 0.6, 0, (30, 400), (13, 150)),
    "x_iron": ("Serum iron", "umol/L", "Iron, Serum", "ug/dL", 18, 0.3, 1, (5.8, 34.5),
               (5.8, 34.5)),
    "x_tsat": ("Transferrin saturation", "%", "Transferrin Saturation", "%", 30, 0.3, 0,
               (20, 50), (15, 50)),
    "x_vitd": ("Vitamin D (25-OH)", "nmol/L", "Vitamin D, 25-Hydroxy", "ng/mL", 60, 0.4, 0,
               (50, 175), (50, 175)),
    "x_b12": ("Vitamin B12", "ng/L", "Vitamin B12", "pg/mL", 420, 0.35, 0, (197, 771),
              (197, 771)),
}  # fmt: skip
US_SCALE = {"x_iron": (5.585, 0, (38, 169), (33, 165)), "x_vitd": (0.4, 1, (30, 100), (30, 100)),
            "x_b12": (1.0, 0, (232, 1245), (232, 1245))}  # fmt: skip
RBC_UNIT = {"x10E3/uL": "x10E6/uL", "K/uL": "M/uL", "x10^3/uL": "x10^6/uL"}
RATIO_NAMES = {"uk": "Total cholesterol : HDL ratio", "us": "Chol/HDL Ratio"}
# every name a card may carry that is not drawn from the profile (for the generator's tests)
EXTRA_NAMES_Q = {n for e in EXTRAS_Q.values() for n in (e[0], e[2])} | set(RATIO_NAMES.values())


@dataclass(frozen=True)
class Look:
    """One report's card style: ``cols`` cards to a row (0: one card laid out across the
    page), whether in-range values near the top say "Borderline", the bar's limits printed
    under it, the status on the name's line (else after the unit), the unit after the range,
    a doctor's sentence per card, and the range's label ("Range:", "Normal range")."""

    cols: int
    borderline: bool
    bar_labels: bool
    badge_top: bool
    unit_again: bool
    comments: bool
    label: str


def _flavour(case: Case) -> str:
    return "us" if case.style["profile"].startswith("home_us") else "uk"


def _cards_q(case: Case, rng: random.Random) -> list[Row]:
    """The printed rows as the dashboard shows them (copies: HbA1c in mmol/mol on UK kits,
    eGFR against "> 60", blood counts in the platelets' unit style) and the page's own rows."""
    us, well = _flavour(case) == "us", case.style["profile"].endswith("_well")
    rows = {key_of(r): dict(r) for _, rs in sections(case) for r in rs}
    if "hba1c" in rows and not us and (pct := _number(rows["hba1c"]["value"])) is not None:
        rows["hba1c"] = extra_row(case, "hba1c", rows["hba1c"]["name"], (pct - 2.15) * 10.929, 0,
                               "mmol/mol", (20, 41))  # fmt: skip
    if "egfr" in rows:
        egfr = _number(rows["egfr"]["value"]) or 90.0
        rows["egfr"] = extra_row(
            case, "egfr", "eGFR", egfr, 0, "mL/min/1.73m2", (None, 60), gt=True
        )
    plt = case.printed.get("platelets", {}).get("unit", "x10E3/uL" if us else "x10^9/L")
    if "wbc" in rows:
        rows["wbc"]["unit"] = plt
    if "rbc" in rows:
        rows["rbc"]["unit"] = RBC_UNIT.get(plt, "x10^12/L")
    chol, hdl = (_number(rows[k]["value"]) if k in rows else None for k in ("cholesterol", "hdl"))
    if chol and hdl and rng.random() < 0.7:
        name = RATIO_NAMES["us" if us else "uk"]
        rows["x_ratio"] = extra_row(case, "x_ratio", name, chol / hdl, 1, "", (None, 5.0))
    wanted = ["x_ferritin", "x_vitd"] + (["x_b12"] if rng.random() < 0.5 else []) if well else []
    wanted += ["x_vitd"] if not well and rng.random() < 0.2 else []
    wanted += ["x_iron", "x_tsat"] if well and rng.random() < 0.4 else []
    female = case.sex == "female" if case.sex else rng.random() < 0.5
    for key in dict.fromkeys(wanted):
        uk_name, uk_unit, us_name, us_unit, median, sd, dp, b_m, b_f = EXTRAS_Q[key]
        value = median * rng.lognormvariate(0, sd)
        name, unit, bounds = (us_name, us_unit, b_f if female else b_m) if us else (
            uk_name, uk_unit, b_f if female else b_m)  # fmt: skip
        if us and key in US_SCALE:
            scale, dp, us_m, us_f = US_SCALE[key]
            value, bounds = value * scale, (us_f if female else us_m)
        rows[key] = extra_row(case, key, name, value, dp, unit, bounds)
    order = {k: i for i, k in enumerate(ORDER_Q)}
    return sorted(rows.values(), key=lambda r: order.get(key_of(r), 99))


def status(case: Case, row: Row, borderline: bool) -> str:
    """The card's status word: the flag, else "Normal" (or "Borderline" in the top tenth of
    the interval, on the reports that mark it); none without a printed range."""
    if row["flag"] or not row["range"]:
        return row["flag"]
    lo, hi = limits(row["range"])
    v = _number(row["value"])
    word = "Normal"
    if borderline and hi is not None and v is not None and v >= (lo or 0) + 0.9 * (hi - (lo or 0)):
        word = "Borderline"
    return word.upper() if case.style["flag_style"] == "word" else word


def _bar(row: Row, borderline: bool, labels: bool) -> str:
    """The range bar: low, normal (and borderline) and high segments, a marker at the value."""
    lo, hi = limits(row["range"])
    v = _number(row["value"]) or 0.0
    if hi is None:  # a lower limit only (eGFR)
        lo, hi = lo or 0.0, max((lo or 0.0) * 2.2, v * 1.1)
    top = max(hi * 1.5, v * 1.12, (lo or 0) * 2, 1e-6)
    pct = [100 * x / top for x in ((lo or 0.0), hi)]
    segs = [(0, pct[0], "#e8a0a0"), (pct[0], pct[1], "#8fcf9a"), (pct[1], 100, "#e8a0a0")]
    if borderline and limits(row["range"])[1] is not None:
        cut = pct[0] + 0.9 * (pct[1] - pct[0])
        segs[1:2] = [(pct[0], cut, "#8fcf9a"), (cut, pct[1], "#f3c969")]
    divs = [f'<div class="seg" style="left:{a:.1f}%;width:{b - a:.1f}%;background:{c}"></div>'
            for a, b, c in segs if b - a > 0.05]  # fmt: skip
    divs.append(f'<div class="mk" style="left:{min(97.0, 100 * v / top):.1f}%"></div>')
    out = f'<div class="bar">{"".join(divs)}</div>'
    if labels:
        nums = re.findall(r"\d+(?:\.\d+)?", row["range"])
        spots = zip(nums, pct if len(nums) == 2 else pct[1:], strict=False)
        out += (
            '<div class="bl">'
            + "".join(f'<span style="left:{p:.1f}%">{esc(n)}</span>' for n, p in spots)
            + "</div>"
        )
    return out


def _comment(row: Row, word: str, rng: random.Random) -> str:
    """One sentence from the reviewing doctor, with the card's own value and printed limits."""
    key, name = key_of(row), row["name"]
    short = SHORT_Q.get(key) or (name if name[:2].isupper() else name[0].lower() + name[1:])
    nums = re.findall(r"\d+(?:\.\d+)?", row["range"])
    unit = f" {row['unit']}" if row["unit"] else ""
    w = word.lower()
    if not nums:
        return f"There is no standard range for your {short}; your doctor can interpret it."
    if w == "high":
        return rng.choice((f"Your {short} is raised; values under {nums[-1]}{unit} are typical.",
                           f"Your {short} of {row['value']}{unit} is above the range we use (up"
                           f" to {nums[-1]}); we suggest repeating the test in 6 to 8"
                           " weeks."))  # fmt: skip
    if w == "low":
        return f"Your {short} is a little low; we would expect at least {nums[0]}{unit}."
    if w == "borderline":
        return (f"Your {short} is near the top of the range ({nums[-1]}{unit}); it is worth"
                " rechecking in 3 months.")  # fmt: skip
    return rng.choice((f"Your {short} is within the normal range.", "This is a healthy result.",
                       f"Nothing to worry about: your {short} is in range."))  # fmt: skip


def _card(case: Case, row: Row, look: Look, rng: random.Random) -> str:
    word = status(case, row, look.borderline)
    tone = {"high": "hi", "low": "hi", "borderline": "bo"}.get(word.lower(), "ok")
    badge = f'<span class="st {tone}">{esc(word)}</span>' if word else ""
    value = (f'<span class="v">{esc(row["value"])}</span> <span class="u">{esc(row["unit"])}'
             "</span>")  # fmt: skip
    rng_text = f"{look.label} {row['range']}" if row["range"] else "No range available"
    if row["range"] and look.unit_again and row["unit"]:
        rng_text += f" {row['unit']}"
    bar = (
        _bar(row, look.borderline, look.bar_labels)
        if row["range"]
        else '<div class="bar nb"></div>'
    )
    note = f'<div class="cm">{esc(_comment(row, word, rng))}</div>' if look.comments else ""
    name = f'<b class="nm">{esc(row["name"])}</b>'
    if look.cols == 0:  # one card across the page
        return (f'<table class="wide"><tr><td class="c1">{name}</td><td class="c2">{value}</td>'
                f'<td class="c3">{bar}<div class="rg">{esc(rng_text)}</div></td><td class="c4">'
                f"{badge}</td></tr></table>{note}")  # fmt: skip
    top = look.badge_top
    head = f'<div class="hd">{badge if top else ""}{name}</div>'
    line = f'<div class="vl">{value}{"" if top else " " + badge}</div>'
    return f'{head}{line}{bar}<div class="rg">{esc(rng_text)}</div>{note}'


def _summary_q(case: Case, cards: list[Row], look: Look, doctor: str) -> str:
    words = [status(case, r, look.borderline).lower() for r in cards]
    out = [r for r, w in zip(cards, words, strict=True) if w in ("high", "low")]
    border = words.count("borderline")
    counts = f"{len(cards)} results · {words.count('normal')} in range"
    counts += f" · {border} borderline" if border else ""
    counts += f" · {len(out)} outside the range"
    if out:
        listed = ", ".join(f"{SHORT_Q.get(key_of(r), r['name'])} ({r['value']}"
                           f"{' ' + r['unit'] if r['unit'] else ''})" for r in out[:4])  # fmt: skip
        text = (f"Most of your results are in range. {listed} {'is' if len(out) == 1 else 'are'}"
                " outside the range; see the notes on each result below.")  # fmt: skip
    else:
        text = "All of your results are within range. We recommend testing again in 12 months."
    return (f'<div class="sum"><div class="cnt">{esc(counts)}</div><p>{esc(text)}</p>'
            f'<p class="sig">{esc(doctor)}</p></div>')  # fmt: skip


def render_heldout_q(case: Case, rng: random.Random) -> str:
    h, flavour = case.header, _flavour(case)
    brand, lab, accred = rng.choice(BRANDS_Q[flavour])
    accent = rng.choice(("#3b2a7a", "#0f6e6e", "#c2185b", "#1f4e9c", "#23613a"))
    font = font_for(case, rng, ("DejaVu Sans", "DejaVu Sans Condensed"))
    well = case.style["profile"].endswith("_well")  # a long kit: cards mostly in a grid
    cols = rng.choice((0, 2, 3, 3) if well else (0, 1, 1, 2, 3))
    look = Look(
        cols=cols,
        borderline=rng.random() < 0.45,
        bar_labels=rng.random() < 0.4,
        badge_top=rng.random() < 0.55,
        unit_again=rng.random() < 0.6,
        comments=cols in (0, 1) and rng.random() < (0.5 if well else 0.85),
        label=rng.choice(("Range:", "Normal range", "Normal range:", "Typical range")),
    )
    title_style, blurbs = rng.randrange(2), rng.random() < 0.6
    cards = _cards_q(case, rng)
    footer = '"Page " counter(page) " of " counter(pages)'
    css = page_css("A4" if flavour == "uk" else "Letter", "16mm 14mm 16mm", font, 8.6, footer)
    css += (
        "@page { @top-center { content: element(strip); width: 100%; vertical-align: bottom;"
        " padding-bottom: 2mm } } @page :first { @top-center { content: none } }"
        f".strip {{ position: running(strip); width: 100%; color: {accent}; font-size: 80%;"
        f" border-bottom: .6px solid {accent} }} .brand {{ background: {accent}; color: #fff;"
        " padding: 3mm 4mm; border-radius: 2mm } .brand table { width: 100% } .logo {"
        " font-size: 17pt; font-weight: bold; letter-spacing: .5px } .kit { font-size: 10.5pt }"
        " .who { width: 100%; margin: 3mm 0 } .who td { vertical-align: top; padding: 0 2mm 0 0;"
        " width: 50%; line-height: 1.45 } .sum { border: .8px solid #ccc; border-radius: 2mm;"
        " padding: 2mm 3mm; background: #f7f7f9; margin-bottom: 3mm } .cnt { font-weight: bold;"
        f" color: {accent} }} .sum p {{ margin: 1mm 0 }} .sig {{ color: #555; font-style: italic"
        f" }} h2 {{ font-size: 12pt; margin: 4mm 0 .5mm; color: {accent}; break-after: avoid }}"
        " .blurb { color: #666; margin-bottom: 1.5mm; break-after: avoid } .grid { width: 100%;"
        " border-collapse: separate; border-spacing:"
        " 2mm; margin: 0 -2mm; table-layout: fixed } .grid tr, .card { break-inside: avoid }"
        " .card { border: .8px solid #d5d5dc; border-radius: 1.8mm; padding: 2mm 2.5mm;"
        " vertical-align: top } .one { margin-bottom: 2mm } .nm { font-size: 9.4pt } .st {"
        " float: right; font-size: 7.4pt; font-weight: bold; padding: .3mm 1.6mm; border-radius:"
        " 1.4mm } .vl .st { float: none; margin-left: 2mm } .ok { color: #1e6b2e; background:"
        " #dff2e2 } .hi { color: #a61b1b; background: #f8dede } .bo { color: #8a5a00; background:"
        " #fcefcf } .v { font-size: 17pt; font-weight: bold } .u { font-size: 8pt; color: #555 }"
        " .vl { margin: .8mm 0 1mm } .bar { position: relative; height: 2.2mm; margin: 1mm 0 1mm;"
        " background: #eee; border-radius: 1.1mm } .seg { position: absolute; top: 0; height:"
        " 2.2mm } .nb { background: none } .mk { position: absolute; top: -.7mm; width: 3mm;"
        " height: 3mm; margin-left:"
        " -1.5mm; border-radius: 1.5mm; background: #222; border: .5mm solid #fff } .bl {"
        " position: relative; height: 3mm; font-size: 6.4pt; color: #777 } .bl span { position:"
        " absolute; margin-left: -1.5mm } .rg { color: #444; font-size: 8pt } .cm { margin-top:"
        " 1mm; font-size: 8pt; color: #333 } .wide { width: 100%; table-layout: fixed } .wide td"
        " { vertical-align: top; padding: 0 2mm 0 0 } .c1 { width: 34% } .c2 { width: 20% } .c3 {"
        " width: 32% } .c4 { text-align: right } .c4 .st { float: none } .ft { margin-top: 5mm;"
        " font-size: 7.6pt; color: #555; border-top: .6px solid #ccc; padding-top: 1.5mm }"
    )
    body = [f'<table class="strip"><tr><td><b>{esc(brand)}</b> · {esc(h["name"])}</td><td class='
            f'"r">{esc(KITS_Q[case.style["profile"]][0])}</td></tr></table>']  # fmt: skip
    order = f"{rng.choice('ABCHKMRT')}{rng.choice('ABCHKMRT')}{digits(rng, 7)}"
    body.append(f'<div class="brand"><table><tr><td><div class="logo">{esc(brand)}</div>'
                f'<div class="kit">{esc(rng.choice(KITS_Q[case.style["profile"]]))}</div></td>'
                f'<td class="r">Order {order}<br>Kit ID {digits(rng, 3)}-{digits(rng, 3)}-'
                f"{digits(rng, 3)}</td></tr></table></div>")  # fmt: skip
    colon = rng.choice((":", ""))
    you = [f"<b>{esc(h['name'])}</b>"]
    you += [f"Date of birth{colon} {esc(h['dob'])}"] if h["dob"] else []
    you += [f"Sex{colon} {esc(h['sex'])}"] if h["sex"] else []
    you += [f"Age{colon} {esc(h['age'])}"] if h["age"] else []
    sample = [f"{esc(label)} {esc(text)}" for label, text in dates(h)]
    sample.append("Sample type: " + rng.choice(("Finger-prick (capillary blood)",
                                                "Venous blood (nurse visit)")))  # fmt: skip
    doctor = rng.choice(DOCTORS_Q[flavour])
    reg = f"GMC {digits(rng, 7)}" if flavour == "uk" else f"NPI {digits(rng, 10)}"
    sample.append(f"Results reviewed by {esc(doctor)} ({reg})")
    body.append(f'<table class="who"><tr><td>{"<br>".join(you)}</td><td>{"<br>".join(sample)}'
                "</td></tr></table>")  # fmt: skip
    body.append(_summary_q(case, cards, look, doctor))
    groups: dict[str, list[Row]] = {}
    for r in cards:
        groups.setdefault(SECTION_Q.get(key_of(r), "liver"), []).append(r)
    names = list(groups)
    if well and rng.random() < 0.5:
        names = sorted(names, key=lambda s: ("heart", "diabetes", "liver").index(s)
                       if s in ("heart", "diabetes", "liver") else 3)  # fmt: skip
    for section in names:
        body.append(f"<h2>{esc(TITLES_Q[section][title_style])}</h2>")
        body += [f"<div class=blurb>{esc(BLURBS_Q[section])}</div>"] if blurbs else []
        cols, rows = look.cols, groups[section]
        if cols <= 1:
            body += [f'<div class="card one">{_card(case, r, look, rng)}</div>' for r in rows]
            continue
        trs = []
        for i in range(0, len(rows), cols):
            tds = [f'<td class="card">{_card(case, r, look, rng)}</td>' for r in rows[i : i + cols]]
            tds += ['<td style="border:none"></td>'] * (cols - len(tds))
            trs.append(f"<tr>{''.join(tds)}</tr>")
        body.append(f'<table class="grid">{"".join(trs)}</table>')
    body.append(f'<div class="ft">Tests processed by {esc(lab)}, {esc(accred)}{digits(rng, 3)}'
                f"{digits(rng, 4) if flavour == 'us' else ''}. These results are for information"
                " and are not a diagnosis; if you feel unwell or are worried about a result,"
                f" speak to your {'GP' if flavour == 'uk' else 'doctor'}.</div>")  # fmt: skip
    return document(css, "".join(body))
