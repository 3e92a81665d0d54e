"""Page layouts: each turns a drawn ``Case`` into the HTML of one kind of real report.

Why several layouts rather than one template with different words: a reader that works on one
arrangement of columns is not a reader. These differ in what a reader has to get right: where
the flag sits (own column, glued to the result, none), what order the columns come in, whether
rows are table cells or absolutely positioned text (the NHS layout, as text-dump printers make
them), one table or two side by side (the same line holds two results), one page or two with
the header repeated, and a whole page of other tests around the liver ones.

A layout only arranges what the case says was printed; cosmetic choices (fonts, margins, the
laboratory's name) come from its own ``rng`` so they never change the truth.
"""

from __future__ import annotations

import html
import random
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.extract.profiles import Profile
from tests.extract.vocab import LIVER_ORDER, SECTION_ORDER, SECTION_TITLES

if TYPE_CHECKING:
    from tests.extract.generate import Case

Row = dict[str, str]
SANS_EN = ("DejaVu Sans", "DejaVu Sans Condensed", "DejaVu Serif")
ZH_FALLBACK = "'Noto Sans CJK SC', 'DejaVu Sans'"


@dataclass(frozen=True)
class Layout:
    """A kind of report page: which laboratories print it and how many tests it carries."""

    name: str
    profiles: Mapping[str, tuple[Profile, ...]]  # language -> profiles
    panel: str  # "lft" (liver panel), "long" (two pages' worth), "big" (~25 other tests)
    render: Callable[[Case, random.Random], str]
    min_analytes: int = 1
    # who is tested here: the sexes drawn from (repeat one to make it likelier) and the ages,
    # inclusive (a maternity hospital's patients are mostly women of childbearing age)
    sexes: tuple[str, ...] = ("male", "female")
    ages: tuple[int, int] = (18, 88)


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def document(css: str, body: str, *, lang: str = "en") -> str:
    head = f'<meta charset="utf-8"><style>{css}</style>'
    return f'<!doctype html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


def page_css(size: str, margin: str, font: str, pt: float, footer: str = "") -> str:
    """@page rules; ``footer`` is a CSS ``content`` value for the bottom margin box."""
    bottom = f"@bottom-center {{ content: {footer}; font: {pt - 1.5}pt {font}; color: #444 }}"
    return (
        f"@page {{ size: {size}; margin: {margin}; {bottom if footer else ''} }}"
        f"body {{ font-family: {font}; font-size: {pt}pt; color: #111; margin: 0 }}"
        "table { border-collapse: collapse } td, th { padding: 0 } "
        ".b { font-weight: bold } .r { text-align: right } .c { text-align: center }"
        ".small { font-size: 80% } .grey { color: #555 }"
    )


def font_for(case: Case, rng: random.Random, options: Iterable[str] = SANS_EN) -> str:
    if case.language == "zh":
        return rng.choice(("'Noto Sans CJK SC'", "'Noto Serif CJK SC'")) + ", 'DejaVu Sans'"
    return f"'{rng.choice(tuple(options))}', {ZH_FALLBACK}"


def sections(case: Case) -> list[tuple[str, list[Row]]]:
    """The printed rows (liver tests and others) grouped and ordered as a panel prints them."""
    rows: list[Row] = [*case.printed.values(), *case.others]
    order = LIVER_ORDER[case.language]
    out = []
    for section in SECTION_ORDER:
        these = [r for r in rows if r["section"] == section]
        if section == "liver":
            these.sort(key=lambda r: order.index(key_of(r)) if key_of(r) in order else 99)
        if these:
            out.append((section, these))
    return out


def key_of(row: Row) -> str:
    return row.get("analyte") or row["key"]


def title(case: Case, section: str) -> str:
    """The section's heading, in the one style this report uses for all its headings."""
    options = SECTION_TITLES[case.language][section]
    return options[zlib.crc32(case.header["name"].encode()) % 3 % len(options)]


def age_text(h: Mapping[str, Any], label: str = "Age:") -> str:
    """The printed age ("Age: 45"), with ``label`` in front only when the form has none."""
    age = h.get("age")
    if not age:
        return ""
    return age if age.lower().startswith("age") else f"{label} {age}"


