"""The seventh held-out set's pages (see ``heldout7.py``; the same rule: do not read or tune on
these when working on the reader).

A renderer only arranges what the case says was printed. What it adds around the drawn rows
(the other sex's interval, age bands, HbA1c in mmol/mol, hepatitis-B markers, AFP, comments,
identity numbers) comes from the case's own drawn numbers or the render RNG and never holds a
LiverLens test the truth does not know about.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tests.extract.draw import decimals, direction
from tests.extract.layouts import (
    Row,
    barcode,
    dates,
    digits,
    document,
    esc,
    font_for,
    key_of,
    page_css,
    sections,
)
from tests.extract.vocab import FACTOR, FAMILY, FLAG_TEXT, RANGE_DP, format_number, format_range

if TYPE_CHECKING:
    from tests.extract.generate import Case

_M, _F = "male", "female"
Bounds = tuple[float | None, float]
# (sex or None, youngest age, oldest age or None, index of the interval in the profile's
# options for that sex): the lines an interval cell prints for the analyte
Band = tuple[str | None, int | None, int | None, int]


def uses_comma(case: Case) -> bool:
    return bool(case.style["profile"].endswith("_comma"))


def _num(value: float, dp: int, comma: bool) -> str:
    return format_number(value, dp, comma=comma)


def limit_text(
    bounds: Bounds, factor: float, unit: str, forms: Sequence[str], upper: bool, comma: bool
) -> str:
    """An interval printed the way ``draw._limits`` prints the truth's (same decimals, form and
    decimal mark), for the other intervals a cell prints beside it. ``upper``: a lower limit of
    0 is left out ("< 40" for 0-40), as ``_limits`` does on some rows."""
    lo, hi = bounds
    if factor == 1.0:
        dp = max(decimals(hi), decimals(lo or 0), RANGE_DP.get(unit, 0))
    else:
        dp = RANGE_DP.get(unit, 1)
    form = forms[1] if (upper and lo == 0) or lo is None else forms[0]
    if form == "dp1" and dp == 0:
        dp = 1
    lo_v = 0.0 if form == "dash0" or lo is None else round(lo / factor, dp)
    return format_range(form, _num(lo_v, dp, comma), _num(round(hi / factor, dp), dp, comma))


def band_texts(case: Case, analyte: str, ranges: dict, bands: Sequence[Band]) -> list[str] | None:
    """Each band's interval text, or None when the row's printed interval is not the band the
    patient's printed sex and age pick (then the page cannot show the bands truthfully)."""
    row, lab = case.printed[analyte], case.labs[analyte]
    if not row["range"] or analyte not in ranges:
        return None
    mine = [
        b
        for b in bands
        if (b[0] is None or b[0] == case.sex)
        and (case.age is None or ((b[1] or 0) <= case.age <= (b[2] or 200)))
    ]
    if any(b[0] is not None for b in bands) and case.sex is None:
        return None
    if len(mine) != 1 or (case.age is None and any(b[1] is not None for b in mine)):
        return None
    factor = FACTOR[(FAMILY[analyte], lab["unit"])]
    forms, comma = case.style["range_forms"], uses_comma(case)
    for upper in (False, True):

        def text(band: Band, upper: bool = upper) -> str:
            bounds = ranges[analyte][band[0] or _M][band[3]]
            return limit_text(bounds, factor, lab["unit"], forms, upper, comma)

        if text(mine[0]) == row["range"]:
            return [row["range"] if b is mine[0] else text(b) for b in bands]
    return None


def other_sex_text(case: Case, analyte: str, ranges: dict) -> str | None:
    """The other sex's interval from the same kit (the profiles' options are aligned), or None:
    no sex printed, no range, or both sexes the same."""
    if case.sex is None or analyte not in ranges:
        return None
    other = _F if case.sex == _M else _M
    n = len(ranges[analyte][case.sex])
    for i in range(n):
        bands = [(case.sex, None, None, i), (other, None, None, i)]
        texts = band_texts(case, analyte, ranges, bands)
        if texts is not None:
            return None if texts[1] == texts[0] else texts[1]
    return None


