"""NINTH HELD-OUT SET: do not read, tune on, or add cases from this module (or
``heldout9_render.py``, ``heldout9_kiosk.py``) when working on the reader.

The first eight held-out sets (``heldout.py`` ... ``heldout8.py``) may all have been looked at
by the reader's developers by now, so these two take over the job of saying how the reader does
on pages nobody shaped it for. They were written without running the reader on them and without
reading its code. Run them only as a whole (``python -m tests.extract.generate --heldout9``,
``benchmarks/extract.py --heldout9``) and study the reader's failures on the development
layouts, never on these. Once someone tunes the reader on these pages, write a tenth set.

``heldout_q``: a direct-to-consumer home blood test's results (the UK finger-prick kit or the
US "order online, test at home" kind) as the customer saves them from the dashboard. A branded
cover strip holds the customer's name, "Date of birth" (on some), "Sex" and "Age" (on most),
"Sample collected 18 Nov 2026" or "Collected: 2026-11-18" (the collection), "Ordered on",
"Received by lab:", "Results reported:" or "Reviewed:" (other dates), the kit and order
numbers, "Results reviewed by Dr ..." with a GMC or NPI number, and a summary ("14 results, 12
in range, 2 outside the range") with a doctor's paragraph that repeats the out-of-range values
("ALT (56 U/L), GGT (88 U/L) are outside the range"). The results follow in sections ("Liver
health", "Kidney health", "Blood count", "Heart health", "Diabetes", "Iron status", "Vitamins",
"Thyroid", "Inflammation"...), each test a CARD: the name in bold, the result in a large font
with its unit small after it ("56 U/L"), a status word, the range as text ("Range: 0 - 50
U/L", "Normal range 7-56", "Normal range: Below 40 U/L") and a range bar drawn with CSS
(coloured segments and a marker at the value; on some reports the limits printed under the
bar's boundaries). Cards sit two or three to a row, or one to a row, either stacked (name,
value, bar, range, one sentence of the doctor's comment with numbers in it) or laid out across
the page (name and range on the left, the value, the bar, the status). The status sits on the
name's line (a badge at the card's right) or after the unit. The UK kits print SI units
(bilirubin umol/L, albumin g/L, platelets x10^9/L, HbA1c mmol/mol), the US kits conventional
ones (mg/dL, g/dL, x10E3/uL, HbA1c %). The well-person kits (liver, kidneys, lipids, HbA1c,
blood count, thyroid, CRP, plus ferritin, vitamin D and B12 that the page adds) run to two to
four pages under a running strip with the customer's name; a liver kit takes one or two.
``heldout_r``: a Chinese hospital's self-service kiosk printout (门诊自助打印 on a thermal
roll 80 mm wide, or an A5 portrait sheet from the kiosk's laser printer): the hospital's name,
"检验报告单", a barcode drawn with CSS bars over its number, 姓名/性别/年龄/科室/标本类型/
标本号/就诊卡号/临床诊断 as "label：value" lines or a two-column grid, then a compact table
"项目 | 结果 | 提示 | 参考范围 | 单位", "No | 项目名称 | 结果 | 单位 | 参考值" (the flag straight
after the result, "56↑") or "项目 | 结果 | 单位 | 参考范围" ("56 ↑"), whose narrow name column
wraps long names onto a second line ("天门冬氨酸氨基转" / "移酶", "γ-谷氨酰转移" / "酶"). Ranges
"7-40", "0～40", "3.4--20.5", "<40", "0-40" for an upper limit. Rows LiverLens does not read
stand among them (总蛋白, 球蛋白, 白球比, 间接胆红素, 前白蛋白, 胆碱酯酶, α-L-岩藻糖苷酶, 单胺
氧化酶, 尿素, 尿酸, 葡萄糖, lipids). A 血常规 report (全血) follows on the roll when a blood
count was drawn, and a 凝血 report when the INR or PT was; the thermal roll is cut between
reports (a page each) or runs on under a dashed cut line. Each report's footer holds 采集时间 or
采样时间 (the collection), 接收时间/审核时间/报告时间 (other dates), 检验者 and 审核者, "本结果
仅对本标本负责" and "打印时间 2026-11-20 09:12" (the kiosk's print time, later than every other
date). A thermal roll prints in grey on some (the head's heat set low), which a photo makes
fainter still.

Truth is drawn as for the other sets (``generate.make_case``): what a careful person reads off
the page: value, unit, limits and flag as printed, the collection date, sex and age when printed
plainly. Decisions of this set:

* A card's status word is the flag. "High"/"Low" (or "HIGH"/"LOW", one casing per report) is
  printed exactly when the value lies outside the printed range, and it is the truth's flag;
  an in-range value says "Normal" (no flag). On the reports that mark them, an in-range value
  in the top tenth of its interval says "Borderline" (amber on the bar) and carries no flag
  either: it is inside the printed range, and the range is what the truth follows. A card with
  no printed range has no status word and no bar.
* "Below 40" is an upper limit of 40 with no lower limit (``format_range``'s "below" form).
* Dates: the UK kits print "18 Nov 2026", "18-Nov-2026", "2026-11-18" or "18/11/2026", the US
  kits "Nov 18, 2026", "November 18, 2026", "2026-11-18" or "11/18/2026"; as everywhere in the
  generator, ``expected_collected_on`` is the collection date unless the form can be misread
  (day and month both 12 or under in "18/11/2026" or "11/18/2026"). "Ordered on" is before the
  collection, every other label after it. The kiosk's 打印时间 is drawn by the page, later
  than the latest date the case prints, in the same form.
* The generator draws every analyte at its usual rate, so a home kit carries an INR, a CK or
  bile acids now and then: they are printed in a "Clotting" / "Muscle health" / "Liver health"
  section, as a kit with a nurse's venous draw would, and they are in the truth.
* Rows the page adds (ferritin, vitamin D, vitamin B12, the cholesterol/HDL ratio, AFU, MAO,
  a blood count's differential and MPV, APTT, fibrinogen) come from the render RNG and the
  case's own numbers and never carry a LiverLens test's name; MPV/PDW (platelet indices) are
  printed only beside a platelet count in the truth. A doctor's comment or the summary names a
  LiverLens test only when that test's card is on the page, with the card's own value and
  printed limits. HbA1c in mmol/mol and eGFR's ">60" are the page's restyling of rows that are
  not LiverLens tests.
* The kiosk's 血常规 and 凝血 reports repeat the patient lines and the footer dates of the
  chemistry report (one blood draw): the collection date is the same on every slip.
"""

