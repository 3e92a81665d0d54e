"""The sixth held-out set's pages (see ``heldout6.py``; the same rule: do not read or tune on
these when working on the reader).

A renderer only arranges what the case says was printed; what it adds around the drawn rows
(previous results, a browser's print stamp, vital signs, a urinalysis, MPV and the other blood
count indices, comments) is drawn from the render RNG and never holds a LiverLens test.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import TYPE_CHECKING

from tests.extract.heldout5 import out_of_range
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
from tests.extract.vocab import FLAG_TEXT, format_date

if TYPE_CHECKING:
    from tests.extract.generate import Case


def _flag(case: Case, row: Row) -> str:
    """The report's flag word for a row the layout adds (same style as the drawn rows)."""
    way = out_of_range(row)
    high, low = FLAG_TEXT[case.style["flag_style"]]
    return high if way == "high" else low if way == "low" else ""


def _extra(case: Case, key: str, name: str, value: float, dp: int, unit: str, rng_text: str) -> Row:
    row = {"key": key, "name": name, "value": f"{value:.{dp}f}", "unit": unit,
           "range": rng_text, "flag": "", "section": "x"}  # fmt: skip
    row["flag"] = _flag(case, row)
    return row


def _earlier(text: str, rng: random.Random) -> str:
    """A previous result for the same test: same decimals, drifted."""
    text = text.replace(",", "")
    if text[:1] in "<>":
        return text.replace(" ", "")
    dp = len(text.split(".")[1]) if "." in text else 0
    prev = max(round(float(text) * math.exp(rng.gauss(0.0, 0.3)), dp), 10.0**-dp)
    return f"{prev:.{dp}f}"


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


# --- heldout_k: US hospital patient portal, printed from the browser -------------------------

PORTALS_K = (  # (portal, health system, host)
    ("MyChart", "Lakeshore Health", "mychart.lakeshorehealth.org"),
    ("MyChart", "Sangamon Valley Medical Center", "mychart.svmc.org"),
    ("HealtheLife", "Cedar Plains Regional Hospital", "cedarplains.iqhealth.com"),
    ("MyHealth Portal", "St. Brendan's Health System", "myhealth.stbrendans.org"),
)
DOCTORS_K = ("Priya Natarajan, MD", "Thomas Greer, DO", "Alicia Ruiz, NP", "Kevin O'Hara, MD")
LIVER_K = ("total_protein", "albumin", "globulin", "ag_ratio", "bilirubin", "direct_bilirubin")
LIVER_K += ("ibil", "alp", "ast", "alt")
BMP_K = ("sodium", "potassium", "chloride", "bicarbonate", "x_gap", "glucose", "urea")
BMP_K += ("creatinine", "egfr", "calcium")
CMP_K = (*BMP_K, "total_protein", "albumin", "globulin", "ag_ratio", "bilirubin", "alp", "ast")
CMP_K += ("alt",)
CBC_K = ("wbc", "rbc", "haemoglobin", "x_hct", "mcv", "x_mch", "x_rdw", "platelets", "x_mpv")
CBC_K += ("x_neut", "x_lymph", "x_mono", "x_anc")
PLAN_K = (  # (block title, its components in print order), after the metabolic panels
    ("BILIRUBIN, DIRECT", ("direct_bilirubin", "ibil")),
    ("GAMMA GLUTAMYL TRANSFERASE (GGT)", ("ggt",)),
    ("CBC WITH DIFFERENTIAL", CBC_K),
    ("PROTIME-INR", ("pt", "inr")),
    ("LIPID PANEL", ("cholesterol", "triglycerides", "hdl", "ldl")),
    ("TSH WITH REFLEX TO FREE T4", ("tsh", "ft4")),
)
LABELS_K = (("Your Value", "Standard Range"), ("Value", "Normal Range"))
LABELS_K += (("Result", "Reference Range"),)