def barcode(rng: random.Random, width: float = 48, height: float = 11) -> str:
    """An SVG barcode of random bars (real sheets carry one; it must not be read as text)."""
    x, bars = 0.0, []
    while x < width - 1:
        w = rng.choice((0.25, 0.25, 0.5, 0.75))
        bars.append(f'<rect x="{x:.2f}" y="0" width="{w}" height="{height}"/>')
        x += w + rng.choice((0.25, 0.5, 0.5, 0.75))
    size = f'width="{width}mm" height="{height}mm" viewBox="0 0 {width} {height}"'
    return f"<svg {size}>{''.join(bars)}</svg>"


def digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def dates(h: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every printed date line, collection first: [(label, text)]."""
    out = [(h["collected"]["label"], h["collected"]["text"])] if h["collected"] else []
    return out + [(o["label"], o["text"]) for o in h["others"]]


def result_cell(row: Row, *, glue_flag: bool) -> str:
    bold = ' class="b"' if row["flag"] else ""
    flag = f" {esc(row['flag'])}" if glue_flag and row["flag"] else ""
    return f"<td{bold}>{esc(row['value'])}{flag}</td>"


def _table(columns: list[tuple[str, str]], rows: list[str], css: str = "") -> str:
    head = "".join(f'<th style="text-align:left;{w}">{esc(name)}</th>' for name, w in columns)
    return grid(head, rows, f'class="res" style="{css}"')


def grid(head: str, rows: Iterable[str], attrs: str = 'class="res"', cols: str = "") -> str:
    """A results table: ``head`` is the header row's cells, ``cols`` optional <col> widths."""
    return (
        f"<table {attrs}>{cols}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def col_widths(*percent: int) -> str:
    return "".join(f'<col style="width:{p}%">' for p in percent) + "<col>"


# --- us: Quest/LabCorp-like portal PDF -----------------------------------------------------------


def render_us(case: Case, rng: random.Random) -> str:
    h, font = case.header, font_for(case, rng, ("DejaVu Sans", "DejaVu Sans Condensed"))
    lab = rng.choice(("Northfield Diagnostics", "Bayline Clinical Laboratories", "Quarry Labs"))
    accent = rng.choice(("#0b4f8a", "#1d6b3a", "#5a2a82"))
    css = page_css(
        "Letter", "0.5in 0.55in 0.7in", font, 8.6, '"Page " counter(page) " of " counter(pages)'
    )
    css += (
        f".top {{ border-bottom: 2.5px solid {accent}; padding-bottom: 4px; width: 100% }}"
        f".logo {{ color: {accent}; font-size: 17pt; font-weight: bold; letter-spacing: .5px }}"
        ".box { width: 100%; margin-top: 8px; border: 1px solid #999 }"
        " .box td { vertical-align: top;"
        " padding: 4px 6px; border-right: 1px solid #ccc; width: 30% } .box td.w { width: 40%;"
        " white-space: nowrap } .box .h { font-weight: bold;"
        " background: #e9edf2; border-bottom: 1px solid #999 }"
        ".res { width: 100%; margin-top: 12px } .res th { border-bottom: 1.5px solid #333;"
        " font-size: 8pt; padding: 3px 4px } .res td { padding: 2.5px 4px;"
        " border-bottom: .5px solid #ddd }"
        " .sec td { font-weight: bold; padding-top: 8px; border-bottom: none }"
    )
    patient = [f'<span class="b">{esc(h["name"])}</span>']
    patient += [f"DOB: {esc(h['dob'])}"] if h["dob"] else []
    patient += [esc(age_text(h))] if h["age"] else []
    patient += [f"Sex: {esc(h['sex'])}"] if h["sex"] else []
    patient += [f"Patient ID: {digits(rng, 9)}"]
    specimen = [f"Specimen ID: {digits(rng, 3)}-{digits(rng, 3)}-{digits(rng, 4)}-0"]
    specimen += [f"{esc(label)} {esc(text)}" for label, text in dates(h)]
    doctor = [f"Ordering: {rng.choice(('A. Whitcombe, MD', 'R. Lonsdale, DO', 'K. Ashdown, NP'))}"]
    doctor += [f"NPI: {digits(rng, 10)}", f"Account: {digits(rng, 8)}"]
    rows = []
    for section, these in sections(case):
        rows.append(f'<tr class="sec"><td colspan="5">{esc(title(case, section))}</td></tr>')
        for r in these:
            rows.append(
                f"<tr><td>&nbsp;&nbsp;{esc(r['name'])}</td>{result_cell(r, glue_flag=False)}"
                f'<td class="b">{esc(r["flag"])}</td><td>{esc(r["range"])}</td>'
                f"<td>{esc(r['unit'])}</td></tr>"
            )
    cols = [("TESTS", "width:38%"), ("RESULT", "width:13%"), ("FLAG", "width:8%")]
    cols += [("REFERENCE RANGE", "width:22%"), ("UNITS", "")]
    body = (
        f'<table class="top"><tr><td><div class="logo">{esc(lab)}</div>'
        f'<div class="small grey">Patient Report &middot; Final</div></td>'
        f'<td class="r">{barcode(rng, 40, 9)}<div class="small">Control ID: {digits(rng, 8)}</div>'
        f"</td></tr></table>"
        '<table class="box"><tr><td class="h">Patient Details</td><td class="h">Specimen Details'
        '</td><td class="h">Physician Details</td></tr>'
        f"<tr><td>{'<br>'.join(patient)}</td><td class=w>{'<br>'.join(specimen)}</td>"
        f"<td>{'<br>'.join(doctor)}</td></tr></table>"
        + _table(cols, rows)
        + f'<p class="small grey" style="margin-top:18px">{esc(lab)}, '
        f"{rng.randint(100, 9999)} Larkspur Ave, Fairbanks Grove, CA. Lab Director: "
        f"M. Quayle, MD. CLIA {digits(rng, 2)}D{digits(rng, 7)}. This report contains confidential"
        " health information.</p>"
    )
    return document(css, body)


# --- uk: NHS trust, absolutely positioned text --------------------------------------------------


def render_uk(case: Case, rng: random.Random) -> str:
    h = case.header
    mono = rng.random() < 0.5
    font = "'DejaVu Sans Mono'" if mono else font_for(case, rng, ("DejaVu Sans",))
    trust = rng.choice(("Riverside University Hospitals", "Kettering Vale Hospitals", "Ashdown"))
    css = page_css("A4", "14mm 16mm", font, 8.8 if mono else 9.2)
    css += (
        ".p { position: relative; height: 265mm } .p div { position: absolute; white-space: pre }"
        ".nhs { background: #005eb8; color: #fff; font: bold italic 15pt 'DejaVu Sans';"
        " padding: 1px 6px } .rule { border-top: 1px solid #000; width: 178mm; height: 0 }"
    )
    items: list[tuple[float, float, str, str]] = []  # (top mm, left mm, text, css)

    def put(top: float, left: float, text: str, style: str = "") -> None:
        items.append((top, left, text, style))

    put(0, 150, "NHS", "class")
    put(1, 0, f"{trust} NHS Foundation Trust", "font-weight:bold;font-size:11pt")
    put(6.5, 0, "Department of Clinical Biochemistry  ·  Blood Sciences")
    put(11, 0, f"Tel: 0{digits(rng, 3)} {digits(rng, 3)} {digits(rng, 4)}", "color:#444")
    y = 19.0
    left = [f"Name: {h['name']}"]
    left += [f"DOB: {h['dob']}" + (f"  ({h['age']})" if h["age"] else "")] if h["dob"] else []
    left += [age_text(h)] if h["age"] and not h["dob"] else []
    left += [f"Sex: {h['sex']}"] if h["sex"] else []
    left += [f"Location: {rng.choice(('Vance Road Surgery (GP)', 'Ward 7B', 'Hepatology OPD'))}"]
    right = [f"Hospital No: RX{digits(rng, 7)}", f"NHS No: {digits(rng, 3)} {digits(rng, 3)} "]
    right[-1] += digits(rng, 4)
    right += [f"Lab No: B,{digits(rng, 2)}.{digits(rng, 7)}"]
    right += [f"{label} {text}" for label, text in dates(h)]
    put(y - 2, 0, "", "rule")
    for i, text in enumerate(left):
        put(y + i * 5, 0, text)
    for i, text in enumerate(right):
        put(y + i * 5, 98, text)
    y += max(len(left), len(right)) * 5 + 2
    put(y, 0, "", "rule")
    y += 4
    cols = (0, 62, 88, 112) if rng.random() < 0.6 else (0, 58, 84, 110)
    for section, these in sections(case):
        put(y, 0, title(case, section).upper(), "font-weight:bold")
        y += 5.5
        for name, x in zip(("Test", "Result", "Units", "Range"), cols, strict=True):
            put(y, x, name, "text-decoration:underline")
        y += 5
        for r in these:
            flag = f" {r['flag']}" if r["flag"] else ""
            for text, x in zip(
                (r["name"], r["value"] + flag, r["unit"], r["range"]), cols, strict=True
            ):
                put(y, x, text, "font-weight:bold" if flag and x == cols[1] else "")
            y += 4.8
        y += 3
    note = rng.choice(("Sample slightly haemolysed.", "Please note new reference ranges.", ""))
    put(y + 2, 0, f"Comment: {note}" if note else "")
    put(y + 9, 0, f"Authorised by: {rng.choice(('Dr P. Okafor', 'Dr S. Marchetti'))}, Consultant")
    divs = []
    for top, left_mm, text, style in items:
        if style == "class":
            divs.append(f'<div class="nhs" style="top:{top}mm;left:{left_mm}mm">{esc(text)}</div>')
        elif style == "rule":
            divs.append(f'<div class="rule" style="top:{top}mm;left:{left_mm}mm"></div>')
        elif text:
            pos = f"top:{top:.1f}mm;left:{left_mm}mm;{style}"
            divs.append(f'<div style="{pos}">{esc(text)}</div>')
    return document(css, f'<div class="p">{"".join(divs)}</div>')


# --- india: private pathology lab -----------------------------------------------------------------


def render_india(case: Case, rng: random.Random) -> str:
    h, font = case.header, font_for(case, rng, ("DejaVu Sans", "DejaVu Serif"))
    lab = rng.choice(("Sunrise Pathology Labs", "Meenakshi Diagnostics", "Lotus Path Care"))
    accent = rng.choice(("#8b1a1a", "#0d47a1", "#00695c"))
    css = page_css("A4", "12mm 14mm 16mm", font, 9.4, '"Page " counter(page) " of " counter(pages)')
    css += (
        f".lab {{ font-size: 20pt; font-weight: bold; color: {accent} }} .hd {{ border-bottom: 3px"
        f" solid {accent}; width: 100% }} .pt {{ width: 100%; border: 1px solid #777; margin-top:"
        " 6px } .pt td { padding: 2px 6px } .res { width: 100%; margin-top: 4px } .res th {"
        " border-top: 1px solid #000; border-bottom: 1px solid #000; padding: 4px } .res td {"
        " padding: 3px 4px } .m { font-size: 7.5pt; color: #555; font-style: italic }"
    )
    age_sex = " / ".join(x for x in (h["age"], h["sex"]) if x)
    label = "Age/Gender" if h["age"] and h["sex"] else ("Age" if h["age"] else "Gender")
    info = [
        ("Patient Name", h["name"]),
        (label, age_sex) if age_sex else ("Patient ID", digits(rng, 6)),
    ]
    info += [("Ref. By", rng.choice(("Dr. S. Kulkarni", "Dr. A. Menon", "SELF")))]
    info += [("Lab ID", digits(rng, 10))]
    when = [(label.rstrip(" :"), text) for label, text in dates(h)] + [("Sample Type", "Serum")]
    lines = []
    for i in range(max(len(info), len(when))):
        a = info[i] if i < len(info) else ("", "")
        b = when[i] if i < len(when) else ("", "")
        cells = [
            f'<td class="b">{esc(k)}{" :" if k else ""}</td><td>{esc(v)}</td>' for k, v in (a, b)
        ]
        lines.append(f"<tr>{''.join(cells)}</tr>")
    methods = {"alt": "IFCC without P5P", "ast": "IFCC without P5P", "alp": "PNPP, AMP Buffer"}
    methods |= {"ggt": "IFCC", "bilirubin": "Diazo", "albumin": "BCG", "direct_bilirubin": "Diazo"}
    rows = []
    for section, these in sections(case):
        rows.append(
            f'<tr><td colspan="4" class="b" style="padding-top:8px">'
            f"{esc(title(case, section).upper())}</td></tr>"
        )
        for r in these:
            method = methods.get(key_of(r), "") if rng.random() < 0.6 else ""
            sub = f'<div class="m">Method : {esc(method)}</div>' if method else ""
            rows.append(
                f"<tr><td>{esc(r['name'])}{sub}</td>{result_cell(r, glue_flag=True)}"
                f"<td>{esc(r['unit'])}</td><td>{esc(r['range'])}</td></tr>"
            )
    cols = [("Test Name", "width:42%"), ("Value", "width:16%"), ("Unit", "width:14%")]
    cols += [("Bio. Ref. Interval", "")]
    body = (
        f'<table class="hd"><tr><td><div class="lab">{esc(lab)} Pvt. Ltd.</div><div class="small">'
        f"Plot {rng.randint(2, 90)}, Sector {rng.randint(2, 60)}, Navi Mumbai · "
        f"Ph: 022-{digits(rng, 8)}"
        '</div></td><td class="r small">NABL Accredited<br>ISO 15189:2022</td></tr></table>'
        f'<table class="pt">{"".join(lines)}</table>'
        '<h3 class="c" style="text-decoration:underline;margin:10px 0 2px">BIOCHEMISTRY</h3>'
        + _table(cols, rows)
        + '<p class="c small" style="margin-top:20px">*** End Of Report ***</p>'
        '<table style="width:100%;margin-top:26px"><tr><td class="small">Dr. K. Menon<br>'
        'MD (Pathology)</td><td class="small r">Dr. R. Bhatt<br>Consultant Pathologist</td></tr>'
        "</table>"
    )
    return document(css, body)


# --- europe: Nordic/German-style hospital laboratory, decimal commas ---------------------------


def render_europe(case: Case, rng: random.Random) -> str:
    h, font = case.header, font_for(case, rng, ("DejaVu Sans", "DejaVu Sans Condensed"))
    hospital = rng.choice(("Northbay Region Hospital", "Kranzfeld Klinikum", "Sandvik Hospital"))
    css = page_css(
        "A4", "15mm 16mm 18mm", font, 9.0, '"Page " counter(page) " (" counter(pages) ")"'
    )
    css += (
        ".hd { width: 100%; border-bottom: 1px solid #000 } .pt { margin: 6px 0 } .pt td {"
        " padding: 1px 14px 1px 0 } .res { width: 100% } .res th { background: #e6e6e6;"
        " padding: 3px 4px; font-weight: normal } .res td { padding: 2px 4px; border-bottom:"
        " .4px solid #bbb } .sec td { font-weight: bold; padding-top: 7px } .res td { white-space:"
        " nowrap }"
    )
    glue = rng.random() < 0.4
    pid = f"{h['dob_iso'].replace('-', '')}-{digits(rng, 4)}"  # a Nordic ID starts with the DOB
    info = [("Personal ID:", pid), ("Name:", h["name"])]
    info += [("Sex:", h["sex"])] if h["sex"] else []
    info += [("", age_text(h))] if h["age"] else []
    info += [("Date of birth:", h["dob"])] if h["dob"] else []
    info += [*dates(h), ("Requester:", rng.choice(("Vårdcentral Norr", "Med. Klinik 2", "GP")))]
    half = (len(info) + 1) // 2
    grid = "".join(
        "<tr>"
        + "".join(
            f"<td>{esc(k)} {esc(v)}</td>"
            for k, v in info[i : i + 1] + info[i + half : i + half + 1]
        )
        + "</tr>"
        for i in range(half)
    )
    rows = []
    for section, these in sections(case):
        rows.append(f'<tr class="sec"><td colspan="5">{esc(title(case, section))}</td></tr>')
        for r in these:
            flag = "" if glue else f"<td class='b'>{esc(r['flag'])}</td>"
            rows.append(
                f"<tr><td>{esc(r['name'])}</td>{result_cell(r, glue_flag=glue)}"
                f"<td>{esc(r['unit'])}</td><td>{esc(r['range'])}</td>{flag}</tr>"
            )
    cols = [("Analysis", "width:36%"), ("Result", "width:13%"), ("Unit", "width:13%")]
    cols += [("Ref. interval", "width:22%")] + ([] if glue else [("", "")])
    note = (
        "Results marked * are outside the reference interval."
        if case.style["flag_style"] == "star"
        else ""
    )
    body = (
        f'<table class="hd"><tr><td><b style="font-size:13pt">Laboratory Medicine</b><br>'
        f'{esc(hospital)} · Clinical Chemistry</td><td class="r">Final report<br>Lab ref. '
        f"{digits(rng, 2)}-{digits(rng, 6)}</td></tr></table>"
        f'<table class="pt">{grid}</table>'
        + _table(cols, rows)
        + f'<p class="small">{note} Accredited laboratory no. {rng.randint(1000, 9999)}.</p>'
    )
    return document(css, body)
