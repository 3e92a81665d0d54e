"""The eighth held-out set's pages (see ``heldout8.py``; the same rule: do not read or tune on
these when working on the reader).

A renderer only arranges what the case says was printed. What it adds around the drawn rows
(the BUN/creatinine ratio, the AST/ALT ratio, ADA, eGFR's "> OR = 60", "(calc)", comments,
site codes, identifiers) comes from the case's own drawn numbers or the render RNG and never
holds a LiverLens test the truth does not know about.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from tests.extract.draw import direction
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
from tests.extract.vocab import FLAG_TEXT, OTHER_BY_KEY, format_number, format_range

if TYPE_CHECKING:
    from tests.extract.generate import Case

Bounds = tuple[float | None, float]


def _value_of(rows: dict[str, Row], key: str) -> float | None:
    row = rows.get(key)
    if row is None or row["value"][:1] in "<>":
        return None
    try:
        return float(row["value"].replace(",", ""))
    except ValueError:
        return None


def _extra(case: Case, key: str, name: str, value: float, dp: int, unit: str,
           bounds: Bounds | None, section: str = "x") -> Row:  # fmt: skip
    """A row the layout adds (not a LiverLens test), flagged in the report's style."""
    value = max(round(value, dp), 10.0**-dp)
    text, way = "", ""
    if bounds is not None:
        lo, hi = bounds
        forms = case.style["range_forms"]
        hi_t = format_number(hi, dp)
        text = (
            format_range(forms[1], "0", hi_t)
            if lo is None
            else format_range(forms[0], format_number(lo, dp), hi_t)
        )
        way = direction(value, None, lo, hi)
    high, low = FLAG_TEXT[case.style["flag_style"]]
    return {"key": key, "name": name, "value": format_number(value, dp), "unit": unit,
            "range": text, "flag": high if way == "high" else low if way == "low" else "",
            "section": section}  # fmt: skip


# --- heldout_o: a US commercial reference laboratory ------------------------------------------

LABS_O = (  # (name, street, town, laboratory director)
    ("Meridian Reference Laboratories", "1290 Wallace Street West", "Lyndhurst, NJ 07071",
     "Harold J. Beck, MD"),
    ("Pinecrest Clinical Laboratories", "4770 Regent Boulevard", "Irving, TX 75063",
     "Sandra L. Okoye, MD, PhD"),
    ("Summit BioReference Labs", "33608 Ortega Highway", "San Juan Capistrano, CA 92675",
     "Victor M. Haddad, MD"),
    ("Great Lakes Laboratory Corporation", "1447 York Court", "Burlington, NC 27215",
     "Renee T. Castillo, MD"),
)  # fmt: skip
SITES_O = ("EZ", "Z4M", "TP", "AMD", "SLI", "01", "BN")
CLINICS_O = ("Riverside Family Medicine", "Lakeview Internal Medicine Assoc", "Oak Hill Primary")
CLINICS_O += ("Harbor Gastroenterology PC", "Westgate Health Partners")
DOCTORS_O = ("WHITCOMBE, ANDREW", "LONSDALE, RACHEL", "ASHDOWN, KEVIN", "PATEL, NIRAV")
DOCTORS_O += ("GREER, THOMAS", "NATARAJAN, PRIYA")
# blocks after the main panel: (title, keys in print order); a block needs two of its tests
GROUPS_O = (
    ("HEPATIC FUNCTION PANEL", ("total_protein", "albumin", "globulin", "ag_ratio", "bilirubin",
                                "direct_bilirubin", "ibil", "alp", "ast", "alt")),
    ("BASIC METABOLIC PANEL", ("glucose", "urea", "creatinine", "egfr", "x_bun_cr", "sodium",
                               "potassium", "chloride", "bicarbonate", "calcium")),
    ("CBC (INCLUDES DIFF/PLT)", ("wbc", "rbc", "haemoglobin", "mcv", "platelets")),
    ("LIPID PANEL, STANDARD", ("cholesterol", "hdl", "triglycerides", "ldl")),
    ("PROTHROMBIN TIME-INR", ("pt", "inr")),
)  # fmt: skip
MAIN_O = {"reflab_cmp": "COMPREHENSIVE METABOLIC PANEL", "reflab_annual": "COMPREHENSIVE "
          "METABOLIC PANEL", "reflab_hfp": "HEPATIC FUNCTION PANEL"}  # fmt: skip
