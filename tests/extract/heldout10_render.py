"""The tenth held-out set's GP record prints (``heldout_s``; see ``heldout10.py``; the same rule:
do not read or tune on these when working on the reader).

A renderer only arranges what the case says was printed. What it adds around the drawn rows
(earlier requests and their results, filing comments, HbA1c in mmol/mol, eGFR ">90", the print
date, identifiers) comes from the case's own numbers or the render RNG and never holds a
LiverLens test the truth does not know about. The maternity reports (``heldout_t``) are in
``heldout10_maternity.py``; both use ``earlier_value`` and ``page_extra`` from here.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests.extract.draw import direction
from tests.extract.layouts import Row, digits, document, esc, font_for, key_of, page_css, sections
from tests.extract.vocab import FLAG_TEXT, format_date, format_number, format_range

if TYPE_CHECKING:
    from tests.extract.generate import Case

Bounds = tuple[float | None, float]
STEADY = {"albumin", "inr", "sodium", "total_protein", "globulin", "ag_ratio", "haemoglobin"}
STEADY |= {"mcv", "calcium", "potassium", "chloride", "bicarbonate", "rbc"}


def number(text: str) -> float | None:
    try:
        return float(text.lstrip("<>≤≥ ").replace(",", ""))
    except ValueError:
        return None


def limits(range_text: str) -> tuple[float | None, float | None]:
    """The (lower, upper) limits a printed range means ("<40": no lower limit)."""
    nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", range_text)]
    if len(nums) == 2:
        return nums[0], nums[1]
    if len(nums) == 1 and range_text.lstrip().startswith(">"):
        return nums[0], None
    return (None, nums[0]) if nums else (None, None)


def earlier_value(row: Row, rng: random.Random, flags: tuple[str, str]) -> tuple[str, str] | None:
    """An earlier sample's result for the row's test (the same decimals, flagged against the
    same printed range), as (value, flag); None when that sample did not have the test."""
    text = row["value"]
    if rng.random() < 0.12:
        return None
    if text[:1] in "<>":
        return (text, row["flag"]) if rng.random() < 0.6 else None
    value = number(text)
    if value is None:
        return None
    dp = len(text.split(".")[1]) if "." in text else 0
    spread = 0.05 if key_of(row) in STEADY else 0.3
    prev = max(round(value * math.exp(rng.gauss(0.0, spread)), dp), 10.0**-dp)
    lo, hi = limits(row["range"])
    way = direction(prev, None, lo, hi) if row["range"] else ""
    return f"{prev:.{dp}f}", flags[0] if way == "high" else flags[1] if way == "low" else ""


def page_extra(case: Case, key: str, name: str, value: float, dp: int, unit: str,
               bounds: Bounds | None, section: str = "x", gt: bool = False) -> Row:  # fmt: skip
    """A row the page adds (not a LiverLens test) in the report's range and flag style; ``gt``:
    the bound is a lower limit printed alone (">60")."""
    value = max(round(value, dp), 10.0**-dp)
    text, way = "", ""
    if bounds is not None:
        lo, hi = bounds
        forms, hi_t = case.style["range_forms"], format_number(hi, dp)
        if gt:
            text, way = f">{hi_t}", direction(value, None, hi, None)
        elif lo is None:
            text, way = f"<{hi_t}", direction(value, None, None, hi)
        else:
            text = format_range(forms[0], format_number(lo, dp), hi_t)
            way = direction(value, None, lo, hi)
    high, low = FLAG_TEXT[case.style["flag_style"]]
    return {"key": key, "name": name, "value": format_number(value, dp), "unit": unit,
            "range": text, "flag": high if way == "high" else low if way == "low" else "",
            "section": section}  # fmt: skip


# --- heldout_s: a UK GP practice's online record, "Test results" ------------------------------

PRACTICES_S = (
    ("The Willows Medical Practice", "14 Station Road, Market Harford, HF4 2QT"),
    ("Abbeyfield Surgery", "2 Chapel Lane, Tewsbury, TW7 9LD"),
    ("Northgate Health Centre", "Northgate, Castlebridge, CB11 3RA"),
    ("Riverside Family Practice", "The Quay, Lowmouth, LM2 6EW"),
    ("Park View Group Practice", "87 Park View Road, Dunmere, DN5 1XJ"),
)
GPS_S = ("Dr A Khan", "Dr S Whitfield", "Dr E Morrow", "Dr P Oduya", "Dr R Greaves", "Dr J Lau")
SYSTEMS_S = ("Patient Access", "SystmOne Online", "NHS App", "EMIS Web")
# requests as the record files them: (titles, keys); a test in none of them is "Biochemistry"
REQUESTS_S: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("Liver function test", "Liver function tests", "LFT"),
     ("total_protein", "albumin", "globulin", "ag_ratio", "bilirubin", "direct_bilirubin",
      "ibil", "alp", "ast", "alt", "ggt", "bile_acids", "prealbumin", "cholinesterase")),
    (("Urea and electrolytes", "Urea and electrolytes", "U&E"),
     ("sodium", "potassium", "chloride", "bicarbonate", "urea", "creatinine", "egfr")),
    (("Full blood count", "Full blood count", "FBC"),
     ("haemoglobin", "wbc", "rbc", "mcv", "platelets")),
    (("Clotting screen", "Coagulation screen", "Clotting"), ("pt", "inr")),
    (("Lipid profile", "Serum lipids", "Lipids"), ("cholesterol", "hdl", "ldl", "triglycerides")),
    (("Thyroid function test", "Thyroid function tests", "TFT"), ("tsh", "ft4")),
    (("Bone profile", "Bone profile", "Bone profile"), ("calcium", "phosphate", "magnesium")),
    (("HbA1c", "Haemoglobin A1c", "HbA1c"), ("hba1c",)),
    (("Creatine kinase level", "Creatine kinase level", "CK"), ("ck",)),
)  # fmt: skip
OTHER_TITLE_S = ("Biochemistry", "Biochemistry", "Other tests")
NORMAL_S = ("Normal - no action", "Normal", "Satisfactory - no further action")
ABNORMAL_S = ("Abnormal - GP to review", "Abnormal - discuss at next appointment",
              "Borderline - repeat in 3 months", "Abnormal - contact patient")  # fmt: skip
PT_UNIT = {"10*9/L": ("10*9/L", "10*12/L"), "x10^9/L": ("x10^9/L", "x10^12/L"),
           "10^9/L": ("10^9/L", "10^12/L")}  # fmt: skip


@dataclass
class Request:
    """One request in the record: its title, sample date (None: not printed), rows as
    (row, value, flag) and the GP's filing comment."""

    title: str
    day: dt.date | None
    rows: list[tuple[Row, str, str]]
    comment: str
    current: bool


