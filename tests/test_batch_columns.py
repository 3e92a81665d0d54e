"""`liverlens batch` says what it read (issue 15, item 4): which column feeds which field,
the key fields it did not find, the columns that look like a field but feed none (an error
with --strict), and the rejected rows counted by reason.

Before: a ``Gender`` column was ignored and every man was judged by the limit for sex not
given (ACG 2017: 25 U/L instead of 33) without a word; ``ALT_ULN`` was never read as ALT's
upper limit; the summary counted rejected rows but not why.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from liverlens.batch import TableSpec, annotate
from liverlens.batch.files import run_batch
from liverlens.batch.matching import _names_in
from liverlens.batch.table import describe, field_names
from liverlens.cli import cli
from liverlens.knowledge import load_knowledge
from liverlens.knowledge.table_words import load_table_words

KB = load_knowledge()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["batch", *args], env={"LIVERLENS_LANG": "en"})
    return result.exit_code, result.stderr


def test_a_gender_column_is_read_as_sex() -> None:
    """ALT 30 U/L in a man is inside ACG 2017's 33 U/L; read without his sex it is above
    the 25 U/L used when sex is not given."""
    table = pl.DataFrame({"ALT": [30.0, 30.0], "Gender": ["M", "F"]})
    out = annotate(KB, table, TableSpec())
    assert out.get_column("ll_alt_status").to_list() == ["normal", "high"]
    unread = annotate(KB, table.rename({"Gender": "Geschlecht"}), TableSpec())
    assert unread.get_column("ll_alt_status").to_list() == ["high", "high"]


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("ALT_ULN", "alt_upper"),
        ("SGPT upper limit", "alt_upper"),
        ("AST.ref_high", "ast_upper"),
        ("谷丙转氨酶上限", "alt_upper"),
        ("AST_unit", "ast_unit"),
        ("GGT Units", "ggt_unit"),
        ("gender", "sex"),
        ("性别", "sex"),
        ("Age (years)", "age"),
    ],
)
def test_the_names_tables_use_are_found(column: str, field: str) -> None:
    other = "AST" if not column.upper().startswith(("AST", "GGT")) else "ALT"
    match = describe(KB, TableSpec(), [other, column])
    assert match.used[field] == column
    assert match.lookalikes == ()


def test_a_lab_upper_limit_column_is_used() -> None:
    """ALT 38 U/L: above ACG's 33 U/L for a man, inside his lab's 40 U/L (the lab's own
    limit always wins over a preset)."""
    table = pl.DataFrame({"ALT": [38.0], "ALT_ULN": [40.0], "sex": ["male"]})
    assert annotate(KB, table, TableSpec()).get_column("ll_alt_status").item() == "normal"


def test_every_table_word_names_a_field() -> None:
    from liverlens.batch.cohort import CohortColumns

    known = set(field_names(KB)) | {f.name for f in dataclasses.fields(CohortColumns)}
    assert set(load_table_words().fields) <= known


@pytest.mark.parametrize(
    ("column", "name", "looks"),
    [
        ("ALT_flag", "ALT", True),  # a short name as a whole word
        ("SerumALT", "ALT", True),  # a word by its capital letters
        ("salt_intake", "ALT", False),  # not inside another word
        ("page", "age", False),
        ("age_group", "age", True),
        ("caucasian", "asian", False),
        ("patient_gender_code", "gender", True),  # a long name anywhere
        ("前白蛋白", "白蛋白", True),  # a Chinese name anywhere
    ],
)
def test_a_lookalike_is_a_name_inside_a_column(column: str, name: str, looks: bool) -> None:
    assert _names_in(name, column) is looks


def test_columns_that_look_like_a_field_but_feed_none_are_named() -> None:
    match = describe(KB, TableSpec(), ["id", "ALT", "SGPT", "ALT_flag", "page", "sex"])
    assert match.used == {"alt": "ALT", "sex": "sex"}
    assert [(x.column, x.field, x.read_from) for x in match.lookalikes] == [
        ("SGPT", "alt", "ALT"),
        ("ALT_flag", "alt", "ALT"),
    ]
    assert match.missing == ("age",)


PANELS = (
    "id,ALT,SGPT,Gender,age,ALT_ULN,ALT_flag,AST\n"
    "1,95,96,M,40,40,H,45\n"
    "2,abc,20,F,30,40,,22\n"
    "3,-5,20,X,30,40,,22\n"
    "4,60,20,F,300,40,,22\n"
)


def test_the_cli_says_what_it_read_and_why_rows_were_rejected(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(PANELS, encoding="utf-8")
    code, err = run(str(src), "-o", str(out))
    assert code == 3
    assert (
        "columns read: alt <- 'ALT', alt_upper <- 'ALT_ULN', ast <- 'AST', sex <- 'Gender', "
        "age <- 'age'" in err
    )
    assert "column 'SGPT' looks like alt but is not read (alt is read from 'ALT')" in err
    assert "--map alt=SGPT" in err
    assert "column 'ALT_flag' looks like alt" in err
    assert (
        "rejected rows by reason: alt: '…' is not a number (1); alt: negative value (1); "
        "sex: '…' is not one of male, female (1); age: '…' is outside 0-120 (1)" in err
    )


def test_strict_stops_before_writing_anything(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(PANELS, encoding="utf-8")
    code, err = run(str(src), "-o", str(out), "--strict")
    assert code == 2
    assert "'SGPT': column 'SGPT' looks like alt but is not read" in err
    assert "run without --strict" in err
    assert not out.exists()


def test_strict_passes_a_clean_table(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("ALT,AST,sex,age\n95,45,male,40\n", encoding="utf-8")
    code, err = run(str(src), "-o", str(out), "--strict")
    assert code == 0, err
    assert "looks like" not in err and "no sex column" not in err


def test_a_missing_sex_or_age_is_said_even_when_quiet(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("ALT\n95\n", encoding="utf-8")
    code, err = run(str(src), "-o", str(out), "--quiet")
    assert code == 0
    assert "no sex column: every row is judged by the limits for sex not given" in err
    assert "no age column: FIB-4" in err
    assert "columns read" not in err  # the list itself is not a warning


def test_another_alt_column_chosen_reads_and_words_reasons(tmp_path: Path) -> None:
    """Before: ``--map alt=SGPT`` on this table crashed Polars 2.1 ("assertion failed:
    i < self.len()") while wording the reasons of the rows with a bad sex and a bad age."""
    src, out = tmp_path / "in.csv", tmp_path / "out.parquet"
    src.write_text(PANELS, encoding="utf-8")
    summary = run_batch(KB, src, out, TableSpec(mapping={"alt": "SGPT"}))
    assert summary.rejected == 2
    assert dict(summary.reasons) == {
        "sex: '…' is not one of male, female": 1,
        "age: '…' is outside 0-120": 1,
    }
    reasons = pl.read_parquet(out).get_column("ll_reject_reason").to_list()
    assert reasons == [
        None,
        None,
        "sex: 'X' is not one of male, female",
        "age: '300' is outside 0-120",
    ]


# --columns core, and the vocabulary words as Enum columns (issue 15, item 2) -------------------

CORE = [
    "ll_alt_fold",
    "ll_alt_grade",
    "ll_ast_alt_ratio",
    "ll_r_ratio",
    "ll_pattern",
    "ll_fib4",
    "ll_fib4_band",
    "ll_hys_law",
    "ll_urgency",
    "ll_status",
    "ll_reject_reason",
]
# Men (ACG 2017: ALT 33 U/L; AST 40, ALP 130, bilirubin 21 µmol/L in the default preset).
HYS = pl.DataFrame(
    {
        "id": [1, 2, 3, 4, 5],
        "alt": [200.0, 200.0, 99.0, 200.0, -1.0],  # 6x, 6x, exactly 3x, 6x, a bad row
        "bilirubin": [50.0, 50.0, 50.0, 42.0, 50.0],  # 2.4x; the fourth exactly 2x
        "alp": [100.0, 400.0, 100.0, 100.0, 100.0],  # the second about 3x: cholestasis
        "ast": [150.0, 150.0, 60.0, 150.0, 20.0],
        "platelets": [200.0, 200.0, 200.0, 200.0, 200.0],
        "age": [50, 50, 50, 50, 50],
        "sex": ["male"] * 5,
    }
)


def test_core_is_the_full_output_cut_down() -> None:
    full = annotate(KB, HYS, TableSpec())
    core = annotate(KB, HYS, TableSpec(), columns="core")
    assert core.columns == [*HYS.columns, *CORE]
    assert core.equals(full.select(core.columns))


def test_hys_law_column_follows_the_fda_rule() -> None:
    """FDA 2009: ALT above 3x ULN with bilirubin above 2x ULN and ALP below 2x ULN; a rule
    on strict bounds, so exactly 3x or exactly 2x is not it."""
    core = annotate(KB, HYS, TableSpec(), columns="core")
    assert core.get_column("ll_hys_law").to_list() == [True, False, False, False, None]
    assert core.get_column("ll_urgency").to_list()[0] == "urgent"


def test_vocabulary_words_are_enum_columns_in_parquet_and_text_in_csv(tmp_path: Path) -> None:
    src = tmp_path / "in.parquet"
    HYS.write_parquet(src)
    run_batch(KB, src, tmp_path / "out.parquet", TableSpec())
    run_batch(KB, src, tmp_path / "out.csv", TableSpec())
    schema = pl.read_parquet_schema(tmp_path / "out.parquet")
    for column in ("ll_alt_grade", "ll_alt_status", "ll_pattern", "ll_urgency", "ll_status"):
        assert isinstance(schema[column], pl.Categorical | pl.Enum), column
    grades = pl.read_parquet(tmp_path / "out.parquet").get_column("ll_alt_grade")
    assert grades.to_list()[0] == "moderate"  # 6x: ACG 2017's 5-15x
    text = pl.read_csv(tmp_path / "out.csv")
    assert text.get_column("ll_alt_grade").to_list()[:4] == [
        "moderate",
        "moderate",
        "mild",
        "moderate",
    ]
    assert text.get_column("ll_status").to_list() == ["ok", "ok", "ok", "ok", "rejected"]


def test_the_cli_writes_the_core_columns(tmp_path: Path) -> None:
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    HYS.write_parquet(src)
    code, err = run(str(src), "-o", str(out), "--columns", "core", "--quiet")
    assert code == 3, err  # the bad row
    assert pl.read_parquet(out).columns == [*HYS.columns, *CORE]