from __future__ import annotations

import dataclasses

from tests.extract.heldout9_kiosk import render_heldout_r
from tests.extract.heldout9_render import render_heldout_q
from tests.extract.layouts import Layout
from tests.extract.profiles import NO_UNIT, Profile

_M, _F = "male", "female"
MGDL_BILI, MGDL_CREA = 17.1, 88.4
Ranges = dict[str, dict[str, tuple[tuple[float | None, float], ...]]]


def _both(
    *options: tuple[float | None, float],
) -> dict[str, tuple[tuple[float | None, float], ...]]:
    return {_M: options, _F: options}


def _mg(
    factor: float, *pairs: tuple[float | None, float]
) -> tuple[tuple[float | None, float], ...]:
    """Limits given in mg/dL, kept in canonical umol/L."""
    return tuple((None if lo is None else lo * factor, hi * factor) for lo, hi in pairs)


# --- heldout_q: the home blood test companies (canonical units) -------------------------------

HOME_UK_RANGES: Ranges = {  # the UK partner laboratories' Roche/Abbott kits, sex aligned
    "alt": {_M: ((0, 50), (None, 41), (10, 50)), _F: ((0, 35), (None, 33), (10, 35))},
    "ast": {_M: ((0, 40), (None, 40), (10, 50)), _F: ((0, 35), (None, 32), (10, 35))},
    "alp": {_M: ((30, 130), (40, 129), (30, 130)), _F: ((30, 130), (35, 104), (30, 130))},
    "ggt": {_M: ((0, 60), (None, 71), (10, 71)), _F: ((0, 40), (None, 42), (6, 42))},
    "bilirubin": _both((0, 21), (None, 21), (3, 21)),
    "direct_bilirubin": _both((0, 5), (None, 5), (0, 3.4)),
    "albumin": _both((35, 50), (35, 52), (34, 50)),
    "platelets": _both((150, 400), (150, 410), (140, 400)),
    "inr": _both((0.8, 1.2), (0.9, 1.2)),
    "ck": {_M: ((40, 320), (39, 308)), _F: ((25, 200), (26, 192))},
    "creatinine": {_M: ((59, 104), (64, 104)), _F: ((45, 84), (49, 90))},
    "sodium": _both((133, 146), (135, 145)),
    "bile_acids": _both((0, 10), (None, 10)),
}
HOME_US_RANGES: Ranges = {  # the US partner laboratories (printed in conventional units)
    "alt": {_M: ((0, 44), (7, 52), (None, 45)), _F: ((0, 32), (7, 35), (None, 33))},
    "ast": {_M: ((0, 40), (10, 40), (None, 41)), _F: ((0, 40), (10, 35), (None, 32))},
    "alp": {_M: ((44, 121), (40, 129), (38, 126)), _F: ((44, 121), (35, 104), (38, 126))},
    "ggt": {_M: ((0, 65), (3, 70), (None, 61)), _F: ((0, 60), (3, 50), (None, 38))},
    "bilirubin": _both(*_mg(MGDL_BILI, (0.0, 1.2), (0.1, 1.2), (0.2, 1.2))),
    "direct_bilirubin": _both(*_mg(MGDL_BILI, (0.0, 0.4), (None, 0.3), (0.0, 0.3))),
    "albumin": _both((35, 50), (38, 49), (36, 51)),
    "platelets": _both((150, 450), (140, 400), (150, 400)),
    "inr": _both((0.9, 1.2), (0.8, 1.1)),
    "ck": {_M: ((49, 439), (44, 196)), _F: ((32, 182), (29, 143))},
    "creatinine": {
        _M: _mg(MGDL_CREA, (0.76, 1.27), (0.7, 1.3)),
        _F: _mg(MGDL_CREA, (0.57, 1.0), (0.5, 1.1)),
    },
    "sodium": _both((134, 144), (135, 146)),
    "bile_acids": _both((0, 10), (None, 10)),
}
HOME_UK_NAMES = {
    "alt": ("ALT (alanine aminotransferase)", "Alanine aminotransferase (ALT)", "ALT"),
    "ast": ("AST (aspartate aminotransferase)", "Aspartate aminotransferase (AST)", "AST"),
    "alp": ("Alkaline phosphatase", "ALP (alkaline phosphatase)", "ALP"),
    "ggt": ("Gamma GT", "GGT (gamma-glutamyl transferase)", "Gamma-glutamyl transferase"),
    "bilirubin": ("Bilirubin", "Total bilirubin"),
    "direct_bilirubin": ("Direct bilirubin", "Conjugated bilirubin"),
    "albumin": ("Albumin",),
    "platelets": ("Platelets", "Platelet count"),
    "inr": ("INR", "Clotting time (INR)"),
    "ck": ("Creatine kinase", "CK (creatine kinase)"),
    "creatinine": ("Creatinine",),
    "sodium": ("Sodium",),
    "bile_acids": ("Bile acids", "Total bile acids"),
}
HOME_US_NAMES = {
    "alt": ("ALT (SGPT)", "Alanine Aminotransferase (ALT)", "ALT"),
    "ast": ("AST (SGOT)", "Aspartate Aminotransferase (AST)", "AST"),
    "alp": ("Alkaline Phosphatase", "ALP (Alkaline Phosphatase)"),
    "ggt": ("GGT", "Gamma-Glutamyl Transferase (GGT)"),
    "bilirubin": ("Total Bilirubin", "Bilirubin, Total"),
    "direct_bilirubin": ("Direct Bilirubin", "Bilirubin, Direct"),
    "albumin": ("Albumin",),
    "platelets": ("Platelets", "Platelet Count"),
    "inr": ("INR", "PT/INR"),
    "ck": ("Creatine Kinase (CK)", "CK, Total"),
    "creatinine": ("Creatinine",),
    "sodium": ("Sodium",),
    "bile_acids": ("Bile Acids, Total",),
}
HOME_OTHER_NAMES = {
    "total_protein": ("Total protein",),
    "globulin": ("Globulin",),
    "ag_ratio": ("A/G ratio",),
    "ibil": ("Indirect bilirubin",),
    "prealbumin": ("Prealbumin",),
    "cholinesterase": ("Cholinesterase",),
    "ldh": ("LDH",),
    "pt": ("Prothrombin time",),
    "glucose": ("Glucose",),
    "urea": ("Urea",),
    "uric_acid": ("Uric acid",),
    "potassium": ("Potassium",),
    "chloride": ("Chloride",),
    "bicarbonate": ("Bicarbonate",),
    "egfr": ("eGFR",),
    "calcium": ("Calcium",),
    "phosphate": ("Phosphate",),
    "magnesium": ("Magnesium",),
    "crp": ("CRP (high sensitivity)", "hs-CRP"),
    "hba1c": ("HbA1c",),
    "cholesterol": ("Total cholesterol",),
    "hdl": ("HDL cholesterol",),
    "ldl": ("LDL cholesterol",),
    "triglycerides": ("Triglycerides",),
    "haemoglobin": ("Haemoglobin",),
    "wbc": ("White blood cells",),
    "rbc": ("Red blood cells",),
    "mcv": ("MCV (mean cell volume)",),
    "tsh": ("TSH (thyroid stimulating hormone)",),
    "ft4": ("Free T4",),
}
HOME_US_OTHER_NAMES = {
    **HOME_OTHER_NAMES,
    "total_protein": ("Total Protein",),
    "urea": ("BUN (urea nitrogen)", "Urea Nitrogen (BUN)"),
    "haemoglobin": ("Hemoglobin",),
    "wbc": ("White Blood Cells (WBC)",),
    "rbc": ("Red Blood Cells (RBC)",),
    "mcv": ("MCV",),
    "tsh": ("TSH",),
}
LIVER_KIT = ("alt", "alp", "ggt", "bilirubin", "albumin", "total_protein", "globulin")
WELL_KIT: tuple[str, ...] = (
    *LIVER_KIT,
    "ast",
    "creatinine",
    "egfr",
    "urea",
    "cholesterol",
    "hdl",
    "ldl",
)
WELL_KIT += ("triglycerides", "hba1c", "crp", "haemoglobin", "wbc", "platelets", "tsh")
US_LIVER_KIT = ("alt", "ast", "alp", "ggt", "bilirubin", "albumin", "total_protein")
US_WELL_KIT: tuple[str, ...] = (
    *US_LIVER_KIT,
    "glucose",
    "urea",
    "creatinine",
    "egfr",
    "cholesterol",
    "hdl",
)
US_WELL_KIT += ("ldl", "triglycerides", "hba1c", "tsh")
_HOME = {
    "language": "en",
    "flag_styles": ("Word", "Word", "word"),
    "sex_forms": (("Male", "Female"),),
    "people": "en",
    "thousands": False,
    "dp": {"enzyme": (0,)},
}
_HOME_UK = {
    **_HOME,
    "names": HOME_UK_NAMES,
    "units": {
        "enzyme": (("U/L", "U/L"), ("U/L", "U/L"), ("IU/L", "IU/L")),
        "bilirubin": (("umol/L", "umol/L"), ("µmol/L", "umol/L")),
        "albumin": (("g/L", "g/L"),),
        "platelets": (("x10^9/L", "10^9/L"), ("x10⁹/L", "10^9/L"), ("10^9/L", "10^9/L")),
        "inr": NO_UNIT,
        "creatinine": (("umol/L", "umol/L"), ("µmol/L", "umol/L")),
        "sodium": (("mmol/L", "mmol/L"),),
        "bile_acids": (("umol/L", "umol/L"), ("µmol/L", "umol/L")),
    },
    "two_forms": ("spaced", "dash", "spaced"),
    "upper_forms": ("below", "lt_sp", "below"),
    "date_forms": ("dmon_sp", "dmon_sp", "dmon", "iso", "uk"),
    "time_forms": ("", "", " %H:%M"),
    "collected_labels": ("Sample collected", "Sample collected:", "Collected:", "Sample taken:"),
    "other_labels": ("Ordered on", "Received by lab:", "Results reported:", "Reviewed:"),
    "age_forms": ("{age}", "{age} years"),
    "ranges": HOME_UK_RANGES,
    "other_names": HOME_OTHER_NAMES,
}
_HOME_US = {
    **_HOME,
    "names": HOME_US_NAMES,
    "units": {
        "enzyme": (("U/L", "U/L"), ("U/L", "U/L"), ("IU/L", "IU/L")),
        "bilirubin": (("mg/dL", "mg/dL"),),
        "albumin": (("g/dL", "g/dL"),),
        "platelets": (("x10E3/uL", "10^3/uL"), ("K/uL", "10^3/uL"), ("x10^3/uL", "10^3/uL")),
        "inr": NO_UNIT,
        "creatinine": (("mg/dL", "mg/dL"),),
        "sodium": (("mmol/L", "mmol/L"),),
        "bile_acids": (("umol/L", "umol/L"),),
    },
    "two_forms": ("dash", "spaced"),
    "upper_forms": ("lt", "le_ascii", "below"),
    "date_forms": ("mon_d_y", "month_d_y", "iso", "us"),
    "time_forms": ("", " %I:%M %p"),
    "collected_labels": ("Collected:", "Sample collected:", "Collection date:"),
    "other_labels": ("Ordered on", "Received at lab:", "Results released:", "Reviewed:"),
    "sex_forms": (("Male", "Female"), ("M", "F")),
    "age_forms": ("{age}", "{age} years", "{age} yrs"),
    "conventional": True,
    "other_names": HOME_US_OTHER_NAMES,
    "ranges": HOME_US_RANGES,
}
HOME_UK_LIVER = Profile(name="home_uk_liver", panel=LIVER_KIT, **_HOME_UK)  # type: ignore[arg-type]
HOME_UK_WELL = dataclasses.replace(HOME_UK_LIVER, name="home_uk_well", panel=WELL_KIT)
HOME_US_LIVER = Profile(name="home_us_liver", panel=US_LIVER_KIT, **_HOME_US)  # type: ignore[arg-type]
HOME_US_WELL = dataclasses.replace(HOME_US_LIVER, name="home_us_well", panel=US_WELL_KIT)