CMP_ORDER = ("glucose", "urea", "creatinine", "egfr", "x_bun_cr", "sodium", "potassium")
CMP_ORDER += ("chloride", "bicarbonate", "calcium", "total_protein", "albumin", "globulin")
CMP_ORDER += ("ag_ratio", "bilirubin", "alp", "ast", "alt")
CALC = {"globulin", "ag_ratio", "ibil", "x_bun_cr", "ldl"}


def _restyle_o(case: Case, rows: dict[str, Row], rng: random.Random) -> None:
    """Reference-laboratory habits on the other rows (copies; the case is left alone): eGFR
    against "> OR = 60", blood counts in the platelets' unit style, the BUN/creatinine ratio."""
    upper = all(r["name"] == r["name"].upper() for r in case.printed.values())
    low = FLAG_TEXT[case.style["flag_style"]][1]
    if "egfr" in rows:
        v = _value_of(rows, "egfr") or 90.0
        rows["egfr"] |= {"range": "> OR = 60", "flag": low if v < 60 else ""}
    plt = case.printed.get("platelets", {}).get("unit", rng.choice(("Thousand/uL", "x10E3/uL")))
    if "wbc" in rows:
        rows["wbc"]["unit"] = plt
    if "rbc" in rows:
        rows["rbc"]["unit"] = "Million/uL" if plt.startswith("Thousand") else "x10E6/uL"
    bun, cr = _value_of(rows, "urea"), _value_of(rows, "creatinine")
    if bun is not None and cr is not None and "x_bun_cr" not in rows:
        name = "BUN/Creatinine Ratio"
        name = name.upper() if upper else name
        ratio = _extra(case, "x_bun_cr", name, bun / cr, 0, "", (6, 22), "renal")
        if not rows["urea"]["flag"] and not rows["creatinine"]["flag"]:
            ratio |= {"value": "NOT APPLICABLE", "flag": ""}
        rows["x_bun_cr"] = ratio


def _blocks_o(case: Case, rng: random.Random) -> list[tuple[str | None, list[Row]]]:
    """The ordered tests: the main panel, the other panels with two or more of their tests
    present, then each test ordered alone (its own name is its heading)."""
    rows = {key_of(r): dict(r) for _, rs in sections(case) for r in rs}
    _restyle_o(case, rows, rng)
    profile = case.style["profile"]
    main = CMP_ORDER if profile != "reflab_hfp" else GROUPS_O[0][1]
    blocks: list[tuple[str | None, list[Row]]] = [
        (MAIN_O[profile], [rows.pop(k) for k in main if k in rows])
    ]
    for heading, keys in GROUPS_O:
        present = [k for k in keys if k in rows]
        if len(present) >= 2:
            if heading.startswith("CBC") and "platelets" not in present:
                heading = "CBC (H/H, RBC, INDICES, WBC)"
            blocks.append((heading, [rows.pop(k) for k in present]))
    blocks += [(None, [r]) for r in rows.values()]
    return blocks


def _notes_o(case: Case, keys: set[str], rng: random.Random) -> list[str]:
    out = []
    if "egfr" in keys:
        out.append("eGFR: The eGFR is calculated with the CKD-EPI 2021 equation, without a race"
                   " coefficient. An eGFR below 60 mL/min/1.73m2 for 3 months or longer is"
                   " consistent with chronic kidney disease.")  # fmt: skip
    if "glucose" in keys:
        fasting = rng.random() < 0.5
        out.append(("Fasting reference interval. " if fasting else "Non-fasting reference"
                    " interval. ") + "For someone without known diabetes, a glucose value"
                   " between 100 and 125 mg/dL is consistent with prediabetes and should be"
                   " confirmed with a follow-up test.")  # fmt: skip
    if "ldl" in keys:
        out.append("Desirable range <100 mg/dL for primary prevention; <70 mg/dL for patients"
                   " with CHD or diabetic patients with > or = 2 CHD risk factors. LDL-C is"
                   " now calculated using the Martin-Hopkins calculation.")  # fmt: skip
    if "hba1c" in keys:
        out.append("For the purpose of screening for the presence of diabetes: <5.7% consistent"
                   " with the absence of diabetes, 5.7-6.4% with increased risk, >=6.5%"
                   " consistent with diabetes.")  # fmt: skip
    if rng.random() < 0.4:
        out.append(f"Specimen received at {rng.randint(2, 8)} degrees C. Results were reviewed"
                   " and released.")  # fmt: skip
    return out