def _extras_k(case: Case, rows: dict[str, Row], rng: random.Random) -> None:
    """What a portal prints beside the drawn rows: the anion gap, the blood count's indices and
    differential, the prothrombin time, eGFR's ">60"."""
    si = case.style["profile"] == "portal_si"
    upper = all(r["name"] == r["name"].upper() for r in case.printed.values())
    vals = {k: _number(r["value"]) for k, r in rows.items()}
    na, cl, co2 = vals.get("sodium"), vals.get("chloride"), vals.get("bicarbonate")
    if na and cl and co2 and na - cl - co2 > 0:
        rows["x_gap"] = _extra(
            case,
            "x_gap",
            "ANION GAP" if upper else "Anion Gap",
            na - cl - co2,
            0,
            "mmol/L",
            "3 - 11",
        )
    if "egfr" in rows:
        egfr = rows["egfr"]
        egfr["range"] = ">60"
        egfr["flag"] = FLAG_TEXT[case.style["flag_style"]][1] if (vals["egfr"] or 0) < 60 else ""
    if "platelets" in rows or "wbc" in rows:
        count = "x10^9/L" if si else "K/uL"
        for key, name, mean, sd, dp, unit, lo_hi in (
            ("x_hct", "Hematocrit", 41, 4, 1, "%", "36.0 - 46.0"),
            ("x_mch", "MCH", 30, 1.5, 1, "pg", "27.0 - 33.0"),
            ("x_rdw", "RDW", 13.2, 0.9, 1, "%", "11.5 - 14.5"),
            ("x_mpv", "MPV", 9.8, 1.0, 1, "fL", "7.5 - 11.5"),
            ("x_neut", "Neutrophils %", 58, 8, 1, "%", "40.0 - 74.0"),
            ("x_lymph", "Lymphocytes %", 30, 7, 1, "%", "19.0 - 48.0"),
            ("x_mono", "Monocytes %", 7, 2, 1, "%", "3.4 - 9.0"),
            ("x_anc", "Absolute Neutrophils", 3.8, 1.1, 2, count, "1.40 - 7.00"),
        ):
            if key in ("x_mch", "x_rdw") and rng.random() < 0.3:
                continue
            value = max(rng.gauss(mean, sd), 0.5)
            name = name.upper() if upper else name
            rows[key] = _extra(case, key, name, value, dp, unit, lo_hi)
    if "inr" in rows and "pt" not in rows:
        name = "PROTHROMBIN TIME" if upper else "Prothrombin Time"
        rows["pt"] = _extra(case, "pt", name, rng.gauss(12.6, 1.0), 1, "sec", "11.5 - 14.5")


def _blocks_k(case: Case, rng: random.Random) -> list[tuple[str, list[Row]]]:
    rows = {key_of(r): r for _, rs in sections(case) for r in rs}
    _extras_k(case, rows, rng)
    if case.style["profile"] != "portal_si" and rng.random() < 0.7:
        plan = [("COMPREHENSIVE METABOLIC PANEL", CMP_K)]
    else:
        plan = [("HEPATIC FUNCTION PANEL", LIVER_K), ("BASIC METABOLIC PANEL", BMP_K)]
    placed: set[str] = set()
    out = []
    for heading, keys in [*plan, *PLAN_K]:
        members = [rows[k] for k in keys if k in rows and k not in placed]
        placed.update(keys)
        if members:
            if heading.startswith("CBC") and "x_neut" not in {key_of(r) for r in members}:
                heading = "CBC"  # no differential without a count of the cells
            out.append((heading, members))
    for key, row in rows.items():  # ordered on their own: a block each
        if key not in placed:
            out.append((row["name"].upper(), [row]))
    return out


