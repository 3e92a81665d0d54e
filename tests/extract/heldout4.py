"""FOURTH HELD-OUT SET: do not read, tune on, or add cases from this module when working on the
reader.

The first three held-out sets (``heldout.py``, ``heldout2.py``, ``heldout3.py``) have all been
looked at by the reader's developers, so none of them says any more how the reader does on pages
nobody shaped it for; these two take over that job. Run them only as a whole (``python -m
tests.extract.generate --heldout4``, ``benchmarks/extract.py --heldout4``) and look at the
reader's failures on the development layouts, never on these. Once someone tunes the reader on
these pages, write a fifth set rather than keep quoting this.

``heldout_g``: an English NHS-trust pathology report as the hospital's results system prints it.
The patient is either an NHS patient banner ("Born ... Gender ... NHS No.") or a label/value
grid (Patient, DOB, Sex, NHS No, Hospital No), beside the request: location, clinician, lab
number, clinical details and the collected/received/reported dates. Results come one request
panel at a time (LFT, U&E, FBC, bone, lipids...), with the H/L flag straight after the value
("62 H", "62H" or "62 (H)") and ranges as "(7 - 56)" or "7 - 56". Either each row carries its
previous result and that result's date on the right, or the page is cumulative: units and range
first, then one column per earlier date, and this sample's result in the last column under its
collection date. Interpretive comments in prose follow a panel ("ALT raised; suggest repeat in
4 weeks", a FIB-4 score with its cut-offs), and an authorising consultant signs the footer.
``heldout_h``: a Chinese community-hospital (社区卫生服务中心/卫生院) sheet from a dot-matrix
printer on continuous tractor-feed paper: every line is monospaced text laid out with spaces
(columns 项目代号 | 项目名称 | 结果 | 提示 | 参考区间 | 单位, a Chinese character two columns
wide), between rules of "-", "=" or "─". Names are the common ones (谷丙转氨酶, 谷草转氨酶) or
the formal ones row by row, codes are the laboratory's own (ALT or GPT, TBIL or T-BIL), and the
prompt is ↑/↓ or 偏高/偏低. A header of 姓名 性别 年龄 科室 门诊号 and the sending date, and a
footer with 检验者/审核者 and the later dates; the paper's sprocket holes are sometimes still on.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

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
)
from tests.extract.profiles import NO_UNIT, Profile
from tests.extract.vocab import FLAG_TEXT, MONTHS, OTHER_BY_KEY, OTHERS

if TYPE_CHECKING:
    from tests.extract.generate import Case

# A flag style of this module's own (``heldout2`` registers the same words; either may load
# first, and neither module's pages depend on the other's being imported).
FLAG_TEXT.setdefault("zh_word", ("偏高", "偏低"))

_M, _F = "male", "female"


def _both(
    *options: tuple[float | None, float],
) -> dict[str, tuple[tuple[float | None, float], ...]]:
    return {_M: options, _F: options}


# --- heldout_g: NHS trust pathology report ----------------------------------------------------

TRUST_RANGES = {  # canonical units; each trust's own, printed "(7 - 56)" or "7 - 56"
    "alt": {_M: ((0, 40), (7, 56), (10, 50), (None, 41)), _F: ((0, 33), (7, 56), (None, 35))},
    "ast": {_M: ((0, 40), (10, 40), (None, 40)), _F: ((0, 32), (10, 35), (None, 35))},
    "alp": _both((30, 130), (40, 130), (35, 104)),
    "ggt": {_M: ((0, 60), (10, 71), (None, 55)), _F: ((0, 40), (6, 42), (None, 38))},
    "bilirubin": _both((0, 21), (None, 21), (3, 17), (0, 20)),
    "direct_bilirubin": _both((0, 5), (None, 3.4), (0, 7)),
    "albumin": _both((35, 50), (34, 50), (32, 50)),
    "platelets": _both((150, 400), (140, 400), (150, 410)),
    "inr": _both((0.8, 1.2), (0.9, 1.2), (0.8, 1.1)),
    "ck": {_M: ((40, 320), (25, 200)), _F: ((25, 200), (26, 140))},
    "creatinine": {_M: ((59, 104), (64, 104), (62, 106)), _F: ((45, 84), (49, 90))},
    "sodium": _both((133, 146), (135, 145)),
    "bile_acids": _both((0, 10), (None, 14)),
}
TRUST = Profile(
    name="trust",
    language="en",
    names={
        "alt": ("ALT", "Alanine aminotransferase", "Alanine transaminase (ALT)"),
        "ast": ("AST", "Aspartate aminotransferase", "Aspartate transaminase (AST)"),
        "alp": ("Alkaline phosphatase", "ALP", "Alk phos"),
        "ggt": ("Gamma GT", "GGT", "Gamma glutamyltransferase"),
        "bilirubin": ("Total bilirubin", "Bilirubin", "Bilirubin (total)"),
        "direct_bilirubin": ("Conjugated bilirubin", "Direct bilirubin", "Bilirubin (conjugated)"),
        "albumin": ("Albumin", "Serum albumin"),
        "platelets": ("Platelets", "Platelet count", "PLT"),
        "inr": ("INR", "PT INR"),
        "ck": ("Creatine kinase", "CK"),
        "creatinine": ("Creatinine", "Serum creatinine"),
        "sodium": ("Sodium", "Na"),
        "bile_acids": ("Bile acids", "Total bile acids", "Serum bile acids"),
    },
    units={
        "enzyme": (("U/L", "U/L"), ("U/L", "U/L"), ("IU/L", "IU/L"), ("iu/L", "IU/L")),
        "bilirubin": (("umol/L", "umol/L"), ("µmol/L", "umol/L")),
        "albumin": (("g/L", "g/L"),),
        "platelets": (("x10^9/L", "10^9/L"), ("10^9/L", "10^9/L"), ("x10*9/L", "10^9/L")),
        "inr": NO_UNIT,
        "creatinine": (("umol/L", "umol/L"), ("µmol/L", "umol/L")),
        "sodium": (("mmol/L", "mmol/L"),),
        "bile_acids": (("umol/L", "umol/L"), ("µmol/L", "umol/L")),
    },
    two_forms=("paren", "paren", "spaced"),
    upper_forms=("paren_lt", "lt", "lt_sp"),
    flag_styles=("HL", "HL", "HL", "none"),
    date_forms=("uk", "uk", "dmon", "dmon_sp"),
    time_forms=(" %H:%M", " %H:%M", ""),
    collected_labels=("Collected:", "Sample taken:", "Date collected:"),
    other_labels=("Received:", "Reported:", "Authorised:"),
    sex_forms=(("Male", "Female"), ("M", "F")),
    age_forms=("{age}y", "{age} yrs", "{age} years"),
    people="en",
    thousands=False,
    dp={"enzyme": (0,), "bilirubin": (0,), "albumin": (0,), "inr": (1,)},
    ranges=TRUST_RANGES,
    other_names={
        "total_protein": ("Total protein",),
        "globulin": ("Globulin",),
        "ag_ratio": ("A/G ratio",),
        "ibil": ("Unconjugated bilirubin",),
        "urea": ("Urea",),
        "egfr": ("eGFR", "eGFR (CKD-EPI)"),
        "calcium": ("Calcium", "Adjusted calcium"),
        "crp": ("CRP", "C-reactive protein"),
        "cholesterol": ("Cholesterol", "Total cholesterol"),
        "hdl": ("HDL cholesterol",),
        "ldl": ("LDL cholesterol (calc.)", "LDL cholesterol"),
        "triglycerides": ("Triglyceride", "Triglycerides"),
        "haemoglobin": ("Haemoglobin",),
        "wbc": ("White cell count", "WBC"),
        "rbc": ("Red cell count", "RBC"),
        "pt": ("Prothrombin time", "PT"),
        "ft4": ("Free T4",),
    },
)
TRUSTS = (
    ("Calderbrook Teaching Hospitals NHS Foundation Trust", "Calderbrook General Hospital"),
    ("North Wessex Hospitals NHS Trust", "Royal Wessex County Hospital"),
    ("Ashby and Wyre University Hospitals NHS Trust", "Wyre Valley Hospital"),
    ("Fenmoor Healthcare NHS Foundation Trust", "Fenmoor District Hospital"),
)
DEPARTMENTS_G = (
    "Pathology · Blood Sciences",
    "Department of Clinical Biochemistry and Haematology",
    "Blood Sciences Laboratory",
)
LFT_G = ("bilirubin", "direct_bilirubin", "ibil", "alp", "alt", "ast", "ggt", "albumin")
LFT_G += ("total_protein", "globulin", "ag_ratio", "prealbumin", "cholinesterase")
PANELS_G = {  # request code -> (panel name, its tests in print order)
    "LFT": ("Liver function tests", LFT_G),
    "U&E": (
        "Urea and electrolytes",
        ("sodium", "potassium", "chloride", "bicarbonate", "urea", "creatinine", "egfr"),
    ),
    "BONE": ("Bone profile", ("calcium", "phosphate", "magnesium")),
    "BILE": ("Bile acids", ("bile_acids",)),
    "CHEM": ("General chemistry", ("crp", "ck", "ldh", "uric_acid")),
    "GLUC": ("Diabetes monitoring", ("glucose", "hba1c")),
    "LIPS": ("Lipid profile", ("cholesterol", "hdl", "ldl", "triglycerides")),
    "TFT": ("Thyroid function tests", ("tsh", "ft4")),
    "FBC": ("Full blood count", ("haemoglobin", "wbc", "rbc", "mcv", "platelets")),
    "COAG": ("Coagulation screen", ("pt", "inr")),
}
PANEL_OF_G = {key: code for code, (_, keys) in PANELS_G.items() for key in keys}
SAMPLE_G = {"FBC": "Blood (EDTA)", "COAG": "Plasma (citrate)", "GLUC": "Blood (fluoride)"}
STEADY = {"albumin", "inr", "sodium", "total_protein", "globulin", "ag_ratio", "potassium"}
STEADY |= {"chloride", "bicarbonate", "calcium", "haemoglobin", "mcv", "rbc", "pt", "magnesium"}
STEADY |= {"hba1c", "ft4"}
CLINICAL = (
    "Abnormal LFTs on previous bloods. ?NAFLD",
    "Tired all the time",
    "On methotrexate - monitoring",
    "Raised BMI, T2DM review",
    "Alcohol excess. Please check LFTs",
    "RUQ pain ?gallstones",
    "Annual review",
)
GLUES = ((" {f}", 6), ("{f}", 2), (" ({f})", 2))  # how a flag follows its value, by weight


def _glue(value: str, flag: str, form: str) -> str:
    return value + form.format(f=flag) if flag else value


def _short_date(day: dt.date, form: str | None) -> str:
    """A cumulative column's or a previous result's date: "12/02/25" or "12-Feb-25"."""
    if form in ("dmon", "dmon_sp"):
        return f"{day.day:02d}-{MONTHS[day.month - 1]}-{day.year % 100:02d}"
    return f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}"


def _limits(text: str) -> tuple[float | None, float | None]:
    nums = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]
    if len(nums) == 2:
        return nums[0], nums[1]
    return None, nums[0] if nums else None


def _earlier(row: Row, rng: random.Random, flags: tuple[str, str], glue: str) -> str:
    """A result for the same test from an earlier sample: same decimals, flagged against the
    same printed range; a censored result ("<3") may stay censored."""
    text = row["value"]
    if text[:1] in "<>":
        return text.replace(" ", "") if rng.random() < 0.5 else ""
    dp = len(text.split(".")[1]) if "." in text else 0
    value = float(text.replace(",", ""))
    spread = 0.05 if key_of(row) in STEADY else 0.3
    prev = max(round(value * math.exp(rng.gauss(0.0, spread)), dp), 10.0**-dp)
    lo, hi = _limits(row["range"])
    flag = ""
    if hi is not None and prev > hi:
        flag = flags[0]
    elif lo is not None and prev < lo:
        flag = flags[1]
    return _glue(f"{prev:.{dp}f}", flag, glue)


def _comments(case: Case, code: str, rng: random.Random) -> list[str]:
    """The duty biochemist's comments on one panel: prose that names tests and numbers."""
    flags, labs = case.flags, case.labs

    def plain(a: str) -> float | None:
        lab = labs.get(a)
        return None if lab is None or "comparator" in lab else float(lab["value"])

    out: list[str] = []
    if code == "LFT":
        alt, ast, plt = plain("alt"), plain("ast"), plain("platelets")
        hi = labs.get("alt", {}).get("upper_limit")
        if flags.get("alt") == "high" and alt is not None and hi and alt > 3 * hi:
            out.append(
                "ALT more than 3x the upper reference limit: suggest a liver aetiology screen"
                " (HBsAg, HCV antibody, ferritin, liver autoantibodies) and an ultrasound."
            )
        elif flags.get("alt") == "high":
            out.append(
                rng.choice(
                    (
                        "ALT raised; suggest repeat in 4 weeks.",
                        "Raised ALT. Suggest repeat LFTs in 3 months; consider NAFLD, alcohol,"
                        " medication and viral hepatitis.",
                    )
                )
            )
        if flags.get("ggt") == "high" and "alp" not in flags:
            out.append("Isolated raised GGT: common with alcohol and enzyme-inducing drugs.")
        if flags.get("alp") == "high":
            out.append(
                "Raised ALP with a raised GGT suggests a hepatobiliary source."
                if flags.get("ggt") == "high"
                else "Raised ALP: bone as well as liver may be the source."
            )
        if flags.get("bilirubin") == "high" and "alt" not in flags:
            out.append(
                "Isolated raised bilirubin: consider Gilbert's syndrome if the conjugated"
                " fraction is normal."
            )
        if case.age and case.age >= 35 and None not in (alt, ast, plt) and alt and plt:
            fib4 = case.age * ast / (plt * math.sqrt(alt))
            band = (
                "low risk of advanced fibrosis"
                if fib4 < 1.3
                else "indeterminate; an ELF test is suggested"
                if fib4 <= 3.25
                else "high risk of advanced fibrosis; consider referral to hepatology"
            )
            out.append(
                f"FIB-4 score {fib4:.2f}: {band} (<1.30 low; 1.30 - 3.25 indeterminate;"
                " >3.25 high)."
            )
    elif code == "U&E" and rng.random() < 0.6:
        out.append("eGFR calculated using the CKD-EPI 2009 creatinine equation.")
    elif code == "FBC" and flags.get("platelets") == "low":
        out.append("Platelet count reduced; no platelet clumps seen. Suggest repeat.")
    elif code == "COAG" and flags.get("inr") == "high":
        out.append("INR raised. If not anticoagulated, consider liver synthetic function.")
    return [c for c in out if rng.random() < 0.85][:3]