def extra_row(
    case: Case,
    key: str,
    name: str,
    value: float,
    dp: int,
    unit: str,
    bounds: Bounds,
    rdp: int = 0,
) -> Row:
    """A row the layout adds (not a LiverLens test), flagged in the report's style; ``rdp``:
    the interval's decimals (at least what its limits need)."""
    comma = uses_comma(case) if case.language == "en" else False
    value = max(round(value, dp), 10.0**-dp)
    lo, hi = bounds
    rdp = max(rdp, decimals(hi), decimals(lo or 0))
    forms = case.style["range_forms"]
    if lo is None:
        text = format_range(forms[1], "0", _num(hi, rdp, comma))
    else:
        text = format_range(forms[0], _num(lo, rdp, comma), _num(hi, rdp, comma))
    way = direction(value, None, lo, hi)
    high, low = FLAG_TEXT[case.style["flag_style"]]
    return {"key": key, "name": name, "value": _num(value, dp, comma), "unit": unit,
            "range": text, "flag": high if way == "high" else low if way == "low" else "",
            "section": "x"}  # fmt: skip


def luhn(digits9: str) -> str:
    total = 0
    for i, ch in enumerate(digits9):
        d = int(ch) * (2 - i % 2)
        total += d // 10 + d % 10
    return str((10 - total % 10) % 10)


def personal_number(case: Case, rng: random.Random) -> str:
    """A Swedish personal identity number: YYMMDD-NNNC, the second-last digit odd for a man.
    When the sex is not printed the digit is random, so the number does not give it away."""
    born = dt.date.fromisoformat(case.header["dob_iso"])
    odd = rng.random() < 0.5 if case.sex is None else case.sex == _M
    serial = f"{rng.randrange(100):02d}{rng.choice('13579' if odd else '02468')}"
    head = born.strftime("%y%m%d") + serial
    return f"{head[:6]}-{serial}{luhn(head)}"


def rows_of(case: Case) -> list[tuple[str, list[Row]]]:
    return [(s, list(rs)) for s, rs in sections(case)]


def value_of(case: Case, key: str) -> float | None:
    row = next((o for o in case.others if o["key"] == key), None)
    if row is None:
        return None
    text = row["value"].replace(",", ".") if uses_comma(case) else row["value"].replace(",", "")
    return float(text)


# --- heldout_m: a European private laboratory's report in English ----------------------------

LABS_M = {  # (name, town, accreditation, laboratory physician, country calling code)
    "nordic": (
        ("Aurora Labmedicin AB", "Stockholm", "SWEDAC ackr. nr 1532", "Dr. Karin Holmgren", "46"),
        ("Nordlab Diagnostik", "Göteborg", "SWEDAC ackr. nr 2271", "Dr. Mikael Sandqvist", "46"),
        ("Medilab Öresund AB", "Malmö", "SWEDAC ackr. nr 1879", "Dr. Elin Åberg", "46"),
    ),
    "continental": (
        ("Labor Rheinblick MVZ", "Düsseldorf", "DAkkS D-ML-13481-02-00", "Dr. med. S. Kessler",
         "49"),
        ("Diagnostisch Centrum Amstelveld", "Amsterdam", "RvA M 214", "dr. H. Vogel", "31"),
        ("MVZ Labor Isartal", "München", "DAkkS D-ML-17203-01-00", "Dr. med. G. Brandt", "49"),
    ),
}  # fmt: skip
TITLES_M = {
    "liver": ("Liver", "Liver function"),
    "chem": ("Clinical chemistry", "General chemistry"),
    "renal": ("Kidney function and electrolytes", "Renal function"),
    "lipid": ("Lipids", "Lipid status"),
    "thyroid": ("Thyroid", "Thyroid function"),
    "haem": ("Haematology", "Blood count"),
    "coag": ("Coagulation", "Coagulation"),
}
# age and sex bands the Nordic interval tables print (see ``band_texts``)
BANDS_M: dict[str, tuple[Band, ...]] = {
    "albumin": ((None, 18, 39, 0), (None, 40, 69, 1), (None, 70, None, 2)),
    "ggt": ((_F, None, None, 0), (_M, 18, 39, 0), (_M, 40, None, 1)),
}
REQUESTERS_M = {
    "nordic": ("Private (self-referral)", "International Health Centre", "Vårdcentral Söder"),
    "continental": ("Praxis Dr. Hoffmann", "Expat Medical Clinic", "Huisartsenpraktijk Zuid"),
}