def _notes_k(case: Case, heading: str, keys: set[str], rng: random.Random) -> list[str]:
    conv = case.style["profile"] != "portal_si"
    notes = []
    if "egfr" in keys:
        notes.append("eGFR >60 mL/min/1.73m2 is in the normal range unless other markers of"
                     " kidney damage are present. Calculated with the CKD-EPI 2021 equation"
                     " (race-free).")  # fmt: skip
    if "glucose" in keys and rng.random() < 0.5:
        notes.append(
            "Fasting glucose 70 - 99 mg/dL normal; 100 - 125 mg/dL prediabetes; >=126 mg/dL"
            " diabetes."
            if conv
            else "Fasting glucose 3.9 - 5.5 mmol/L normal; 5.6 - 6.9 mmol/L impaired; >=7.0"
            " mmol/L diabetes."
        )
    if {"ast", "alt"} & keys and rng.random() < 0.3:
        notes.append("Specimen mildly hemolyzed (H-index 60); AST may be falsely increased.")
    if "inr" in keys:
        notes.append("Therapeutic INR for oral anticoagulation 2.0 - 3.0; mechanical heart"
                     " valves 2.5 - 3.5.")  # fmt: skip
    if "platelets" in keys and rng.random() < 0.4:
        notes.append("Platelet count confirmed by smear review.")
    if "LIPID" in heading:
        notes.append("Desirable total cholesterol <200 mg/dL; LDL goal <100 mg/dL."
                     if conv else "Desirable total cholesterol <5.2 mmol/L.")  # fmt: skip
    return notes


