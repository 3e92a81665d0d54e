"""Seeded synthetic data for the LiverLens benchmarks: wide liver panels and long lab events.

Why synthetic: real lab tables cannot be shipped, and a benchmark has to be rerun by anyone on
the same bytes. The numbers are shaped like a hospital laboratory's output rather than uniform
noise, because the engine's cost depends on the data: how many rows are abnormal (cause
scoring, red flags), how many cells are missing (null handling), and how many cells are bad
(the reject path). So:

- enzymes are log-normal around typical adult medians, sex-specific where labs are, with a
  mixture of latent conditions (fatty liver, chronic hepatitis, alcohol, cholestasis, acute
  injury, cirrhosis) that raise the analytes a condition really raises; a small tail of very
  high values (acute injury, a few typing slips above the plausible maximum);
- tests are missing at the rates a routine panel shows (INR and albumin often not ordered);
- about 0.1% of the filled cells are bad ("abc", "<5", "hemolysed", a negative number).

Values are written as text by default, the way laboratory exports and HL7/FHIR feeds carry
results ("<5" does not fit a float column); ``--value-type float`` writes float64 columns
instead (bad cells are then negatives only). Files are written one row group per chunk, so
10M rows (or more) never have to sit in memory.

Usage:
    python benchmarks/generate.py panels --rows 1000000 -o /tmp/p.parquet
    python benchmarks/generate.py events --rows 10000000 -o /tmp/e.parquet
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

CHUNK_ROWS = 1_000_000
BAD_SHARE = 0.001  # share of filled cells that are bad
BAD_TEXT = np.array(["abc", "<5", "hemolysed", "n/a", "-12"])
PANEL_ANALYTES = ("alt", "ast", "alp", "ggt", "bilirubin", "platelets", "albumin", "inr")
# Share of panels where the test was not done (routine liver panels rarely include INR).
MISSING = {
    "alt": 0.005,
    "ast": 0.05,
    "alp": 0.10,
    "ggt": 0.35,
    "bilirubin": 0.15,
    "platelets": 0.25,
    "albumin": 0.40,
    "inr": 0.75,
}
DECIMALS = {
    "alt": 0,
    "ast": 0,
    "alp": 0,
    "ggt": 0,
    "bilirubin": 1,
    "platelets": 0,
    "albumin": 1,
    "inr": 2,
}


@dataclass(frozen=True)
class Condition:
    """A latent state of the liver: its share of panels and how it moves each analyte.

    Factors multiply the log-normal baseline (albumin is shifted in g/L instead, INR gets a
    multiplier); ``spread`` widens the condition's own variation so that, e.g., acute injury
    covers 300 to 10,000 U/L rather than one value.
    """

    name: str
    share: float
    alt: float = 1.0
    ast: float = 1.0
    alp: float = 1.0
    ggt: float = 1.0
    bilirubin: float = 1.0
    platelets: float = 1.0
    albumin_shift: float = 0.0
    inr: float = 1.0
    spread: float = 0.0


CONDITIONS = (
    Condition("healthy", 0.780),
    Condition("fatty_liver", 0.140, alt=1.9, ast=1.4, ggt=1.6, spread=0.25),
    Condition("chronic_hepatitis", 0.030, alt=3.0, ast=2.4, ggt=1.5, platelets=0.85, spread=0.4),
    Condition("alcohol", 0.020, alt=1.4, ast=2.8, ggt=4.0, bilirubin=1.3, spread=0.35),
    Condition("cholestasis", 0.020, alt=1.8, ast=1.5, alp=3.0, ggt=5.0, bilirubin=2.0, spread=0.4),
    Condition(
        "cirrhosis",
        0.007,
        alt=1.3,
        ast=2.5,
        alp=1.4,
        ggt=2.0,
        bilirubin=2.5,
        platelets=0.45,
        albumin_shift=-9.0,
        inr=1.35,
        spread=0.35,
    ),
    Condition(
        "acute_injury",
        0.003,
        alt=45.0,
        ast=35.0,
        alp=1.5,
        ggt=2.0,
        bilirubin=3.0,
        inr=1.4,
        spread=0.9,
    ),
)
TYPO_SHARE = 5e-6  # a slip of four extra digits: 240,000 U/L, above the plausible maximum


def _conditions(rng: np.random.Generator, n: int) -> np.ndarray:
    shares = np.array([c.share for c in CONDITIONS])
    state: np.ndarray = rng.choice(len(CONDITIONS), size=n, p=shares / shares.sum())
    return state


def _factor(state: np.ndarray, field: str) -> np.ndarray:
    factors: np.ndarray = np.array([getattr(c, field) for c in CONDITIONS])[state]
    return factors


def lab_values(
    rng: np.random.Generator, state: np.ndarray, male: np.ndarray
) -> dict[str, np.ndarray]:
    """Canonical-unit values (U/L, µmol/L, 10^9/L, g/L, INR) for rows in ``state``.

    AST follows ALT (the two move together in most liver injury) with its own noise, so the
    AST/ALT ratio and FIB-4 behave like real panels, not like independent draws.
    """
    n = state.size
    spread = _factor(state, "spread")

    def lognormal(median: np.ndarray | float, sigma: float) -> np.ndarray:
        drawn: np.ndarray = np.exp(
            np.log(median) + rng.normal(0.0, 1.0, n) * np.hypot(sigma, spread)
        )
        return drawn

    alt_median = np.where(male, 24.0, 18.0)
    alt = lognormal(alt_median, 0.42) * _factor(state, "alt")
    alt = alt * np.where(rng.random(n) < TYPO_SHARE, 10_000.0, 1.0)
    ast_base = np.where(male, 23.0, 20.0) * (alt / _factor(state, "alt") / alt_median) ** 0.6
    ast = ast_base * np.exp(rng.normal(0.0, 0.22, n)) * _factor(state, "ast")
    alp = lognormal(np.where(male, 75.0, 70.0), 0.28) * _factor(state, "alp")
    ggt = lognormal(np.where(male, 28.0, 19.0), 0.55) * _factor(state, "ggt")
    bilirubin = lognormal(np.where(male, 10.0, 8.0), 0.42) * _factor(state, "bilirubin")
    platelets = np.clip(rng.normal(255.0, 58.0, n) * _factor(state, "platelets"), 8.0, None)
    albumin = np.clip(rng.normal(43.0, 3.6, n) + _factor(state, "albumin_shift"), 12.0, 60.0)
    inr = np.clip(rng.normal(1.0, 0.07, n) * _factor(state, "inr"), 0.7, None)
    return {
        "alt": np.clip(alt, 3.0, None),
        "ast": np.clip(ast, 5.0, None),
        "alp": np.clip(alp, 15.0, None),
        "ggt": np.clip(ggt, 4.0, None),
        "bilirubin": np.clip(bilirubin, 1.0, None),
        "platelets": platelets,
        "albumin": albumin,
        "inr": inr,
    }


def _as_column(
    rng: np.random.Generator, values: np.ndarray, missing: np.ndarray, decimals: int, text: bool
) -> pa.Array:
    """One value column: rounded, with nulls where the test was not done and ~0.1% bad cells.

    Float columns cannot hold "abc", so there a bad cell is a negative number.
    """
    values = np.round(values, decimals)
    bad = ~missing & (rng.random(values.size) < BAD_SHARE)
    if not text:
        return pa.array(np.where(bad, -values, values), mask=missing, type=pa.float64())
    formatted = pa.array(values, mask=missing, type=pa.float64()).cast(pa.string())
    if not bad.any():
        return formatted
    as_numpy = np.asarray(formatted.to_numpy(zero_copy_only=False), dtype=object)
    as_numpy[bad] = rng.choice(BAD_TEXT, size=int(bad.sum()))
    return pa.array(as_numpy, mask=missing, type=pa.string())


def panels_chunk(rng: np.random.Generator, n: int, first_id: int, text: bool) -> pa.Table:
    """``n`` panels, one per row, ids from ``first_id``."""
    sex_draw = rng.random(n)
    male = sex_draw < 0.48
    sex = np.where(male, "M", "F").astype(object)
    sex[sex_draw > 0.98] = None  # sex not recorded
    age = np.clip(np.round(rng.normal(52.0, 17.0, n)), 18, 95)
    state = _conditions(rng, n)
    # conditions lean older: cirrhosis and alcohol rarely show at 20
    older = np.isin(state, [3, 5])
    age[older] = np.clip(age[older] + 8, 18, 95)
    values = lab_values(rng, state, male)
    columns: dict[str, pa.Array] = {"panel_id": pa.array(np.arange(first_id, first_id + n))}
    for a in PANEL_ANALYTES:
        missing = rng.random(n) < MISSING[a]
        columns[a] = _as_column(rng, values[a], missing, DECIMALS[a], text)
    columns["sex"] = pa.array(sex, type=pa.string())
    columns["age"] = pa.array(age.astype(np.int64), mask=rng.random(n) < 0.01)
    return pa.table(columns)


# Long lab events ---------------------------------------------------------------------------

# How each test is spelled in the event table: LOINC codes and names, as a lab feed mixes them.
TEST_LABELS = {
    "alt": ["1742-6", "1742-6", "1742-6", "ALT", "SGPT", "Alanine aminotransferase", "谷丙转氨酶"],
    "ast": ["1920-8", "1920-8", "AST", "SGOT", "Aspartate aminotransferase"],
    "alp": ["6768-6", "6768-6", "ALP", "Alkaline phosphatase"],
    "ggt": ["2324-2", "GGT", "Gamma GT"],
    "bilirubin": ["1975-2", "1975-2", "TBIL", "Total bilirubin"],
    "platelets": ["777-3", "777-3", "PLT", "Platelet count"],
    "albumin": ["1751-7", "ALB", "Albumin"],
    "inr": ["6301-6", "INR", "PT-INR"],
    "glucose": ["2345-7", "Glucose"],  # not a liver test: counted as unusable, never dropped
    "hbv": ["5195-3", "HBsAg"],
    "hcv": ["13955-0", "anti-HCV"],
}
UNITS = {
    "alt": ["U/L", "IU/L"],
    "ast": ["U/L", "IU/L"],
    "alp": ["U/L"],
    "ggt": ["U/L"],
    "bilirubin": ["umol/L"],
    "platelets": ["10^9/L", "10*9/L"],
    "albumin": ["g/L"],
    "inr": ["INR"],
    "glucose": ["mmol/L"],
    "hbv": [""],
    "hcv": [""],
}
# Share of visits that order each test.
ORDERED = {
    "alt": 1.0,
    "ast": 0.85,
    "alp": 0.70,
    "ggt": 0.40,
    "bilirubin": 0.60,
    "platelets": 0.50,
    "albumin": 0.35,
    "inr": 0.10,
    "glucose": 0.40,
}
MEAN_VISITS = 4.0
EVENTS_PER_VISIT = sum(ORDERED.values()) + 0.05  # + screens and same-day repeats
EPOCH = np.datetime64("2017-01-01T00:00:00", "us")
STUDY_DAYS = 7 * 365


def events_chunk(rng: np.random.Generator, persons: int, first_person: int, text: bool) -> pa.Table:
    """Every lab event of ``persons`` people (ids from ``first_person``), in shuffled order.

    A person keeps one latent condition across visits, so a chronic rise stays raised visit
    after visit (the persistence rule has something to find) while healthy people fluctuate
    around normal. Visits are weeks to months apart; some days repeat a test (the engine keeps
    the last). A few raised people had a hepatitis B or C screen.
    """
    male = rng.random(persons) < 0.48
    sex = np.where(male, "M", "F").astype(object)
    sex[rng.random(persons) > 0.985] = None
    birth_days = rng.integers(
        (dt.date(1930, 1, 1) - dt.date(1970, 1, 1)).days,
        (dt.date(2004, 12, 31) - dt.date(1970, 1, 1)).days,
        persons,
    )
    state_person = _conditions(rng, persons)
    visits = np.clip(rng.poisson(MEAN_VISITS - 1, persons) + 1, 1, 24)
    person = np.repeat(np.arange(persons), visits)
    n_visits = person.size
    # visit dates: a random start, then gaps of weeks to months
    start = rng.integers(0, STUDY_DAYS // 2, persons)
    gaps = rng.exponential(110.0, n_visits).astype(np.int64) + 1
    first_visit = np.concatenate(([0], np.cumsum(visits)[:-1]))
    gaps[first_visit] = 0
    cumulative = np.cumsum(gaps)
    day = start[person] + cumulative - np.repeat(cumulative[first_visit], visits)
    seconds = day * 86_400 + rng.integers(7 * 3600, 18 * 3600, n_visits)
    collected = EPOCH + seconds.astype("timedelta64[s]").astype("timedelta64[us]")

    state = state_person[person]
    # transient conditions come and go: an acute injury is one visit, fatty liver flickers
    acute = state == 6
    not_first = np.ones(n_visits, dtype=bool)
    not_first[first_visit] = False
    state = np.where(acute & not_first & (rng.random(n_visits) < 0.8), 0, state)
    values = lab_values(rng, state, male[person])
    values["glucose"] = np.clip(rng.normal(5.4, 1.1, n_visits), 2.5, None)

    parts: list[dict[str, np.ndarray]] = []
    for test, share in ORDERED.items():
        ordered = rng.random(n_visits) < share
        idx = np.flatnonzero(ordered)
        parts.append({"visit": idx, "test": np.full(idx.size, test), "value": values[test][idx]})
    # a same-day repeat of ALT (the later one counts)
    repeat = np.flatnonzero(rng.random(n_visits) < 0.02)
    parts.append(
        {
            "visit": repeat,
            "test": np.full(repeat.size, "alt"),
            "value": values["alt"][repeat] * np.exp(rng.normal(0, 0.1, repeat.size)),
        }
    )
    # hepatitis screens, more often when ALT is raised
    raised = values["alt"] > 40
    for test in ("hbv", "hcv"):
        p = np.where(raised, 0.08, 0.01)
        idx = np.flatnonzero(rng.random(n_visits) < p)
        parts.append({"visit": idx, "test": np.full(idx.size, test), "value": rng.random(idx.size)})

    visit = np.concatenate([p["visit"] for p in parts])
    test_id = np.concatenate([p["test"] for p in parts])
    value = np.concatenate([p["value"] for p in parts])
    n = visit.size
    label = np.empty(n, dtype=object)
    unit = np.empty(n, dtype=object)
    decimals = np.zeros(n, dtype=np.int64)
    for test in TEST_LABELS:
        here = test_id == test
        k = int(here.sum())
        label[here] = rng.choice(np.array(TEST_LABELS[test], dtype=object), size=k)
        unit[here] = rng.choice(np.array(UNITS[test], dtype=object), size=k)
        decimals[here] = DECIMALS.get(test, 2)
    # one bilirubin in five comes from an analyser that reports mg/dL
    bili_mg = (test_id == "bilirubin") & (rng.random(n) < 0.2)
    value = np.where(bili_mg, value / 17.1, value)
    unit[bili_mg] = "mg/dL"
    decimals[bili_mg] = 2
    scale = 10.0**decimals
    value = np.round(value * scale) / scale

    order = rng.permutation(n)
    visit, value, label, unit = visit[order], value[order], label[order], unit[order]
    who = person[visit]
    unit[rng.random(n) < 0.01] = None  # unit left blank: read as the canonical unit
    return pa.table(
        {
            "person_id": pa.array(first_person + who, type=pa.int64()),
            "collected_at": pa.array(collected[visit], type=pa.timestamp("us")),
            "test": pa.array(label, type=pa.string()),
            "value": _as_column(rng, value, np.zeros(n, dtype=bool), 6, text),
            "unit": pa.array(unit, type=pa.string()),
            "sex": pa.array(sex[who], type=pa.string()),
            "birth_date": pa.array(birth_days[who].astype("datetime64[D]"), type=pa.date32()),
        }
    )


# Writing ------------------------------------------------------------------------------------


def panel_tables(rows: int, seed: int, text: bool, chunk: int) -> Iterator[pa.Table]:
    rng = np.random.default_rng(seed)
    for first in range(0, rows, chunk):
        yield panels_chunk(rng, min(chunk, rows - first), first, text)


def event_tables(rows: int, seed: int, text: bool, chunk: int) -> Iterator[pa.Table]:
    """Chunks of whole people until ``rows`` events; the last chunk is cut to the exact count
    (its cut drops random events, since rows are shuffled, not whole people).

    A chunk holds about ``min(chunk, rows)`` events, so a small table still has several visits
    per person instead of a few events each from many people.
    """
    rng = np.random.default_rng(seed)
    persons_per_chunk = max(1, int(min(chunk, rows) / (MEAN_VISITS * EVENTS_PER_VISIT)))
    written, first_person = 0, 0
    while written < rows:
        table = events_chunk(rng, persons_per_chunk, first_person, text)
        first_person += persons_per_chunk
        table = table.slice(0, min(table.num_rows, rows - written))
        written += table.num_rows
        yield table


def write(tables: Iterator[pa.Table], path: Path) -> int:
    """Write each table as one row group; return the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")  # never leave a half file under the real name
    writer: pq.ParquetWriter | None = None
    rows = 0
    try:
        for table in tables:
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=table.num_rows)
            rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    tmp.replace(path)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["panels", "events"])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument(
        "--value-type",
        choices=["text", "float"],
        default="text",
        help="lab values as text (default, like lab exports) or float64",
    )
    parser.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS)
    args = parser.parse_args(argv)
    text = args.value_type == "text"
    started = time.perf_counter()
    make = panel_tables if args.kind == "panels" else event_tables
    rows = write(make(args.rows, args.seed, text, args.chunk_rows), args.output)
    took = time.perf_counter() - started
    print(f"{args.kind}: {rows:,} rows -> {args.output} in {took:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
