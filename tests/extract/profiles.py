"""Kinds of laboratory: what each calls the tests and how it writes units, ranges and dates.

A ``Profile`` is one kind of laboratory (US, NHS, Indian, Chinese hospital, European); the
layouts choose profiles and ``generate.make_case`` draws every printed spelling from the chosen
one, so a fixture looks like one laboratory's report rather than a random mix. Units are
``(printed, truth)`` pairs: the page shows the first, the truth holds the second, the LiverLens
contract spelling (``knowledge/data/units.yaml``). Repeating a pair makes it likelier.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tests.extract.vocab import CN_RANGES, NORDIC_RANGES

ENZ_US = (("U/L", "U/L"), ("U/L", "U/L"), ("IU/L", "IU/L"))
ENZ_UK = (("U/L", "U/L"), ("U/L", "U/L"), ("IU/L", "IU/L"), ("U/l", "U/L"))
UMOL = (("umol/L", "umol/L"), ("µmol/L", "umol/L"), ("μmol/L", "umol/L"))
PLT_SI = (("x10^9/L", "10^9/L"), ("10^9/L", "10^9/L"), ("10*9/L", "10^9/L"), ("×10⁹/L", "10^9/L"))
PLT_US = (("x10^3/uL", "10^3/uL"), ("K/uL", "10^3/uL"), ("10^3/uL", "10^3/uL"))
NO_UNIT = (("", "INR"),)


@dataclass(frozen=True)
class Profile:
    """One kind of laboratory: what it calls the tests and how it writes everything."""

    name: str
    language: str
    names: Mapping[str, tuple[str, ...]]
    units: Mapping[str, tuple[tuple[str, str], ...]]  # family -> (printed, truth) options
    two_forms: tuple[str, ...]  # how "lo-hi" is written (see ``format_range``)
    upper_forms: tuple[str, ...]  # how "below hi" is written
    flag_styles: tuple[str, ...]
    date_forms: tuple[str, ...]
    time_forms: tuple[str, ...]
    collected_labels: tuple[str, ...]
    other_labels: tuple[str, ...]
    sex_forms: tuple[tuple[str, str], ...]  # (male, female)
    age_forms: tuple[str, ...]
    people: str
    conventional: bool = False  # non-liver tests in mg/dL (US, India) rather than SI
    decimal_comma: bool = False
    thousands: bool = True  # "1,234" for results over 999, some of the time
    dp: Mapping[str, tuple[int, ...]] = field(default_factory=dict)  # family -> decimals
    ranges: Mapping[str, Mapping[str, tuple[tuple[float | None, float], ...]]] = field(
        default_factory=dict
    )
    # A report names all its tests one way: ``names`` tuples are aligned by style and one index
    # is drawn per report; empty: each name drawn on its own (English reports do mix styles).
    name_styles: tuple[int, ...] = ()
    upper_names: float = 0.0  # share of reports that print every test name in capitals
    # Tests every report of this laboratory prints (analytes and ``vocab.OTHERS`` keys), as a
    # reference laboratory's ordered panel does; empty: each drawn at its usual rate.
    panel: tuple[str, ...] = ()
    # Other tests' names as this laboratory prints them (key -> options), over ``vocab.OTHERS``.
    other_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


SI_UNITS = {
    "enzyme": ENZ_UK,
    "bilirubin": UMOL,
    "albumin": (("g/L", "g/L"), ("g/l", "g/L")),
    "platelets": PLT_SI,
    "inr": NO_UNIT,
    "creatinine": UMOL,
    "sodium": (("mmol/L", "mmol/L"),),
    "bile_acids": UMOL,
}
CONV_UNITS = {
    "enzyme": ENZ_US,
    "bilirubin": (("mg/dL", "mg/dL"), ("mg/dl", "mg/dL")),
    "albumin": (("g/dL", "g/dL"), ("g/dl", "g/dL")),
    "platelets": PLT_US,
    "inr": NO_UNIT,
    "creatinine": (("mg/dL", "mg/dL"),),
    "sodium": (("mmol/L", "mmol/L"),),
    "bile_acids": (("umol/L", "umol/L"), ("µmol/L", "umol/L")),
}
_EN_SEX = (("Male", "Female"), ("M", "F"), ("MALE", "FEMALE"))

PROFILES: dict[str, Profile] = {
    "us": Profile(
        name="us",
        language="en",
        names={
            "alt": ("ALT (SGPT)", "ALT", "Alanine Aminotransferase (ALT)", "ALT/SGPT"),
            "ast": ("AST (SGOT)", "AST", "Aspartate Aminotransferase (AST)"),
            "alp": ("Alkaline Phosphatase", "Alk Phos", "Alkaline Phosphatase (ALP)"),
            "ggt": ("GGT", "Gamma-Glutamyl Transferase (GGT)", "GGT, Serum"),
            "bilirubin": ("Bilirubin, Total", "Total Bilirubin"),
            "direct_bilirubin": ("Bilirubin, Direct", "Direct Bilirubin"),
            "albumin": ("Albumin", "Albumin, Serum"),
            "platelets": ("Platelets", "Platelet Count", "PLT"),
            "inr": ("INR", "PT-INR"),
            "ck": ("Creatine Kinase, Total", "CK, Total", "CPK"),
            "creatinine": ("Creatinine",),
            "sodium": ("Sodium",),
            "bile_acids": ("Bile Acids, Total", "Total Bile Acids"),
        },
        units=CONV_UNITS,
        two_forms=("dash", "dash", "spaced", "endash"),
        upper_forms=("lt", "le_ascii", "upto"),
        flag_styles=("HL", "HL", "word", "none"),
        date_forms=("us", "us", "us", "mon_d_y", "iso"),
        time_forms=(" %H:%M", " %I:%M %p", " %H%M", ""),
        collected_labels=(
            "Collected:",
            "Collection Date:",
            "Date Collected:",
            "Specimen Collected:",
        ),
        other_labels=("Received:", "Reported:", "Printed:"),
        sex_forms=_EN_SEX,
        age_forms=("Age: {age}", "{age} Y", "{age} yrs"),
        people="en",
        conventional=True,
        upper_names=0.35,
    ),
    "uk": Profile(
        name="uk",
        language="en",
        names={
            "alt": ("ALT", "Alanine transaminase", "Alanine aminotransferase"),
            "ast": ("AST", "Aspartate transaminase"),
            "alp": ("Alkaline phosphatase", "ALP", "Alk. phosphatase"),
            "ggt": ("Gamma GT", "GGT", "Gamma-glutamyl transferase"),
            "bilirubin": ("Bilirubin", "Total bilirubin"),
            "direct_bilirubin": ("Conjugated bilirubin", "Direct bilirubin"),
            "albumin": ("Albumin",),
            "platelets": ("Platelet count", "Platelets", "PLT"),
            "inr": ("INR",),
            "ck": ("Creatine kinase", "CK"),
            "creatinine": ("Creatinine",),
            "sodium": ("Sodium",),
            "bile_acids": ("Bile acids", "Serum bile acids"),
        },
        units=SI_UNITS,
        two_forms=("paren", "paren", "paren", "spaced"),
        upper_forms=("paren_lt", "lt_sp"),
        flag_styles=("HL", "HL", "star", "none"),
        date_forms=("uk", "uk", "dmon", "dmon_sp"),
        time_forms=(" %H:%M", ""),
        collected_labels=("Sample collected:", "Collected:", "Collection date:"),
        other_labels=("Received:", "Authorised:", "Report date:", "Printed:"),
        sex_forms=_EN_SEX,
        age_forms=("{age} yrs", "Age: {age}", "{age} Y"),
        people="en",
    ),
    "india": Profile(
        name="india",
        language="en",
        names={
            "alt": ("SGPT (ALT)", "SGPT", "S.G.P.T. (ALT)", "ALT (SGPT)"),
            "ast": ("SGOT (AST)", "SGOT", "S.G.O.T. (AST)"),
            "alp": ("Alkaline Phosphatase", "ALP", "Alkaline Phosphatase (ALP)"),
            "ggt": ("Gamma GT", "GGTP", "Gamma Glutamyl Transferase (GGT)"),
            "bilirubin": ("Bilirubin Total", "Total Bilirubin", "Bilirubin - Total"),
            "direct_bilirubin": ("Bilirubin Direct", "Direct Bilirubin", "Bilirubin - Direct"),
            "albumin": ("Albumin", "Serum Albumin"),
            "platelets": ("Platelet Count", "Platelets"),
            "inr": ("INR",),
            "ck": ("CPK", "Creatine Kinase (CK)"),
            "creatinine": ("Creatinine", "Serum Creatinine"),
            "sodium": ("Sodium", "Serum Sodium"),
            "bile_acids": ("Total Bile Acids",),
        },
        units=CONV_UNITS,
        two_forms=("spaced", "dash", "dp1", "bracket"),
        upper_forms=("upto", "lt", "upto"),
        flag_styles=("HL", "word", "none"),
        date_forms=("dmon_slash", "dmon_slash", "uk", "dmy_dash"),
        time_forms=(" %I:%M %p", " %H:%M"),
        collected_labels=("Sample Collected On :", "Collected On :", "Collection Date :"),
        other_labels=("Registered On :", "Received On :", "Reported On :"),
        sex_forms=(("Male", "Female"), ("M", "F")),
        age_forms=("{age} Y", "{age} Years", "{age} yrs"),
        people="india",
        conventional=True,
        upper_names=0.25,
        dp={"enzyme": (0, 0, 1)},
    ),
    "cn": Profile(
        name="cn",
        language="zh",
        names={  # aligned: index 0 "名称(ABBR)", 1 "ABBR 名称", 2 the name alone
            "alt": ("丙氨酸氨基转移酶(ALT)", "ALT 谷丙转氨酶", "谷丙转氨酶"),
            "ast": ("天门冬氨酸氨基转移酶(AST)", "AST 谷草转氨酶", "谷草转氨酶"),
            "alp": ("碱性磷酸酶(ALP)", "ALP 碱性磷酸酶", "碱性磷酸酶"),
            "ggt": ("γ-谷氨酰转移酶(GGT)", "GGT γ-谷氨酰转肽酶", "谷氨酰转肽酶"),
            "bilirubin": ("总胆红素(TBIL)", "TBIL 总胆红素", "总胆红素"),
            "direct_bilirubin": ("直接胆红素(DBIL)", "DBIL 直接胆红素", "结合胆红素"),
            "albumin": ("白蛋白(ALB)", "ALB 白蛋白", "白蛋白"),
            "platelets": ("血小板计数(PLT)", "PLT 血小板", "血小板"),
            "inr": ("国际标准化比值(INR)", "INR 国际标准化比值", "国际标准化比值"),
            "ck": ("肌酸激酶(CK)", "CK 肌酸激酶", "肌酸激酶"),
            "creatinine": ("肌酐(Cr)", "CREA 肌酐", "肌酐"),
            "sodium": ("钠(Na)", "Na 钠", "钠"),
            "bile_acids": ("总胆汁酸(TBA)", "TBA 总胆汁酸", "总胆汁酸"),
        },
        name_styles=(0, 0, 1, 2),
        units={
            **SI_UNITS,
            "enzyme": (("U/L", "U/L"),) * 4 + (("IU/L", "IU/L"),),
            "bilirubin": (("μmol/L", "umol/L"), ("μmol/L", "umol/L"), ("umol/L", "umol/L")),
            "albumin": (("g/L", "g/L"),),
            "platelets": (("×10⁹/L", "10^9/L"), ("10^9/L", "10^9/L"), ("x10^9/L", "10^9/L")),
        },
        two_forms=("dash", "dash", "tilde", "dp1"),
        upper_forms=("le", "lt", "dash0"),
        flag_styles=("arrow", "arrow", "arrow", "HL"),
        date_forms=("iso", "iso", "ymd_slash", "zh"),
        time_forms=(" %H:%M", " %H:%M:%S", " %H:%M"),
        collected_labels=("采样时间：", "采集时间：", "送检日期：", "标本采集时间："),
        other_labels=("申请时间：", "接收时间：", "审核时间：", "报告时间：", "打印时间："),
        sex_forms=(("男", "女"),),
        age_forms=("{age}岁",),
        people="zh",
        thousands=False,
        dp={"enzyme": (0, 1), "bilirubin": (1,), "albumin": (1,), "creatinine": (0, 1)},
        ranges=CN_RANGES,
    ),
    "europe": Profile(
        name="europe",
        language="en",
        names={
            "alt": ("P-ALT", "ALT (GPT)", "ALAT", "S-ALT"),
            "ast": ("P-AST", "AST (GOT)", "ASAT"),
            "alp": ("P-ALP", "Alk. phosphatase", "ALP"),
            "ggt": ("P-GT", "Gamma-GT", "GGT"),
            "bilirubin": ("P-Bilirubin", "Bilirubin, total"),
            "direct_bilirubin": ("P-Bilirubin, conj.", "Bilirubin, direct"),
            "albumin": ("P-Albumin", "Albumin"),
            "platelets": ("B-Platelets", "Platelets", "Thrombocytes"),
            "inr": ("P-PT(INR)", "PT-INR", "INR"),
            "ck": ("P-CK", "CK"),
            "creatinine": ("P-Creatinine", "Creatinine"),
            "sodium": ("P-Sodium", "Sodium"),
            "bile_acids": ("P-Bile acids", "Bile acids"),
        },
        units={
            **SI_UNITS,
            "enzyme": (("µkat/L", "ukat/L"), ("µkat/L", "ukat/L"), ("U/L", "U/L"), ("U/l", "U/L")),
            "bilirubin": (("µmol/L", "umol/L"), ("μmol/L", "umol/L"), ("µmol/l", "umol/L")),
            "platelets": (("×10⁹/L", "10^9/L"), ("10^9/L", "10^9/L"), ("x10^9/L", "10^9/L")),
        },
        two_forms=("dash", "spaced", "dash"),
        upper_forms=("lt", "lt_sp"),
        flag_styles=("HL", "star", "arrow", "HL"),
        date_forms=("dot", "dot", "dot", "iso"),
        time_forms=(" %H:%M", " %H.%M", ""),
        collected_labels=("Sampling date:", "Collected:", "Sample taken:"),
        other_labels=("Received:", "Reply date:", "Printed:"),
        sex_forms=(("Male", "Female"), ("M", "F")),
        age_forms=("Age: {age}", "{age} yrs"),
        people="europe",
        decimal_comma=True,
        thousands=False,
        dp={"bilirubin": (0,)},
        ranges=NORDIC_RANGES,
    ),
}
