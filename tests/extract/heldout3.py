"""THIRD HELD-OUT SET: do not read, tune on, or add cases from this module when working on the
reader.

The first two held-out sets (``heldout.py``, ``heldout2.py``) are no longer guaranteed unseen,
so they cannot say any more how the reader does on pages nobody shaped it for; these two take
over that job. Run them only as a whole (``python -m tests.extract.generate --heldout3``,
``benchmarks/extract.py --heldout3``) and look at the reader's failures on the development
layouts, never on these. Once someone tunes the reader on these pages, write a fourth set
rather than keep quoting this.

``heldout_e``: a US reference-laboratory report: the patient and specimen blocks either as
labels over their values or as "Label: value" lines, with the collection date beside the dates
received and reported. A comprehensive metabolic panel, a CBC and other tests follow in
"Test Name | In Range | Out Of Range | Reference Range | Lab" columns. Which column the value
sits in depends on its flag, and the unit is printed inside the reference-range cell. Sometimes
an out-of-range summary repeats the flagged rows, and the footer names the performing sites with
their directors and CLIA numbers.
``heldout_f``: a Chinese tertiary-hospital sheet whose results sit in two independent blocks
side by side, numbered on from the left block into the right one. Each test is named
"ABBR 名称" or by its Chinese name with the abbreviation in its own column, and arrows sit in
their own column. Group headings inside the blocks mean a line of text can hold rows that do not
belong together. A header holds 科别/床号/标本种类/送检医生 and three dates (only 采样时间 is
the collection), and the footer carries 检验者/审核者.
"""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from tests.extract.layouts import (
    Layout,
    Row,
    barcode,
    digits,
    document,
    esc,
    font_for,
    key_of,
    page_css,
    sections,
    title,
)
from tests.extract.profiles import CONV_UNITS, NO_UNIT, Profile
from tests.extract.vocab import CN_RANGES, OTHER_BY_KEY

if TYPE_CHECKING:
    from tests.extract.generate import Case

_M, _F = "male", "female"


def _both(
    *options: tuple[float | None, float],
) -> dict[str, tuple[tuple[float | None, float], ...]]:
    return {_M: options, _F: options}