def _cells_o(row: Row, site: str, cols: dict[str, bool], indent: bool) -> str:
    flag = row["flag"]
    value = esc(row["value"])
    out_cell = f'<td class="oor">{value} {esc(flag)}</td>' if flag else "<td></td>"
    in_cell = "<td></td>" if flag else f"<td>{value}</td>"
    calc = " (calc)" if key_of(row) in CALC and row["range"] else ""
    name = esc(row["name"]) if indent else f"<b>{esc(row['name'])}</b>"
    tds = [f'<td class="{"ind" if indent else "solo"}">{name}</td>', in_cell, out_cell]
    if cols["units"]:
        tds += [f"<td>{esc(row['range'])}{calc}</td>", f'<td class="u">{esc(row["unit"])}</td>']
    else:
        ref = " ".join(x for x in (row["range"], row["unit"]) if x)
        tds.append(f"<td>{esc(ref)}{calc}</td>")
    if cols["lab"]:
        tds.append(f"<td>{esc(site)}</td>")
    return f"<tr>{''.join(tds)}</tr>"


def render_heldout_o(case: Case, rng: random.Random) -> str:
    h = case.header
    lab, street, town, director = rng.choice(LABS_O)
    font = font_for(case, rng, ("DejaVu Sans", "DejaVu Sans Condensed", "DejaVu Serif"))
    pt = rng.choice((8.4, 8.8, 9.2))
    accent = rng.choice(("#00558c", "#1b365d", "#006b3f", "#444444"))
    cols = {"units": rng.random() < 0.35, "lab": rng.random() < 0.85}
    sites = rng.sample(SITES_O, 2)
    clia = f"{digits(rng, 2)}D{digits(rng, 7)}"
    specimen = f"{rng.choice('ABCDEFGHJKLMNPRSTW')}{rng.choice('ABCDEFGHJKLMNPRSTW')}"
    specimen += digits(rng, 6) + rng.choice("ABCDE")
    footer = '"Page " counter(page) " of " counter(pages)'
    css = page_css("Letter", "17mm 13mm 16mm", font, pt, footer)
    css += (
        "@page { @top-center { content: element(strip); width: 100%; vertical-align: bottom;"
        " padding-bottom: 2mm } } @page :first { @top-center { content: none } }"
        f".strip {{ position: running(strip); border-bottom: 1px solid {accent}; font-size: 80%;"
        " color: #333 } .strip td { padding: .5mm 0 }"
        f" .lh {{ width: 100%; border-bottom: 2.4px solid {accent}; margin-bottom: 2mm }}"
        f" .lh .n {{ font-size: 15pt; font-weight: bold; color: {accent} }} .lh td {{"
        " vertical-align: bottom } .box { width: 100%; border: .8px solid #888; margin-bottom:"
        " 3mm } .box td { vertical-align: top; padding: 1mm 2mm; width: 30% } .box td.sp {"
        " width: 40%; white-space: nowrap } .box th {"
        f" text-align: left; background: {accent}; color: #fff; padding: .8mm 2mm; font-size:"
        " 90% } .res { width: 100% } .res th { text-align: left; font-size: 88%; border-bottom:"
        " 1.2px solid #222; padding: 1mm 1.5mm } .res td { padding: .8mm 1.5mm; border-bottom:"
        " .3px solid #ddd; vertical-align: top } .res .ph td { font-weight: bold; padding-top:"
        " 2.4mm; border-bottom: none } .res td.ind { padding-left: 5mm } .ind, .solo, .u, .res th {"
        " white-space: nowrap } .oor { font-weight:"
        " bold } .notes { margin-top: 4mm; border-top: .8px solid #888; padding-top: 1.5mm }"
        " .notes p { margin: .8mm 0 } .legend { margin-top: 3mm; font-size: 80%; color: #333 }"
    )
    strip = (f'<table class="strip" style="width:100%"><tr><td><b>{esc(lab)}</b></td>'
             f"<td>Patient: {esc(h['name'])}</td><td>Specimen: {specimen}</td>"
             '<td class="r">Patient Report (continued)</td></tr></table>')  # fmt: skip
    body = [
        strip,
        f'<table class="lh"><tr><td><div class="n">{esc(lab)}</div><div class="small">'
        f'{esc(street)}, {esc(town)} · CLIA: {clia}</div></td><td class="r">'
        f'{barcode(rng, 36, 8)}<div class="b">Patient Report</div><div class="small">'
        f"Report Status: {rng.choice(('Final', 'FINAL', 'Final Report'))}</div></td></tr>"
        "</table>",
    ]
    patient = [f"<b>{esc(h['name'])}</b>"]
    patient += [f"DOB: {esc(h['dob'])}"] if h["dob"] else []
    if h["age"] and h["sex"] in ("M", "F") and h["age"].isdigit() and rng.random() < 0.6:
        patient.append(f"Age/Sex: {esc(h['age'])}/{esc(h['sex'])}")
    else:
        patient += [f"Age: {esc(h['age'])}"] if h["age"] else []
        patient += [f"Sex: {esc(h['sex'])}"] if h["sex"] else []
    patient += [f"Patient ID: {digits(rng, 8)}", f"Phone: (555) {digits(rng, 3)}-{digits(rng, 4)}"]
    patient += [f"Fasting: {rng.choice(('Y', 'N', 'U'))}"]
    spec = [f"Specimen ID: {specimen}", f"Requisition: {digits(rng, 7)}"]
    spec += [f"Lab Ref #: {digits(rng, 3)}-{digits(rng, 5)}"]
    spec += [f"{esc(label)} {esc(text)}" for label, text in dates(h)]
    client = [f"Client #: {digits(rng, 8)}", esc(rng.choice(CLINICS_O))]
    client += [f"Ordering Physician: {esc(rng.choice(DOCTORS_O))}", f"NPI: {digits(rng, 10)}"]
    body.append(
        '<table class="box"><tr><th>Patient Information</th><th>Specimen Information</th>'
        "<th>Client Information</th></tr><tr>"
        + "".join(
            f"<td{' class=sp' if part is spec else ''}>{'<br>'.join(part)}</td>"
            for part in (patient, spec, client)
        )
        + "</tr></table>"
    )
    heads = ["Test Name", "In Range", "Out Of Range", "Reference Range"]
    heads += ["Units"] if cols["units"] else []
    heads += ["Lab"] if cols["lab"] else []
    widths = (36, 11, 13, 18, 12) if cols["units"] else (40, 12, 14, 26)
    colgroup = "".join(f'<col style="width:{w}%">' for w in widths) + "<col>"
    trs, keys, used = [], set(), set()
    for heading, rows in _blocks_o(case, rng):
        site = sites[1] if heading and heading.startswith(("CBC", "PROTH")) else sites[0]
        used.add(site)
        if heading:
            trs.append(f'<tr class="ph"><td colspan="{len(heads)}">{esc(heading)}</td></tr>')
        for r in rows:
            keys.add(key_of(r))
            trs.append(_cells_o(r, site, cols, indent=heading is not None))
    head = "".join(f"<th>{esc(x)}</th>" for x in heads)
    body.append(f'<table class="res">{colgroup}<thead><tr>{head}</tr></thead><tbody>'
                f"{''.join(trs)}</tbody></table>")  # fmt: skip
    notes = "".join(f"<p>{esc(n)}</p>" for n in _notes_o(case, keys, rng))
    if notes:
        body.append(f'<div class="notes"><b>Comments</b>{notes}</div>')
    legend = []
    for i, site in enumerate(s for s in sites if s in used):
        where = town if i == 0 else rng.choice(("Chantilly, VA 20151", "Tampa, FL 33612"))
        legend.append(f"<b>{esc(site)}</b> {esc(lab)}, {esc(street if i == 0 else 'Regional')}"
                      f" {esc(where)}  Laboratory Director: {esc(director)}  CLIA: "
                      f"{clia if i == 0 else digits(rng, 2) + 'D' + digits(rng, 7)}")  # fmt: skip
    body.append(f'<div class="legend"><b>PERFORMING SITES</b><br>{"<br>".join(legend)}<br>'
                "This report contains confidential health information; for questions about"
                f" these results call 1-800-{digits(rng, 3)}-{digits(rng, 4)}.</div>")  # fmt: skip
    return document(css, "".join(body))