def _patient_g(case: Case, rng: random.Random, nhs: str, hosp: str, banner: bool) -> str:
    h = case.header
    if banner:  # the NHS common patient banner; the hospital number goes with the request
        who = [f'<span class="pn">{esc(h["name"])}</span>']
        if h["dob"]:
            age = f" ({esc(h['age'])})" if h["age"] else ""
            who.append(f"Born <b>{esc(h['dob'])}</b>{age}")
        elif h["age"]:
            who.append(f"Age <b>{esc(h['age'])}</b>")
        if h["sex"]:
            who.append(f"Gender <b>{esc(h['sex'])}</b>")
        who.append(f"NHS No. <b>{esc(nhs)}</b>")
        return f'<div class="banner">{"&ensp;&ensp;".join(who)}</div>'
    rows = [("Patient:", f"<b>{esc(h['name'])}</b>")]
    if h["dob"]:
        rows.append(("DOB:", esc(h["dob"]) + (f" ({esc(h['age'])})" if h["age"] else "")))
    elif h["age"]:
        rows.append(("Age:", esc(h["age"])))
    rows += [("Sex:", esc(h["sex"]))] if h["sex"] else []
    rows += [("NHS No:", esc(nhs)), (rng.choice(("Hospital No:", "Hosp No:", "MRN:")), hosp)]
    return "".join(f'<tr><td class="k">{k}</td><td>{v}</td></tr>' for k, v in rows)


