"""HELD-OUT layouts: do not read, tune on, or add cases from this module when working on the
reader.

They exist so the benchmark measures the reader on pages nobody shaped it for: a score on the
layouts you developed against says how well you fitted them; the score here says how well the
reader generalises. Once a developer adjusts the reader to these pages that second number is
gone, so look at the reader's failures on the main layouts instead, and run these only as a
whole (``python -m tests.extract.generate --heldout``; ``benchmarks`` reports them apart).

``heldout_a``: an English patient-portal print, results as a stacked list with no table lines
(name, leader, value, unit, range in brackets, a flag word), dates in prose.
``heldout_b``: a Chinese sheet with a code column, a narrow result column with the flag glued
to it, and the range printed before the unit.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from tests.extract.layouts import (
    Layout,
    age_text,
    barcode,
    col_widths,
    dates,
    digits,
    document,
    esc,
    font_for,
    page_css,
    sections,
    title,
)
from tests.extract.profiles import CONV_UNITS, SI_UNITS, UMOL, Profile

if TYPE_CHECKING:
    from tests.extract.generate import Case

PORTAL = Profile(
    name="portal",
    language="en",
    names={
        "alt": ("Alanine Aminotransferase (ALT)", "ALT (Alanine transaminase)", "SGPT/ALT"),
        "ast": ("Aspartate Aminotransferase (AST)", "AST (Aspartate transaminase)", "SGOT/AST"),
        "alp": ("Alkaline Phosphatase (ALP)", "Alk Phos"),
        "ggt": ("Gamma Glutamyltransferase", "GGT (Gamma-GT)"),
        "bilirubin": ("Bilirubin Total", "Total Bilirubin (TBIL)"),
        "direct_bilirubin": ("Bilirubin Direct", "Conjugated (Direct) Bilirubin"),
        "albumin": ("Albumin Level", "Albumin"),
        "platelets": ("Platelet Count (PLT)", "Platelet"),
        "inr": ("INR (Prothrombin Time Ratio)", "International Normalized Ratio"),
        "ck": ("Creatine Kinase (CK)",),
        "creatinine": ("Creatinine Level",),
        "sodium": ("Sodium Level", "Sodium (Na)"),
        "bile_acids": ("Bile Acids",),
    },
    units={**CONV_UNITS, "bilirubin": CONV_UNITS["bilirubin"] + UMOL[:1]},
    two_forms=("spaced", "endash", "bracket", "to"),
    upper_forms=("lt_sp", "upto", "le"),
    flag_styles=("Word", "Word", "HL", "arrow"),
    date_forms=("month_d_y", "mon_d_y", "us"),
    time_forms=(" %I:%M %p", ""),
    collected_labels=("Collected on", "Specimen collected", "Collection time"),
    other_labels=("Ordered on", "Resulted on", "Printed on"),
    sex_forms=(("Male", "Female"),),
    age_forms=("{age} years old", "Age {age}", "{age} yrs"),
    people="en",
    conventional=True,
)
CN_B = Profile(
    name="cn_b",
    language="zh",
    names={
        "alt": ("谷丙转氨酶", "丙氨酸转氨酶"),
        "ast": ("谷草转氨酶", "天冬氨酸转氨酶"),
        "alp": ("碱性磷酸酶",),
        "ggt": ("谷氨酰转肽酶", "γ-谷氨酰基转移酶"),
        "bilirubin": ("总胆红素",),
        "direct_bilirubin": ("直接胆红素",),
        "albumin": ("白蛋白", "清蛋白"),
        "platelets": ("血小板",),
        "inr": ("国际标准化比率",),
        "ck": ("肌酸激酶",),
        "creatinine": ("肌酐",),
        "sodium": ("钠",),
        "bile_acids": ("总胆汁酸",),
    },
    units={**SI_UNITS, "enzyme": (("U/L", "U/L"), ("IU/L", "IU/L")), "albumin": (("g/L", "g/L"),)},
    two_forms=("ddash", "tilde_ascii", "dash", "tilde"),
    upper_forms=("le", "lt"),
    flag_styles=("arrow", "HL"),
    date_forms=("ymd_dot", "zh", "iso"),
    time_forms=(" %H:%M",),
    collected_labels=("采集时间:", "采样日期:", "抽血时间:"),
    other_labels=("核收时间:", "检验时间:", "报告日期:"),
    sex_forms=(("男", "女"),),
    age_forms=("{age}岁", "{age} 岁"),
    people="zh",
    thousands=False,
    dp={"enzyme": (1,), "bilirubin": (1,), "albumin": (1,)},
    name_styles=(2,),
)
CODES = {
    "alt": "ALT",
    "ast": "AST",
    "alp": "ALP",
    "ggt": "GGT",
    "bilirubin": "TBIL",
    "direct_bilirubin": "DBIL",
    "albumin": "ALB",
    "platelets": "PLT",
    "inr": "INR",
    "ck": "CK",
    "creatinine": "CREA",
    "sodium": "Na",
    "bile_acids": "TBA",
}


def render_heldout_a(case: Case, rng: random.Random) -> str:
    h, font = case.header, font_for(case, rng, ("DejaVu Sans", "DejaVu Serif"))
    css = page_css("Letter", "0.6in 0.7in", font, 10.0, '"Printed from MyCare Online"')
    leader = rng.random() < 0.5
    css += (
        "h1 { font-size: 15pt; margin: 0 0 2px } .who { margin: 6px 0 14px; line-height: 1.45 }"
        " .row { display: flex; margin: 5px 0 } .n { white-space: nowrap } .fill { flex: 1;"
        " border-bottom: 1.2px dotted #888; margin: 0 6px 3px } .v { font-weight: bold;"
        " white-space: nowrap } .flag { color: #b00020; font-weight: bold; margin-left: 8px;"
        " width: 42px } h2 { font-size: 11pt; margin: 14px 0 4px; color: #245 }"
    )
    who = [f"<b>{esc(h['name'])}</b>"]
    who += [esc(age_text(h, "Age"))] if h["age"] else []
    who += [f"Sex: {esc(h['sex'])}"] if h["sex"] else []
    who += [f"Date of birth {esc(h['dob'])}"] if h["dob"] else []
    when = " &middot; ".join(f"{esc(label)} {esc(text)}" for label, text in dates(h))
    body = [
        f'<h1>Test Results</h1><div class="grey">MyCare Online &middot; MRN {digits(rng, 7)}</div>',
        f'<div class="who">{" &middot; ".join(who)}<br>{when}</div>',
    ]
    for section, rows in sections(case):
        body.append(f"<h2>{esc(title(case, section))}</h2>")
        for r in rows:
            bare = r["range"] and r["range"][0] not in "([（"
            rng_text = esc(f"({r['range']})" if bare else r["range"])
            fill = '<span class="fill"></span>' if leader else '<span style="flex:1"></span>'
            body.append(
                f'<div class="row"><span class="n">{esc(r["name"])}</span>{fill}'
                f'<span class="v">{esc(r["value"])}</span>&nbsp;<span>{esc(r["unit"])}</span>'
                f'&nbsp;&nbsp;<span class="grey">{rng_text}</span>'
                f'<span class="flag">{esc(r["flag"])}</span></div>'
            )
    body.append('<p class="small grey" style="margin-top:22px">Ask your care team about these')
    body.append(" results. Ranges are set by the performing laboratory.</p>")
    return document(css, "".join(body))


def render_heldout_b(case: Case, rng: random.Random) -> str:
    h, font = case.header, font_for(case, rng)
    css = page_css("A4", "14mm 14mm", font, 9.6)
    css += (
        ".box { width: 100%; border: 1px solid #000 } .box td { padding: 3px 5px }"
        ".res { width: 100%; margin-top: 6px } .res th { border-top: 1.5px solid #000;"
        " border-bottom: 1px solid #000; font-weight: normal; text-align: left; padding: 3px }"
        ".res td { padding: 2.5px 3px } .t { font-size: 16pt; text-align: center; font-weight:"
        " bold; margin: 2px 0 6px }"
    )
    hospital = rng.choice(("临河市人民医院", "云岭县中医院", "北湾区第二医院"))
    first = [f"姓名：{h['name']}"]
    first += [f"性别：{h['sex']}"] if h["sex"] else []
    first += [f"年龄：{h['age']}"] if h["age"] else []
    first += [f"门诊号：{digits(rng, 9)}"]
    second = [f"{label}{text}" for label, text in dates(h)[:1]] + ["标本：血清", "备注："]
    box = "".join(
        f"<tr>{''.join(f'<td>{esc(x)}</td>' for x in line)}</tr>" for line in (first, second)
    )
    rows = []
    for _, these in sections(case):
        for r in these:
            code = CODES.get(r.get("analyte", ""), "")
            glued = f"{r['value']}{r['flag']}" if r["flag"] else r["value"]
            rows.append(
                f"<tr><td>{esc(code)}</td><td>{esc(r['name'])}</td>"
                f'<td class="r">{esc(glued)}</td><td>&nbsp;&nbsp;{esc(r["range"])}</td>'
                f"<td>{esc(r['unit'])}</td></tr>"
            )
    heads = "".join(
        f"<th>{x}</th>" for x in ("代号", "检验项目", "结果", "&nbsp;&nbsp;参考范围", "单位")
    )
    widths = col_widths(10, 36, 9, 22)
    rest = " ".join(f"{label}{text}" for label, text in dates(h)[1:])
    body = (
        f'<div style="float:right">{barcode(rng, 36, 9)}</div><div class="t">{esc(hospital)}'
        f'</div><table class="box">{box}</table><table class="res">{widths}<thead><tr>{heads}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p class="small" style="margin-top:14px">{esc(rest)}'
        f"　检验：{rng.choice(('何静', '邓超'))}"
        "　审核：林平</p>"
    )
    return document(css, body, lang="zh")


HELDOUT: dict[str, Layout] = {
    "heldout_a": Layout("heldout_a", {"en": (PORTAL,)}, "lft", render_heldout_a),
    "heldout_b": Layout("heldout_b", {"zh": (CN_B,)}, "lft", render_heldout_b),
}
