"""TENTH HELD-OUT SET: do not read, tune on, or add cases from this module (or
``heldout10_render.py``, ``heldout10_maternity.py``) when working on the reader.

The first nine held-out sets (``heldout.py`` ... ``heldout9.py``) may all have been looked at
by the reader's developers by now, so these two take over the job of saying how the reader does
on pages nobody shaped it for. They were written without running the reader on them and without
reading its code. Run them only as a whole (``python -m tests.extract.generate --heldout10``,
``benchmarks/extract.py --heldout10``) and study the reader's failures on the development
layouts, never on these. Once someone tunes the reader on these pages, write an eleventh set.

``heldout_s``: a UK GP practice's online record, the patient's "Test results" printed from the
practice's clinical system or the patient's app (the EMIS / SystmOne / NHS App kind). A banner
with the practice's name and address, the patient's name, "Date of birth" (on some), "NHS
number", "Gender" and "Age" (on most), the usual GP and an address line. Results carry the coded
(SNOMED CT) names the record files them under ("Serum alanine aminotransferase level", "Plasma
total bilirubin level", "Serum ALT level", "Platelet count - observation", "International
normalised ratio", "eGFR using creatinine (CKD-EPI) per 1.73 square metres"), one naming style
per report for the liver tests (serum, plasma, or the short codes). The record holds this
request and, on most reports, one to three earlier ones (other, earlier sample dates) with the
same tests' earlier results; the page shows them in one of three ways: (1) one block per request
and sample date ("Liver function test", "Urea and electrolytes", "Full blood count", "Clotting
screen"...), newest first, each with its "Sample date: 18-Nov-2026" line and a "Test | Result |
Units | Normal range | " or "Test | Value | Range | Abnormal" table; (2) one table of dated
rows, "Date | Test | Result | Range | Abnormal", every row carrying its sample date, the dates
newest first or oldest first (the column says which); (3) by test: each test's name, then its
results one a line, "date | value unit | range | flag", newest first. The current request's
details (sample date and time, "Received:", "Reported:", "Filed:") sit in its block or, for (2)
and (3), in a "Latest request" box above the results. Flags are "Above high reference limit" /
"Below low reference limit" (the laboratory message's wording) or "H"/"L"; the GP's filing
comment ("Normal - no action", "Abnormal - GP to review") follows a request. The footer reads
"Printed from EMIS Web on 22-Nov-2026 09:12 - page 1 of 2", a date later than every other date
on the page.
``heldout_t``: a Chinese maternal and child health hospital's (妇幼保健院 / 妇女儿童医院)
laboratory report: the hospital's name with "检验报告单", a grid of 姓名, 性别, 年龄, 门诊号 or
住院号 (and 床号), 科室 (产科门诊, 产科病区, 孕前优生门诊, 婚前保健科, 生殖医学科, 妇科门诊,
更年期保健门诊), 标本类型, 标本号, 送检医生 and 临床诊断, and for a pregnant patient 孕周
("孕28+3周", "28W+3D"), 孕产次 ("G2P1"), 末次月经 and 预产期. The table is "序号 | 项目名称 |
英文缩写 | 结果 | 提示 | 单位 | 参考区间" (the Chinese name alone, the code in its own column),
"项目 | 结果 | 单位 | 参考区间" (中英文对照 names, "丙氨酸氨基转移酶(ALT)", or the Chinese name
alone; the arrow straight after the result or a space before it) or "检验项目 | 结果 | 参考值 |
单位 | 提示" (中英文对照 names; H/L or ↑/↓ in the last column). Around the liver rows stand the
tests a maternity laboratory adds: 总胆汁酸 (the ICP screen), the three OGTT glucoses with the
IADPSG cut-offs ("<5.1", "<10.0", "<8.5") at 24-28 weeks, TSH and FT4 with trimester intervals
("孕早期 0.09-4.52" over "孕中期" and "孕晚期"), the hepatitis B markers as "阴性(-)"/"阳性(+)"
and, when drawn, a blood count and a coagulation screen, each as its own report under the repeated
hospital name and patient grid (a page each on A5, one after another on A4; with four reports the
thyroid and hepatitis B rows join the chemistry report, so a case runs to one to three pages). A
footer holds 采样时间 (the collection), 申请时间 (before it), 接收时间 and 报告时间 (after),
检验者, 审核者 and "本报告仅对所检标本负责"; A4 portrait or A5 landscape.

Truth is drawn as for the other sets (``generate.make_case``): what a careful person reads off
the page: value, unit, limits and flag as printed, the collection date, sex and age when printed
plainly. Decisions of this set:

* heldout_s: the truth is this request's results: the ones under the newest sample date, which
  is the drawn collection date (``collected_on``); every earlier sample date on the page is
  20 to 480 days before it, and its results (drawn from this report's values by the render RNG,
  flagged against the same printed range) are never in the truth. A value the truth holds is
  printed exactly once with this request's date. When the page prints no sample date (the
  drawn header has none) it holds this request alone, so nothing is ambiguous.
* heldout_s flags: "Above high reference limit" is the high flag and "Below low reference
  limit" the low one (a style of their own, ``nhs_limit``), printed exactly when the value lies
  outside the printed range; "H"/"L" on the reports that print letters. Earlier results carry
  their own flags against the same range.
* heldout_s dates: "18-Nov-2026", "18 Nov 2026" or "18/11/2026"; ``expected_collected_on`` is
  the collection date unless the form can be misread (day and month both 12 or under in
  "18/11/2026"), as everywhere in the generator. The footer's print date ("Printed from ...
  on") is after every date the page holds and is not the collection.
* heldout_s names: the coded name is the test's name; the request's title ("Liver function
  test", "Clotting screen") is not a test. A request titled by a LiverLens test ("Creatine
  kinase level") appears only when that test is in the truth. HbA1c is printed in mmol/mol
  (IFCC) from the drawn %, and eGFR over 90 as ">90", as the page's own restyling of rows that
  are not LiverLens tests.
* heldout_t: 采样时间 is the collection. 末次月经 (before it) and 预产期 (280 days after the last
  period, so after the collection) are printed in the collection's date form without a time,
  and are not the collection. 孕周 is counted from 末次月经 to the collection day. A page with
  no 采样时间 prints 孕周 alone.
* heldout_t ranges: the laboratory prints its adult (non-pregnant) interval for the liver tests,
  as most maternity laboratories do, and the truth's limits are that interval; the trimester
  intervals are printed only on the page's own TSH and FT4 rows (not LiverLens tests), flagged
  against the band the 孕周 falls in.
* heldout_t patients: the layout draws five women to one man, aged 20 to 47
  (``Layout.sexes``, ``Layout.ages``; every earlier layout draws as before). A pregnancy (孕周,
  产科) is printed only for a woman of 45 or under whose sex and age are printed; a man is
  seen in 孕前优生门诊, 婚前保健科 or 生殖医学科. A page with no sex printed shows a
  department either sex attends, so it tells nothing about the sex either.
* heldout_t names: with the code column the truth's name is the Chinese name alone; with
  中英文对照 names it is the printed name with its bracketed abbreviation.
* The rows a page adds (heldout_s: earlier results, HbA1c in mmol/mol; heldout_t: the OGTT
  glucoses, trimester TSH/FT4, the hepatitis B markers, a blood count's WBC/RBC/HGB when the
  case has none, its differential, HCT and MPV (MPV only beside a platelet count in the
  truth), APTT, fibrinogen, TT, D-dimer) come from the case's own numbers or the render RNG
  and never carry a LiverLens test's name.
"""