REFLAB_RANGES = {  # canonical units (umol/L, g/L); printed in mg/dL and g/dL
    "alt": {_M: ((9, 46), (0, 44), (None, 45)), _F: ((6, 29), (0, 32), (None, 35))},
    "ast": {_M: ((10, 40), (0, 40), (10, 35)), _F: ((10, 30), (0, 40), (10, 35))},
    "alp": {_M: ((36, 130), (44, 121), (40, 115)), _F: ((37, 153), (44, 121), (40, 115))},
    "ggt": {_M: ((3, 70), (0, 65), (3, 90)), _F: ((3, 50), (0, 60))},
    "bilirubin": _both((3.4, 20.5), (0, 20.5), (1.7, 20.5)),  # 0.2-1.2, 0.0-1.2, 0.1-1.2
    "direct_bilirubin": _both((None, 3.4), (0, 6.8)),  # <=0.2, 0.0-0.4
    "albumin": _both((36, 51), (38, 49), (35, 50)),
    "platelets": _both((140, 400), (150, 450), (150, 379)),
    "inr": _both((0.9, 1.1), (0.8, 1.2)),
    "ck": {_M: ((44, 196), (49, 397)), _F: ((29, 143), (32, 182))},
    "creatinine": {_M: ((62, 118), (67, 112)), _F: ((44, 90), (50, 88))},
    "sodium": _both((135, 146), (134, 144)),
    "bile_acids": _both((None, 10), (0, 10)),
}
CMP = ("glucose", "urea", "creatinine", "egfr", "sodium", "potassium", "chloride", "bicarbonate")
CMP += ("calcium", "total_protein", "albumin", "globulin", "ag_ratio", "bilirubin", "alp", "ast")
CMP += ("alt",)
CBC = ("wbc", "rbc", "haemoglobin", "mcv", "platelets")
REFLAB = Profile(
    name="reflab",
    language="en",
    names={
        "alt": ("ALT", "ALT (SGPT)", "Alanine Aminotransferase"),
        "ast": ("AST", "AST (SGOT)", "Aspartate Aminotransferase"),
        "alp": ("Alkaline Phosphatase", "Alkaline Phosphatase, S"),
        "ggt": ("GGT", "Gamma Glutamyl Transferase"),
        "bilirubin": ("Bilirubin, Total", "Total Bilirubin"),
        "direct_bilirubin": ("Bilirubin, Direct", "Direct Bilirubin"),
        "albumin": ("Albumin",),
        "platelets": ("Platelet Count", "Platelets"),
        "inr": ("INR",),
        "ck": ("CK, Total", "Creatine Kinase, Total"),
        "creatinine": ("Creatinine",),
        "sodium": ("Sodium",),
        "bile_acids": ("Bile Acids, Total",),
    },
    units={
        **CONV_UNITS,
        "enzyme": (("U/L", "U/L"), ("U/L", "U/L"), ("IU/L", "IU/L")),
        "platelets": (("Thousand/uL", "10^3/uL"), ("x10E3/uL", "10^3/uL"), ("K/uL", "10^3/uL")),
    },
    two_forms=("dash", "dash", "spaced"),
    upper_forms=("le_ascii", "lt", "lt_sp"),
    flag_styles=("HL",),
    date_forms=("us", "us", "us", "mon_d_y"),
    time_forms=(" %H:%M", " %I:%M %p", " %H%M", ""),
    collected_labels=("Date Collected:", "Collection Date:"),
    other_labels=("Date Received:", "Date Reported:"),
    sex_forms=(("Male", "Female"), ("M", "F")),
    age_forms=("{age}", "{age} Y", "{age} years"),
    people="en",
    conventional=True,
    upper_names=0.5,
    dp={"enzyme": (0,)},
    ranges=REFLAB_RANGES,
    panel=(*CMP, *CBC),
    other_names={
        "urea": ("Urea Nitrogen (BUN)", "BUN"),
        "bicarbonate": ("Carbon Dioxide, Total", "Carbon Dioxide (CO2)", "CO2"),
        "total_protein": ("Protein, Total", "Total Protein"),
        "globulin": ("Globulin", "Globulin, Total"),
        "ag_ratio": ("Albumin/Globulin Ratio", "A/G Ratio"),
        "wbc": ("White Blood Cell Count", "WBC"),
        "rbc": ("Red Blood Cell Count", "RBC"),
        "pt": ("Prothrombin Time", "PT"),
        "ldl": ("LDL-Cholesterol", "LDL Chol Calc (NIH)"),
        "hba1c": ("Hemoglobin A1c",),
    },
)
SANJIA = Profile(
    name="sanjia",
    language="zh",
    names={  # aligned like ``profiles.PROFILES["cn"]``: 1 "ABBR 名称", 2 the name alone
        "alt": ("丙氨酸氨基转移酶(ALT)", "ALT 丙氨酸氨基转移酶", "丙氨酸氨基转移酶"),
        "ast": ("天门冬氨酸氨基转移酶(AST)", "AST 天门冬氨酸氨基转移酶", "天门冬氨酸氨基转移酶"),
        "alp": ("碱性磷酸酶(ALP)", "ALP 碱性磷酸酶", "碱性磷酸酶"),
        "ggt": ("γ-谷氨酰基转移酶(GGT)", "GGT γ-谷氨酰基转移酶", "γ-谷氨酰基转移酶"),
        "bilirubin": ("总胆红素(TBIL)", "TBIL 总胆红素", "总胆红素"),
        "direct_bilirubin": ("直接胆红素(DBIL)", "DBIL 直接胆红素", "直接胆红素"),
        "albumin": ("白蛋白(ALB)", "ALB 白蛋白", "白蛋白"),
        "platelets": ("血小板计数(PLT)", "PLT 血小板计数", "血小板计数"),
        "inr": ("国际标准化比值(INR)", "INR 国际标准化比值", "国际标准化比值"),
        "ck": ("肌酸激酶(CK)", "CK 肌酸激酶", "肌酸激酶"),
        "creatinine": ("肌酐(CREA)", "CREA 肌酐", "肌酐"),
        "sodium": ("钠(Na)", "Na 钠", "钠"),
        "bile_acids": ("总胆汁酸(TBA)", "TBA 总胆汁酸", "总胆汁酸"),
    },
    name_styles=(1, 1, 2),
    units={
        "enzyme": (("U/L", "U/L"),) * 3 + (("IU/L", "IU/L"),),
        "bilirubin": (("μmol/L", "umol/L"), ("umol/L", "umol/L")),
        "albumin": (("g/L", "g/L"),),
        "platelets": (("×10^9/L", "10^9/L"), ("10^9/L", "10^9/L"), ("10*9/L", "10^9/L")),
        "inr": NO_UNIT,
        "creatinine": (("μmol/L", "umol/L"),),
        "sodium": (("mmol/L", "mmol/L"),),
        "bile_acids": (("μmol/L", "umol/L"),),
    },
    two_forms=("dash", "ddash", "tilde_ascii", "dash"),
    upper_forms=("le", "lt", "dash0"),
    flag_styles=("arrow",),
    date_forms=("iso", "iso", "ymd_slash"),
    time_forms=(" %H:%M", " %H:%M:%S"),
    collected_labels=("采样时间：",),
    other_labels=("接收时间：", "报告时间："),
    sex_forms=(("男", "女"),),
    age_forms=("{age}岁", "{age} 岁"),
    people="zh",
    thousands=False,
    dp={"enzyme": (0,), "bilirubin": (1,), "albumin": (1,), "creatinine": (0,)},
    ranges=CN_RANGES,
)

