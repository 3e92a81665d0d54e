"""Drawing one report's numbers and words: results, ranges, flags, other tests, the header.

Why results come from latent conditions rather than independent uniform draws: a reader is
tested on pages that look like real patients (a cholestatic ALP of 412 with a GGT of 380, an
acute ALT of 1,850 printed ">1000" or "1,850"), and the flag logic is exercised at the limits.
Every printed number is produced from the rounded truth value, so the page and the truth agree
exactly; the only randomness after that is cosmetic.

``Picker`` lets a caller force any choice by its key ("flag_style", "name:alt", "unit:enzyme",
"value:alt"...), which is how the hand-made samples are tuned without a second code path.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from tests.extract.profiles import Profile
from tests.extract.vocab import (
    DETECTION_LIMIT,
    FACTOR,
    FAMILY,
    FLAG_TEXT,
    OTHER_BY_KEY,
    OTHERS,
    RANGE_DP,
    RANGES,
    SECTION_OF,
    UK_SPELLING,
    date_is_unambiguous,
    format_date,
    format_number,
    format_range,
    format_time,
    person_name,
)

T = TypeVar("T")
EARLIER = {"Ordered on", "申请时间："}  # dates before the collection (the order, the request)

CONDITIONS = {  # share of reports
    "normal": 34,
    "fatty": 20,
    "hepatitis": 10,
    "alcohol": 10,
    "cholestasis": 10,
    "acute": 8,
    "cirrhosis": 8,
}
# Medians (canonical units) per condition:
# alt ast alp ggt bilirubin direct-share albumin platelets inr ck bile_acids
MEDIANS = {
    "normal": (22, 24, 75, 24, 9, 0.2, 44, 250, 1.0, 110, 4),
    "fatty": (62, 42, 85, 70, 10, 0.2, 44, 240, 1.0, 120, 5),
    "hepatitis": (95, 70, 90, 55, 14, 0.3, 40, 190, 1.05, 100, 8),
    "alcohol": (45, 95, 110, 260, 22, 0.35, 37, 165, 1.1, 150, 12),
    "cholestasis": (70, 60, 380, 320, 55, 0.65, 38, 260, 1.05, 100, 45),
    "acute": (1100, 750, 140, 120, 70, 0.6, 37, 210, 1.6, 150, 40),
    "cirrhosis": (40, 65, 130, 90, 35, 0.5, 30, 95, 1.45, 90, 30),
}
CLIP = {
    "alt": (5, 2500),
    "ast": (5, 2500),
    "alp": (20, 1500),
    "ggt": (5, 1500),
    "bilirubin": (2, 450),
    "albumin": (15, 55),
    "platelets": (20, 700),
    "inr": (0.8, 4.5),
    "ck": (20, 20000),
    "bile_acids": (0.5, 250),
    "creatinine": (40, 900),
}
# Share of reports that print each analyte (ALT is always there: it is what LiverLens is for).
PRESENT = {
    "alt": 1.0,
    "ast": 0.85,
    "alp": 0.85,
    "ggt": 0.6,
    "bilirubin": 0.85,
    "direct_bilirubin": 0.4,
    "albumin": 0.7,
    "platelets": 0.45,
    "inr": 0.3,
    "ck": 0.1,
    "creatinine": 0.25,
    "sodium": 0.2,
    "bile_acids": 0.06,
}


class Picker:
    """``rng.choice`` that a caller can override per key, recording what was chosen."""

    def __init__(self, rng: random.Random, forced: Mapping[str, Any] | None = None) -> None:
        self.rng = rng
        self.forced = dict(forced or {})

    def choice(self, key: str, options: Sequence[T]) -> T:
        return self.forced[key] if key in self.forced else self.rng.choice(options)

    def chance(self, key: str, p: float) -> bool:
        return bool(self.forced[key]) if key in self.forced else self.rng.random() < p

    def value(self, key: str, draw: float) -> float:
        return float(self.forced.get(key, draw))


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _logn(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0.0, sigma))


def draw_canonical(rng: random.Random, condition: str, sex: str) -> dict[str, float]:
    """Canonical-unit values for every analyte, shaped by the condition."""
    alt, ast, alp, ggt, bili, dshare, alb, plt, inr, ck, tba = MEDIANS[condition]
    wide = 0.75 if condition == "acute" else 0.45
    sex_k = 0.8 if sex == "female" else 1.0
    out = {
        "alt": _logn(rng, alt * sex_k, wide),
        "ast": _logn(rng, ast, wide),
        "alp": _logn(rng, alp, 0.35),
        "ggt": _logn(rng, ggt * sex_k, 0.55),
        "bilirubin": _logn(rng, bili, 0.45),
        "albumin": rng.gauss(alb, 3.5),
        "platelets": _logn(rng, plt, 0.25),
        "inr": rng.gauss(inr, 0.08 * inr),
        "ck": _logn(rng, ck, 0.55) * (12 if rng.random() < 0.05 else 1),
        "creatinine": rng.gauss(85 if sex == "male" else 66, 14),
        "sodium": rng.gauss(139 if condition != "cirrhosis" else 134, 2.8),
        "bile_acids": _logn(rng, tba, 0.6),
    }
    for key, (lo, hi) in CLIP.items():  # fold the tails back in, so no pile-up at a bound
        if out[key] > hi:
            out[key] = hi * rng.uniform(0.75, 1.0)
        elif out[key] < lo:
            out[key] = lo * rng.uniform(1.0, 1.4)
    out["direct_bilirubin"] = out["bilirubin"] * min(0.9, max(0.05, rng.gauss(dshare, 0.08)))
    return out


def decimals(x: float) -> int:
    """How many decimals a canonical limit needs (3.4 -> 1, 0.85 -> 2, 40 -> 0)."""
    for dp in range(3):
        if abs(x * 10**dp - round(x * 10**dp)) < 1e-9:
            return dp
    return 2


def direction(value: float, comparator: str | None, lo: float | None, hi: float | None) -> str:
    """The flag a result earns against its printed interval: "high", "low" or "" ("<5" is low
    when the lower limit is 5 or more; ">1000" is high)."""
    if comparator == "<":
        return "low" if lo is not None and value <= lo else ""
    if comparator == ">":
        return "high" if hi is not None and value >= hi else ""
    if hi is not None and value > hi:
        return "high"
    if lo is not None and value < lo:
        return "low"
    return ""


def _limits(
    pick: Picker,
    profile: Profile,
    key: str,
    bounds: tuple[float | None, float],
    factor: float,
    unit: str,
    forms: tuple[str, str],
) -> tuple[str, float | None, float | None]:
    """The printed range text and the numbers it means (``lo`` ``None``: only an upper limit).

    ``forms`` is the report's (two-limit form, upper-limit form): a laboratory writes all its
    ranges one way, so the form is drawn per report and only "0-40" vs "<40" varies per row."""
    lo, hi = bounds
    if factor == 1.0:
        dp = max(decimals(hi), decimals(lo or 0), RANGE_DP.get(unit, 0))
    else:
        dp = RANGE_DP.get(unit, 1)
    lo_v = None if lo is None else round(lo / factor, dp)
    hi_v = round(hi / factor, dp)
    upper_only = lo_v is None or (lo_v == 0 and pick.chance(f"upper_only:{key}", 0.25))
    form = forms[1] if upper_only else forms[0]
    if form == "dash0":  # an upper limit printed as "0-40": the lower limit is then 0
        lo_v = 0.0
    elif upper_only:
        lo_v = None
    if form == "dp1" and dp == 0:  # "0.0-40.0"
        dp = 1
    comma = profile.decimal_comma
    lo_t = format_number(lo_v or 0.0, dp, comma=comma)
    return format_range(form, lo_t, format_number(hi_v, dp, comma=comma)), lo_v, hi_v


def lab_row(
    pick: Picker,
    profile: Profile,
    analyte: str,
    canonical: float,
    sex: str,
    *,
    unit: tuple[str, str],
    dp: int,
    flag_style: str,
    forms: tuple[str, str],
    name_style: int | None = None,
) -> tuple[dict[str, Any], dict[str, str], str]:
    """(truth lab, printed row, flag direction) for one liver analyte."""
    family = FAMILY[analyte]
    printed_unit, truth_unit = unit
    factor = FACTOR[(family, truth_unit)]
    step = 10.0**-dp
    canonical = pick.value(f"value:{analyte}", canonical)
    value = max(round(canonical / factor, dp), step)
    comparator = None
    lod, below = DETECTION_LIMIT.get(analyte, (0.0, 0.0))
    if canonical < below and pick.chance(f"censor:{analyte}", 0.5):
        comparator, value = "<", max(round(lod / factor, dp), step)
    elif analyte in ("alt", "ast") and factor == 1 and value > 1000:
        if pick.chance(f"censor:{analyte}", 0.3):
            comparator, value = ">", 1000.0
    ranges = profile.ranges.get(analyte, RANGES[analyte])
    lo = hi = None
    range_text = ""
    if not pick.chance(f"no_range:{analyte}", 0.05):
        lo0, hi0 = pick.choice(f"range:{analyte}", ranges[sex])
        bounds = (lo0, hi0)
        range_text, lo, hi = _limits(pick, profile, analyte, bounds, factor, truth_unit, forms)
        if comparator is None and value in (lo, hi):  # on a limit: labs flag it differently
            value = round(value - step if value == hi else value + step, dp)  # so step inside
    comma = profile.decimal_comma
    big = profile.thousands and value >= 1000 and dp == 0
    text = format_number(value, dp, comma=comma, thousands=big and pick.chance("thousands", 0.5))
    if comparator:
        text = comparator + (" " if pick.chance(f"censor_space:{analyte}", 0.2) else "") + text
    way = direction(value, comparator, lo, hi) if range_text else ""
    flag = FLAG_TEXT[flag_style][0 if way == "high" else 1] if way else ""
    lab: dict[str, Any] = {"value": value, "unit": truth_unit}
    if lo is not None:
        lab["lower_limit"] = lo
    if hi is not None:
        lab["upper_limit"] = hi
    if comparator:
        lab["comparator"] = comparator
    names = profile.names[analyte]
    if name_style is not None:
        names = names[min(name_style, len(names) - 1) :][:1]
    row = {
        "analyte": analyte,
        "name": pick.choice(f"name:{analyte}", names),
        "value": text,
        "unit": printed_unit,
        "range": range_text,
        "flag": flag,
        "section": SECTION_OF[analyte],
    }
    return lab, row, way if flag else ""


def other_rows(
    rng: random.Random,
    profile: Profile,
    panel: str,
    labs: Mapping[str, Mapping[str, Any]],
    flag_style: str,
    two_form: str,
) -> list[dict[str, str]]:
    """Tests that are not LiverLens analytes, so a reader must skip them ("Prealbumin",
    "Bilirubin, Indirect", "WBC" in the platelets' unit, "LDH" in U/L)."""
    keys: list[str] = [k for k in profile.panel if k in OTHER_BY_KEY]
    if "albumin" in labs and rng.random() < 0.6:
        keys += ["total_protein", "globulin"] + (["ag_ratio"] if rng.random() < 0.6 else [])
    if "bilirubin" in labs and "direct_bilirubin" in labs and rng.random() < 0.7:
        keys.append("ibil")
    if "inr" in labs and rng.random() < 0.7:
        keys.append("pt")
    if profile.language == "zh" and rng.random() < 0.4:
        keys += ["prealbumin", "cholinesterase"]
    pool = [o.key for o in OTHERS if o.key not in keys and o.section != "liver"]
    extra = {"lft": rng.randint(0, 3), "long": rng.randint(8, 12), "big": rng.randint(20, 24)}
    keys += rng.sample(pool, min(len(pool), extra[panel]))
    if panel == "big":
        keys += [k for k in ("total_protein", "globulin") if k not in keys]
    rows = []
    derived = _derived(rng, labs)
    for key in dict.fromkeys(keys):  # a panel's test drawn again is printed once
        other = OTHER_BY_KEY[key]
        unit, mean, sd, dp, (lo, hi) = (
            other.conv if profile.conventional and other.conv else other.si
        )
        value = derived.get(key, rng.gauss(mean, sd))
        value = max(round(value, dp), 10.0**-dp)
        if value in (lo, hi):
            value = round(value - 10.0**-dp if value == hi else value + 10.0**-dp, dp)
        comma = profile.decimal_comma
        if lo is None:
            range_text = f"<{format_number(hi, dp, comma=comma)}"
        else:
            fmt_lo, fmt_hi = (format_number(x, dp, comma=comma) for x in (lo, hi))
            range_text = format_range(two_form, fmt_lo, fmt_hi)
        way = direction(value, None, lo, hi)
        big = profile.thousands and value >= 1000 and rng.random() < 0.5
        if profile.decimal_comma:
            unit = unit.replace(".", ",")  # "mL/min/1,73m2"
        name = other.zh if profile.language == "zh" else other.en
        if profile.name in ("uk", "europe"):
            name = UK_SPELLING.get(name, name)
        if key in profile.other_names:
            name = rng.choice(profile.other_names[key])
        rows.append(
            {
                "key": key,
                "name": name,
                "value": format_number(value, dp, comma=comma, thousands=big),
                "unit": unit,
                "range": range_text,
                "flag": FLAG_TEXT[flag_style][0 if way == "high" else 1] if way else "",
                "section": other.section,
            }
        )
    return rows


def _derived(rng: random.Random, labs: Mapping[str, Mapping[str, Any]]) -> dict[str, float]:
    """Total protein, globulin, A/G ratio and indirect bilirubin that agree with the printed
    albumin and bilirubin (a reader may check them against each other)."""

    def val(a: str) -> float | None:
        lab = labs.get(a)
        return None if lab is None or "comparator" in lab else float(lab["value"])

    out = {}
    alb, tbil, dbil = val("albumin"), val("bilirubin"), val("direct_bilirubin")
    if tbil is not None and dbil is not None and tbil > dbil:
        out["ibil"] = tbil - dbil
    if alb is not None:
        glob = alb * rng.uniform(0.5, 0.85)
        out.update(total_protein=alb + glob, globulin=glob, ag_ratio=alb / glob)
    return out


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def draw_header(
    pick: Picker, profile: Profile, sex: str, age: int, *, sex_shown: bool, age_shown: bool
) -> tuple[dict[str, Any], str | None, str | None]:
    """The printed patient block: (header, collected_on, expected_collected_on)."""
    rng = pick.rng
    day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))
    collected = pick.value("collected_ordinal", day.toordinal())
    day = dt.date.fromordinal(int(collected))
    at = dt.time(rng.randint(6, 15), rng.randrange(60), rng.randrange(60))
    form = pick.choice("date_form", profile.date_forms)
    tform = pick.choice("time_form", profile.time_forms)
    sex_words = pick.choice("sex_words", profile.sex_forms)
    dob = _years_before(day, age) - dt.timedelta(days=rng.randint(1, 360))  # ``age`` on ``day``
    header: dict[str, Any] = {
        "name": person_name(rng, profile.people, sex),
        "sex": (sex_words[0] if sex == "male" else sex_words[1]) if sex_shown else None,
        "age": pick.choice("age_form", profile.age_forms).format(age=age) if age_shown else None,
        "dob": None,
        "dob_iso": dob.isoformat(),  # not printed unless "dob" is; for IDs that embed it
        "collected": None,
        "others": [],
    }
    if age_shown and pick.chance("dob", 0.45 if profile.language == "en" else 0.1):
        header["dob"] = format_date(dob, form)
    shown = pick.chance("collected_shown", 0.9)
    if shown:
        header["collected"] = {
            "label": pick.choice("collected_label", profile.collected_labels),
            "text": format_date(day, form) + format_time(at, tform),
            "date": format_date(day, form),
            "form": form,
        }
    labels = list(profile.other_labels)  # in the order the events happen
    keep = sorted(rng.sample(range(len(labels)), k=min(len(labels), rng.randint(1, 3))))
    offsets = sorted(rng.sample(range(1, 7), k=len(keep)))  # later days: a wrong pick shows
    if len(keep) > 1 and rng.random() < 0.3:
        offsets[0] = 0  # received the same day
    for index, offset in zip(keep, offsets, strict=True):
        label = labels[index]
        if label in EARLIER:
            step = dt.timedelta(days=-rng.randint(1, 7), minutes=-rng.randint(0, 300))
        else:
            step = dt.timedelta(days=offset, minutes=rng.randint(35, 560))
        when = dt.datetime.combine(day, at) + step
        text = format_date(when.date(), form) + format_time(when.time(), tform)
        header["others"].append({"label": label, "text": text})
    iso = day.isoformat() if shown else None
    expected = iso if shown and date_is_unambiguous(day, form) else None
    return header, iso, expected