# --- heldout_p: a Chinese county hospital's analyser sheet ------------------------------------

HOSPITALS_P = ("青溪县人民医院", "安平县中医医院", "临江市第二人民医院", "城关镇中心卫生院")
HOSPITALS_P += ("东湖街道社区卫生服务中心", "河口县妇幼保健院", "白沙县第一人民医院")
DEPTS_P = ("内科门诊", "消化内科", "感染科", "体检科", "内一科", "外科", "中医科", "全科门诊")
WARDS_P = {"内一科", "消化内科", "感染科", "外科"}
DOCTORS_P = ("李建国", "陈晓", "周敏", "王海燕", "赵磊", "孙婷", "刘志刚")
STAFF_P = ("刘洋", "黄静", "吴昊", "郑丽", "马骏", "何欣", "杨帆")
DIAGNOSES_P = ("肝功能异常", "慢性乙型肝炎", "脂肪肝", "体检", "黄疸待查", "肝硬化", "高血压")
DIAGNOSES_P += ("2型糖尿病", "上腹痛待查")
ANALYSERS_P = ("迈瑞BS-240", "迈瑞BS-480", "Mindray BS-800", "科华ZY-1280", "科华卓越450")
CODE_P = {"alt": "ALT", "ast": "AST", "alp": "ALP", "ggt": "GGT", "bilirubin": "TBIL"}
CODE_P |= {"direct_bilirubin": "DBIL", "albumin": "ALB", "platelets": "PLT", "inr": "INR"}
CODE_P |= {"ck": "CK", "creatinine": "CREA", "sodium": "Na", "bile_acids": "TBA"}
CODE_P |= {"x_ratio": "AST/ALT", "x_ada": "ADA", "urea": "BUN", "bicarbonate": "CO2"}
CODE_P |= {"hdl": "HDL-C", "ldl": "LDL-C", "x_5nt": "5'-NT"}
ORDER_P = ("alt", "ast", "x_ratio", "ggt", "alp", "total_protein", "albumin", "globulin")
ORDER_P += ("ag_ratio", "bilirubin", "direct_bilirubin", "ibil", "bile_acids", "x_ada", "x_5nt")
ORDER_P += ("prealbumin", "cholinesterase")