def _band_label(band: Band) -> str:
    sex = {None: "", _M: "Men", _F: "Women"}[band[0]]
    if band[1] is None:
        age = ""
    elif band[2] is None:
        age = f"≥{band[1]} y"
    else:
        age = f"{band[1]}-{band[2]} y"
    return f"{sex} {age}".strip()


def _interval_m(case: Case, row: Row, sexed: str, ranges: dict, rng: random.Random) -> str:
    """The interval cell: the patient's interval, over the other sex's or among age bands."""
    analyte = row.get("analyte")
    text = esc(row["range"])
    if not analyte or not row["range"] or not sexed:
        return text
    bands = BANDS_M.get(analyte) if case.style["profile"].startswith("nordic") else None
    texts = band_texts(case, analyte, ranges, bands) if bands else None
    if bands and texts and rng.random() < 0.85:
        return "<br>".join(
            f"{esc(_band_label(b))}: {esc(t)}" for b, t in zip(bands, texts, strict=True)
        )
    other = other_sex_text(case, analyte, ranges)
    if other is None:
        return text
    men, women = (text, esc(other)) if case.sex == _M else (esc(other), text)
    if sexed == "lines":
        return f"Men: {men}<br>Women: {women}"
    return f"M: {men}, F: {women}"


def _hba1c(case: Case, rows: list[Row]) -> list[Row]:
    """HbA1c as the European laboratories print it: IFCC mmol/mol, from the drawn %."""
    out = []
    for r in rows:
        if key_of(r) != "hba1c":
            out.append(r)
            continue
        pct = value_of(case, "hba1c") or 5.6
        out.append(extra_row(case, "x_hba1c", "HbA1c (IFCC)", (pct - 2.15) * 10.929, 0,
                             "mmol/mol", (27, 42)))  # fmt: skip
    return out


def _comments_m(case: Case, keys: set[str], nordic: bool, rng: random.Random) -> list[str]:
    c = uses_comma(case)
    out = []
    if nordic:
        out.append("Reference intervals according to NORIP (Nordic Reference Interval Project).")
    alt = case.labs.get("alt")
    if alt and case.flags.get("alt") == "high" and "upper_limit" in alt:
        dp = 2 if alt["unit"] == "ukat/L" else 0
        twice = _num(alt["upper_limit"] * 2, dp, c)
        out.append(f"ALT above the reference interval. Suggest a repeat test in 4{'-'}6 weeks; if"
                   f" ALT stays above {twice} {case.printed['alt']['unit']} (2 x the upper limit),"
                   " further investigation is recommended.")  # fmt: skip
    if "egfr" in keys:
        out.append("eGFR calculated with CKD-EPI (2021). An eGFR below 60 mL/min/1"
                   f"{',' if c else '.'}73 m² for more than 3 months suggests chronic kidney"
                   " disease.")  # fmt: skip
    if "x_hba1c" in keys:
        out.append("HbA1c ≥ 48 mmol/mol is consistent with diabetes (WHO 2011).")
    if "ldl" in keys and rng.random() < 0.7:
        out.append(f"Treatment target for LDL cholesterol: < {_num(1.8, 1, c)} mmol/L at high"
                   f" and < {_num(1.4, 1, c)} mmol/L at very high cardiovascular risk"
                   " (ESC 2019).")  # fmt: skip
    if "ast" in keys and rng.random() < 0.25:
        out.append("Slight haemolysis (H-index 45): AST and potassium may be falsely raised.")
    return out


def _split_m(blocks: list[tuple[str, list[Row]]], rng: random.Random) -> tuple[int, int] | None:
    """Where page 1 ends inside a section: (section, row). Counted in row heights (a section's
    heads count 2.5; page 1 holds some 45 under the patient block), the break goes inside a
    section once at least half the report (and 24 heights) is on page 1, so the page is well
    filled before the section runs on. None when no section's inside falls there."""
    total = sum(2.5 + len(rows) for _, rows in blocks)
    used, spots = 0.0, []
    for i, (_, rows) in enumerate(blocks):
        used += 2.5
        for j in range(len(rows)):
            if j > 0 and max(24.0, total / 2) <= used <= 40:
                spots.append((i, j))
            used += 1
    return rng.choice(spots) if spots else None


