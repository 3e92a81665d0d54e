"""Cumulative reports: this sample's results beside earlier ones, for developing the reader.

A results system that prints a patient's history puts several results on one row, and only
the table's column headings say which is this sample's. These two layouts differ on purpose
from the NHS cumulative report of ``heldout4`` (units and range first, earlier dates, this
sample last and right-aligned): here this sample's column comes first as often as last,
is headed by its collection date in the report's own date form (US month-first dates
included) or by a word ("Current", "This sample", "本次"), cells are left-aligned under
left-aligned headings, a flag may stand in its own column between the result columns, and
the Chinese sheet heads its columns 本次/上次/前次 or with ISO dates.

The truth is this sample's results as always; the earlier ones are drawn around them.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import TYPE_CHECKING

from tests.extract.layouts import Row, document, esc, font_for, key_of, page_css, sections, title
from tests.extract.vocab import format_date

if TYPE_CHECKING:
    from tests.extract.generate import Case

CURRENT_EN = ("Current", "This sample", "Latest")
STEADY = {"albumin", "inr", "sodium", "total_protein", "globulin", "ag_ratio"}


def earlier_value(row: Row, rng: random.Random) -> str:
    """An earlier result for the row's test, with the same decimals; sometimes none."""
    text = row["value"]
    if rng.random() < 0.15:
        return ""
    if text[:1] in "<>≤≥":
        return text if rng.random() < 0.5 else ""
    digits = text.replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return ""
    dp = len(digits.split(".")[1]) if "." in digits else 0
    spread = 0.05 if key_of(row) in STEADY else 0.3
    prev = max(round(value * math.exp(rng.gauss(0.0, spread)), dp), 10.0**-dp)
    return f"{prev:.{dp}f}"


def _history(case: Case, rng: random.Random, n: int) -> tuple[dt.date, list[dt.date]]:
    """This sample's day and ``n`` earlier days, newest first."""
    day = (
        dt.date.fromisoformat(case.collected_on)
        if case.collected_on
        else dt.date(2024, 6, 1) + dt.timedelta(days=rng.randrange(600))
    )
    back, days = day, []
    for _ in range(n):
        back -= dt.timedelta(days=rng.randint(20, 240))
        days.append(back)
    return day, days


def _header_lines(case: Case, labels: tuple[str, str, str]) -> list[str]:
    h = case.header
    out = [f"{labels[0]} {h['name']}"]
    out += [f"{labels[1]} {h['sex']}"] if h["sex"] else []
    out += [f"{labels[2]} {h['age']}"] if h["age"] else []
    if h["collected"]:
        out.append(f"{h['collected']['label']} {h['collected']['text']}")
    out += [f"{o['label']} {o['text']}" for o in h["others"]]
    return out


def render_cumulative_en(case: Case, rng: random.Random) -> str:
    """A US or UK hospital's cumulative report: Test | this sample | Flag | earlier... | Units
    | Reference range, or the history first and this sample last."""
    font = font_for(case, rng, ("DejaVu Sans", "DejaVu Sans Condensed"))
    css = page_css("Letter", "0.55in 0.5in 0.7in", font, 8.4)
    css += (
        ".hd { width: 100%; border-bottom: 2px solid #333; margin-bottom: 6px }"
        " .res { width: 100%; margin-top: 6px } .res th { text-align: left; padding: 2px 6px;"
        " border-bottom: 1px solid #333; font-weight: bold } .res td { padding: 2px 6px;"
        " white-space: nowrap; border-bottom: .4px solid #ddd } .sec td { font-weight: bold;"
        " padding-top: 7px } .old { color: #555 }"
    )
    h = case.header
    form = h["collected"]["form"] if h["collected"] else rng.choice(("us", "mon_d_y", "dmon"))
    now_day, days = _history(case, rng, rng.choice((1, 2, 2, 3)))
    dated = h["collected"] is not None and rng.random() < 0.6
    now = format_date(now_day, form) if dated else rng.choice(CURRENT_EN)
    if not dated and rng.random() < 0.5:
        form = rng.choice(("mon_d_y", "dmon"))  # words head this sample; month names the rest
    first = rng.random() < 0.55
    flag_column = rng.random() < 0.6
    old_heads = [format_date(d, form) for d in days]
    if not first:
        old_heads.reverse()  # oldest first when this sample is last
    heads = ["Test"]
    if first:
        heads += [now] + (["Flag"] if flag_column else []) + old_heads + ["Units", "Reference"]
    else:
        heads += ["Units", "Reference", *old_heads, now] + (["Flag"] if flag_column else [])
    rows = []
    for section, these in sections(case):
        rows.append(f'<tr class="sec"><td colspan="{len(heads)}">{esc(title(case, section))}')
        rows[-1] += "</td></tr>"
        for r in these:
            value = r["value"] + (f" {r['flag']}" if r["flag"] and not flag_column else "")
            olds = [f'<td class="old">{esc(earlier_value(r, rng))}</td>' for _ in days]
            cur = f'<td class="b">{esc(value)}</td>'
            flag = [f'<td class="b">{esc(r["flag"])}</td>'] if flag_column else []
            units = [f"<td>{esc(r['unit'])}</td>", f"<td>{esc(r['range'])}</td>"]
            cells = [f"<td>{esc(r['name'])}</td>"]
            cells += [cur, *flag, *olds, *units] if first else [*units, *olds, cur, *flag]
            rows.append(f"<tr>{''.join(cells)}</tr>")
    lab = rng.choice(("Harbourview Medical Center", "St. Aldric Hospital", "Kellen Valley Health"))
    head = "".join(f"<th>{esc(x)}</th>" for x in heads)
    info = "<br>".join(esc(x) for x in _header_lines(case, ("Patient:", "Sex:", "Age:")))
    body = (
        f'<table class="hd"><tr><td><b style="font-size:13pt">{esc(lab)}</b><br>'
        'Laboratory Services &middot; Cumulative Results</td><td class="r small">'
        f"{info}</td></tr></table>"
        f'<table class="res"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table><p class='small grey'>Results in bold are this sample's. Earlier results"
        " are shown for comparison.</p>"
    )
    return document(css, body)