# --- heldout_e: US reference laboratory -----------------------------------------------------

PANELS_E = {  # panel -> its tests in print order; a test in none is printed on its own
    "Comprehensive Metabolic Panel": CMP,
    "Bilirubin, Fractionated": ("direct_bilirubin", "ibil"),
    "CBC (includes Diff/Plt)": CBC,
    "Prothrombin Time with INR": ("pt", "inr"),
    "Lipid Panel": ("cholesterol", "hdl", "triglycerides", "ldl"),
}
PANEL_OF = {key: panel for panel, keys in PANELS_E.items() for key in keys}
LABS_E = (
    ("Meridian Reference Laboratories", "Meridian"),
    ("Consolidated Clinical Labs", "CCL"),
    ("Harborview Diagnostic Laboratory", "HDL Inc."),
)
SITES = (
    ("EN", "Eastfield Regional Laboratory", "2290 Commerce Pkwy, Eastfield, NJ"),
    ("SJ", "San Jacinto Laboratory", "41 Mission Ridge Rd, San Jacinto, CA"),
    ("01", "Burlington Central Laboratory", "1447 York Ct, Burlington, NC"),
    ("Z4M", "Marlton Core Laboratory", "8 Greentree Dr, Marlton, NJ"),
)
NOTES_E = {
    "glucose": "Fasting reference interval",
    "egfr": "eGFR is calculated with the CKD-EPI 2021 equation (race-free).",
    "inr": "For patients on warfarin the usual therapeutic INR range is 2.0-3.0.",
}


def _range_cell(row: Row) -> str:
    return " ".join(x for x in (row["range"], row["unit"]) if x)


def _result_row(row: Row, site: str, indent: bool) -> str:
    value = esc(row["value"])
    inside = "" if row["flag"] else value
    outside = f"{value} {esc(row['flag'])}" if row["flag"] else ""
    pad = ' style="padding-left:14px"' if indent else ""
    return (
        f'<tr><td{pad}>{esc(row["name"])}</td><td>{inside}</td><td class="b">{outside}</td>'
        f"<td>{esc(_range_cell(row))}</td><td>{esc(site)}</td></tr>"
    )