def render_heldout_m(case: Case, rng: random.Random) -> str:
    h = case.header
    nordic = case.style["profile"].startswith("nordic")
    from tests.extract.heldout7 import CONTINENTAL_RANGES, NORDIC_RANGES

    ranges = NORDIC_RANGES if nordic else CONTINENTAL_RANGES
    lab, town, accreditation, doctor, country = rng.choice(
        LABS_M["nordic" if nordic else "continental"]
    )
    font = font_for(case, rng, ("DejaVu Sans", "DejaVu Sans Condensed", "DejaVu Serif"))
    pt = rng.choice((8.6, 9.0, 9.4))
    accent = rng.choice(("#1f4e79", "#2e6b30", "#7a1f3d", "#333333"))
    flag_pos = rng.choice(("glue", "after_result", "end", "end"))
    sexed = rng.choice(("lines", "lines", "inline", ""))
    heads = rng.choice((("Analysis", "Result", "Unit", "Reference interval"),
                        ("Analysis", "Result", "Unit", "Ref. interval"),
                        ("Test", "Result", "Units", "Reference range")))  # fmt: skip
    titles = rng.randrange(2)
    sample_id = f"{rng.randint(24, 25)}-{digits(rng, 7)}"
    pid = personal_number(case, rng) if nordic else None
    footer = '"Page " counter(page) " of " counter(pages)'
    css = page_css("A4", "34mm 16mm 18mm", font, pt, footer)
    css += (
        "@page { @top-center { content: element(hdr); width: 100%; vertical-align: bottom;"
        " padding-bottom: 2mm } }"
        f".hdr {{ position: running(hdr); border-bottom: 1.6px solid {accent} }}"
        f" .hdr .lab {{ font-size: 14pt; font-weight: bold; color: {accent} }} .hdr td {{"
        " vertical-align: bottom } .hdr .who { font-size: 90% } .pt { width: 100%; margin:"
        " 1mm 0 4mm; border: .6px solid #999 } .pt td { padding: 1.2mm 2mm; vertical-align:"
        " top; width: 50% } .k { color: #555; display: inline-block; width: 40mm }"
        " .res { width: 100%; margin-bottom: 4mm } .res th { text-align: left; font-weight:"
        f" normal; color: #444; border-bottom: .8px solid #666; padding: 1mm 1.5mm }} .res .st"
        f" th {{ color: {accent}; font-weight: bold; font-size: 105%; border-bottom: none;"
        " padding-top: 2mm } .res td { padding: .9mm 1.5mm; border-bottom: .3px solid #ddd;"
        " vertical-align: top } .res td.f { width: 6mm; font-weight: bold } .hi { font-weight:"
        " bold } .cont { break-before: page } .cont td { color: #666; font-style: italic;"
        " border-bottom: none } .cm { border-top: .6px solid #999; padding-top: 2mm; margin-top:"
        " 2mm } .cm p { margin: .8mm 0 } .sig { margin-top: 5mm; color: #333 }"
    )
    who = [esc(h["name"])] + ([esc(pid)] if pid else [])
    body = [
        f'<table class="hdr" style="width:100%"><tr><td><div class="lab">{esc(lab)}</div>'
        f"<div>Laboratory medicine · {esc(town)} · {esc(accreditation)}</div></td>"
        f'<td class="r who">LABORATORY REPORT<br>{" · ".join(who)}<br>Sample ID {sample_id}'
        "</td></tr></table>"
    ]
    left = [("Name:", h["name"])]
    left += [("Personal identity no.:", pid)] if pid else [("Patient no.:", digits(rng, 9))]
    left += [("Date of birth:", h["dob"])] if h["dob"] else []
    left += [("Sex:", h["sex"])] if h["sex"] else []
    left += [("Age:", h["age"].removeprefix("Age: "))] if h["age"] else []
    right = [
        *dates(h),
        ("Requested by:", rng.choice(REQUESTERS_M["nordic" if nordic else "continental"])),
    ]
    right += [("Material:", rng.choice(("Plasma (Li-heparin)", "Serum", "Plasma, EDTA blood")))]

    def cells(items: list[tuple[str, str]]) -> str:
        return "<br>".join(f'<span class="k">{esc(k)}</span>{esc(v)}' for k, v in items)

    body.append(f'<table class="pt"><tr><td>{cells(left)}</td><td>{cells(right)}</td></tr></table>')
    blocks = [(s, _hba1c(case, rs)) for s, rs in rows_of(case)]
    split = _split_m(blocks, rng) if rng.random() < 0.5 else None
    ncols = 5 if flag_pos != "glue" else 4
    keys: set[str] = set()
    for i, (section, rows) in enumerate(blocks):
        name = TITLES_M.get(section, ("Other",) * 2)[titles]
        th = [*heads[:2], *([""] if flag_pos == "after_result" else []), *heads[2:]]
        th += [""] if flag_pos == "end" else []
        head = (f'<tr class="st"><th colspan="{ncols}">{esc(name)}</th></tr><tr>'
                + "".join(f"<th>{esc(x)}</th>" for x in th) + "</tr>")  # fmt: skip
        trs = []
        for j, r in enumerate(rows):
            keys.add(key_of(r))
            if (i, j) == split:
                trs.append(f'<tr class="cont"><td colspan="{ncols}">{esc(name)} (continued)'
                           "</td></tr>")  # fmt: skip
            flag = r["flag"]
            gap = "" if flag == "*" else " "
            value = esc(r["value"]) + (esc(gap + flag) if flag and flag_pos == "glue" else "")
            mark = ' class="hi"' if flag else ""
            tds = [f"<td>{esc(r['name'])}</td>", f"<td{mark}>{value}</td>"]
            if flag_pos == "after_result":
                tds.append(f'<td class="f">{esc(flag)}</td>')
            tds += [f"<td>{esc(r['unit'])}</td>",
                    f"<td>{_interval_m(case, r, sexed, ranges, rng)}</td>"]  # fmt: skip
            if flag_pos == "end":
                tds.append(f'<td class="f">{esc(flag)}</td>')
            trs.append(f"<tr>{''.join(tds)}</tr>")
        cols = "".join(f'<col style="width:{w}%">' for w in (34, 13, 5, 12, 30)[:ncols])
        if flag_pos != "after_result":
            cols = "".join(f'<col style="width:{w}%">' for w in (36, 14, 13, 31, 6)[:ncols])
        body.append(f'<table class="res">{cols}<thead>{head}</thead><tbody>{"".join(trs)}'
                    "</tbody></table>")  # fmt: skip
    high, low = FLAG_TEXT[case.style["flag_style"]]
    legend = (f"Results marked {high} are outside the reference interval." if high == low
              else f"{high} = above, {low} = below the reference interval.")  # fmt: skip
    notes = "".join(f"<p>{esc(n)}</p>" for n in [legend, *_comments_m(case, keys, nordic, rng)])
    body.append(f'<div class="cm"><b>Comment</b>{notes}</div>')
    tel = f"+{country} {digits(rng, 2)} {digits(rng, 3)} {digits(rng, 4)}"
    body.append(
        f'<div class="sig">Electronically approved by {esc(doctor)}, specialist in clinical'
        f" chemistry. {esc(lab)}, {esc(town)}. Tel. {tel}.</div>"
    )
    return document(css, "".join(body))