def render_heldout_k(case: Case, rng: random.Random) -> str:
    h = case.header
    font = font_for(case, rng, ("DejaVu Sans", "DejaVu Sans Condensed", "DejaVu Serif"))
    portal, system, host = rng.choice(PORTALS_K)
    style = rng.choice(("table", "table", "cards", "lines"))
    flag_style = case.style["flag_style"]
    glue = (
        style != "table" or flag_style == "paren" or (flag_style == "Word" and rng.random() < 0.3)
    )
    value_unit = rng.random() < 0.5  # the value carries the unit too ("68 U/L")
    labels = rng.choice(LABELS_K)
    form = case.style["date_form"] or "us"
    base = dt.date.fromisoformat(case.collected_on) if case.collected_on else None
    history = base is not None and rng.random() < 0.4
    prev_day = base - dt.timedelta(days=rng.randint(30, 400)) if base else None
    accent = rng.choice(("#0b5394", "#00695c", "#6a1b9a", "#b23c17"))
    pt = rng.choice((8.6, 9.0, 9.4))
    # the browser's own header and footer: print time (a two-digit year), title, address, "1/2"
    shown = (base or dt.date(2025, 1, 1)) + dt.timedelta(days=rng.randint(8, 40))
    stamp = f"{shown.month}/{shown.day}/{shown.year % 100:02d}, {rng.randint(1, 12)}:"
    stamp += f"{rng.randrange(60):02d} {rng.choice(('AM', 'PM'))}"
    url = f"https://{host}/app/test-results/details?orderId={digits(rng, 9)}&eorderid=WP-24"
    small = f"font: {pt - 1.6}pt {font}; color: #333"
    css = page_css("Letter", "0.6in 0.5in", font, pt)
    css += (
        f'@page {{ @top-left {{ content: "{stamp}"; {small} }} @top-center {{ content:'
        f' "{portal} - Test Details"; {small} }} @bottom-left {{ content: "{url}"; {small} }}'
        f' @bottom-right {{ content: counter(page) "/" counter(pages); {small} }} }}'
        f".brand {{ background: {accent}; color: #fff; padding: 5px 8px; font-size: 13pt;"
        " font-weight: bold } .brand .s { float: right; font-size: 9pt; font-weight: normal;"
        " padding-top: 3px } .pt { margin: 6px 0 8px; padding: 4px 0; border-bottom: 1px solid"
        " #bbb } .blk { margin: 0 0 12px; border: .8px solid #ccc; border-radius: 4px; padding:"
        f" 6px 8px }} .bt {{ font-weight: bold; font-size: 110%; color: {accent} }} .dt {{"
        " color: #444; margin: 2px 0 4px } .ct { width: 100%; margin-top: 3px } .ct th {"
        " text-align: left; font-weight: normal; color: #555; border-bottom: 1px solid #999;"
        " padding: 2px 4px } .ct td { padding: 3px 4px; border-bottom: .4px solid #e2e2e2;"
        " vertical-align: top } .hi { color: #b00020; font-weight: bold } .cp { padding: 4px 0"
        " 5px; border-bottom: .4px solid #e2e2e2 } .cn { font-weight: bold } .lb { color: #666;"
        " font-size: 88% } .pv { color: #666; font-size: 88% } .nt { color: #333; font-size: 88%;"
        " margin-top: 4px } .sp { color: #666; font-size: 85%; margin-top: 4px }"
    )
    patient = [f"Patient: {esc(h['name'])}"]
    if h["dob"]:
        patient.append(f"DOB: {esc(h['dob'])}" + (f" ({esc(h['age'])})" if h["age"] else ""))
    elif h["age"]:
        patient.append(f"Age: {esc(h['age'])}")
    patient += [f"Sex: {esc(h['sex'])}"] if h["sex"] else []
    patient.append(f"MRN: {digits(rng, 8)}")
    when = "&nbsp;&nbsp; ".join(
        f'<span style="white-space:nowrap">{esc(label)} {esc(text)}</span>'
        for label, text in dates(h)
    )
    doctor = rng.choice(DOCTORS_K)
    body = [
        f'<div class="brand">{esc(portal)}<span class="s">{esc(system)}</span></div>',
        f'<div class="pt">{"&nbsp;&nbsp;&nbsp;".join(patient)}</div>',
    ]
    changed_on = rng.choice(
        [a for a in ("alt", "alp", "ast", "albumin") if a in case.printed] or [""]
    )
    changed_on = changed_on if rng.random() < 0.5 else ""
    for heading, members in _blocks_k(case, rng):
        items = []
        for r in members:
            with_unit = (value_unit or not r["range"]) and r["unit"]
            value = esc(r["value"] + (f" {r['unit']}" if with_unit else ""))
            mark = ' class="hi"' if r["flag"] else ""
            if glue and r["flag"]:
                value += f" {esc(r['flag'])}"
            rng_text = esc(f"{r['range']} {r['unit']}".strip()) if r["range"] else ""
            prev = ""
            if history and prev_day and r["value"] and rng.random() < 0.8:
                prev = f"Previous: {esc(_earlier(r['value'], rng))} ({format_date(prev_day, form)})"
            note = ""
            if r.get("analyte") == changed_on and base:
                day = base - dt.timedelta(days=rng.randint(60, 500))
                note = f"Reference range changed on {day.month}/{day.day}/{day.year}."
            if style == "table":
                items.append(
                    f"<tr><td>{esc(r['name'])}</td><td{mark}>{value}</td><td>{rng_text}</td>"
                    + ("" if glue else f'<td class="hi">{esc(r["flag"])}</td>')
                    + "</tr>"
                )
                for extra in (prev, note):
                    if extra:
                        cols = 3 if glue else 4
                        items.append(f'<tr><td colspan="{cols}" class="pv">{extra}</td></tr>')
                continue
            range_line = f"<div>{esc(labels[1])}: {rng_text or '—'}</div>"
            value_line = (
                f'<div class="lb">{esc(labels[0])}</div><div{mark}>{value}</div>'
                if style == "cards"
                else f"<div{mark}>{esc(labels[0])}: {value}</div>"
            )
            lines = [range_line, value_line] if style == "cards" else [value_line, range_line]
            items.append(
                f'<div class="cp"><div class="cn">{esc(r["name"])}</div>{"".join(lines)}'
                + (f'<div class="pv">{prev}</div>' if prev else "")
                + (f'<div class="pv">{note}</div>' if note else "")
                + "</div>"
            )
        if style == "table":
            heads = ["Component", *labels] + ([] if glue else ["Flag"])
            cols = "".join(f'<col style="width:{w}%">' for w in (36, 22, 30)[: len(heads)])
            table = "".join(f"<th>{esc(x)}</th>" for x in heads)
            comps = f'<table class="ct">{cols}<thead><tr>{table}</tr></thead><tbody>'
            comps += "".join(items) + "</tbody></table>"
        else:
            comps = "".join(items)
        keys = {key_of(r) for r in members}
        notes = "".join(
            f'<div class="nt">{esc(n)}</div>' for n in _notes_k(case, heading, keys, rng)
        )
        body.append(
            f'<div class="blk"><div class="bt">{esc(heading)}</div><div class="dt">{when}</div>'
            f"{comps}{notes}"
            f'<div class="sp">Status: Final result &middot; Ordered by {esc(doctor)} &middot;'
            f" Specimen: Blood &middot; {esc(system)} Laboratory, CLIA {digits(rng, 2)}D"
            f"{digits(rng, 7)}</div></div>"
        )
    body.append(
        '<div class="sp">Some results may not be normal for everyone. Talk with your'
        " provider about what your results mean. Standard ranges come from the laboratory"
        " that ran the test.</div>"
    )
    return document(css, "".join(body))