def _header_e(case: Case, rng: random.Random, stacked: bool) -> str:
    h = case.header
    patient = [("Patient Name", f"<b>{esc(h['name'])}</b>")]
    patient += [("Date of Birth", esc(h["dob"]))] if h["dob"] else []
    if h["age"]:
        patient += [("Age", esc(h["age"]))] if stacked else [("", esc(_age(h["age"])))]
    patient += [(rng.choice(("Sex", "Gender")), esc(h["sex"]))] if h["sex"] else []
    patient += [("Patient ID", digits(rng, 8))]
    specimen = [("Specimen ID", f"{digits(rng, 3)}-{digits(rng, 3)}-{digits(rng, 4)}-0")]
    if h["collected"]:
        specimen.append((h["collected"]["label"].rstrip(":"), esc(h["collected"]["text"])))
    specimen += [(o["label"].rstrip(":"), esc(o["text"])) for o in h["others"]]
    specimen += [("Fasting", rng.choice(("Yes", "No", "Not Given")))]
    doctor = rng.choice(("R. Okonkwo, MD", "L. Brandvold, DO", "S. Petrakis, NP", "J. Hale, MD"))
    client = [("Ordering Physician", doctor), ("Account Number", digits(rng, 8))]
    client += [("Report Status", "FINAL")]
    blocks = []
    for heading, fields in (("Patient", patient), ("Specimen", specimen), ("Client", client)):
        if stacked:  # labels over their values, as a grid
            labels = "".join(f'<td class="lbl">{esc(k)}</td>' for k, _ in fields)
            values = "".join(f"<td>{v}</td>" for _, v in fields)
            blocks.append(f'<table class="hg"><tr>{labels}</tr><tr>{values}</tr></table>')
        else:
            lines = "<br>".join(f"{esc(k)}: {v}" if k else v for k, v in fields)
            blocks.append(f'<td class="il"><div class="lbl">{heading}</div>{lines}</td>')
    if stacked:
        return "".join(blocks)
    return f'<table class="inl"><tr>{"".join(blocks)}</tr></table>'


def _age(text: str) -> str:
    return text if text.lower().startswith("age") else f"Age: {text}"


def render_heldout_e(case: Case, rng: random.Random) -> str:
    font = font_for(case, rng, ("DejaVu Sans", "DejaVu Sans Condensed", "DejaVu Serif"))
    lab, short = rng.choice(LABS_E)
    accent = rng.choice(("#14467a", "#7a1f2b", "#2b5b3a", "#222222"))
    css = page_css(
        "Letter", "0.45in 0.5in 0.7in", font, 8.2, '"Page " counter(page) " of " counter(pages)'
    )
    css += (
        f".top {{ width: 100%; border-bottom: 3px solid {accent} }} .lab {{ color: {accent};"
        " font-size: 15pt; font-weight: bold } .hg { width: 100%; margin-top: 5px;"
        " border: .7px solid #999 } .hg td { padding: 1.5px 5px; white-space: nowrap }"
        " .lbl { font-size: 6.8pt; color: #555; text-transform: uppercase }"
        " .inl { width: 100%; margin-top: 6px; border: .7px solid #999 } .il {"
        " vertical-align: top; padding: 3px 6px; width: 33%; line-height: 1.35 }"
        " .res { width: 100%; margin-top: 10px } .res th { text-align: left; font-size: 7.6pt;"
        f" padding: 3px 4px; border-bottom: 1.5px solid {accent}; border-top: .7px solid #999 }}"
        " .res td { padding: 2px 4px; border-bottom: .4px solid #e0e0e0; white-space: nowrap }"
        " .pn td { font-weight: bold; padding-top: 7px; border-bottom: none }"
        " .note td { font-size: 6.8pt; color: #444; padding: 0 4px 2px 22px; border: none }"
        " .sum { margin-top: 8px; border: 1px solid #b00; padding: 3px 6px } .sum td {"
        " padding: 1px 8px 1px 0 } .foot { margin-top: 16px; font-size: 7pt; color: #333 }"
    )
    main_site, other_site = rng.sample(SITES, 2)
    upper = rng.random() < 0.5
    rows = [r for _, rs in sections(case) for r in rs]
    groups: dict[str, list[Row]] = {"Comprehensive Metabolic Panel": []}
    for r in rows:
        groups.setdefault(PANEL_OF.get(key_of(r), f"={key_of(r)}"), []).append(r)
    body_rows: list[str] = []
    used = {main_site[0]}
    for panel, these in groups.items():
        if not these:
            continue
        site = main_site[0]
        if panel.startswith("CBC") or (panel[0] == "=" and rng.random() < 0.3):
            site = other_site[0]
            used.add(site)
        if panel[0] != "=":
            order = PANELS_E[panel]
            these = sorted(these, key=lambda r: order.index(key_of(r)))
            name = panel.upper() if upper else panel
            body_rows.append(f'<tr class="pn"><td colspan="5">{esc(name)}</td></tr>')
        for r in these:
            body_rows.append(_result_row(r, site, indent=panel[0] != "="))
            note = NOTES_E.get(key_of(r))
            if note and rng.random() < 0.5:
                body_rows.append(f'<tr class="note"><td colspan="5">{esc(note)}</td></tr>')
    heads = ("Test Name", "In Range", "Out Of Range", "Reference Range", "Lab")
    head = "".join(f"<th>{x}</th>" for x in heads)
    cols = "".join(f'<col style="width:{w}%">' for w in (37, 11, 13, 30, 9))
    flagged = [r for r in rows if r["flag"]]
    summary = ""
    if flagged and rng.random() < 0.4:
        lines = "".join(
            f"<tr><td>{esc(r['name'])}</td><td class='b'>{esc(r['value'])} {esc(r['flag'])}</td>"
            f"<td>{esc(_range_cell(r))}</td></tr>"
            for r in flagged
        )
        summary = f'<div class="sum"><b>Out of Range Summary</b><table>{lines}</table></div>'
    sites = "".join(
        f"<div>{esc(code)} &nbsp; {esc(name)}, {esc(address)} &nbsp; Laboratory Director: "
        f"{esc(rng.choice(('A. Whitfield', 'M. Desrosiers', 'K. Tanaka-Moss')))}, MD, PhD"
        f" &nbsp; CLIA: {digits(rng, 2)}D{digits(rng, 7)}</div>"
        for code, name, address in (main_site, other_site)
        if code in used
    )
    body = (
        f'<table class="top"><tr><td><div class="lab">{esc(lab)}</div>'
        f'<div class="small grey">Patient Report &middot; Client Services 1-800-{digits(rng, 3)}'
        f'-{digits(rng, 4)}</div></td><td class="r">{barcode(rng, 44, 9)}</td></tr></table>'
        + _header_e(case, rng, stacked=rng.random() < 0.6)
        + summary
        + f'<table class="res">{cols}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body_rows)}</tbody></table>"
        f'<div class="foot"><div><b>Performing Sites:</b></div>{sites}'
        f"<div style='margin-top:6px'>H = above, L = below the reference range. {esc(short)} "
        "reports are electronically signed. This report contains confidential health"
        " information; if you received it in error, notify the sender.</div></div>"
    )
    return document(css, body)