from __future__ import annotations

import dataclasses

from tests.extract.heldout10_maternity import render_heldout_t
from tests.extract.heldout10_render import render_heldout_s
from tests.extract.layouts import Layout
from tests.extract.profiles import NO_UNIT, Profile
from tests.extract.vocab import FLAG_TEXT

FLAG_TEXT.setdefault("nhs_limit", ("Above high reference limit", "Below low reference limit"))

_M, _F = "male", "female"
Ranges = dict[str, dict[str, tuple[tuple[float | None, float], ...]]]


def _both(
    *options: tuple[float | None, float],
) -> dict[str, tuple[tuple[float | None, float], ...]]:
    return {_M: options, _F: options}


# --- heldout_s: the hospital laboratories a GP practice sends to (canonical units) ------------

GP_RANGES: Ranges = {  # three NHS trusts' laboratories (Pathology Harmony where it reaches)
    "alt": {_M: ((0, 40), (None, 41), (10, 50)), _F: ((0, 40), (None, 33), (10, 35))},
    "ast": {_M: ((0, 40), (None, 40), (10, 50)), _F: ((0, 40), (None, 32), (10, 35))},
    "alp": {_M: ((30, 130), (40, 129), (30, 130)), _F: ((30, 130), (35, 104), (30, 130))},
    "ggt": {_M: ((0, 60), (None, 71), (10, 71)), _F: ((0, 40), (None, 42), (6, 42))},
    "bilirubin": _both((0, 21), (None, 21), (3, 21)),
    "direct_bilirubin": _both((0, 5), (None, 5), (0, 3.4)),
    "albumin": _both((35, 50), (35, 50), (34, 50)),
    "platelets": _both((150, 400), (150, 410), (140, 400)),
    "inr": _both((0.8, 1.2), (0.9, 1.2), (0.8, 1.1)),
    "ck": {_M: ((40, 320), (39, 308)), _F: ((25, 200), (26, 192))},
    "creatinine": {_M: ((59, 104), (64, 104)), _F: ((45, 84), (49, 90))},
    "sodium": _both((133, 146), (135, 145)),
    "bile_acids": _both((0, 10), (None, 10)),
}
GP_NAMES = {  # aligned: style 0 serum, 1 plasma, 2 the short codes the record also files under
    "alt": (
        "Serum alanine aminotransferase level",
        "Plasma alanine aminotransferase level",
        "Serum ALT level",
    ),
    "ast": (
        "Serum aspartate aminotransferase level",
        "Plasma aspartate aminotransferase level",
        "Serum AST level",
    ),
    "alp": (
        "Serum alkaline phosphatase level",
        "Plasma alkaline phosphatase level",
        "Alkaline phosphatase level",
    ),
    "ggt": (
        "Serum gamma-glutamyl transferase level",
        "Plasma gamma-glutamyl transferase level",
        "Gamma-glutamyl transferase level",
    ),
    "bilirubin": (
        "Serum total bilirubin level",
        "Plasma total bilirubin level",
        "Serum bilirubin level",
    ),
    "direct_bilirubin": (
        "Serum conjugated bilirubin level",
        "Plasma conjugated bilirubin level",
        "Serum direct bilirubin level",
    ),
    "albumin": ("Serum albumin level", "Plasma albumin level", "Albumin level"),
    "platelets": ("Platelet count - observation", "Platelet count", "Platelet count"),
    "inr": (
        "International normalised ratio",
        "International normalised ratio",
        "INR - international normalised ratio",
    ),
    "ck": ("Serum creatine kinase level", "Plasma creatine kinase level", "Creatine kinase level"),
    "creatinine": ("Serum creatinine level", "Plasma creatinine level", "Creatinine level"),
    "sodium": ("Serum sodium level", "Plasma sodium level", "Sodium level"),
    "bile_acids": ("Serum bile acids level", "Plasma bile acids level", "Total bile acid level"),
}
GP_OTHER_NAMES = {  # no trailing brackets: the name restyler would turn them round
    "total_protein": ("Serum total protein level",),
    "globulin": ("Serum globulin level",),
    "ag_ratio": ("Albumin/globulin ratio",),
    "ibil": ("Serum unconjugated bilirubin level",),
    "prealbumin": ("Serum prealbumin level",),
    "cholinesterase": ("Serum cholinesterase level",),
    "ldh": ("Serum lactate dehydrogenase level",),
    "pt": ("Prothrombin time",),
    "glucose": ("Plasma glucose level", "Fasting plasma glucose level"),
    "urea": ("Serum urea level",),
    "uric_acid": ("Serum urate level",),
    "potassium": ("Serum potassium level",),
    "chloride": ("Serum chloride level",),
    "bicarbonate": ("Serum bicarbonate level",),
    "egfr": ("eGFR using creatinine (CKD-EPI) per 1.73 square metres",),
    "calcium": ("Serum calcium level", "Serum adjusted calcium concentration"),
    "phosphate": ("Serum inorganic phosphate level",),
    "magnesium": ("Serum magnesium level",),
    "crp": ("Serum C reactive protein level",),
    "hba1c": ("Haemoglobin A1c level - IFCC standardised",),
    "cholesterol": ("Serum cholesterol level", "Total cholesterol level"),
    "hdl": ("Serum HDL cholesterol level",),
    "ldl": ("Serum LDL cholesterol level",),
    "triglycerides": ("Serum triglycerides level",),
    "haemoglobin": ("Haemoglobin concentration", "Haemoglobin estimation"),
    "wbc": ("Total white cell count", "White blood cell count"),
    "rbc": ("Red blood cell count",),
    "mcv": ("Mean cell volume",),
    "tsh": ("Serum TSH level",),
    "ft4": ("Serum free T4 level",),
}
GP_LFT = ("bilirubin", "alp", "alt", "albumin", "total_protein", "globulin")
# the annual chronic-disease review: LFT, U&E, a blood count, lipids, HbA1c and thyroid
GP_REVIEW: tuple[str, ...] = (*GP_LFT, "sodium", "potassium", "urea", "creatinine", "egfr")
GP_REVIEW += ("haemoglobin", "wbc", "platelets", "cholesterol", "hdl", "hba1c", "tsh")
_GP = {
    "language": "en",
    "names": GP_NAMES,
    "name_styles": (0, 0, 1, 2),
    "units": {
        "enzyme": (("U/L", "U/L"), ("iu/L", "IU/L"), ("IU/L", "IU/L"), ("U/L", "U/L")),
        "bilirubin": (("umol/L", "umol/L"), ("µmol/L", "umol/L")),
        "albumin": (("g/L", "g/L"),),
        "platelets": (("10*9/L", "10^9/L"), ("x10^9/L", "10^9/L"), ("10^9/L", "10^9/L")),
        "inr": NO_UNIT,
        "creatinine": (("umol/L", "umol/L"), ("µmol/L", "umol/L")),
        "sodium": (("mmol/L", "mmol/L"),),
        "bile_acids": (("umol/L", "umol/L"), ("µmol/L", "umol/L")),
    },
    "two_forms": ("spaced", "spaced", "dash", "to"),
    "upper_forms": ("lt_sp", "lt", "lt_sp"),
    "flag_styles": ("nhs_limit", "nhs_limit", "HL"),
    "date_forms": ("dmon", "dmon", "dmon_sp", "uk"),
    "time_forms": ("", " %H:%M", " %H:%M"),
    "collected_labels": ("Sample date:", "Date of sample:", "Sample collected:", "Specimen taken:"),
    "other_labels": ("Received:", "Reported:", "Filed:"),
    "sex_forms": (("Male", "Female"),),
    "age_forms": ("{age}", "{age} years", "{age}y"),
    "people": "en",
    "thousands": False,
    "dp": {"enzyme": (0,), "bilirubin": (0,), "albumin": (0,), "inr": (1,), "creatinine": (0,)},
    "ranges": GP_RANGES,
    "other_names": GP_OTHER_NAMES,
}
GP_LFT_ONLY = Profile(name="gp_lft", panel=GP_LFT, **_GP)  # type: ignore[arg-type]
# the "abnormal LFT" work-up: LFT with a blood count and a clotting screen
GP_LFT_WORKUP = dataclasses.replace(
    GP_LFT_ONLY, name="gp_lft_workup", panel=(*GP_LFT, "ggt", "platelets", "inr", "haemoglobin")
)
GP_ANNUAL = dataclasses.replace(GP_LFT_ONLY, name="gp_review", panel=GP_REVIEW)