# --- heldout_l: Chinese health check-up centre report book -----------------------------------

CENTRES_L = (
    ("美和健康体检中心", "MEIHE HEALTH CHECK-UP"),
    ("爱宁健康管理中心", "AINING HEALTH MANAGEMENT"),
    ("瑞年体检（东湖分院）", "RUINIAN MEDICAL CHECK-UP"),
    ("安康优选体检中心", "ANKANG PREMIUM CHECK-UP"),
)
PACKAGES_L = ("入职体检套餐", "年度健康体检（男）", "年度健康体检（女）", "深度体检套餐A")
EMPLOYERS_L = ("个人", "青禾科技有限公司", "江北区教育局", "远航物流有限公司", "华信银行")
DOCTORS_L = ("张慧", "高志远", "吴敏", "郑海", "刘倩", "孙亮", "何静")
DEPTS_L = {"haem": "血常规", "liver": "肝功能", "renal": "肾功能", "lipid": "血脂"}
DEPTS_L |= {"thyroid": "甲状腺功能", "coag": "凝血功能"}
SUGAR_L = ("glucose", "hba1c")
ULTRASOUND = {  # condition -> the abdominal ultrasound's finding, if it has one
    "fatty": "脂肪肝（轻度）",
    "alcohol": "脂肪肝（中度）",
    "cirrhosis": "肝实质回声增粗、不均匀，请结合临床",
    "cholestasis": "胆囊多发结石",
    "hepatitis": "肝脏回声稍增粗",
}
URINE = (  # (name, result, range): a urinalysis's rows, mostly qualitative
    ("尿比重(SG)", "1.020", "1.003-1.030"),
    ("酸碱度(pH)", "6.0", "4.5-8.0"),
    ("尿蛋白(PRO)", "阴性(-)", "阴性"),
    ("尿糖(GLU)", "阴性(-)", "阴性"),
    ("尿胆红素(BIL)", "阴性(-)", "阴性"),
    ("尿胆原(URO)", "正常", "正常"),
    ("尿隐血(BLD)", "阴性(-)", "阴性"),
)


def _short(row: Row) -> str:
    name = row["name"].replace("（", "(")
    return name.split("(")[0] if "(" in name else name


def _vitals(case: Case, rng: random.Random) -> list[Row]:
    height = rng.gauss(171 if case.sex == "male" else 160, 6)
    bmi = rng.gauss({"fatty": 27.5, "alcohol": 25.5}.get(case.style["condition"], 23.0), 2.5)
    weight = bmi * (height / 100) ** 2
    sys_bp = rng.gauss(126, 14)
    return [
        _extra(case, "v_h", "身高", height, 1, "cm", ""),
        _extra(case, "v_w", "体重", weight, 1, "kg", ""),
        _extra(case, "v_bmi", "体重指数(BMI)", bmi, 1, "kg/m²", "18.5-23.9"),
        _extra(case, "v_sbp", "收缩压", sys_bp, 0, "mmHg", "90-139"),
        _extra(case, "v_dbp", "舒张压", sys_bp * rng.uniform(0.6, 0.7), 0, "mmHg", "60-89"),
        _extra(case, "v_hr", "脉搏", rng.gauss(74, 9), 0, "次/分", "60-100"),
    ]