# --- heldout_n: a Chinese third-party medical laboratory's report ----------------------------

LABS_N = (  # (name, its English line, telephone prefix)
    ("杭州瑞衡医学检验实验室", "HANGZHOU RUIHENG CLINICAL LABORATORY", "0571"),
    ("广州和信医学检验所", "GUANGZHOU HEXIN MEDICAL LABORATORY", "020"),
    ("南京康泽医学检验所", "NANJING KANGZE MEDICAL LABORATORY", "025"),
    ("成都明德第三方医学检验中心", "CHENGDU MINGDE INDEPENDENT LABORATORY", "028"),
)
SENDERS_N = ("青溪县人民医院", "东城区社区卫生服务中心", "仁和门诊部", "江北镇卫生院")
SENDERS_N += ("瑞康体检中心", "华美妇产医院")
DOCTORS_N = ("李建国", "陈晓", "周敏", "王海燕", "赵磊", "孙婷")
STAFF_N = ("刘洋", "黄静", "吴昊", "郑丽", "马骏", "何欣")
DIAGNOSES_N = ("肝功能异常", "慢性乙型病毒性肝炎", "脂肪肝", "体检", "黄疸待查", "肝硬化")
ABBR_N = {"alt": "ALT", "ast": "AST", "alp": "ALP", "ggt": "GGT", "bilirubin": "TBIL"}
ABBR_N |= {"direct_bilirubin": "DBIL", "albumin": "ALB", "platelets": "PLT", "inr": "INR"}
ABBR_N |= {"ck": "CK", "creatinine": "CREA", "sodium": "Na", "bile_acids": "TBA"}
ABBR_N |= {"x_ada": "ADA", "x_afp": "AFP", "x_hbsag": "HBsAg", "x_hbsab": "Anti-HBs"}
ABBR_N |= {"x_hbeag": "HBeAg", "x_hbeab": "Anti-HBe", "x_hbcab": "Anti-HBc"}
METHOD_N = {"alt": "速率法", "ast": "速率法", "alp": "速率法", "ggt": "速率法", "ck": "速率法"}
METHOD_N |= {"bilirubin": "钒酸盐氧化法", "direct_bilirubin": "钒酸盐氧化法", "ibil": "计算法"}
METHOD_N |= {"albumin": "溴甲酚绿法", "total_protein": "双缩脲法", "globulin": "计算法"}
METHOD_N |= {"ag_ratio": "计算法", "prealbumin": "免疫比浊法", "bile_acids": "酶循环法"}
METHOD_N |= {"cholinesterase": "速率法", "x_ada": "过氧化物酶法", "creatinine": "肌氨酸氧化酶法"}
METHOD_N |= {"sodium": "离子选择电极法", "potassium": "离子选择电极法", "platelets": "电阻抗法"}
METHOD_N |= {"inr": "凝固法", "pt": "凝固法", "x_afp": "化学发光法"}
# (key, name, unit, reference, cut-off, whether a value over the cut-off is negative)
HBV_N = (
    ("x_hbsag", "乙肝表面抗原", "IU/mL", "<0.05", 0.05, False),
    ("x_hbsab", "乙肝表面抗体", "mIU/mL", "<10.00", 10.0, False),
    ("x_hbeag", "乙肝e抗原", "S/CO", "<1.00", 1.0, False),
    ("x_hbeab", "乙肝e抗体", "S/CO", ">1.00", 1.0, True),
    ("x_hbcab", "乙肝核心抗体", "S/CO", "<1.00", 1.0, False),
)
# a woman's ALP by age and both sexes' (see ``band_texts``)
BANDS_N: dict[str, tuple[Band, ...]] = {"alp": ((_M, None, None, 0), (_F, 20, 49, 0),
                                                (_F, 50, None, 1))}  # fmt: skip