def _rows_s(case: Case) -> list[Row]:
    """The printed rows (copies) as the record shows them: HbA1c in mmol/mol, eGFR over 90 as
    ">90", blood counts in the platelets' unit style."""
    rows = [dict(r) for _, rs in sections(case) for r in rs]
    plt = case.printed.get("platelets", {}).get("unit", "10*9/L")
    for i, r in enumerate(rows):
        key = key_of(r)
        if key == "hba1c" and (pct := number(r["value"])) is not None:
            rows[i] = page_extra(case, key, r["name"], (pct - 2.15) * 10.929, 0, "mmol/mol",
                                 (20, 41), r["section"])  # fmt: skip
        elif key == "egfr":
            value = number(r["value"]) or 90.0
            rows[i] = page_extra(case, key, r["name"], min(value, 90), 0, "mL/min/1.73m2",
                                 (None, 60), r["section"], gt=True)  # fmt: skip
            if value > 90:
                rows[i] |= {"value": ">90", "flag": ""}
        elif key == "wbc":
            r["unit"] = PT_UNIT.get(plt, ("10*9/L",))[0]
        elif key == "rbc":
            r["unit"] = PT_UNIT.get(plt, ("", "10*12/L"))[1]
    return rows


def _group_s(case: Case, rows: list[Row], style: int) -> list[tuple[str, list[Row]]]:
    by_key = {key_of(r): r for r in rows}
    out = []
    for titles, keys in REQUESTS_S:
        these = [by_key.pop(k) for k in keys if k in by_key]
        if these:
            out.append((titles[style], these))
    if by_key:
        out.append((OTHER_TITLE_S[style], list(by_key.values())))
    return out