# --- heldout_r: the kiosk printouts of Chinese hospitals --------------------------------------

KIOSK_RANGES: Ranges = {  # WS/T 404 and the kits' inserts; sexes aligned per kit
    "alt": {_M: ((9, 50), (0, 40), (5, 40)), _F: ((7, 40), (0, 40), (5, 35))},
    "ast": {_M: ((15, 40), (0, 40), (8, 40)), _F: ((13, 35), (0, 40), (8, 35))},
    "ggt": {_M: ((10, 60), (0, 50), (11, 50)), _F: ((7, 45), (0, 50), (7, 32))},
    "alp": {_M: ((45, 125), (40, 150), (50, 135)), _F: ((35, 100), (40, 150), (50, 135))},
    "bilirubin": _both((3.4, 20.5), (0, 21), (0, 23), (5.1, 19)),
    "direct_bilirubin": _both((0, 6.8), (0, 8), (None, 6.8), (0, 3.4)),
    "albumin": _both((40, 55), (35, 55), (35, 50)),
    "platelets": _both((125, 350), (100, 300)),
    "inr": _both((0.8, 1.2), (0.85, 1.15)),
    "ck": {_M: ((50, 310), (24, 195)), _F: ((40, 200), (24, 170))},
    "creatinine": {_M: ((57, 97), (59, 104), (44, 133)), _F: ((41, 73), (45, 84), (44, 133))},
    "sodium": _both((137, 147), (135, 145)),
    "bile_acids": _both((0, 10), (None, 10), (0, 12)),
}
KIOSK_NAMES = {  # aligned: style 0 the short names (谷丙/谷草), style 1 the systematic ones
    "alt": ("谷丙转氨酶", "丙氨酸氨基转移酶"),
    "ast": ("谷草转氨酶", "天门冬氨酸氨基转移酶"),
    "alp": ("碱性磷酸酶",),
    "ggt": ("谷氨酰转肽酶", "γ-谷氨酰转移酶"),
    "bilirubin": ("总胆红素",),
    "direct_bilirubin": ("直接胆红素",),
    "albumin": ("白蛋白",),
    "platelets": ("血小板计数",),
    "inr": ("国际标准化比值",),
    "ck": ("肌酸激酶",),
    "creatinine": ("肌酐",),
    "sodium": ("钠",),
    "bile_acids": ("总胆汁酸",),
}
KIOSK_OTHER_NAMES = {  # the name alone, no abbreviation in brackets (a kiosk slip has no room)
    "total_protein": ("总蛋白",),
    "globulin": ("球蛋白",),
    "ag_ratio": ("白球比", "白/球比值"),
    "ibil": ("间接胆红素",),
    "prealbumin": ("前白蛋白",),
    "cholinesterase": ("胆碱酯酶",),
    "ldh": ("乳酸脱氢酶",),
    "pt": ("凝血酶原时间",),
    "glucose": ("葡萄糖", "空腹血糖"),
    "urea": ("尿素",),
    "uric_acid": ("尿酸",),
    "potassium": ("钾",),
    "chloride": ("氯",),
    "bicarbonate": ("二氧化碳",),
    "egfr": ("估算肾小球滤过率",),
    "calcium": ("钙",),
    "phosphate": ("无机磷",),
    "magnesium": ("镁",),
    "crp": ("C反应蛋白",),
    "hba1c": ("糖化血红蛋白",),
    "cholesterol": ("总胆固醇",),
    "hdl": ("高密度脂蛋白胆固醇",),
    "ldl": ("低密度脂蛋白胆固醇",),
    "triglycerides": ("甘油三酯",),
    "haemoglobin": ("血红蛋白",),
    "wbc": ("白细胞计数",),
    "rbc": ("红细胞计数",),
    "mcv": ("平均红细胞体积",),
    "tsh": ("促甲状腺激素",),
    "ft4": ("游离甲状腺素",),
}
KIOSK_LFT: tuple[str, ...] = (
    "alt",
    "ast",
    "ggt",
    "alp",
    "total_protein",
    "albumin",
    "globulin",
    "ag_ratio",
)
KIOSK_LFT += ("bilirubin", "direct_bilirubin", "ibil")
_KIOSK = {
    "language": "zh",
    "names": KIOSK_NAMES,
    "name_styles": (0, 1),
    "units": {
        "enzyme": (("U/L", "U/L"),) * 3 + (("IU/L", "IU/L"),),
        "bilirubin": (("μmol/L", "umol/L"), ("umol/L", "umol/L")),
        "albumin": (("g/L", "g/L"),),
        "platelets": (("10^9/L", "10^9/L"), ("×10^9/L", "10^9/L"), ("10*9/L", "10^9/L")),
        "inr": NO_UNIT,
        "creatinine": (("μmol/L", "umol/L"), ("umol/L", "umol/L")),
        "sodium": (("mmol/L", "mmol/L"),),
        "bile_acids": (("μmol/L", "umol/L"), ("umol/L", "umol/L")),
    },
    "two_forms": ("dash", "tilde", "ddash", "dash"),
    "upper_forms": ("lt", "dash0", "lt"),
    "flag_styles": ("arrow", "arrow", "HL"),
    "date_forms": ("iso", "iso", "ymd_slash"),
    "time_forms": (" %H:%M", " %H:%M:%S"),
    "collected_labels": ("采集时间：", "采样时间：", "采集时间:"),
    "other_labels": ("接收时间：", "审核时间：", "报告时间："),
    "sex_forms": (("男", "女"),),
    "age_forms": ("{age}岁", "{age}岁", "{age}"),
    "people": "zh",
    "thousands": False,
    "dp": {"enzyme": (0, 0, 1), "bilirubin": (1,), "albumin": (1,), "creatinine": (0,)},
    "ranges": KIOSK_RANGES,
    "other_names": KIOSK_OTHER_NAMES,
}
KIOSK_LIVER = Profile(name="kiosk_liver", panel=KIOSK_LFT, **_KIOSK)  # type: ignore[arg-type]
# 肝功能 with 总胆汁酸 and the two synthesis markers, as a hepatology clinic orders it
KIOSK_LIVER_TBA = dataclasses.replace(
    KIOSK_LIVER,
    name="kiosk_liver_tba",
    panel=(*KIOSK_LFT, "bile_acids", "prealbumin", "cholinesterase"),
)
# 肝功能 + 肾功能 + 血糖 (an outpatient's 生化全套, short form)
KIOSK_CHEM = dataclasses.replace(
    KIOSK_LIVER,
    name="kiosk_chem",
    panel=(*KIOSK_LFT, "urea", "creatinine", "uric_acid", "glucose"),
)

HELDOUT9: dict[str, Layout] = {
    "heldout_q": Layout(
        "heldout_q",
        {"en": (HOME_UK_LIVER, HOME_UK_WELL, HOME_US_LIVER, HOME_US_WELL)},
        "lft",
        render_heldout_q,
    ),
    "heldout_r": Layout(
        "heldout_r", {"zh": (KIOSK_LIVER, KIOSK_LIVER_TBA, KIOSK_CHEM)}, "lft", render_heldout_r
    ),
}