# --- heldout_f: Chinese tertiary-hospital sheet, two blocks side by side ---------------------

HOSPITALS_F = (
    "滨江大学附属第一医院",
    "临海市中心医院",
    "河西省人民医院",
    "安澜医科大学第二附属医院",
)
WARDS = ("消化内科", "感染科", "肝胆外科", "内分泌科", "心内科", "急诊科")
DOCTORS = ("李建国", "陈晓", "周敏", "郭海峰", "韩雪")


def _abbr(row: Row) -> str:
    """The English abbreviation a separate column prints: "ALT", "TP", "eGFR"."""
    if "analyte" in row:
        return SANJIA.names[row["analyte"]][1].split()[0]
    m = re.search(r"\((.+)\)$", OTHER_BY_KEY[row["key"]].zh)
    return m[1] if m else ""


def _block(items: list[tuple[int, Row] | str], separate: bool) -> str:
    """One block's table: numbered rows, and group headings where a group starts."""
    heads = ["序号", "项目", *(["英文缩写"] if separate else []), "结果", "提示", "单位"]
    heads.append("参考区间")
    cells = []
    for item in items:
        if isinstance(item, str):
            cells.append(f'<tr class="grp"><td colspan="{len(heads)}">◆ {esc(item)}</td></tr>')
            continue
        n, r = item
        bold = ' class="b"' if r["flag"] else ""
        abbr = f"<td>{esc(_abbr(r))}</td>" if separate else ""
        cells.append(
            f"<tr><td>{n}</td><td>{esc(r['name'])}</td>{abbr}<td{bold}>{esc(r['value'])}</td>"
            f'<td class="fl">{esc(r["flag"])}</td><td>{esc(r["unit"])}</td>'
            f"<td>{esc(r['range'])}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in heads)
    return (
        f'<table class="blk"><thead><tr>{head}</tr></thead><tbody>{"".join(cells)}</tbody></table>'
    )


def render_heldout_f(case: Case, rng: random.Random) -> str:
    h, font = case.header, font_for(case, rng)
    hospital = rng.choice(HOSPITALS_F)
    total = len(case.printed) + len(case.others)
    size = "A5 landscape" if total <= 22 and rng.random() < 0.6 else "A4"  # a half sheet
    css = page_css(
        size, "8mm 8mm 12mm", font, 7.4, '"第 " counter(page) " 页 / 共 " counter(pages) " 页"'
    )
    css += (
        ".t { text-align: center; font-size: 15pt; font-weight: bold; letter-spacing: 2px }"
        " .st { text-align: center; font-size: 10pt; margin: 1px 0 5px } .hd { width: 100% }"
        " .hd td { padding: 1.2px 3px; white-space: nowrap } .wrap { width: 100%;"
        " border-top: 1.6px solid #000; border-bottom: 1.6px solid #000; margin-top: 4px }"
        " .wrap > tbody > tr > td { vertical-align: top; width: 50%; padding: 0 }"
        " .wrap td.right { border-left: .8px solid #000; padding-left: 3px } .blk { width: 100% }"
        " .blk th { text-align: left; font-weight: normal; border-bottom: .8px solid #000;"
        " padding: 2px 2px; white-space: nowrap } .blk td { padding: 1.6px 2px;"
        " white-space: nowrap } .blk td.fl { color: #c00; font-weight: bold }"
        " .grp td { font-weight: bold; padding-top: 3px } .ft { margin-top: 6px }"
        " .ft span { display: inline-block; margin-right: 22px }"
    )
    separate = not any(" " in r["name"] for r in case.printed.values())
    groups = sections(case)
    headed = len(groups) > 1 and rng.random() < 0.5
    half = (total + 1) // 2
    left: list[tuple[int, Row] | str] = []
    right: list[tuple[int, Row] | str] = []
    n = 0
    for section, rs in groups:
        for i, r in enumerate(rs):
            n += 1
            block = left if n <= half else right
            if headed and i == 0:
                block.append(title(case, section))
            block.append((n, r))
    fields = [("姓名", h["name"]), ("性别", h["sex"] or ""), ("年龄", h["age"] or "")]
    fields += [("病人ID", digits(rng, 10)), ("科别", rng.choice(WARDS))]
    fields += [("床号", f"{rng.randint(1, 48)}床"), ("标本种类", rng.choice(("血清", "血浆")))]
    fields += [("送检医生", rng.choice(DOCTORS)), ("临床诊断", rng.choice(("肝功能异常", "体检")))]
    fields += [("样本号", digits(rng, 4)), ("条码号", digits(rng, 12))]
    fields += [("备注", "")]
    cells = [f"<td>{esc(k)}：{esc(v)}</td>" for k, v in fields]
    grid = "".join(f"<tr>{''.join(cells[i : i + 4])}</tr>" for i in range(0, len(cells), 4))
    when = [("采样时间：", h["collected"]["text"] if h["collected"] else "")]
    when += [(o["label"], o["text"]) for o in h["others"]]
    grid += "<tr>" + "".join(f"<td>{esc(k)}{esc(v)}</td>" for k, v in when) + "</tr>"
    body = (
        f'<div style="float:right">{barcode(rng, 36, 8)}</div>'
        f'<div class="t">{esc(hospital)}</div>'
        f'<div class="st">{rng.choice(("生化检验报告单", "临床检验报告单", "检验报告单"))}</div>'
        f'<table class="hd">{grid}</table>'
        f'<table class="wrap"><tr><td>{_block(left, separate)}</td>'
        f'<td class="right">{_block(right, separate)}</td></tr></table>'
        f'<div class="ft"><span>检验者：{rng.choice(("王芳", "刘洋", "赵磊"))}</span>'
        f"<span>审核者：{rng.choice(('孙丽', '马强', '钱文静'))}</span>"
        "<span>↑ 高于参考区间　↓ 低于参考区间</span></div>"
        '<div class="small">本报告仅对所检标本负责，'
        "如有疑问请在收到报告后七日内与检验科联系。</div>"
    )
    return document(css, body, lang="zh")


HELDOUT3: dict[str, Layout] = {
    "heldout_e": Layout("heldout_e", {"en": (REFLAB,)}, "lft", render_heldout_e),
    "heldout_f": Layout("heldout_f", {"zh": (SANJIA,)}, "long", render_heldout_f),
}