def _comment(flagged: bool, rng: random.Random) -> str:
    return rng.choice(ABNORMAL_S if flagged else NORMAL_S)


def _form_of(text: str) -> tuple[dt.date, str] | None:
    """The day a printed date starts with, and its form ("18-Nov-2026", "18/11/2026")."""
    for fmt, form in (("%d-%b-%Y", "dmon"), ("%d/%m/%Y", "uk"), ("%d %b %Y", "dmon_sp")):
        head = " ".join(text.split()[:3]) if form == "dmon_sp" else text.split()[0]
        try:
            day = dt.datetime.strptime(head, fmt).date()
        except ValueError:
            continue
        if text.startswith(format_date(day, form)):
            return day, form
    return None


def _history_s(case: Case, rng: random.Random, style: int) -> list[Request]:
    """This request's blocks and the earlier ones', newest first."""
    flags = FLAG_TEXT[case.style["flag_style"]]
    groups = _group_s(case, _rows_s(case), style)
    day = dt.date.fromisoformat(case.collected_on) if case.collected_on else None
    out = [Request(t, day, [(r, r["value"], r["flag"]) for r in rs],
                   _comment(any(r["flag"] for r in rs), rng), True)
           for t, rs in groups]  # fmt: skip
    if day is None:
        return out
    back = day
    review = case.style["profile"] == "gp_review"  # a long request: fewer earlier ones shown
    for _ in range(rng.choice((0, 1, 1, 2) if review else (0, 1, 1, 2, 2, 3))):
        back -= dt.timedelta(days=rng.randint(20, 160))
        for i, (title, rs) in enumerate(groups):
            if i and rng.random() < 0.35:
                continue
            olds = [(r, *e) for r in rs if (e := earlier_value(r, rng, flags)) is not None]
            if olds:
                flagged = any(f for _, _, f in olds)
                out.append(Request(title, back, olds, _comment(flagged, rng), False))
    return out


def _print_day(case: Case, rng: random.Random) -> dt.datetime:
    """The print time: later than every date the page holds."""
    days = [f[0] for f in (_form_of(o["text"]) for o in case.header["others"]) if f]
    days += [dt.date.fromisoformat(case.collected_on)] if case.collected_on else []
    last = max(days, default=dt.date(2026, 1, 5))
    when = last + dt.timedelta(days=rng.randint(1, 30))
    return dt.datetime.combine(when, dt.time(rng.randint(8, 18), rng.randrange(60)))


def _value_cell(value: str, unit: str, with_unit: bool) -> str:
    return esc(f"{value} {unit}" if with_unit and unit else value)


def _details(case: Case, sep: str) -> str:
    h = case.header
    parts = [f"{h['collected']['label']} {h['collected']['text']}"] if h["collected"] else []
    parts += [f"{o['label']} {o['text']}" for o in h["others"]]
    return sep.join(esc(p) for p in parts)


def _blocks(case: Case, reqs: list[Request], form: str, rng: random.Random) -> str:
    """(1) one block per request and sample date."""
    units_col = rng.random() < 0.55
    heads = (["Test", "Result", "Units", "Normal range", ""] if units_col
             else ["Test", "Value", "Range", "Abnormal"])  # fmt: skip
    label = case.header["collected"]["label"] if case.header["collected"] else "Sample date:"
    gp = rng.choice(GPS_S)
    cut = (41, 12, 12, 15, 20) if units_col else (44, 18, 15, 23)
    widths = "".join(f'<col style="width:{w}%">' for w in cut)
    out = []
    for req in reqs:
        trs = []
        for r, value, flag in req.rows:
            cells = [f"<td>{esc(r['name'])}</td>"]
            if units_col:
                cells += [f'<td class="nw">{esc(value)}</td>', f"<td>{esc(r['unit'])}</td>"]
            else:
                cells.append(f'<td class="nw">{_value_cell(value, r["unit"], True)}</td>')
            cells += [f'<td class="nw">{esc(r["range"])}</td>', f'<td class="fl">{esc(flag)}</td>']
            trs.append(f"<tr>{''.join(cells)}</tr>")
        if req.current:
            when = _details(case, " &middot; ")
        else:
            when = esc(f"{label} {format_date(req.day, form)}") if req.day else ""
        th = "".join(f"<th>{esc(x)}</th>" for x in heads)
        out.append(f'<div class="req"><div class="rt">{esc(req.title)}</div><div class="rd">'
                   f'{when}</div><table class="res fx">{widths}<thead><tr>{th}</tr></thead><tbody>'
                   f'{"".join(trs)}</tbody></table><div class="fc">Filed by {esc(gp)}: '
                   f"{esc(req.comment)}</div></div>")  # fmt: skip
    return "".join(out)