def _abbr(row: Row) -> str:
    from tests.extract.vocab import OTHER_BY_KEY

    key = key_of(row)
    if key in ABBR_N:
        return ABBR_N[key]
    other = OTHER_BY_KEY.get(key)
    return other.zh.split("(")[1].rstrip(")") if other and "(" in other.zh else ""


def _hbv(case: Case, rng: random.Random) -> list[Row]:
    """The five hepatitis-B markers: qualitative, each with its measured value."""
    carrier = case.style["condition"] in ("hepatitis", "cirrhosis") and rng.random() < 0.7
    vaccinated = not carrier and rng.random() < 0.6
    values = {
        "x_hbsag": rng.uniform(250, 4800) if carrier else rng.uniform(0.0, 0.03),
        "x_hbsab": rng.uniform(0.5, 6) if carrier or not vaccinated else rng.uniform(15, 600),
        "x_hbeag": rng.uniform(0.2, 0.6)
        if not carrier or rng.random() < 0.6
        else rng.uniform(2, 900),
        "x_hbeab": rng.uniform(0.01, 0.6) if carrier else rng.uniform(1.3, 2.2),
        "x_hbcab": rng.uniform(6, 12) if carrier else rng.uniform(0.05, 0.4),
    }
    form = rng.randrange(2)
    out = []
    for key, name, unit, ref, cut, inverse in HBV_N:
        v = values[key]
        positive = (v <= cut) if inverse else (v >= cut)
        word = "阳性(+)" if positive else "阴性(-)"
        num = f"{v:.3f}" if v < 1 else f"{v:.2f}"
        result = f"{word} {num}" if form == 0 else f"{num}({word[:2]})"
        out.append({"key": key, "name": name, "value": result, "unit": unit, "range": ref,
                    "flag": "", "section": "hbv"})  # fmt: skip
    return out