def _departments_l(case: Case, rng: random.Random) -> list[tuple[str, list[Row]]]:
    out: list[tuple[str, list[Row]]] = [("一般检查", _vitals(case, rng))]
    other, sugar = [], []
    for section, rows in sections(case):
        if section == "chem":
            sugar += [r for r in rows if key_of(r) in SUGAR_L]
            other += [r for r in rows if key_of(r) not in SUGAR_L]
            continue
        if section == "haem" and any(r.get("analyte") == "platelets" for r in rows):
            for key, name, mean, sd, dp, unit, lo_hi in (
                ("x_mpv", "平均血小板体积(MPV)", 10.2, 1.0, 1, "fL", "7.4-12.5"),
                ("x_pdw", "血小板分布宽度(PDW)", 14.5, 2.0, 1, "fL", "9.0-17.0"),
                ("x_pct", "血小板压积(PCT)", 0.24, 0.04, 2, "%", "0.11-0.28"),
                ("x_neut", "中性粒细胞百分比(NEUT%)", 58, 8, 1, "%", "40.0-75.0"),
            ):
                rows = [*rows, _extra(case, key, name, max(rng.gauss(mean, sd), 0.05), dp, unit,
                                      lo_hi)]  # fmt: skip
        out.append((DEPTS_L[section], rows))
    order = ["一般检查", "血常规", "肝功能", "肾功能", "血脂", "甲状腺功能", "凝血功能"]
    out.sort(key=lambda d: order.index(d[0]))
    if sugar:
        out.insert(min(len(out), 5), ("血糖", sugar))
    if other:
        out.append(("其他检验", other))
    if rng.random() < 0.5:
        urine = [{"key": "u", "name": n, "value": v, "unit": "", "range": r, "flag": ""}
                 for n, v, r in URINE]  # fmt: skip
        out.append(("尿常规", urine))
    return out


def _advice_l(case: Case, ways: dict[str, str], bmi: Row) -> list[str]:
    out = []
    if {"alt", "ast", "ggt"} & set(ways):
        upper = case.labs.get("alt", {}).get("upper_limit") or 40
        out.append(
            "转氨酶/谷氨酰转肽酶升高：建议戒酒、清淡饮食、避免熬夜及服用伤肝药物，1～3个月后"
            f"复查肝功能；若谷丙转氨酶持续高于{upper * 3:g} U/L，请到消化内科或肝病科就诊。"
        )
    if {"bilirubin", "direct_bilirubin"} & set(ways):
        out.append("胆红素偏高：建议2～4周后复查，必要时行肝胆胰脾彩超检查。")
    if {"triglycerides", "cholesterol", "ldl"} & set(ways):
        out.append(
            "血脂异常：建议低脂低糖饮食，总胆固醇宜控制在5.2 mmol/L以下、甘油三酯在1.7 mmol/L"
            "以下，3～6个月后复查血脂。"
        )
    if out_of_range(bmi) == "high":
        out.append(
            f"体重指数 {bmi['value']} kg/m²，超过24，建议控制饮食总热量，每周运动150分钟以上，"
            "减重5%～10%。"
        )
    if ways.get("platelets") == "low":
        out.append("血小板计数偏低：建议1个月后复查血常规，必要时血液科就诊。")
    out.append("建议每年进行一次健康体检，如有不适请及时就医。")
    return out