def _dated_rows(reqs: list[Request], form: str, newest_first: bool) -> str:
    """(2) one table of dated rows."""
    order = sorted(reqs, key=lambda q: q.day or dt.date.min, reverse=newest_first)
    trs = []
    for req in order:
        date = format_date(req.day, form) if req.day else ""
        for r, value, flag in req.rows:
            trs.append(f'<tr><td class="nw">{esc(date)}</td><td>{esc(r["name"])}</td><td class='
                       f'"nw">{_value_cell(value, r["unit"], True)}</td><td class="nw">'
                       f"{esc(r['range'])}</td>"
                       f'<td class="fl">{esc(flag)}</td></tr>')  # fmt: skip
    th = "".join(f"<th>{x}</th>" for x in ("Date", "Test", "Result", "Range", "Abnormal"))
    widths = "".join(f'<col style="width:{w}%">' for w in (13, 38, 15, 13, 21))
    body = f"<thead><tr>{th}</tr></thead><tbody>{''.join(trs)}</tbody>"
    return f'<table class="res dr fx">{widths}{body}</table>'


def _by_test(reqs: list[Request], form: str) -> str:
    """(3) each test's name, then its results one a line, newest first."""
    seen: dict[str, tuple[str, list[tuple[Row, str, str, dt.date | None]]]] = {}
    for req in sorted(reqs, key=lambda q: q.day or dt.date.min, reverse=True):
        for r, value, flag in req.rows:
            seen.setdefault(key_of(r), (req.title, []))[1].append((r, value, flag, req.day))
    out, title = [], None
    cols = "".join(f'<col style="width:{w}mm">' for w in (30, 32, 30, 50))
    for _key, (req_title, results) in seen.items():
        if req_title != title:
            out.append(f'<div class="rt">{esc(req_title)}</div>')
            title = req_title
        lines = "".join(f"<tr><td>{esc(format_date(d, form) if d else '')}</td><td>"
                        f"{_value_cell(v, r['unit'], True)}</td><td>{esc(r['range'])}</td><td "
                        f'class="fl">{esc(f)}</td></tr>' for r, v, f, d in results)  # fmt: skip
        out.append(f'<div class="bt"><div class="tn">{esc(results[0][0]["name"])}</div>'
                   f'<table class="res bt2 fx">{cols}{lines}</table></div>')  # fmt: skip
    return "".join(out)


