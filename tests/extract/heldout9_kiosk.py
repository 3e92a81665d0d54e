"""The ninth held-out set's kiosk slips (``heldout_r``; see ``heldout9.py``; the same rule: do
not read or tune on these when working on the reader).

What a slip adds around the drawn rows (AFU, MAO, a blood count's differential and platelet
indices, APTT, fibrinogen, the kiosk's print time, identifiers) comes from the case's own
numbers or the render RNG and never holds a LiverLens test the truth does not know about;
the platelet indices are printed only beside a platelet count in the truth.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import TYPE_CHECKING

from tests.extract.heldout9_render import extra_row
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

if TYPE_CHECKING:
    from tests.extract.generate import Case

# --- heldout_r: a Chinese hospital's self-service kiosk printout ------------------------------

HOSPITALS_R: tuple[str, ...] = (
    "江州市第一人民医院",
    "南湖区人民医院",
    "华阳医科大学附属第二医院",
    "临川市中心医院",
)
HOSPITALS_R += ("东川县人民医院", "明州大学附属医院", "滨海新区中医医院")
DEPTS_R: tuple[str, ...] = (
    "消化内科门诊",
    "感染科门诊",
    "肝病门诊",
    "普通内科门诊",
    "体检中心",
    "中医内科门诊",
)
DEPTS_R += ("急诊内科", "内分泌科门诊")
DIAGNOSES_R: tuple[str, ...] = (
    "肝功能异常",
    "慢性乙型病毒性肝炎",
    "非酒精性脂肪性肝病",
    "体检",
    "转氨酶升高",
)
DIAGNOSES_R += ("黄疸待查", "2型糖尿病", "高脂血症", "乏力待查")
STAFF_R = ("张丽", "王建", "李娜", "陈涛", "刘芳", "赵敏", "孙强", "周婷")
# the slip's own rows: key -> (name, unit, mean, sd, dp, bounds); "plt" ones only beside a PLT
EXTRAS_R = {
    "x_afu": ("α-L-岩藻糖苷酶", "U/L", 22, 8, 1, (0, 40)),
    "x_mao": ("单胺氧化酶", "U/L", 6, 2, 1, (0, 12)),
    "x_wbc": ("白细胞计数", "10^9/L", 6.3, 1.6, 2, (3.5, 9.5)),
    "x_neut": ("中性粒细胞百分比", "%", 60, 8, 1, (40, 75)),
    "x_lym": ("淋巴细胞百分比", "%", 30, 7, 1, (20, 50)),
    "x_hgb": ("血红蛋白", "g/L", 138, 14, 0, (115, 175)),
    "x_hct": ("红细胞压积", "%", 42, 4, 1, (35, 50)),
    "x_mpv": ("平均血小板体积", "fL", 10.2, 1.2, 1, (7.4, 12.5)),
    "x_pdw": ("血小板分布宽度", "fL", 13, 2, 1, (9, 17)),
    "x_pt": ("凝血酶原时间", "s", 11.6, 0.9, 1, (9.4, 12.5)),
    "x_aptt": ("活化部分凝血活酶时间", "s", 30, 3, 1, (25, 37)),
    "x_fib": ("纤维蛋白原", "g/L", 3.0, 0.6, 2, (2, 4)),
    "x_tt": ("凝血酶时间", "s", 17, 1.5, 1, (14, 21)),
}
HAEM_R: tuple[str, ...] = (
    "wbc",
    "x_wbc",
    "x_neut",
    "x_lym",
    "rbc",
    "haemoglobin",
    "x_hgb",
    "x_hct",
    "mcv",
)
HAEM_R += ("platelets", "x_mpv", "x_pdw")
COAG_R = ("pt", "x_pt", "inr", "x_aptt", "x_fib", "x_tt")


def _reports_r(case: Case, rng: random.Random) -> list[tuple[str, str, list[Row]]]:
    """The slips the kiosk prints: (title, specimen, rows) for 生化, then 血常规 and 凝血 when
    their tests were drawn, each with the rows its analyser adds."""
    rows = {key_of(r): dict(r) for _, rs in sections(case) for r in rs}

    def add(key: str) -> None:
        name, unit, mean, sd, dp, bounds = EXTRAS_R[key]
        rows[key] = extra_row(case, key, name, rng.gauss(mean, sd), dp, unit, bounds)

    for key, p in (("x_afu", 0.4), ("x_mao", 0.25)):
        if rng.random() < p:
            add(key)
    if any(k in rows for k in HAEM_R):  # a blood count: the analyser's usual rows around it
        plt = "platelets" in rows
        for key in ("x_wbc", "x_neut", "x_lym", "x_hgb", "x_hct", "x_mpv", "x_pdw"):
            real = {"x_wbc": "wbc", "x_hgb": "haemoglobin"}.get(key)
            if (key in ("x_mpv", "x_pdw") and not plt) or real in rows:
                continue
            if key in ("x_wbc", "x_hgb", "x_mpv") or rng.random() < 0.6:
                add(key)
    if "inr" in rows:
        for key in ("x_pt", "x_aptt", "x_fib", "x_tt"):
            if (key != "x_pt" or "pt" not in rows) and (key == "x_pt" or rng.random() < 0.75):
                add(key)
    haem = [rows.pop(k) for k in HAEM_R if k in rows]
    coag = [rows.pop(k) for k in COAG_R if k in rows]
    items = {"kiosk_liver": "肝功能", "kiosk_liver_tba": "肝功能+总胆汁酸"}
    out = [(items.get(case.style["profile"], "肝功能+肾功能+血糖"), "血清", list(rows.values()))]
    out += [("血常规", "全血", haem)] if haem else []
    out += [("凝血四项" if len(coag) >= 4 else "凝血功能", "血浆", coag)] if coag else []
    return out


def print_time(case: Case, rng: random.Random) -> str:
    """The kiosk's print time: after the latest date the slip prints, in the slip's form."""
    stamps = [t for _, t in dates(case.header)]
    found = [re.match(r"(\d{4})(\D)(\d\d)\D(\d\d) (\d\d):(\d\d)", t) for t in stamps]
    times = [(dt.datetime(int(m[1]), int(m[3]), int(m[4]), int(m[5]), int(m[6])), m[2])
             for m in found if m]  # fmt: skip
    latest, sep = max(times)
    when = latest + dt.timedelta(days=rng.randint(0, 4), minutes=rng.randint(25, 700))
    return when.strftime(f"%Y{sep}%m{sep}%d %H:%M")


def _bars_r(rng: random.Random, n: int) -> str:
    spans = "".join(f'<span style="width:{rng.choice((0.25, 0.35, 0.5, 0.7))}mm;margin-right:'
                    f'{rng.choice((0.25, 0.35, 0.5))}mm"></span>' for _ in range(n))  # fmt: skip
    return f'<div class="bc">{spans}</div>'


def _table_r(rows: list[Row], cols: str, heads: list[str], widths: list[float]) -> str:
    colgroup = "".join(f'<col style="width:{w}mm">' for w in widths) + "<col>"
    trs = []
    for i, r in enumerate(rows):
        f, arrow = r["flag"], r["flag"] in ("↑", "↓")
        mark = ' class="fl"' if f else ""
        glue = f if cols == "glued" and arrow else f" {f}" if f else ""
        result = esc(r["value"]) + (esc(glue) if cols != "flagcol" else "")
        cells = [f"<td>{i + 1}</td>"] if cols == "glued" else []
        cells.append(f'<td class="nc">{esc(r["name"])}</td>')
        cells.append(f"<td{mark}>{result}</td>")
        cells += [f"<td>{esc(f)}</td>"] if cols == "flagcol" else []
        unit, ref = f"<td>{esc(r['unit'])}</td>", f"<td>{esc(r['range'])}</td>"
        cells += [ref, unit] if cols == "flagcol" else [unit, ref]
        trs.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f"<th>{esc(x)}</th>" for x in heads)
    return (f'<table class="res">{colgroup}<thead><tr>{head}</tr></thead><tbody>{"".join(trs)}'
            "</tbody></table>")  # fmt: skip


def render_heldout_r(case: Case, rng: random.Random) -> str:
    h = case.header
    thermal = rng.random() < 0.6
    grey = thermal and rng.random() < 0.5
    cut = thermal and rng.random() < 0.5
    pt = rng.choice((7.2, 7.5, 7.8)) if thermal else rng.choice((8.6, 9.0))
    font = "'Noto Sans Mono CJK SC', 'DejaVu Sans Mono'" if thermal and rng.random() < 0.4 else (
        font_for(case, rng))  # fmt: skip
    cols = rng.choice(("flagcol", "flagcol", "glued", "spaced"))
    name_w = rng.choice((16.5, 18.0, 19.5)) if thermal else rng.choice((21.0, 23.0))
    k = 1.0 if thermal else 1.6
    heads = {"flagcol": ["项目", "结果", "提示", "参考范围", "单位"],
             "glued": ["No", "项目名称", "结果", "单位", "参考值"],
             "spaced": ["项目", "结果", "单位", "参考范围"]}[cols]  # fmt: skip
    if cols == "flagcol" and rng.random() < 0.4:
        heads[0], heads[3] = "项目名称", "参考值"
    widths = {"flagcol": [name_w, 11 * k, 6 * k, 17 * k], "glued": [4.5, name_w, 12 * k, 14 * k],
              "spaced": [name_w, 13 * k, 14 * k]}[cols]  # fmt: skip
    reports = _reports_r(case, rng)
    # a slip's height: the header and footer, and a line a row (two for a wrapped name)
    slip_mm = [70 + pt * 0.5 * sum(1 + (len(r["name"]) * pt * 0.353 > name_w - 1) for r in rs)
               for _, _, rs in reports]  # fmt: skip
    need = max(slip_mm) if cut else sum(slip_mm) + 10 * (len(slip_mm) - 1)
    height = min(292, max(208, need))
    size = f"80mm {height:.0f}mm" if thermal else "A5 portrait"
    ink = rng.choice(("#5a5a5a", "#6e6e6e")) if grey else "#111"
    css = page_css(size, "5mm 4mm 6mm" if thermal else "10mm 10mm 12mm", font, pt)
    css += (
        f"body {{ color: {ink}; line-height: 1.28 }} .hosp {{ text-align: center; font-weight:"
        " bold; font-size: 125% } .tt { text-align: center; font-size: 112%; letter-spacing: 2px;"
        " margin-bottom: 1mm } .bc { text-align: center; height: 7mm; white-space: nowrap;"
        f" margin-top: 1mm }} .bc span {{ display: inline-block; height: 7mm; background: {ink}"
        " } .bcn { text-align: center; font-size: 85%; letter-spacing: 1px } .info { width:"
        " 100%; margin: 1mm 0 } .info td { padding: 0 1mm 0 0; vertical-align: top } .rule {"
        f" border-top: .8px dashed {ink}; margin: 1mm 0 }} .res {{ width: 100%; table-layout: fixed"
        f" }} .res th {{ text-align: left; font-weight: normal; border-bottom: .8px dashed {ink};"
        " padding: .4mm .6mm .4mm 0; white-space: nowrap } .res td { vertical-align: top;"
        " padding: .35mm .6mm .35mm 0; white-space: nowrap } .res td.nc { white-space: normal;"
        " word-break: break-all } .fl { font-weight:"
        " bold } .ft { margin-top: 1mm } .ft div { margin: .2mm 0 } .cut { margin: 3mm 0;"
        " text-align: center; letter-spacing: 1px } .slip { break-inside: avoid }"
        " .pb { break-before: page }"
    )
    hospital = rng.choice(HOSPITALS_R)
    dept = rng.choice(DEPTS_R)
    card = f"{rng.choice(('就诊卡号', '门诊号'))}：{digits(rng, rng.choice((8, 10)))}"
    staff = rng.sample(STAFF_R, 2)
    grid = rng.random() < 0.5
    diagnosis, outpatient = rng.choice(DIAGNOSES_R), rng.random() < 0.4
    printed_at = print_time(case, rng)
    slips = []
    for i, (items, specimen, rows) in enumerate(reports):
        code = digits(rng, 12)
        info = [f"姓名：{h['name']}", f"性别：{h['sex'] or ''}", f"年龄：{h['age'] or ''}"]
        info += [f"科室：{dept}", f"标本类型：{specimen}", f"标本号：{rng.randint(1, 900)}"]
        info += [card, f"临床诊断：{diagnosis}", f"检验项目：{items}"]
        if grid:
            tds = [f"<td>{esc(x)}</td>" for x in info]
            trs = "".join(f"<tr>{''.join(tds[j : j + 2])}</tr>" for j in range(0, len(tds), 2))
            who = f'<table class="info">{trs}</table>'
        else:
            first = "&nbsp;&nbsp;".join(esc(x) for x in info[:3])
            who = f'<div class="info">{first}<br>{"<br>".join(esc(x) for x in info[3:])}</div>'
        stamps = "".join(f"<div>{esc(label)}{esc(text)}</div>" for label, text in dates(h))
        sign = rng.choice(
            ("*本结果仅对本标本负责", "本结果仅对本标本负责，如有疑问请七日内咨询检验科")
        )
        slip = (f'<div class="slip{" pb" if cut and i else ""}"><div class="hosp">{esc(hospital)}'
                f'</div><div class="tt">{"门诊" if outpatient else ""}检验报告单</div>'
                f'{_bars_r(rng, 34 if thermal else 46)}<div class="bcn">{code}</div>{who}'
                f'<div class="rule"></div>{_table_r(rows, cols, heads, widths)}'
                f'<div class="rule"></div><div class="ft">{stamps}<div>检验者：{staff[0]}'
                f"&nbsp;&nbsp;审核者：{staff[1]}</div><div>{esc(sign)}</div><div>打印时间"
                f"{rng.choice((' ', '：'))}{esc(printed_at)}&nbsp;&nbsp;自助机"
                f"{rng.randint(1, 12):02d}</div></div></div>")  # fmt: skip
        slips.append(slip)
    joiner = "" if cut else '<div class="cut">- - - - - - ✂ - - - - - -</div>'
    return document(css, joiner.join(slips), lang="zh")