def _code(row: Row) -> str:
    key = key_of(row)
    if key in CODE_P:
        return CODE_P[key]
    other = OTHER_BY_KEY.get(key)
    return other.zh.split("(")[1].rstrip(")") if other and "(" in other.zh else ""


def _rows_p(case: Case, rng: random.Random) -> list[Row]:
    """Every printed row in the analyser's order, with the rows the sheet adds itself."""
    rows = {key_of(r): r for _, rs in sections(case) for r in rs}
    ast, alt = _value_of(rows, "ast"), _value_of(rows, "alt")
    if ast is not None and alt is not None and rng.random() < 0.7:
        rows["x_ratio"] = _extra(case, "x_ratio", "谷草/谷丙", ast / alt, 2, "", None, "liver")
    if rng.random() < 0.5:
        rows["x_ada"] = _extra(case, "x_ada", "腺苷脱氨酶", rng.gauss(13, 4), 0, "U/L", (4, 24))
    if rng.random() < 0.25:
        rows["x_5nt"] = _extra(case, "x_5nt", "5'-核苷酸酶", rng.gauss(6, 2.5), 1, "U/L", (0, 11))
    liver = [rows.pop(k) for k in ORDER_P if k in rows]
    return liver + list(rows.values())


def _cells_p(row: Row, n: int | None, glue: str, gap: str = "") -> str:
    flag = row["flag"]
    sep = "" if glue == "tight" and flag in ("↑", "↓") else " "
    value = esc(row["value"]) + (f"{sep}{esc(flag)}" if flag else "")
    mark = ' class="fl"' if flag else ""
    tds = [f"<td{gap}>{n}</td>"] if n is not None else []
    tds += [f"<td{gap if n is None else ''}>{esc(_code(row))}</td>", f"<td>{esc(row['name'])}</td>"]
    tds += [f"<td{mark}>{value}</td>", f"<td>{esc(row['unit'])}</td>"]
    tds += [f"<td>{esc(row['range'])}</td>"]
    return "".join(tds)