def render_heldout_s(case: Case, rng: random.Random) -> str:
    h = case.header
    practice, address = rng.choice(PRACTICES_S)
    system = rng.choice(SYSTEMS_S)
    font = font_for(case, rng, ("DejaVu Sans", "DejaVu Sans Condensed", "DejaVu Serif"))
    pt = rng.choice((8.4, 8.8, 9.2))
    accent = rng.choice(("#005eb8", "#2b4a6f", "#333333", "#00704a"))
    found = [f for f in (_form_of(o["text"]) for o in h["others"]) if f]
    form = h["collected"]["form"] if h["collected"] else found[0][1] if found else "dmon"
    style = rng.choice((0, 0, 1, 2))  # the titles' style: words, words, short
    reqs = _history_s(case, rng, style)
    earlier = any(not q.current for q in reqs)
    view = rng.choice(("blocks", "blocks", "rows", "test")) if earlier else "blocks"
    printed = _print_day(case, rng)
    stamp = format_date(printed.date(), form) + printed.strftime(" %H:%M")
    footer = f'"Printed from {system} on {stamp}  -  page " counter(page) " of " counter(pages)'
    css = page_css("A4", "15mm 14mm 16mm", font, pt, footer)
    css += (
        f".ban {{ border-bottom: 2px solid {accent}; padding-bottom: 2mm; width: 100% }} .pr {{"
        f" font-size: 13pt; font-weight: bold; color: {accent} }} h1 {{ font-size: 12pt; margin:"
        " 3mm 0 1mm } .who { width: 100%; margin: 1.5mm 0 2mm } .who td { vertical-align: top;"
        " padding: .3mm 4mm .3mm 0 } .lab { color: #555 } .req { margin: 3mm 0 2mm; break-inside:"
        f" avoid }} .rt {{ font-weight: bold; font-size: 105%; color: {accent}; margin-top: 2.5mm"
        " } .rd { color: #333; margin: .5mm 0 1mm } .res { width: 100%; margin-bottom: 1mm }"
        " .res th { text-align: left; border-bottom: .8px solid #777; padding: .6mm 2mm .6mm 0;"
        " font-weight: bold } .res td { padding: .5mm 2mm .5mm 0; border-bottom: .4px solid"
        " #ddd; vertical-align: top } .fx { table-layout: fixed } .fl { color: #b00020 } .fl,"
        " .nw { white-space: nowrap }"
        " .fc { font-style: italic; color:"
        " #444 } .box { border: .8px solid #bbb; padding: 1.5mm 2.5mm; margin: 2mm 0 3mm;"
        " background: #f6f7f9 } .bt { break-inside: avoid; margin: 1.5mm 0 } .tn { font-weight:"
        " bold } .bt2 { margin-left: 4mm; width: 142mm } .note { color: #555; font-size: 85%;"
        " margin-top: 4mm }"
    )
    colon = rng.choice((":", ""))
    left = [f"<b>{esc(h['name'])}</b>"]
    left += [f'<span class="lab">Date of birth{colon}</span> {esc(h["dob"])}'] if h["dob"] else []
    left += [f'<span class="lab">Gender{colon}</span> {esc(h["sex"])}'] if h["sex"] else []
    left += [f'<span class="lab">Age{colon}</span> {esc(h["age"])}'] if h["age"] else []
    nhs = f"{digits(rng, 3)} {digits(rng, 3)} {digits(rng, 4)}"
    right = [f'<span class="lab">NHS number{colon}</span> {nhs}',
             f'<span class="lab">Usual GP{colon}</span> {esc(rng.choice(GPS_S))}']  # fmt: skip
    street = rng.choice(("Meadow Close", "Church Street", "Holly Avenue", "Mill Lane"))
    right += [f'<span class="lab">Address{colon}</span> {rng.randint(2, 90)} {street}']
    body = [f'<table class="ban"><tr><td><div class="pr">{esc(practice)}</div>{esc(address)}'
            f'</td><td class="r">{esc(system)}<br>Tel 0{digits(rng, 4)} {digits(rng, 6)}</td>'
            "</tr></table>"]  # fmt: skip
    body.append(f"<h1>{rng.choice(('Test results', 'Test results', 'Investigations'))}</h1>")
    body.append(f'<table class="who"><tr><td>{"<br>".join(left)}</td><td>{"<br>".join(right)}'
                "</td></tr></table>")  # fmt: skip
    if view == "blocks":
        body.append(_blocks(case, reqs, form, rng))
    else:
        titles = ", ".join(dict.fromkeys(q.title for q in reqs if q.current))
        days = sorted(q.day for q in reqs if q.day)
        span = f"Showing results from {format_date(days[0], form)} to {format_date(days[-1], form)}"
        body.append(f'<div class="box"><b>Latest request:</b> {esc(titles)}<br>'
                    f"{_details(case, '<br>')}<br>Filed by {esc(rng.choice(GPS_S))}: "
                    f"{esc(reqs[0].comment)}</div><div>{esc(span)}</div>")  # fmt: skip
        newest = rng.random() < 0.6
        body.append(_dated_rows(reqs, form, newest) if view == "rows" else _by_test(reqs, form))
    body.append('<div class="note">Results are shown as the laboratory reported them. If you have'
                " questions about a result, please book a routine appointment; do not use this"
                " service in an emergency. Call 111 or 999.</div>")  # fmt: skip
    return document(css, "".join(body))
