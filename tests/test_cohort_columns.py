"""`liverlens cohort` says what it read, as `batch` does (issue 15, item 4): a `Gender` or
`DOB` column is read as sex and birth date, `--map` names any column, look-alikes are warned
about (an error with --strict), and tests LiverLens does not read are counted but are not a
failure (exit 0), while a bad date or value still exits 3."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from click.testing import CliRunner

from liverlens.batch.cohort import CohortColumns
from liverlens.cli import cli

EVENTS = (
    "MRN,collected_at,test,value,unit,Gender,DOB\n"
    "1,2026-01-01,ALT,30,U/L,M,1970-05-01\n"
    "1,2026-01-01,AST,25,U/L,M,1970-05-01\n"
    "1,2026-01-01,Glucose,5.1,mmol/L,M,1970-05-01\n"
)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"LIVERLENS_LANG": "en"}).invoke(cli, ["cohort", *args])
    return result.exit_code, result.stderr


def test_names_tables_use_are_found() -> None:
    names = CohortColumns.found_in(["MRN", "collected_at", "test", "value", "Gender", "DOB"])
    assert (names.sex, names.birth_date, names.person_id) == ("Gender", "DOB", "person_id")
    mapped = CohortColumns.found_in(["MRN", "Gender"], {"person_id": "MRN"})
    assert (mapped.person_id, mapped.sex) == ("MRN", "Gender")


def test_gender_decides_the_limit(tmp_path: Path) -> None:
    """ALT 30 U/L: inside ACG 2017's 33 U/L for a man, above the 25 U/L used when sex is not
    given; before, the Gender column was not read and this man's ALT was 'borderline'."""
    src, out = tmp_path / "events.csv", tmp_path / "worklist.csv"
    src.write_text(EVENTS, encoding="utf-8")
    code, err = run(str(src), "-o", str(out), "--map", "person_id=MRN")
    assert code == 0, err  # the glucose is not a liver test: counted, not a failure
    assert "sex <- 'Gender'" in err and "birth_date <- 'DOB'" in err
    assert "a test LiverLens does not read" in err
    assert pl.read_csv(out).get_column("latest_grade").to_list() == ["normal"]


def test_a_missing_sex_is_said_and_a_lookalike_warned(tmp_path: Path) -> None:
    src, out = tmp_path / "events.csv", tmp_path / "worklist.csv"
    src.write_text(EVENTS.replace("Gender", "patient_gender_code"), encoding="utf-8")
    code, err = run(str(src), "-o", str(out), "--map", "person_id=MRN")
    assert code == 0
    assert "no sex column: every row is judged by the limits for sex not given" in err
    assert "column 'patient_gender_code' looks like sex but is not read" in err
    code, err = run(str(src), "-o", str(out), "--map", "person_id=MRN", "--strict")
    assert code == 2 and "run without --strict" in err


def test_a_bad_map_is_refused(tmp_path: Path) -> None:
    src, out = tmp_path / "events.csv", tmp_path / "worklist.csv"
    src.write_text(EVENTS, encoding="utf-8")
    code, err = run(str(src), "-o", str(out), "--map", "person=MRN")
    assert code == 2 and "person_id, collected_at" in err
    code, err = run(str(src), "-o", str(out), "--map", "person_id=NHS_NO")
    assert code == 2 and "the input has no column 'NHS_NO'" in err
    assert not out.exists()


def test_a_bad_date_still_exits_3(tmp_path: Path) -> None:
    src, out = tmp_path / "events.csv", tmp_path / "worklist.csv"
    src.write_text(EVENTS + "1,31/01/2026,ALT,60,U/L,M,1970-05-01\n", encoding="utf-8")
    code, err = run(str(src), "-o", str(out), "--map", "person_id=MRN")
    assert code == 3 and "no readable date" in err