def render_cumulative_zh(case: Case, rng: random.Random) -> str:
    """A Chinese hospital's 历次结果 sheet: 项目 | 本次 | 提示 | 上次 | 前次 | 单位 | 参考区间,
    or 项目 | 单位 | 参考区间 | dates... | this sample's date."""
    font = font_for(case, rng)
    css = page_css("A4", "12mm 12mm 14mm", font, 9.2)
    css += (
        ".t { text-align: center; font-size: 14pt; font-weight: bold; letter-spacing: 3px }"
        " .pt td { padding: 1px 14px 1px 0 } .res { width: 100%; margin-top: 6px;"
        " border-top: 1.5px solid #000; border-bottom: 1.5px solid #000 } .res th {"
        " text-align: left; padding: 3px 6px; border-bottom: 1px solid #000 } .res td {"
        " padding: 2px 6px; white-space: nowrap } .old { color: #444 }"
    )
    h = case.header
    words = rng.random() < 0.5 or not h["collected"]
    now_day, days = _history(case, rng, 2 if words else rng.choice((1, 2, 3)))
    if words:
        now = rng.choice(("本次", "本次结果"))
        old_heads = [rng.choice(("上次", "上次结果")), rng.choice(("前次", "前次结果"))]
        rows_spec = "first"
    else:
        form = rng.choice(("iso", "iso", "ymd_slash"))
        now = format_date(now_day, form)
        old_heads = [format_date(d, form) for d in reversed(days)]  # oldest first
        rows_spec = "last"
    heads = ["项目"]
    if rows_spec == "first":
        heads += [now, "提示", *old_heads, "单位", "参考区间"]
    else:
        heads += ["单位", "参考区间", *old_heads, now, "提示"]
    rows = []
    for _, these in sections(case):
        for r in these:
            olds = [f'<td class="old">{esc(earlier_value(r, rng))}</td>' for _ in old_heads]
            cur = f'<td class="b">{esc(r["value"])}</td><td>{esc(r["flag"])}</td>'
            units = f"<td>{esc(r['unit'])}</td><td>{esc(r['range'])}</td>"
            cells = [f"<td>{esc(r['name'])}</td>"]
            cells += [cur, *olds, units] if rows_spec == "first" else [units, *olds, cur]
            rows.append(f"<tr>{''.join(cells)}</tr>")
    hospital = rng.choice(("江北区人民医院", "滨海市第二人民医院", "青山县中医医院"))
    info = _header_lines(case, ("姓名:", "性别:", "年龄:"))
    grid = "".join(
        "<tr>" + "".join(f"<td>{esc(x)}</td>" for x in info[i : i + 3]) + "</tr>"
        for i in range(0, len(info), 3)
    )
    head = "".join(f"<th>{esc(x)}</th>" for x in heads)
    body = (
        f'<div class="t">{esc(hospital)}检验报告单（历次结果对比）</div>'
        f'<table class="pt">{grid}</table>'
        f'<table class="res"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table><p class='small'>注：本次结果以粗体显示，上次、前次结果供参考。</p>"
    )
    return document(css, body, lang="zh")


def render_cumulative(case: Case, rng: random.Random) -> str:
    if case.language == "zh":
        return render_cumulative_zh(case, rng)
    return render_cumulative_en(case, rng)
