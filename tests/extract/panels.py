"""Table layouts shared by both languages: the Chinese hospital sheet, a big panel, a report
split over two pages, and two tables side by side.

Why these four together: they are the same grid of cells arranged so that a reader's row and
page logic is stressed in a different way each time (the liver rows lost among ~25 others, a
header printed twice, two results on one text line), in English and in Chinese.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from tests.extract.layouts import (
    Row,
    barcode,
    col_widths,
    digits,
    document,
    esc,
    font_for,
    grid,
    page_css,
    sections,
    title,
)

if TYPE_CHECKING:
    from tests.extract.generate import Case

HOSPITALS = {
    "zh": ("江川市第一人民医院", "青州市中心医院", "南屏县人民医院", "东湖区中西医结合医院"),
    "en": ("St Aldhelm Community Hospital", "Harrowgate General Hospital", "Mercy Vale Medical"),
}
COLUMNS = {
    "zh": ("序号", "项目", "结果", "提示", "单位", "参考区间"),
    "en": ("", "Test", "Result", "Flag", "Units", "Reference Interval"),
}
DEPARTMENTS = ("消化内科", "感染科", "体检中心", "普外科", "内分泌科", "门诊")
DIAGNOSES = ("肝功能异常", "脂肪肝", "慢性乙型肝炎", "体检", "胆囊结石", "黄疸待查")
CSS = (
    ".title { text-align: center; font-size: 17pt; font-weight: bold; letter-spacing: 2px }"
    ".sub { text-align: center; font-size: 10pt; margin-bottom: 4px } .info { width: 100% }"
    ".info td { padding: 1.5px 2px; white-space: nowrap } .res { width: 100%; border-top: 2px"
    " solid #000; border-bottom: 2px solid #000; margin-top: 4px } .res th { border-bottom: 1px"
    " solid #000; padding: 3px 3px; text-align: left; font-weight: normal } .res td { padding:"
    " 2px 3px } .sec td { font-weight: bold; padding-top: 5px } .foot span { white-space: nowrap;"
    " display: inline-block; margin: 2px 14px 1px 0 }"
)


def _header(case: Case, rng: random.Random, hospital: str, subtitle: str) -> str:
    """Hospital title, barcode and the patient grid (four fields a line)."""
    h, zh = case.header, case.language == "zh"
    if zh:
        fields = [("姓名：", h["name"]), ("性别：", h["sex"]), ("年龄：", h["age"])]
        fields += [("病历号：", digits(rng, 8)), ("科室：", rng.choice(DEPARTMENTS))]
        fields += [("床号：", str(rng.randint(1, 60))), ("样本类型：", "血清")]
        fields += [("标本编号：", digits(rng, 10)), ("临床诊断：", rng.choice(DIAGNOSES))]
        fields += [("申请医生：", rng.choice(("李建国", "陈晓", "周敏")))]
    else:
        fields = [("Name:", h["name"]), ("Sex:", h["sex"]), ("Age:", h["age"])]
        fields += [("DOB:", h["dob"]), ("MRN:", digits(rng, 8)), ("Ward:", "Outpatients")]
        fields += [("Specimen:", "Serum"), ("Lab No:", digits(rng, 10))]
        fields += [("Requested by:", rng.choice(("Dr H. Pemberton", "Dr O. Haverford")))]
    if h["collected"]:
        fields.append((h["collected"]["label"], h["collected"]["text"]))
    fields = [
        (k, v.removeprefix("Age: ") if k == "Age:" else v) for k, v in fields if v is not None
    ]
    cells = [
        f"<td>{esc(k)}{esc(v)}</td>" if zh else f"<td>{esc(k)} {esc(v)}</td>" for k, v in fields
    ]
    per = 4 if zh else 3
    grid = "".join(f"<tr>{''.join(cells[i : i + per])}</tr>" for i in range(0, len(cells), per))
    return (
        f'<div style="float:right">{barcode(rng, 42, 10)}</div>'
        f'<div class="title">{esc(hospital)}</div><div class="sub">{esc(subtitle)}</div>'
        f'<table class="info">{grid}</table>'
    )


def _footer(case: Case, rng: random.Random) -> str:
    h, zh = case.header, case.language == "zh"
    items = [f"{esc(o['label'])}{'' if zh else ' '}{esc(o['text'])}" for o in h["others"]]
    items += ["检验者：" + rng.choice(("王芳", "刘洋", "赵磊"))] if zh else ["Checked: BMS 0412"]
    items += ["审核者：" + rng.choice(("孙丽", "马强"))] if zh else ["Verified: Dr A. Fairweather"]
    note = (
        "注：本报告仅对所检标本负责，如有疑问请于三日内与检验科联系。"
        if zh
        else ("Results relate only to the sample tested. Reference intervals are method specific.")
    )
    line = "".join(f"<span>{x}</span>" for x in items)
    return f'<div class="foot">{line}</div><div class="small">{esc(note)}</div>'


def _cells(case: Case, row: Row, n: int) -> str:
    bold = ' class="b"' if row["flag"] else ""
    return (
        f'<td>{n}</td><td class="n">{esc(row["name"])}</td><td{bold}>{esc(row["value"])}</td>'
        f'<td class="b">{esc(row["flag"])}</td><td>{esc(row["unit"])}</td>'
        f"<td>{esc(row['range'])}</td>"
    )


def _table(
    case: Case,
    rng: random.Random,
    groups: list[tuple[str, list[Row]]],
    start: int = 1,
    more: str = "",
) -> str:
    """One results grid; a section title row per group unless the sheet is one section."""
    heads = "".join(f"<th>{esc(c)}</th>" for c in COLUMNS[case.language])
    body, n = [], start
    for i, (section, rows) in enumerate(groups):
        if len(groups) > 1 or case.language == "en" or more:
            name = title(case, section) + (more if i == 0 else "")
            body.append(f'<tr class="sec"><td colspan="6">{esc(name)}</td></tr>')
        for r in rows:
            body.append(f"<tr>{_cells(case, r, n)}</tr>")
            n += 1
    return grid(heads, body, cols=col_widths(6, 38, 12, 7, 14))


def _css(case: Case, rng: random.Random, size: str, pt: float) -> tuple[str, str]:
    font = font_for(case, rng)
    footer = (
        '"第 " counter(page) " 页 / 共 " counter(pages) " 页"'
        if case.language == "zh"
        else ('"Page " counter(page) " of " counter(pages)')
    )
    return page_css(size, "12mm 13mm 15mm", font, pt, footer) + CSS, font


def render_cn_hospital(case: Case, rng: random.Random) -> str:
    lines = len(case.printed) + len(case.others) + len(sections(case))
    small = lines <= 10 and rng.random() < 0.5
    size = "A5 landscape" if small else "A4"  # many Chinese sheets are half an A4
    css, _ = _css(case, rng, size, 8.6 if size != "A4" else 9.6)
    hospital = rng.choice(HOSPITALS["zh"])
    head = _header(
        case,
        rng,
        hospital + "检验报告单",
        "检验项目：" + rng.choice(("肝功能", "生化", "肝功+血常规")),
    )
    return document(css, head + _table(case, rng, sections(case)) + _footer(case, rng), lang="zh")


def render_big_panel(case: Case, rng: random.Random) -> str:
    css, _ = _css(case, rng, "A4", 8.0)
    css += ".res td { padding: 1px 3px } .info td { padding: 1px 2px }"
    hospital = rng.choice(HOSPITALS[case.language])
    sub = (
        "生化全项检验报告单"
        if case.language == "zh"
        else "Clinical Laboratory Report - Full Profile"
    )
    head = _header(case, rng, hospital, sub)
    body = head + _table(case, rng, sections(case)) + _footer(case, rng)
    return document(css, body, lang=case.language)


def _split(case: Case, rng: random.Random) -> tuple[list[tuple[str, list[Row]]], ...]:
    """Two halves with liver rows in both (the report a reader must read across pages)."""
    groups = sections(case)
    liver = next(rows for s, rows in groups if s == "liver")
    rest = [(s, rows) for s, rows in groups if s != "liver"]
    analytes = [i for i, r in enumerate(liver) if r.get("analyte")]
    cut = (
        analytes[min(len(analytes) - 1, max(1, len(analytes) // 2 + rng.choice((-1, 0, 0, 1))))]
        if len(analytes) > 1
        else len(liver)
    )
    cut = min(max(cut, 1), len(liver) - 1) if len(liver) > 1 else 1
    k = rng.randint(0, len(rest))
    first = [*rest[:k], ("liver", liver[:cut])]
    second = [("liver", liver[cut:]), *rest[k:]]
    return first, [(s, r) for s, r in second if r]


def render_two_pages(case: Case, rng: random.Random) -> str:
    css, _ = _css(case, rng, "A4", 9.4)
    css += ".pg { break-after: page } .res td { padding: 3.5px 3px }"
    hospital = rng.choice(HOSPITALS[case.language])
    sub = "检验报告单" if case.language == "zh" else "Laboratory Report"
    same = rng.random()  # the header's own draws, so both pages print the same header
    first, second = _split(case, rng)
    more = "（续）" if case.language == "zh" else " (continued)"
    pages = []
    for i, part in enumerate((first, second)):
        head = _header(case, random.Random(same), hospital, sub)
        start = 1 + (sum(len(r) for _, r in first) if i else 0)
        table = _table(case, rng, part, start=start, more=more if i else "")
        foot = _footer(case, rng) if i else ""
        pages.append(f'<div class="{"" if i else "pg"}">{head}{table}{foot}</div>')
    return document(css, "".join(pages), lang=case.language)


def render_two_columns(case: Case, rng: random.Random) -> str:
    """Two grids side by side in one table: each text line carries two results."""
    css, _ = _css(case, rng, "A4", 7.9)
    css += ".res td, .res th { padding: 2.5px 2px; white-space: nowrap } .res td.n { white-space:"
    css += " normal } .gap { border-left: 1px solid #000; padding-left: 4px }"
    hospital = rng.choice(HOSPITALS[case.language])
    sub = "检验报告单" if case.language == "zh" else "Laboratory Report"
    rows = [r for _, rs in sections(case) for r in rs]
    half = (len(rows) + 1) // 2
    left, right = rows[:half], rows[half:]
    heads = "".join(f"<th>{esc(c)}</th>" for c in COLUMNS[case.language])
    body = []
    for i in range(half):
        cells = _cells(case, left[i], i + 1)
        other = _cells(case, right[i], half + i + 1) if i < len(right) else "<td></td>" * 6
        body.append(f"<tr>{cells}{other.replace('<td>', '<td class=gap>', 1)}</tr>")
    table = grid(heads + heads.replace("<th>", "<th class=gap>", 1), body)
    head = _header(case, rng, hospital, sub)
    return document(css, head + table + _footer(case, rng), lang=case.language)