def _rows_n(case: Case, rng: random.Random) -> list[tuple[str, list[Row]]]:
    blocks = []
    for section, rows in rows_of(case):
        if section == "liver" and rng.random() < 0.7:
            ada = extra_row(case, "x_ada", "腺苷脱氨酶", rng.gauss(13, 4), 0, "U/L", (4, 24))
            rows = [*rows, ada]
        blocks.append((section, rows))
    if rng.random() < 0.75:
        blocks.append(("hbv", _hbv(case, rng)))
    if rng.random() < 0.6:
        afp = rng.lognormvariate(1.0, 0.5) * (8 if case.style["condition"] == "cirrhosis" else 1)
        afp_row = extra_row(case, "x_afp", "甲胎蛋白", afp, 2, "ng/mL", (None, 7.0), 1)
        blocks.append(("tumour", [afp_row]))
    return blocks


TITLES_N = {"liver": "肝功能", "chem": "生化", "renal": "肾功能/电解质", "lipid": "血脂"}
TITLES_N |= {"thyroid": "甲状腺功能", "haem": "血常规", "coag": "凝血功能"}
TITLES_N |= {"hbv": "乙肝五项定量", "tumour": "肿瘤标志物"}


def _interval_n(case: Case, row: Row, sexed: bool, ranges: dict, rng: random.Random) -> str:
    analyte = row.get("analyte")
    text = esc(row["range"])
    if not analyte or not row["range"] or not sexed:
        return text
    bands = BANDS_N.get(analyte)
    texts = band_texts(case, analyte, ranges, bands) if bands else None
    if bands and texts and rng.random() < 0.8:
        labels = ("男", "女(20-49岁)", "女(≥50岁)")
        return "<br>".join(f"{lab}:{esc(t)}" for lab, t in zip(labels, texts, strict=True))
    other = other_sex_text(case, analyte, ranges)
    if other is None:
        return text
    men, women = (text, esc(other)) if case.sex == _M else (esc(other), text)
    return f"男:{men}{rng.choice(('<br>', ' '))}女:{women}"


