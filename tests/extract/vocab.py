"""What laboratories print: analytes, units, reference intervals, dates, names, other tests.

Why tables of spellings rather than one canonical report: the reader has to cope with how real
laboratories write the same result ("µmol/L", "μmol/L", "umol/L"; "(10 - 49)", "7～40",
"Up to 46"; "03/14/2026", "14-Mar-2026"), so every fixture draws each spelling from the set a
kind of laboratory uses (``profiles.py``). Numbers here are canonical (U/L, umol/L, g/L,
10^9/L); ``generate.make_case`` converts them to the unit a report prints.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

CORE = ("alt", "ast", "alp", "ggt", "bilirubin", "direct_bilirubin", "albumin", "platelets", "inr")
OPTIONAL = ("ck", "creatinine", "sodium", "bile_acids")
ANALYTES = CORE + OPTIONAL
FAMILY = {
    **dict.fromkeys(("alt", "ast", "alp", "ggt", "ck"), "enzyme"),
    "bilirubin": "bilirubin",
    "direct_bilirubin": "bilirubin",
    "albumin": "albumin",
    "platelets": "platelets",
    "inr": "inr",
    "creatinine": "creatinine",
    "sodium": "sodium",
    "bile_acids": "bile_acids",
}
# Truth unit -> factor to the family's canonical unit (value_canonical = value * factor).
FACTOR = {
    ("enzyme", "U/L"): 1.0,
    ("enzyme", "IU/L"): 1.0,
    ("enzyme", "ukat/L"): 60.0,
    ("bilirubin", "umol/L"): 1.0,
    ("bilirubin", "mg/dL"): 17.1,
    ("albumin", "g/L"): 1.0,
    ("albumin", "g/dL"): 10.0,
    ("platelets", "10^9/L"): 1.0,
    ("platelets", "10^3/uL"): 1.0,
    ("inr", "INR"): 1.0,
    ("creatinine", "umol/L"): 1.0,
    ("creatinine", "mg/dL"): 88.4,
    ("sodium", "mmol/L"): 1.0,
    ("bile_acids", "umol/L"): 1.0,
}
# Decimal places a result is printed with, per (family, truth unit); profiles may override.
VALUE_DP = {
    ("enzyme", "ukat/L"): (2,),
    ("bilirubin", "umol/L"): (0, 0, 1),
    ("bilirubin", "mg/dL"): (1,),
    ("albumin", "g/L"): (0,),
    ("albumin", "g/dL"): (1,),
    ("inr", "INR"): (1, 2),
    ("creatinine", "mg/dL"): (2,),
    ("bile_acids", "umol/L"): (1,),
}
RANGE_DP = {"ukat/L": 2, "mg/dL": 1, "g/dL": 1, "INR": 1}
# Results near the assay's limit of detection print as "<5": (limit, results below which a
# laboratory may print the limit instead), canonical units.
DETECTION_LIMIT = {
    "alt": (5.0, 9.0),
    "ast": (5.0, 10.0),
    "ggt": (5.0, 9.0),
    "bilirubin": (3.0, 4.5),
    "ck": (20.0, 35.0),
}

_M, _F = "male", "female"


def _both(
    *options: tuple[float | None, float],
) -> dict[str, tuple[tuple[float | None, float], ...]]:
    return {_M: options, _F: options}


# Reference intervals in canonical units, per sex; (None, hi) prints as "<hi" or "0-hi".
RANGES: dict[str, dict[str, tuple[tuple[float | None, float], ...]]] = {
    "alt": {
        _M: ((0, 40), (7, 56), (10, 49), (None, 45), (0, 41)),
        _F: ((0, 33), (7, 40), (None, 35)),
    },
    "ast": {_M: ((0, 40), (10, 40), (None, 40), (0, 37)), _F: ((13, 35), (0, 32), (None, 35))},
    "alp": _both((40, 129), (30, 130), (45, 125), (35, 104), (44, 147)),
    "ggt": {_M: ((10, 60), (0, 55), (8, 61), (None, 60)), _F: ((7, 45), (0, 38), (None, 40))},
    "bilirubin": _both((0, 21), (3, 21), (5, 21), (3.4, 20.5), (None, 21), (0, 26)),
    "direct_bilirubin": _both((0, 5), (0, 3.4), (0, 6.8), (None, 5)),
    "albumin": _both((35, 50), (40, 55), (35, 52), (34, 48)),
    "platelets": _both((150, 400), (125, 350), (150, 450), (140, 400)),
    "inr": _both((0.8, 1.2), (0.9, 1.1), (0.85, 1.15), (0.9, 1.2)),
    "ck": {_M: ((39, 308), (46, 171)), _F: ((26, 192), (34, 145))},
    "creatinine": {_M: ((62, 106), (59, 104)), _F: ((44, 80), (45, 84))},
    "sodium": _both((135, 145), (136, 145), (133, 146)),
    "bile_acids": _both((0, 10), (None, 10), (0, 8)),
}
CN_RANGES = {  # WS/T 404 (the Chinese national reference intervals)
    "alt": {_M: ((9, 50),), _F: ((7, 40),)},
    "ast": {_M: ((15, 40),), _F: ((13, 35),)},
    "ggt": {_M: ((10, 60),), _F: ((7, 45),)},
    "alp": {_M: ((45, 125),), _F: ((35, 100), (50, 135))},
    "bilirubin": _both((0, 23), (3.4, 20.5), (0, 26), (None, 21)),
    "direct_bilirubin": _both((0, 6.8), (0, 8), (None, 4)),
    "albumin": _both(
        (40, 55),
    ),
    "platelets": _both(
        (125, 350),
    ),
    "ck": {_M: ((50, 310),), _F: ((40, 200),)},
    "creatinine": {_M: ((57, 97),), _F: ((41, 73),)},
    "sodium": _both(
        (137, 147),
    ),
}
NORDIC_RANGES = {  # Swedish-style upper limits (µkat/L in print)
    "alt": {_M: ((None, 66),), _F: ((None, 45),)},
    "ast": {_M: ((None, 45),), _F: ((None, 36),)},
    "alp": _both(
        (35, 105),
    ),
    "ggt": {_M: ((None, 114),), _F: ((None, 72),)},
    "bilirubin": _both(
        (5, 25),
    ),
    "albumin": _both(
        (36, 48),
    ),
    "platelets": {_M: ((145, 348),), _F: ((165, 387),)},
    "inr": _both(
        (None, 1.2),
    ),
}


def format_number(value: float, dp: int, *, comma: bool = False, thousands: bool = False) -> str:
    """The value as a laboratory prints it: fixed decimals, "1,234" or "12,5"."""
    text = f"{value:,.{dp}f}" if thousands else f"{value:.{dp}f}"
    return text.replace(".", ",") if comma else text


def format_range(form: str, lo: str, hi: str) -> str:
    """A reference interval in one of the printed forms; ``lo``/``hi`` are formatted numbers."""
    return {
        "dash": f"{lo}-{hi}",
        "dash0": f"{lo}-{hi}",
        "dp1": f"{lo}-{hi}",
        "endash": f"{lo}–{hi}",
        "spaced": f"{lo} - {hi}",
        "paren": f"({lo} - {hi})",
        "bracket": f"[{lo}-{hi}]",
        "tilde": f"{lo}～{hi}",
        "tilde_ascii": f"{lo}~{hi}",
        "ddash": f"{lo}--{hi}",
        "to": f"{lo} to {hi}",
        "lt": f"<{hi}",
        "lt_sp": f"< {hi}",
        "le": f"≤{hi}",
        "le_ascii": f"<={hi}",
        "upto": f"Up to {hi}",
        "below": f"Below {hi}",
        "paren_lt": f"(< {hi})",
        "gt": f">{lo}",
    }[form]


FLAG_TEXT = {
    "HL": ("H", "L"),
    "word": ("HIGH", "LOW"),
    "Word": ("High", "Low"),
    "arrow": ("↑", "↓"),
    "star": ("*", "*"),
    "none": ("", ""),
}

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_LONG = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Numeric forms that put day and month both first-ish: ambiguous when both are <= 12. A dotted
# date (14.03.2026) is day first wherever it is printed (DIN 5008, Nordic and Central European
# practice; no locale writes month.day.year), so the reader takes it as settled.
AMBIGUOUS_FORMS = {"us", "uk", "dmy_dash"}


def format_date(d: dt.date, form: str) -> str:
    """A date in one of the printed forms (month names in English whatever the locale)."""
    mon, y, m, day = MONTHS[d.month - 1], d.year, d.month, d.day
    return {
        "us": f"{m:02d}/{day:02d}/{y}",
        "uk": f"{day:02d}/{m:02d}/{y}",
        "dmy_dash": f"{day:02d}-{m:02d}-{y}",
        "dot": f"{day:02d}.{m:02d}.{y}",
        "dmon": f"{day:02d}-{mon}-{y}",
        "dmon_sp": f"{day} {mon} {y}",
        "dmon_slash": f"{day:02d}/{mon}/{y}",
        "mon_d_y": f"{mon} {day}, {y}",
        "month_d_y": f"{MONTHS_LONG[m - 1]} {day}, {y}",
        "iso": f"{y}-{m:02d}-{day:02d}",
        "ymd_slash": f"{y}/{m:02d}/{day:02d}",
        "ymd_dot": f"{y}.{m:02d}.{day:02d}",
        "zh": f"{y}年{m:02d}月{day:02d}日",
    }[form]


def date_is_unambiguous(d: dt.date, form: str) -> bool:
    """A month name, the year first, a dotted day-first date, a day over 12, or day == month
    (both readings agree)."""
    return form not in AMBIGUOUS_FORMS or d.day > 12 or d.day == d.month


def format_time(t: dt.time, form: str) -> str:
    return dt.datetime.combine(dt.date(2000, 1, 1), t).strftime(form) if form else ""


_PEOPLE = {  # (male first names, female first names, surnames), combined at random
    "en": (
        "Jordan Elliot Marcus Owen Felix Graham Tobias Desmond Rory",
        "Avery Harriet Maren Celia Imogen Rosalind Tamsin Noreen Ivy",
        "Ellery Thornbury Marchetti Okafor Brannigan Whitcombe Haverford Pemberton Quayle Ashdown "
        "Fairweather Kettering Lonsdale Vance",
    ),
    "india": (
        "Rahul Anil Vikram Arjun Sanjay Karthik Rohan Imran Deepak",
        "Priya Sunita Meera Kavya Anjali Farah Lakshmi Neha Pooja",
        "Verma Iyer Nair Kulkarni Reddy Bhatt Menon Chawla Deshpande Banerjee Sethi Pillai",
    ),
    "europe": (
        "Lars Anders Jonas Matthias Henrik Nils Stefan Mikael Erik",
        "Ingrid Karin Sofie Greta Annika Liesel Maja Elin Birgit",
        "Lindqvist Bergström Hoffmann Schäfer Nyberg Kessler Åberg Vogel Sandqvist Brandt Holmgren",
    ),
    "zh": (
        "伟 强 磊 军 勇 杰 涛 明 超 建华 志强 晓东 国平",
        "芳 娜 敏 静 丽 艳 娟 秀英 桂兰 晓梅 丽华 雪",
        "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 马 胡",
    ),
}


def person_name(rng: random.Random, people: str, sex: str) -> str:
    """A made-up name in the local order ("ELLERY, JORDAN", "Mr. Rahul Verma", "王丽华")."""
    males, females, surnames = (part.split() for part in _PEOPLE[people])
    first, last = rng.choice(males if sex == _M else females), rng.choice(surnames)
    if people == "zh":
        return last + first
    if people == "india":
        return f"{'Mr.' if sex == _M else rng.choice(('Mrs.', 'Ms.'))} {first} {last}".upper()
    return rng.choice((f"{last.upper()}, {first.upper()}", f"{first} {last}", f"{last}, {first}"))


@dataclass(frozen=True)
class Other:
    """A test that is not a LiverLens analyte, printed around the liver tests as a distractor.

    ``si``/``conv`` are (unit, mean, sd, decimals, (lo, hi)); a ``None`` lo prints as "<hi"."""

    key: str
    en: str
    zh: str
    section: str
    si: tuple[str, float, float, int, tuple[float | None, float]]
    conv: tuple[str, float, float, int, tuple[float | None, float]] | None = None


# key|English|Chinese|section|SI: unit mean sd decimals lo hi|conventional (US, India), if any
# ("-" is an empty unit or no lower limit)
_OTHERS = """
total_protein|Total Protein|总蛋白(TP)|liver|g/L 72 5 0 60 80|g/dL 7.2 0.5 1 6.0 8.5
globulin|Globulin|球蛋白(GLB)|liver|g/L 29 4 0 20 35|g/dL 2.9 0.4 1 1.5 4.5
ag_ratio|A/G Ratio|白球比(A/G)|liver|- 1.5 0.25 1 1.2 2.2
ibil|Bilirubin, Indirect|间接胆红素(IBIL)|liver|umol/L 8 3 1 0 17|mg/dL 0.5 0.2 1 0.2 0.8
prealbumin|Prealbumin|前白蛋白(PA)|liver|mg/L 260 50 0 200 400
cholinesterase|Cholinesterase|胆碱酯酶(CHE)|liver|U/L 7600 1500 0 5000 12000
ldh|LDH|乳酸脱氢酶(LDH)|chem|U/L 180 40 0 120 250
pt|Prothrombin Time|凝血酶原时间(PT)|coag|s 12.4 1.0 1 11.0 13.5
glucose|Glucose|葡萄糖(GLU)|chem|mmol/L 5.2 0.8 1 3.9 6.1|mg/dL 94 14 0 70 99
urea|Urea|尿素(UREA)|renal|mmol/L 5.0 1.3 1 2.5 7.8|mg/dL 14 4 0 6 20
uric_acid|Uric Acid|尿酸(UA)|renal|umol/L 330 70 0 150 420|mg/dL 5.5 1.2 1 3.5 7.2
potassium|Potassium|钾(K)|renal|mmol/L 4.3 0.4 1 3.5 5.3
chloride|Chloride|氯(Cl)|renal|mmol/L 102 3 0 98 107
bicarbonate|Bicarbonate|二氧化碳(CO2)|renal|mmol/L 25 2.5 0 22 29
egfr|eGFR|估算肾小球滤过率(eGFR)|renal|mL/min/1.73m2 88 16 0 60 120
calcium|Calcium|钙(Ca)|chem|mmol/L 2.35 0.1 2 2.20 2.60|mg/dL 9.5 0.4 1 8.7 10.2
phosphate|Phosphate|磷(P)|chem|mmol/L 1.1 0.2 2 0.8 1.5
magnesium|Magnesium|镁(Mg)|chem|mmol/L 0.85 0.08 2 0.70 1.00
crp|C-Reactive Protein|C反应蛋白(CRP)|chem|mg/L 3 2.5 1 - 5
hba1c|HbA1c|糖化血红蛋白(HbA1c)|chem|% 5.6 0.6 1 4.0 5.6
cholesterol|Cholesterol, Total|总胆固醇(TC)|lipid|mmol/L 5.0 0.9 2 - 5.2|mg/dL 190 35 0 100 199
hdl|HDL Cholesterol|高密度脂蛋白胆固醇(HDL-C)|lipid|mmol/L 1.3 0.3 2 1.04 1.55|mg/dL 52 12 0 40 60
ldl|LDL Cholesterol|低密度脂蛋白胆固醇(LDL-C)|lipid|mmol/L 3.0 0.8 2 - 3.4|mg/dL 115 30 0 - 100
triglycerides|Triglycerides|甘油三酯(TG)|lipid|mmol/L 1.5 0.6 2 0.45 1.7|mg/dL 130 50 0 - 150
haemoglobin|Hemoglobin|血红蛋白(HGB)|haem|g/L 140 14 0 130 175|g/dL 14.0 1.4 1 13.2 16.6
wbc|WBC|白细胞计数(WBC)|haem|×10⁹/L 6.5 1.8 1 4.0 11.0|x10^3/uL 6.5 1.8 1 3.4 10.8
rbc|RBC|红细胞计数(RBC)|haem|×10¹²/L 4.7 0.4 2 4.3 5.8|x10^6/uL 4.7 0.4 2 4.14 5.8
mcv|MCV|平均红细胞体积(MCV)|haem|fL 90 5 0 80 100
tsh|TSH|促甲状腺激素(TSH)|thyroid|mIU/L 2.0 1.0 2 0.27 4.2|uIU/mL 2.0 1.0 3 0.45 4.5
ft4|Free T4|游离甲状腺素(FT4)|thyroid|pmol/L 16 3 1 12 22|ng/dL 1.3 0.2 2 0.82 1.77
"""


def _spec(text: str) -> tuple[str, float, float, int, tuple[float | None, float]]:
    unit, mean, sd, dp, lo, hi = text.split()
    return (
        "" if unit == "-" else unit,
        float(mean),
        float(sd),
        int(dp),
        (None if lo == "-" else float(lo), float(hi)),
    )


def _others() -> tuple[Other, ...]:
    rows = []
    for line in _OTHERS.strip().splitlines():
        key, en, zh, section, si, *conv = (part.strip() for part in line.split("|"))
        rows.append(Other(key, en, zh, section, _spec(si), _spec(conv[0]) if conv else None))
    return tuple(rows)


OTHERS = _others()
OTHER_BY_KEY = {o.key: o for o in OTHERS}
# British spellings for the NHS and European profiles.
UK_SPELLING = {"Hemoglobin": "Haemoglobin", "WBC": "White cell count", "RBC": "Red cell count"}

SECTION_OF = {
    **dict.fromkeys(("alt", "ast", "alp", "ggt", "bilirubin", "direct_bilirubin"), "liver"),
    **dict.fromkeys(("albumin", "bile_acids"), "liver"),
    "platelets": "haem",
    "inr": "coag",
    "ck": "chem",
    "creatinine": "renal",
    "sodium": "renal",
}
# One report titles all its sections in one style: index 0 upper case, 1 title case, 2 plain.
SECTION_TITLES = {
    "en": {
        "liver": ("LIVER FUNCTION TESTS", "Hepatic Function Panel", "Liver profile"),
        "haem": ("FULL BLOOD COUNT", "Complete Blood Count", "Haematology"),
        "coag": ("COAGULATION", "Prothrombin Time (PT/INR)", "Coagulation screen"),
        "renal": ("RENAL PROFILE", "Urea & Electrolytes", "Kidney function"),
        "chem": ("BIOCHEMISTRY", "General Chemistry", "Other chemistry"),
        "lipid": ("LIPID PROFILE", "Lipid Panel", "Lipids"),
        "thyroid": ("THYROID FUNCTION", "Thyroid Profile", "Thyroid"),
    },
    "zh": {
        "liver": ("肝功能",),
        "haem": ("血常规",),
        "coag": ("凝血功能",),
        "renal": ("肾功能+电解质",),
        "chem": ("生化",),
        "lipid": ("血脂",),
        "thyroid": ("甲状腺功能",),
    },
}
SECTION_ORDER = ("liver", "chem", "renal", "lipid", "thyroid", "haem", "coag")
# Row order inside the liver section, as the common panels print it.
LIVER_ORDER = {
    "en": (
        "total_protein",
        "albumin",
        "globulin",
        "ag_ratio",
        "bilirubin",
        "direct_bilirubin",
        "ibil",
        "alp",
        "ast",
        "alt",
        "ggt",
        "bile_acids",
        "prealbumin",
        "cholinesterase",
    ),
    "zh": (
        "alt",
        "ast",
        "ggt",
        "alp",
        "total_protein",
        "albumin",
        "globulin",
        "ag_ratio",
        "prealbumin",
        "bilirubin",
        "direct_bilirubin",
        "ibil",
        "bile_acids",
        "cholinesterase",
    ),
}