def render_heldout_l(case: Case, rng: random.Random) -> str:
    h = case.header
    font = font_for(case, rng)
    centre, centre_en = rng.choice(CENTRES_L)
    cover = rng.random() < 0.45
    exam_id = f"{rng.choice(('TJ', '', 'MN'))}{digits(rng, 10)}"
    depts = _departments_l(case, rng)
    bmi = next(r for _, rows in depts for r in rows if key_of(r) == "v_bmi")
    found = [(d, r, out_of_range(r)) for d, rows in depts for r in rows if out_of_range(r)]
    ways = {key_of(r): w for _, r, w in found}
    red, blue = rng.choice(("#d32f2f", "#c62828")), rng.choice(("#1565c0", "#1e5bb8"))
    pt = rng.choice((8.2, 8.6, 9.0))
    banner = [("姓名", h["name"])]
    banner += [("性别", h["sex"])] if h["sex"] else []
    banner += [("年龄", h["age"])] if h["age"] else []
    banner += [("体检编号", exam_id)]
    collected = h["collected"]
    if collected:
        banner.append((collected["label"].rstrip("：:"), collected["text"]))
    banner_html = "　".join(f"{esc(k)}：{esc(v)}" for k, v in banner)
    css = page_css("A4", "20mm 14mm 16mm", font, pt, '"第 " counter(page) " 页 / 共 " '
                   'counter(pages) " 页"')  # fmt: skip
    css += (
        "@page { @top-center { content: element(banner); width: 100%; vertical-align: bottom;"
        " padding-bottom: 3mm } }"
        + ("@page :first { @top-center { content: none } }" if cover else "")
        + f".bn {{ position: running(banner); font-size: {pt - 1}pt; color: #333;"
        " border-bottom: .8px solid #888; padding-bottom: 1mm } .cv { page-break-after: always;"
        " text-align: center; padding-top: 30mm } .cv .lg { font-size: 20pt; font-weight: bold;"
        f" color: {blue} }} .cv .en {{ letter-spacing: 2px; color: #777 }} .cv .big {{"
        " font-size: 30pt; font-weight: bold; letter-spacing: 8px; margin: 28mm 0 18mm }"
        " .ci { margin: 0 auto; font-size: 12pt } .ci td { padding: 2.5mm 4mm; text-align:"
        " left; border-bottom: .6px solid #999 } .ci td.k { width: 28mm; color: #555 }"
        " .cv .msg { text-align: left; margin: 20mm 8mm 0; line-height: 1.7 } .sm { border:"
        f" 1px solid {blue}; padding: 3mm 4mm; margin-bottom: 5mm }} .sm h2 {{ font-size:"
        f" 13pt; color: {blue}; margin: 0 0 2mm }} .sm p {{ margin: 1mm 0; line-height: 1.55 }}"
        " .brk { page-break-after: always } .dp { margin-bottom: 3.5mm } .dh { background:"
        f" {blue}; color: #fff; padding: 1.2mm 3mm; font-weight: bold }} .dh .doc {{ float:"
        " right; font-weight: normal } .rt { width: 100% } .rt th { text-align: left;"
        " background: #eef3f8; padding: 1mm 2mm; font-weight: normal } .rt td { padding:"
        " .7mm 2mm; border-bottom: .4px solid #dde } .xj { padding: 1.5mm 2mm; color: #333 }"
        f" .up {{ color: {red}; font-weight: bold }} .dn {{ color: {blue}; font-weight: bold }}"
    )
    body = [f'<div class="bn">{banner_html}</div>']
    if cover:
        rows = [*banner, ("单位", rng.choice(EMPLOYERS_L)), ("套餐", rng.choice(PACKAGES_L))]
        cells = "".join(f'<tr><td class="k">{esc(k)}</td><td>{esc(v)}</td></tr>' for k, v in rows)
        body.append(
            f'<div class="cv"><div class="lg">{esc(centre)}</div><div class="en">'
            f'{esc(centre_en)}</div><div class="big">健康体检报告</div><table class="ci">'
            f'{cells}</table><div class="msg">尊敬的客户：<br>感谢您选择{esc(centre)}。本报告'
            "仅供临床参考，请妥善保管。如有疑问请致电客服热线 400-"
            f"{digits(rng, 3)}-{digits(rng, 4)}（周一至周日 8:00-17:30）。</div></div>"
        )
    form = rng.randrange(3)
    lines = []
    for dept, r, way in found:
        if key_of(r) in ("v_h", "v_w"):
            continue
        unit = f" {r['unit']}" if r["unit"] else ""
        word = "偏高" if way == "high" else "偏低"
        if form == 0:
            lines.append(f"{_short(r)}{word} ({r['value']}{unit})")
        elif form == 1:
            lines.append(f"{_short(r)}：{r['value']}{unit} {'↑' if way == 'high' else '↓'}")
        else:
            lines.append(f"【{dept}】{r['name']}{'升高' if way == 'high' else '降低'}，结果"
                         f" {r['value']}{unit}")  # fmt: skip
    finding = ULTRASOUND.get(case.style["condition"])
    if finding and rng.random() < 0.8:
        lines.append(f"腹部彩超：{finding}")
    lines = lines or ["本次体检所检项目未见明显异常。"]
    heading = rng.choice(("主检结论", "异常结果汇总", "体检结论"))
    summary = "".join(f"<p>{i}. {esc(t)}</p>" for i, t in enumerate(lines, 1))
    advice = "".join(f"<p>{i}. {esc(t)}</p>" for i, t in enumerate(_advice_l(case, ways, bmi), 1))
    others = [(o["label"], o["text"]) for o in h["others"]]  # the collection is in the banner
    signed = "　".join(f"{esc(label.rstrip('：:'))}：{esc(text)}" for label, text in others)
    signed = f"主检医生：{rng.choice(DOCTORS_L)}　{signed}" if signed else "主检医生："
    page_break = ' class="brk"' if rng.random() < 0.4 else ""
    body.append(
        f'<div{page_break}><div class="sm"><h2>{heading}</h2>{summary}</div>'
        f'<div class="sm"><h2>健康建议</h2><p>建议：</p>{advice}<p class="r">{signed}</p></div>'
        "</div>"
    )
    heads = ("项目名称", "检查结果", "单位", rng.choice(("参考区间", "参考区间", "参考值")), "提示")
    cols = "".join(f'<col style="width:{w}%">' for w in (34, 16, 14, 22, 14))
    for dept, rows in depts:
        cells = []
        for r in rows:
            way = out_of_range(r)
            mark = ' class="up"' if way == "high" else ' class="dn"' if way == "low" else ""
            cells.append(
                f"<tr><td>{esc(r['name'])}</td><td{mark}>{esc(r['value'])}</td>"
                f"<td>{esc(r['unit'])}</td><td>{esc(r['range'])}</td>"
                f"<td{mark}>{esc(r['flag'])}</td></tr>"
            )
        odd = [f"{_short(r)}{'偏高' if w == 'high' else '偏低'}" for d, r, w in found if d == dept]
        odd = [x for x in odd if not x.startswith(("身高", "体重偏"))]
        brief = "；".join(odd) + "。" if odd else "未见明显异常。"
        body.append(
            f'<div class="dp"><div class="dh">{esc(dept)}<span class="doc">检查医生：'
            f'{rng.choice(DOCTORS_L)}</span></div><table class="rt">{cols}<thead><tr>'
            + "".join(f"<th>{x}</th>" for x in heads)
            + f'</tr></thead><tbody>{"".join(cells)}</tbody></table><div class="xj">小结：'
            f"{esc(brief)}</div></div>"
        )
    body.append(
        f'<p class="small grey">{esc(centre)} · 地址：东湖区科创路{rng.randint(1, 300)}号'
        f"　{barcode(rng, 30, 6)}　本报告仅对本次检查负责，未经许可不得复制。</p>"
    )
    return document(css, "".join(body), lang="zh")