def render_heldout_n(case: Case, rng: random.Random) -> str:
    from tests.extract.heldout7 import THIRD_PARTY_RANGES

    h = case.header
    font = font_for(case, rng)
    lab, lab_en, area = rng.choice(LABS_N)
    pt = rng.choice((8.2, 8.6, 9.0))
    accent = rng.choice(("#0d5aa7", "#00796b", "#8b1a1a"))
    numbered = rng.random() < 0.75
    method = rng.random() < 0.6
    abbr_first = rng.random() < 0.35
    sexed = rng.random() < 0.6
    headed = rng.random() < 0.5  # group headings inside the table
    bar = digits(rng, 10)
    cols = (["序号"] if numbered else []) + (["英文缩写", "检测项目"] if abbr_first
                                            else ["检测项目", "英文缩写"])  # fmt: skip
    cols += ["结果", "提示", "单位", "参考区间"] + (["检测方法"] if method else [])
    blocks = _rows_n(case, rng)
    flat = [r for _, rs in blocks for r in rs]
    # a split report's grid holds 15-20 rows a page, rows spaced out to fill it
    cut = rng.randint(15, 20) if rng.random() < 0.6 else 99
    cut = cut if len(flat) >= cut + 2 else -1
    footer = '"第" counter(page) "页/共" counter(pages) "页"'
    css = page_css("A4", "58mm 12mm 16mm", font, pt, footer)
    pad = 1.6 if cut > 0 else 0.8
    css += (
        "@page { @top-center { content: element(hdr); width: 100%; vertical-align: bottom;"
        " padding-bottom: 2mm } }"
        ".hdr { position: running(hdr) } .hdr .t { text-align: center; font-size: 16pt;"
        f" font-weight: bold; color: {accent}; letter-spacing: 1px }} .hdr .e {{ text-align:"
        " center; font-size: 7.5pt; color: #666; letter-spacing: 1px } .hdr .s { text-align:"
        " center; font-size: 12.5pt; font-weight: bold; margin: 1mm 0 } .info { width: 100%;"
        f" border-top: 1.4px solid {accent}; border-bottom: .8px solid #444 }} .info td {{"
        " padding: .8mm 1mm; white-space: nowrap } .res { width: 100% } .res th { text-align:"
        " left; font-weight: bold; border-bottom: .8px solid #444; padding: 1.2mm 1mm }"
        f" .res td {{ padding: {pad}mm 1mm; border-bottom: .3px dotted #bbb; vertical-align: top }}"
        " .res .g td { font-weight: bold; padding-top: 2mm; border-bottom: none } .res .brk {"
        " break-before: page } .res .brk td { border-bottom: none; color: #666 } .up { color:"
        " #c62828; font-weight: bold } .dn { color: #1565c0; font-weight: bold } .ft {"
        " margin-top: 4mm; border-top: .8px solid #444; padding-top: 2mm; line-height: 1.6 }"
        " .ft span { display: inline-block; margin-right: 8mm; white-space: nowrap }"
    )
    dates_in_header = rng.random() < 0.5
    info = [("姓名", h["name"]), ("性别", h["sex"] or ""), ("年龄", h["age"] or "")]
    info += [
        ("条码号", bar),
        ("送检单位", rng.choice(SENDERS_N)),
        ("送检医生", rng.choice(DOCTORS_N)),
    ]
    info += [("科室", rng.choice(("门诊", "消化内科", "感染科", "体检科")))]
    info += [("样本类型", "血清" + ("/全血" if "platelets" in case.labs else ""))]
    info += [("临床诊断", rng.choice(DIAGNOSES_N)), ("门诊/住院号", digits(rng, 8))]
    stamps = [(label.rstrip("：:"), text) for label, text in dates(h)]
    if dates_in_header:
        info += stamps
    cells = [f"<td>{esc(k)}：{esc(v)}</td>" for k, v in info]
    grid = "".join("<tr>" + "".join(cells[i : i + 4]) + "</tr>" for i in range(0, len(cells), 4))
    body = [
        f'<div class="hdr"><table style="width:100%"><tr><td style="width:25%">'
        f'{barcode(rng, 38, 9)}<div class="small">{bar}</div></td><td><div class="t">{esc(lab)}'
        f'</div><div class="e">{esc(lab_en)}</div><div class="s">检验报告单</div></td>'
        f'<td style="width:25%" class="r small">报告编号：{digits(rng, 12)}</td></tr></table>'
        f'<table class="info">{grid}</table></div>'
    ]
    n, trs = 0, []
    for section, rows in blocks:
        if headed:
            trs.append(
                f'<tr class="g"><td colspan="{len(cols)}">{esc(TITLES_N[section])}</td></tr>'
            )
        for r in rows:
            if n == cut:
                trs.append(f'<tr class="brk"><td colspan="{len(cols)}">（续上页）</td></tr>')
            n += 1
            way = "high" if r["flag"] and r["flag"] in "↑H" else "low" if r["flag"] else ""
            mark = ' class="up"' if way == "high" else ' class="dn"' if way == "low" else ""
            name_cells = [f"<td>{esc(r['name'])}</td>", f"<td>{esc(_abbr(r))}</td>"]
            tds = [f"<td>{n}</td>"] if numbered else []
            tds += name_cells[::-1] if abbr_first else name_cells
            tds += [f"<td{mark}>{esc(r['value'])}</td>", f"<td{mark}>{esc(r['flag'])}</td>"]
            tds += [f"<td>{esc(r['unit'])}</td>"]
            tds += [f"<td>{_interval_n(case, r, sexed, THIRD_PARTY_RANGES, rng)}</td>"]
            if method:
                tds.append(f"<td>{esc(METHOD_N.get(key_of(r), '—'))}</td>")
            trs.append(f"<tr>{''.join(tds)}</tr>")
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body.append(f'<table class="res"><thead><tr>{head}</tr></thead><tbody>{"".join(trs)}'
                "</tbody></table>")  # fmt: skip
    staff = rng.sample(STAFF_N, 2)
    foot = [] if dates_in_header else stamps
    foot += [("检验者", staff[0]), ("审核者", staff[1])]
    spans = "".join(f"<span>{esc(k)}：{esc(v)}</span>" for k, v in foot)
    phone = f"{area}-{digits(rng, 8)}"
    body.append(
        f'<div class="ft">{spans}<br>备注：本报告仅对所检测标本负责。结果仅供临床参考，如有疑问请于'
        f"收到报告后7日内与本实验室联系，服务热线：400-{digits(rng, 3)}-{digits(rng, 4)}，"
        f"电话：{phone}。标本保存期限：血清标本自接收之日起保存7天。<br>声明：{esc(lab)}"
        f"（医疗机构执业许可证号：{digits(rng, 8)}）已通过ISO 15189认可（注册号 CNAS"
        f" MT{digits(rng, 4)}）。</div>"
    )
    return document(css, "".join(body), lang="zh")