def render_heldout_p(case: Case, rng: random.Random) -> str:
    h = case.header
    font = font_for(case, rng)
    hospital = rng.choice(HOSPITALS_P)
    rows = _rows_p(case, rng)
    two = len(rows) >= 10 and rng.random() < 0.55
    half = (len(rows) + 1) // 2
    small = (two and half <= 13) or (not two and len(rows) <= 11 and rng.random() < 0.5)
    size = "A5 landscape" if small else "A4"
    pt = rng.choice((8.0, 8.4)) if small else rng.choice((8.8, 9.2, 9.6))
    numbered = rng.random() < 0.3
    glue = rng.choice(("tight", "tight", "space"))
    heads = ["代号", "项目名称", "结果", "单位", rng.choice(("参考值", "参考值", "参考范围"))]
    heads = (["No"] if numbered else []) + heads
    css = page_css(size, "9mm 10mm 10mm" if small else "14mm 14mm 16mm", font, pt)
    css += (
        ".t { text-align: center; font-size: 150%; font-weight: bold; letter-spacing: 2px }"
        " .info { width: 100%; margin: 1.5mm 0 1mm; border-bottom: 1px solid #000 } .info td {"
        " padding: .5mm 1mm; white-space: nowrap } .res { width: 100%; border-bottom: 1px solid"
        " #000 } .res th { text-align: left; border-bottom: 1px solid #000; padding: .8mm 1mm;"
        " font-weight: normal } .res td { padding: .55mm 1mm; white-space: nowrap } .res"
        " .gap { border-left: .8px solid #000; padding-left: 2mm } .fl { font-weight: bold }"
        " .ft { margin-top: 1.5mm; line-height: 1.5 } .ft span { display: inline-block;"
        " margin-right: 5mm; white-space: nowrap } .note { font-size: 85%; margin-top: 1mm }"
    )
    dept = rng.choice(DEPTS_P)
    bed = str(rng.randint(1, 48)) if dept in WARDS_P else ""
    record = (
        "住院号" if bed else rng.choice(("门诊号", "病历号")),
        digits(rng, rng.choice((6, 8))),
    )
    items = "肝功能" + ("+肾功能" if any(key_of(r) in ("urea", "creatinine") for r in rows) else "")
    info = [("姓名", h["name"]), ("性别", h["sex"] or ""), ("年龄", h["age"] or ""), record]
    info += [
        ("科室", dept),
        ("床号", bed),
        ("标本种类", "血清"),
        ("标本号", str(rng.randint(1, 260))),
    ]
    info += [("送检医生", rng.choice(DOCTORS_P)), ("临床诊断", rng.choice(DIAGNOSES_P))]
    info += [("检验项目", items), ("备注", "")]
    cells = [f"<td>{esc(k)}：{esc(v)}</td>" for k, v in info]
    grid = "".join("<tr>" + "".join(cells[i : i + 4]) + "</tr>" for i in range(0, len(cells), 4))
    top = rng.random() < 0.5
    title = (f'<div class="t">{esc(hospital)}检验报告单</div>' if top else
             f'<div class="t">{esc(hospital)}</div><div class="t" style="font-size:120%">'
             "检验报告单</div>")  # fmt: skip
    body = [
        '<table style="width:100%"><tr><td style="width:22%">'
        f"{barcode(rng, 30, 7) if rng.random() < 0.5 else ''}</td><td>{title}</td>"
        f'<td style="width:22%" class="r small">No.{digits(rng, 10)}</td></tr></table>',
        f'<table class="info">{grid}</table>',
    ]
    head = "".join(f"<th>{esc(c)}</th>" for c in heads)
    trs = []
    if two:
        left, right = rows[:half], rows[half:]
        head += head.replace("<th>", '<th class="gap">', 1)
        for i in range(half):
            cells_l = _cells_p(left[i], i + 1 if numbered else None, glue)
            cells_r = (
                _cells_p(right[i], half + i + 1 if numbered else None, glue, ' class="gap"')
                if i < len(right)
                else '<td class="gap"></td>' + "<td></td>" * (len(heads) - 1)
            )
            trs.append(f"<tr>{cells_l}{cells_r}</tr>")
    else:
        trs = [f"<tr>{_cells_p(r, i + 1 if numbered else None, glue)}</tr>"
               for i, r in enumerate(rows)]  # fmt: skip
    body.append(f'<table class="res"><thead><tr>{head}</tr></thead><tbody>{"".join(trs)}'
                "</tbody></table>")  # fmt: skip
    stamps = dates(h)  # the collection first; the request (if printed) goes before it
    stamps.sort(key=lambda s: 0 if s[0].startswith("申请") else 1)
    spans = "".join(f"<span>{esc(k.rstrip('：:'))}：{esc(v)}</span>" for k, v in stamps)
    staff = rng.sample(STAFF_P, 2)
    who = f"<span>检验者：{staff[0]}</span><span>审核者：{staff[1]}</span>"
    who += f"<span>仪器：{esc(rng.choice(ANALYSERS_P))}</span>"
    phone = f"0{digits(rng, 3)}-{digits(rng, 7)}"
    body.append(
        f'<div class="ft">{spans}<br>{who}</div><div class="note">*本报告仅对此标本负责，'
        f"结果仅供临床参考。如有疑问请于三日内与检验科联系，电话：{phone}。</div>"
    )
    return document(css, "".join(body), lang="zh")