def render_heldout_g(case: Case, rng: random.Random) -> str:
    h = case.header
    fonts = ("DejaVu Sans", "DejaVu Sans Condensed", "DejaVu Serif Condensed", "DejaVu Sans Light")
    font = font_for(case, rng, fonts)
    trust, site = rng.choice(TRUSTS)
    pt = rng.choice((7.9, 8.3, 8.7))
    footer = f'"{site} - Page " counter(page) " of " counter(pages)'
    css = page_css("A4", "11mm 13mm 15mm", font, pt, footer)
    css += (
        ".top { width: 100%; border-bottom: 1.2px solid #005eb8 } .trust { font-size: 11pt;"
        " font-weight: bold } .nhs { background: #005eb8; color: #fff; font: bold italic 14pt"
        " 'DejaVu Sans'; padding: 0 5px } .banner { background: #eef3f8; border: .7px solid"
        " #9fb6cc; padding: 4px 6px; margin-top: 5px } .banner .pn { font-size: 10pt;"
        " font-weight: bold } .req { width: 100%; margin-top: 5px } .req td { padding: 1px 4px;"
        " vertical-align: top; white-space: nowrap } .req td.k { color: #444 } .box { width:"
        " 100%; margin-top: 5px; border: .7px solid #888 } .box > tbody > tr > td { vertical-align:"
        " top; width: 50%; padding: 3px 4px } .box table td { padding: .8px 4px;"
        " white-space: nowrap } .box td.k { color: #444 } .clin { margin: 4px 0 2px }"
        " .ph { margin-top: 9px; padding: 2px 4px; background: #dfe6ee; font-weight: bold }"
        " .smp { font-size: 90%; color: #444; padding: 1px 4px } .res { width: 100%;"
        " table-layout: fixed }"
        " .res th { text-align: left; font-weight: normal; color: #333; padding: 2px 4px;"
        " border-bottom: .7px solid #777 } .res td { padding: 1.6px 4px; white-space: nowrap;"
        " border-bottom: .3px solid #e4e4e4 } .res td.v, .res th.v { text-align: right }"
        " .res td.cur { font-weight: bold; background: #f3f3f3 } .res td.p { color: #555 }"
        " .cm td { font-style: italic; white-space: normal; padding: 2px 4px 4px 12px;"
        " border: none } .foot { margin-top: 14px; font-size: 90%; line-height: 1.45 }"
    )
    flags = FLAG_TEXT[case.style["flag_style"]]
    glue = rng.choices([g for g, _ in GLUES], [w for _, w in GLUES])[0]
    nhs = f"999 {digits(rng, 3)} {digits(rng, 4)}"  # 999: the range NHS numbers keep for tests
    hosp = rng.choice(("RX", "K", "H")) + digits(rng, 7)
    lab_no = f"{rng.choice(('B', 'C', 'P'))},{digits(rng, 2)}.{digits(rng, 7)}"
    base = (
        dt.date.fromisoformat(case.collected_on)
        if case.collected_on
        else dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))
    )
    form = case.style["date_form"] or rng.choice(("uk", "dmon"))
    banner = rng.random() < 0.5
    request = [
        ("Location:", rng.choice(("Ward 12 (Gastro)", "Hepatology OPD", "Fenbridge Surgery (GP)"))),
        ("Clinician:", rng.choice(("Dr A. Haverford", "Dr N. Okafor", "Dr S. Brannigan"))),
        ("Lab No:", lab_no),
    ]
    request += [("Hospital No:", hosp)] if banner else []
    when = [(h["collected"]["label"], h["collected"]["text"])] if h["collected"] else []
    when += [(o["label"], o["text"]) for o in h["others"]]
    clinical = f'<div class="clin">Clinical details: {esc(rng.choice(CLINICAL))}</div>'
    if banner:
        pairs = [*request, *when]
        half = (len(pairs) + 1) // 2
        lines = []
        for i in range(half):
            cells = [pairs[i], *pairs[i + half : i + half + 1]]
            lines.append(
                "<tr>"
                + "".join(f'<td class="k">{esc(k)}</td><td>{esc(v)}</td>' for k, v in cells)
                + "</tr>"
            )
        head = _patient_g(case, rng, nhs, hosp, True) + f'<table class="req">{"".join(lines)}'
        head += "</table>" + clinical
    else:
        left = _patient_g(case, rng, nhs, hosp, False)
        right = "".join(
            f'<tr><td class="k">{esc(k)}</td><td>{esc(v)}</td></tr>' for k, v in [*request, *when]
        )
        head = (
            f'<table class="box"><tr><td><table>{left}</table></td><td><table>{right}</table>'
            f"</td></tr></table>{clinical}"
        )
    cumulative = rng.random() < 0.45
    repeat_heads = rng.random() < 0.6
    heading_style = rng.choice(("name", "upper", "code"))
    groups: dict[str, list[Row]] = {}
    for r in (r for _, rs in sections(case) for r in rs):
        groups.setdefault(PANEL_OF_G.get(key_of(r), "CHEM"), []).append(r)
    order = list(PANELS_G)
    if "FBC" in groups and rng.random() < 0.4:  # some trusts print haematology first
        order.remove("FBC")
        order.insert(0, "FBC")
    if cumulative:
        back, days = base, []
        for _ in range(rng.choice((1, 2, 2, 3))):
            back -= dt.timedelta(days=rng.randint(14, 200))
            days.append(back)
        days.reverse()  # oldest first, this sample last
        now = "This sample"
        if h["collected"]:
            clock = h["collected"]["text"][len(h["collected"]["date"]) :].strip()
            now = _short_date(base, form) + (f"<br>{esc(clock)}" if clock else "")
        dated = [f'<th class="v">{_short_date(d, form)}</th>' for d in days]
        heads = "<th>Test</th><th>Units</th><th>Ref. range</th>" + "".join(dated)
        heads += f'<th class="v"><b>{now}</b></th>'
        widths = (27, 12, 14) + (47 // (len(days) + 1),) * (len(days) + 1)
        ncols = 4 + len(days)
    else:
        prev_heads = rng.choice((("Previous", "Date"), ("Prev. result", "Prev. date")))
        heads = '<th>Test</th><th class="v">Result</th><th>Units</th><th>Reference range</th>'
        heads += f'<th class="v">{prev_heads[0]}</th><th>{prev_heads[1]}</th>'
        widths = (30, 11, 13, 17, 12, 17)
        ncols = 6
    cols = "".join(f'<col style="width:{w}%">' for w in widths)
    blocks: list[str] = []
    body_rows: list[str] = []
    for code in (c for c in order if c in groups):
        name, keys = PANELS_G[code]
        these = sorted(
            groups[code], key=lambda r: keys.index(key_of(r)) if key_of(r) in keys else 99
        )
        label = {"name": name, "upper": name.upper(), "code": f"{code} - {name}"}[heading_style]
        sample = SAMPLE_G.get(code, "Serum")
        rows = []
        done_before = rng.random() < 0.75  # this panel was requested before
        prev_day = base - dt.timedelta(days=rng.randint(14, 400))
        for r in these:
            value = _glue(r["value"], r["flag"], glue)
            if cumulative:
                old = "".join(
                    f'<td class="v p">{esc(_earlier(r, rng, flags, glue))}</td>'
                    if rng.random() < 0.8
                    else '<td class="v p"></td>'
                    for _ in days
                )
                rows.append(
                    f"<tr><td>{esc(r['name'])}</td><td>{esc(r['unit'])}</td>"
                    f'<td>{esc(r["range"])}</td>{old}<td class="v cur">{esc(value)}</td></tr>'
                )
            else:
                prev = _earlier(r, rng, flags, glue) if done_before and rng.random() < 0.85 else ""
                day = prev_day if rng.random() < 0.9 else prev_day - dt.timedelta(days=91)
                rows.append(
                    f'<tr><td>{esc(r["name"])}</td><td class="v{" b" if r["flag"] else ""}">'
                    f"{esc(value)}</td>"
                    f"<td>{esc(r['unit'])}</td><td>{esc(r['range'])}</td>"
                    f'<td class="v p">{esc(prev)}</td>'
                    f'<td class="p">{_short_date(day, form) if prev else ""}</td></tr>'
                )
        rows += [
            f'<tr class="cm"><td colspan="{ncols}">Comment: {esc(c)}</td></tr>'
            for c in _comments(case, code, rng)
        ]
        title_row = (
            f'<div class="ph">{esc(label)}</div><div class="smp">Sample: {esc(sample)}'
            f" &middot; Lab No: {esc(lab_no)}</div>"
        )
        if repeat_heads:
            blocks.append(
                title_row + f'<table class="res">{cols}<thead><tr>{heads}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
        else:
            body_rows.append(
                f'<tr><td colspan="{ncols}" style="padding:0;border:none">{title_row}</td></tr>'
            )
            body_rows += rows
    if not repeat_heads:
        blocks.append(
            f'<table class="res">{cols}<thead><tr>{heads}</tr></thead>'
            f"<tbody>{''.join(body_rows)}</tbody></table>"
        )
    legend = ""
    if case.style["flag_style"] == "HL":
        legend = "H = above, L = below the reference range. "
    signer = rng.choice(("Dr P. Ashdown", "Dr R. Quayle", "Dr M. Pemberton"))
    foot = (
        f'<div class="foot">{legend}Reference ranges are for adults and are method specific.'
        f"<br>Authorised by: {esc(signer)}, Consultant Chemical Pathologist &middot; Report status:"
        f" FINAL<br>Results relate only to the sample as received. {esc(site)}, Blood Sciences"
        f" Laboratory, tel. 0{digits(rng, 4)} {digits(rng, 6)}.</div>"
    )
    top = (
        f'<table class="top"><tr><td><div class="trust">{esc(trust)}</div>'
        f'<div class="grey">{esc(rng.choice(DEPARTMENTS_G))}</div></td>'
        f'<td class="r"><span class="nhs">NHS</span><div class="small">{esc(site)}</div></td>'
        "</tr></table>"
    )
    return document(css, top + head + "".join(blocks) + foot)


# --- heldout_h: Chinese community hospital, dot-matrix printed ------------------------------------

SHEQU_RANGES = {  # canonical units: the national intervals, or the older kits' "0-40"
    "alt": {_M: ((9, 50), (0, 40), (5, 40)), _F: ((7, 40), (0, 40))},
    "ast": {_M: ((15, 40), (0, 40), (8, 40)), _F: ((13, 35), (0, 40))},
    "alp": {_M: ((45, 125), (40, 150)), _F: ((35, 100), (40, 150))},
    "ggt": {_M: ((10, 60), (0, 50), (11, 50)), _F: ((7, 45), (0, 50))},
    "bilirubin": _both((0, 21), (3.4, 20.5), (1.7, 20)),
    "direct_bilirubin": _both((0, 6.8), (0, 8), (0, 7)),
    "albumin": _both((40, 55), (35, 55), (35, 50)),
    "platelets": _both((125, 350), (100, 300)),
    "inr": _both((0.8, 1.2), (0.8, 1.5)),
    "ck": {_M: ((50, 310), (25, 200)), _F: ((40, 200), (25, 170))},
    "creatinine": {_M: ((57, 97), (44, 133), (53, 106)), _F: ((41, 73), (44, 133))},
    "sodium": _both((137, 147), (135, 145)),
    "bile_acids": _both((0, 10), (0, 12)),
}
SHEQU = Profile(
    name="shequ",
    language="zh",
    names={  # each row its own: the laboratory's item list mixes the common and formal names
        "alt": ("谷丙转氨酶", "谷丙转氨酶", "丙氨酸氨基转移酶"),
        "ast": ("谷草转氨酶", "谷草转氨酶", "天门冬氨酸氨基转移酶"),
        "alp": ("碱性磷酸酶",),
        "ggt": ("谷氨酰转肽酶", "γ-谷氨酰转移酶", "γ-谷氨酰转肽酶"),
        "bilirubin": ("总胆红素", "总胆红素", "血清总胆红素"),
        "direct_bilirubin": ("直接胆红素", "结合胆红素"),
        "albumin": ("白蛋白", "白蛋白", "清蛋白"),
        "platelets": ("血小板计数", "血小板"),
        "inr": ("国际标准化比值", "凝血酶原国际标准化比值"),
        "ck": ("肌酸激酶",),
        "creatinine": ("肌酐", "血清肌酐"),
        "sodium": ("钠", "血清钠"),
        "bile_acids": ("总胆汁酸", "血清总胆汁酸"),
    },
    units={  # what a GBK dot-matrix driver can print: no "µ", no superscripts
        "enzyme": (("U/L", "U/L"),) * 3 + (("IU/L", "IU/L"),),
        "bilirubin": (("umol/L", "umol/L"), ("μmol/L", "umol/L")),
        "albumin": (("g/L", "g/L"),),
        "platelets": (("10^9/L", "10^9/L"), ("×10^9/L", "10^9/L"), ("10*9/L", "10^9/L")),
        "inr": NO_UNIT,
        "creatinine": (("umol/L", "umol/L"), ("μmol/L", "umol/L")),
        "sodium": (("mmol/L", "mmol/L"),),
        "bile_acids": (("umol/L", "umol/L"), ("μmol/L", "umol/L")),
    },
    two_forms=("dash", "dash", "ddash", "tilde_ascii", "tilde"),
    upper_forms=("le", "lt", "dash0"),
    flag_styles=("arrow", "arrow", "zh_word"),
    date_forms=("iso", "iso", "ymd_slash", "ymd_dot"),
    time_forms=(" %H:%M", " %H:%M:%S", ""),
    collected_labels=("送检日期:", "采样时间:", "采集时间:"),
    other_labels=("接收时间:", "检验日期:", "报告日期:", "打印时间:"),
    sex_forms=(("男", "女"),),
    age_forms=("{age}岁", "{age}岁", "{age}"),
    people="zh",
    thousands=False,
    dp={"enzyme": (0, 0, 1), "bilirubin": (1,), "albumin": (1,), "creatinine": (0,)},
    ranges=SHEQU_RANGES,
    # other tests by their Chinese name alone: the code sits in its own column
    other_names={o.key: (re.sub(r"\(.+\)$", "", o.zh),) for o in OTHERS},
)
CODES_H = (  # the laboratory's own item codes: the usual ones, or an older system's
    {
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
    },
    {
        "alt": "GPT",
        "ast": "GOT",
        "alp": "ALP",
        "ggt": "γ-GT",
        "bilirubin": "T-BIL",
        "direct_bilirubin": "D-BIL",
        "albumin": "ALB",
        "platelets": "PLT",
        "inr": "INR",
        "ck": "CK",
        "creatinine": "Cr",
        "sodium": "Na",
        "bile_acids": "TBA",
    },
)
WIDE = set("×↑↓≤≥～─·")
CENTRES_H = (
    "江川市东湖区社区卫生服务中心",
    "青州市城南街道社区卫生服务中心",
    "南屏县石门镇中心卫生院",
    "临河市北关社区卫生服务中心",
    "云岭县桥头镇卫生院",
)
CLINICS_H = ("全科门诊", "内科门诊", "慢病管理", "公卫体检", "中医科", "住院部")
DIAGNOSES_H = ("高血压", "2型糖尿病", "脂肪肝", "肝功能异常", "老年人体检", "乏力待查")


def _width(text: str) -> int:
    """Columns a string takes in the printer's font: two for a Chinese character or a
    full-width sign (×, ↑, ≤, ─), one for ASCII, Greek and superscripts."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" or c in WIDE else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(width - _width(text), 0)
    return fill + text if right else text + fill


def _code(row: Row, codes: dict[str, str]) -> str:
    if "analyte" in row:
        return codes[row["analyte"]]
    m = re.search(r"\((.+)\)$", OTHER_BY_KEY[row["key"]].zh)
    return m[1] if m else ""


def _fields(items: Sequence[str], width: int) -> str:
    """Header fields on one line, each padded to a tab stop of ``width`` columns."""
    return "".join(_pad(x, width * math.ceil((_width(x) + 1) / width)) for x in items).rstrip()


def _sprockets() -> str:
    """The tractor-feed holes down both edges and the perforation inside them, as a page
    background (one 12.7 mm tile, repeated down the page)."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="241mm" height="12.7mm"'
        ' viewBox="0 0 241 12.7"><circle cx="6.3" cy="6.35" r="2" fill="#c9c9c9"/>'
        '<circle cx="234.7" cy="6.35" r="2" fill="#c9c9c9"/><path d="M12.7 0V12.7M228.3 0V12.7"'
        ' stroke="#bbb" stroke-width=".25" stroke-dasharray="1 1"/></svg>'
    )
    url = f"data:image/svg+xml,{quote(svg)}"
    return f'@page {{ background: url("{url}") repeat-y -19mm -9mm }}'


def render_heldout_h(case: Case, rng: random.Random) -> str:
    h = case.header
    pt = rng.choice((8.6, 9.0, 9.5, 10.0))
    leading = rng.choice((1.3, 1.45, 1.6))
    font = "'Noto Sans Mono CJK SC', 'DejaVu Sans Mono'"
    codes = CODES_H[1 if rng.random() < 0.4 else 0]
    rows = [r for _, rs in sections(case) for r in rs]
    heads = [
        rng.choice(("项目代号", "代号", "代码")),
        rng.choice(("项目名称", "检验项目", "项目")),
        rng.choice(("结果", "检验结果")),
        rng.choice(("提示", "标志")),
        rng.choice(("参考区间", "参考值", "参考范围")),
        "单位",
    ]
    table = [
        [_code(r, codes), r["name"], r["value"], r["flag"], r["range"], r["unit"]] for r in rows
    ]
    widths = [max(_width(x) for x in col) for col in zip(heads, *table, strict=False)]
    gaps = [rng.choice((2, 3, 4)) for _ in heads]
    right = rng.random() < 0.6  # results right-aligned, as a number column
    width = sum(widths) + sum(gaps)
    width = max(width, rng.randint(78, 92))
    rule = rng.choice(("-", "=", "─"))
    line = rule * (width // _width(rule))
    thin = "-" * width if rule != "-" else line

    def tabulate(cells: Sequence[str]) -> str:
        out = ""
        for i, (text, w, gap) in enumerate(zip(cells, widths, gaps, strict=True)):
            out += _pad(text, w, right=right and i == 2) + " " * gap
        return out.rstrip()

    ward = rng.choice(CLINICS_H)
    ident = ("住院号:" if ward == "住院部" else "门诊号:") + digits(rng, rng.choice((6, 8, 10)))
    first = [f"姓名:{h['name']}", f"性别:{h['sex'] or ''}", f"年龄:{h['age'] or ''}"]
    first += [f"科室:{ward}", ident]
    second = [f"样本号:{rng.randint(1, 180)}", f"标本:{rng.choice(('血清', '血清', '全血'))}"]
    second += [f"送检医生:{rng.choice(('李建国', '陈晓', '周敏', '郭海峰'))}"]
    second += [f"临床诊断:{rng.choice(DIAGNOSES_H)}"]
    dates = [f"{h['collected']['label']}{h['collected']['text']}"] if h["collected"] else []
    later = [f"{o['label']}{o['text']}" for o in h["others"]]
    up = rng.randint(0, len(later)) if rng.random() < 0.5 else 0  # some later dates on top
    dates, later = dates + later[:up], later[up:]
    tab = rng.choice((16, 18, 20))
    header = [_fields(first, tab), _fields(second, tab)]
    if dates:
        header.append(_fields(dates, tab))
    people = [f"检验者:{rng.choice(('王芳', '刘洋', '赵磊'))}"]
    people += [f"审核者:{rng.choice(('孙丽', '马强', '钱文静'))}"]
    footer = [_fields(people + later, tab)]
    note = "备注:本结果仅对所检标本负责。"
    if case.style["flag_style"] == "arrow":
        note += "↑偏高 ↓偏低"
    footer.append(note)
    text = [*header, line, tabulate(heads), thin, *(tabulate(c) for c in table), line, *footer]
    centre = rng.choice(CENTRES_H)
    sheet = rng.choice(("检验报告单", "生化检验报告单", "临床检验报告单"))
    lh_mm = pt * leading * 0.3528
    need = (len(text) + 3) * lh_mm + 24
    size = "241mm 139.7mm" if need <= 139.7 else "241mm 279.4mm"  # half or whole form
    css = page_css(size, "9mm 17mm 10mm 19mm", font, pt)
    if rng.random() < 0.55:
        css += _sprockets()
    ink = rng.choice(("#1c1c1c", "#2b2b2b", "#3a3a40"))
    css += (
        f"body {{ color: {ink} }} pre {{ font-family: {font}; font-size: {pt}pt; margin: 0;"
        f" line-height: {leading} }} .t {{ text-align: center; font-size: {pt + 3.5}pt;"
        " letter-spacing: 2px; margin-bottom: 1mm } .st { text-align: center;"
        f" font-size: {pt + 1}pt; letter-spacing: 6px; margin-bottom: 2mm }}"
    )
    tag = f'<div style="float:right">{barcode(rng, 30, 7)}</div>' if rng.random() < 0.3 else ""
    body = (
        f'{tag}<div class="t">{esc(centre)}</div><div class="st">{esc(sheet)}</div>'
        f"<pre>{esc(chr(10).join(text))}</pre>"
    )
    return document(css, body, lang="zh")


HELDOUT4: dict[str, Layout] = {
    "heldout_g": Layout("heldout_g", {"en": (TRUST,)}, "long", render_heldout_g),
    "heldout_h": Layout("heldout_h", {"zh": (SHEQU,)}, "lft", render_heldout_h),
}