# --- heldout_t: the maternal and child health hospitals' laboratories -------------------------

FY_RANGES: Ranges = {  # WS/T 404 and the kits' inserts; sexes aligned per kit
    "alt": {_M: ((9, 50), (0, 40), (0, 50)), _F: ((7, 40), (0, 40), (0, 35))},
    "ast": {_M: ((15, 40), (0, 40), (0, 40)), _F: ((13, 35), (0, 40), (0, 35))},
    "ggt": {_M: ((10, 60), (0, 50), (11, 50)), _F: ((7, 45), (0, 50), (7, 32))},
    "alp": {_M: ((45, 125), (40, 150), (50, 135)), _F: ((35, 100), (40, 150), (40, 150))},
    "bilirubin": _both((3.4, 20.5), (0, 21), (5.1, 19), (0, 23)),
    "direct_bilirubin": _both((0, 6.8), (0, 8), (None, 6.8), (0, 3.4)),
    "albumin": _both((40, 55), (35, 55), (35, 50)),
    "platelets": _both((125, 350), (100, 300), (125, 350)),
    "inr": _both((0.8, 1.2), (0.85, 1.15)),
    "ck": {_M: ((50, 310), (24, 195)), _F: ((40, 200), (24, 170))},
    "creatinine": {_M: ((57, 97), (59, 104), (44, 133)), _F: ((41, 73), (45, 84), (44, 133))},
    "sodium": _both((137, 147), (135, 145)),
    "bile_acids": _both((0, 10), (None, 10), (0, 12)),
}
FY_NAMES = {  # aligned: 0 中英文对照 "名称(ABBR)", 2 the Chinese name alone (the code beside it)
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
}
# 孕期肝功能 as an antenatal clinic orders it: the liver items with 总胆汁酸 (the ICP screen)
FY_LFT: tuple[str, ...] = ("alt", "ast", "ggt", "alp", "total_protein", "albumin", "globulin")
FY_LFT += ("ag_ratio", "bilirubin", "direct_bilirubin", "ibil", "bile_acids")
_FY = {
    "language": "zh",
    "names": FY_NAMES,
    "name_styles": (0, 0, 2),
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
    "two_forms": ("dash", "dash", "tilde", "dp1"),
    "upper_forms": ("lt", "dash0", "le"),
    "flag_styles": ("arrow", "arrow", "HL"),
    "date_forms": ("iso", "iso", "ymd_slash"),
    "time_forms": (" %H:%M", " %H:%M:%S"),
    "collected_labels": ("采样时间：", "采集时间：", "采样时间:"),
    "other_labels": ("申请时间：", "接收时间：", "报告时间："),
    "sex_forms": (("男", "女"),),
    "age_forms": ("{age}岁", "{age}岁", "{age}"),
    "people": "zh",
    "thousands": False,
    "dp": {"enzyme": (0, 0, 1), "bilirubin": (1,), "albumin": (1,), "creatinine": (0,)},
    "ranges": FY_RANGES,
}
FY_LIVER = Profile(name="fy_liver", panel=FY_LFT, **_FY)  # type: ignore[arg-type]
# 产检生化 (the 24-28 week bloods): the liver items, kidney function and glucose
FY_CHEM = dataclasses.replace(
    FY_LIVER, name="fy_chem", panel=(*FY_LFT, "urea", "creatinine", "uric_acid", "glucose")
)
# 孕前优生健康检查 / 婚前医学检查: ALT, creatinine, glucose, a blood count and TSH
FY_PRE = dataclasses.replace(
    FY_LIVER,
    name="fy_pre",
    panel=("alt", "creatinine", "glucose", "haemoglobin", "wbc", "platelets", "tsh"),
)

HELDOUT10: dict[str, Layout] = {
    "heldout_s": Layout(
        "heldout_s", {"en": (GP_LFT_ONLY, GP_LFT_WORKUP, GP_ANNUAL)}, "lft", render_heldout_s
    ),
    "heldout_t": Layout(
        "heldout_t",
        {"zh": (FY_LIVER, FY_CHEM, FY_PRE)},
        "lft",
        render_heldout_t,
        sexes=("female",) * 5 + ("male",),
        ages=(20, 47),
    ),
}
