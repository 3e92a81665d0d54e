"""`liverlens batch` and `cohort`: files in and out, mapping, units, bad rows, and the promise
that a table gives, row for row, what the single report gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import liverlens
from liverlens.batch import TableSpec, annotate
from liverlens.batch.cohort import cohort_worklist
from liverlens.cli import cli
from liverlens.errors import InputError
from liverlens.knowledge import load_knowledge
from tests.strategies import panels


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stderr


@pytest.fixture
def lab_csv(tmp_path: Path) -> Path:
    path = tmp_path / "labs.csv"
    path.write_text(
        "id,ALT_U_L,SGOT,gender,age,Bili_mg_dl\n"
        "1,95,45,M,28,0.8\n"
        "2,abc,30,F,50,\n"
        "3,2500,1900,,30,3.5\n"
        "4,-5,20,F,40,\n"
        "5,20,22,F,35,\n",
        encoding="utf-8",
    )
    return path


def test_batch_csv_keeps_every_row_and_marks_bad_ones(lab_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    code, err = run(
        [
            "batch",
            str(lab_csv),
            "-o",
            str(out),
            "--map",
            "alt=ALT_U_L,sex=gender,bilirubin=Bili_mg_dl",
            "--unit",
            "bilirubin=mg/dL",
        ]
    )
    assert code == 3  # finished, with rejected rows
    assert "5 rows" in err and "rejected rows: 2" in err
    df = pl.read_csv(out, infer_schema=False)
    assert df.get_column("id").to_list() == ["1", "2", "3", "4", "5"]
    assert df.columns[:6] == ["id", "ALT_U_L", "SGOT", "gender", "age", "Bili_mg_dl"]
    rows = {r["id"]: r for r in df.iter_rows(named=True)}
    assert rows["1"]["ll_alt_grade"] == "mild" and rows["1"]["ll_status"] == "ok"
    assert rows["1"]["ll_ast_status"] == "high"  # SGOT recognised as AST by its alias
    assert rows["2"]["ll_status"] == "rejected" and "not a number" in rows["2"]["ll_reject_reason"]
    assert rows["2"]["ll_alt_grade"] is None
    assert rows["4"]["ll_reject_reason"] == "alt: negative value"
    assert rows["3"]["ll_urgency"] == "urgent"
    assert "very_high_aminotransferases" in rows["3"]["ll_red_flags"]
    assert float(rows["3"]["ll_bilirubin_fold"]) == pytest.approx(3.5 * 17.1 / 21, abs=0.01)
    assert rows["5"]["ll_urgency"] == "none" and rows["5"]["ll_top_causes"] in ("", None)


def test_batch_parquet_round_trip_with_row_units(tmp_path: Path) -> None:
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pl.DataFrame(
        {
            "alt": [1.5, 90.0, 40.0],
            "alt_unit": ["ukat/L", "IU/L", "mmol/L"],
            "sex": ["male", "male", "male"],
        }
    ).write_parquet(src)
    code, _ = run(["batch", str(src), "-o", str(out), "--map", "alt_unit=alt_unit"])
    assert code == 3
    df = pl.read_parquet(out)
    assert df.get_column("ll_alt_fold").to_list()[:2] == [pytest.approx(90 / 33)] * 2
    assert df.get_column("ll_reject_reason").to_list()[2] == "alt: unknown unit 'mmol/L'"
    assert df.schema["ll_red_flags"] == pl.String


def test_batch_explain_adds_the_report(lab_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    code, _ = run(
        [
            "batch",
            str(lab_csv),
            "-o",
            str(out),
            "--map",
            "alt=ALT_U_L,sex=gender",
            "--explain",
            "--quiet",
        ]
    )
    assert code == 3
    texts = pl.read_parquet(out).get_column("ll_explanation").to_list()
    assert texts[0].startswith("Your ALT is 95 U/L")
    assert texts[1] is None  # rejected row


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "alt=NOPE"], "no column 'NOPE'"),
        (["--map", "altt=ALT_U_L"], "--map altt: unknown field"),
        (["--unit", "alt=mmol/L"], "--unit alt=mmol/L: unknown unit"),
        (["--map", "alt"], "expected FIELD=VALUE"),
    ],
)
def test_batch_configuration_errors_exit_2(
    lab_csv: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    code, err = run(["batch", str(lab_csv), "-o", str(tmp_path / "o.csv"), *args])
    assert code == 2 and message in err


def test_batch_refuses_unknown_file_types(lab_csv: Path, tmp_path: Path) -> None:
    code, err = run(["batch", str(lab_csv), "-o", str(tmp_path / "o.xlsx")])
    assert code == 2 and "accepted: .csv, .parquet" in err


def test_batch_streams_in_chunks(tmp_path: Path) -> None:
    from liverlens.batch.files import run_batch

    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pl.DataFrame({"alt": [float(v) for v in range(1, 1001)]}).write_parquet(src, row_group_size=100)
    seen: list[int] = []
    summary = run_batch(
        load_knowledge(), src, out, TableSpec(), progress=seen.append, chunk_rows=128
    )
    assert summary.rows == 1000 and max(seen) <= 128 and sum(seen) == 1000
    assert pl.read_parquet(out).height == 1000


def test_batch_keeps_row_order_across_chunks(tmp_path: Path) -> None:
    from liverlens.batch.files import run_batch

    src, out = tmp_path / "in.csv", tmp_path / "out.parquet"
    values = [str(v) for v in range(1, 2001)]
    pl.DataFrame({"id": values, "alt": values}).write_csv(src)
    run_batch(load_knowledge(), src, out, TableSpec(), chunk_rows=300)
    got = pl.read_parquet(out)
    assert got.get_column("id").to_list() == list(range(1, 2001))  # unmapped: type inferred
    # sex unknown: the lower (women's) ACG limit of 25 U/L applies
    assert got.filter(pl.col("alt") == "50").get_column("ll_alt_fold").item() == 2.0


def test_batch_output_into_missing_directory_is_a_clear_error(
    lab_csv: Path, tmp_path: Path
) -> None:
    code, err = run(["batch", str(lab_csv), "-o", str(tmp_path / "nope" / "out.csv")])
    assert code == 2 and "no such directory" in err and "Traceback" not in err


def test_batch_damaged_parquet_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "in.parquet"
    src.write_bytes(b"PAR1 this is not really parquet PAR1")
    code, err = run(["batch", str(src), "-o", str(tmp_path / "out.parquet")])
    assert code == 2 and str(src) in err and "Traceback" not in err


def test_background_writer_hands_its_error_to_the_caller(tmp_path: Path) -> None:
    from liverlens.batch.files import BackgroundWriter, Writer

    target = tmp_path / "out.parquet"
    plain = Writer(target)
    writer = BackgroundWriter(plain)
    writer.write(pl.DataFrame({"a": [1]}))  # the first chunk fixes the schema: a is a number
    with pytest.raises(pl.exceptions.PolarsError):
        try:
            for _ in range(5):  # the error surfaces at a later write or, at the latest, at close
                writer.write(pl.DataFrame({"a": ["not a number"]}))
            writer.close()
        except pl.exceptions.PolarsError:
            writer.abort()  # what run_batch does when a write fails (close aborts by itself)
            raise
    assert not target.exists() and not plain.partial.exists()


def test_parquet_writer_that_cannot_write_fails_and_leaves_nothing(tmp_path: Path) -> None:
    from liverlens.batch.files import Writer

    target = tmp_path / "out.parquet"
    writer = Writer(target)
    writer.partial.mkdir()  # Polars' writer cannot open its file: a real failure, in its thread
    with pytest.raises((pl.exceptions.PolarsError, OSError)):
        for _ in range(5):
            writer.write(pl.DataFrame({"a": [1]}))
        writer.close()
    assert not target.exists()


def test_parquet_writer_abort_leaves_the_earlier_file(tmp_path: Path) -> None:
    from liverlens.batch.files import Writer

    target = tmp_path / "out.parquet"
    pl.DataFrame({"a": [0]}).write_parquet(target)
    writer = Writer(target)
    writer.write(pl.DataFrame({"a": [1]}))
    writer.abort()
    assert not writer.partial.exists()
    assert pl.read_parquet(target).get_column("a").to_list() == [0]
    done = Writer(target)
    for value in (1, 2, 3):
        done.write(pl.DataFrame({"a": [value], "b": [None]}))
    done.close()  # all-null b in the first chunk is widened to text
    assert pl.read_parquet(target).rows() == [(1, None), (2, None), (3, None)]


rows = st.tuples(
    panels, st.sampled_from([None, "male", "female"]), st.one_of(st.none(), st.integers(18, 90))
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, min_size=1, max_size=8))
def test_batch_matches_interpret_row_for_row(
    batch: list[tuple[dict[str, float], Any, Any]],
) -> None:
    kb = load_knowledge()
    names = list(kb.analytes)
    table = pl.DataFrame(
        {
            **{a: [p.get(a) for p, _, _ in batch] for a in names},
            "sex": [s for _, s, _ in batch],
            "age": [a for _, _, a in batch],
        },
        schema={**dict.fromkeys(names, pl.Float64), "sex": pl.String, "age": pl.Int64},
    )
    out = annotate(kb, table, TableSpec()).to_dicts()
    for (panel, sex, age), row in zip(batch, out, strict=True):
        person = {k: v for k, v in (("sex", sex), ("age", age)) if v is not None}
        single = liverlens.interpret({"labs": panel, "person": person}).to_dict()
        assert row["ll_alt_grade"] == single["alt_grade"]
        assert row["ll_pattern"] == single["pattern"]
        assert row["ll_urgency"] == single["urgency"]
        flags = row["ll_red_flags"].split(";") if row["ll_red_flags"] else []
        assert sorted(flags) == sorted(f["id"] for f in single["red_flags"])
        for a in panel:
            assert row[f"ll_{a}_status"] == single["analytes"][a]["status"]
            assert row[f"ll_{a}_fold"] == pytest.approx(
                single["analytes"][a]["fold_uln"],
                abs=0.0051,  # report rounds to 2 dp
            )
        assert row["ll_fib4"] == single["scores"]["fib4"]["value"]
        assert row["ll_fib4_band"] == single["scores"]["fib4"].get("band")
        expected_top = [
            c["id"] for c in single["causes"] if c["likelihood"] in ("likely", "possible")
        ][:3]
        assert row["ll_top_causes"] == ";".join(expected_top)


def test_cohort_worklist(tmp_path: Path) -> None:
    events = pl.DataFrame(
        {
            "person_id": ["a", "a", "a", "b", "b", "c", "c"],
            "collected_at": [
                "2025-01-05",
                "2025-09-20",
                "2025-09-20",
                "2025-03-01",
                "2025-05-01",
                "2025-06-01",
                "2025-06-01",
            ],
            "test": ["1742-6", "ALT", "16128-1", "谷丙转氨酶", "ALT", "SGPT", "XYZ"],
            "value": ["80", "90", "0", "40", "20", "3000", "1"],
            "unit": ["U/L", "U/L", None, "U/L", "U/L", "U/L", None],
            "sex": ["male", "male", "male", "female", "female", None, None],
        }
    )
    out, counts = cohort_worklist(load_knowledge(), events)
    assert out.get_column("person_id").to_list() == ["c", "a", "b"]  # urgent first
    a = out.filter(pl.col("person_id") == "a").row(0, named=True)
    assert a["persistent"] is True and a["hcv_tested"] is True and a["hbv_tested"] is False
    assert a["persistent_without_screen"] is True and a["worst_grade"] == "mild"
    b = out.filter(pl.col("person_id") == "b").row(0, named=True)
    assert (b["latest_grade"], b["worst_grade"], b["normalised"]) == ("normal", "borderline", True)
    assert counts.unusable == {"unknown_test": 1}  # XYZ


def test_cohort_cli(tmp_path: Path) -> None:
    src, out = tmp_path / "events.csv", tmp_path / "worklist.csv"
    src.write_text(
        "person_id,collected_at,test,value,unit\n1,2026-01-01,ALT,50,U/L\n", encoding="utf-8"
    )
    code, err = run(["cohort", str(src), "-o", str(out)])
    assert code == 0 and "1 people" in err
    assert pl.read_csv(out).get_column("latest_grade").to_list() == [
        "mild"
    ]  # 50 vs 25 (sex unknown)
    missing = tmp_path / "bad.csv"
    missing.write_text("who,when\n1,2\n", encoding="utf-8")
    code, err = run(["cohort", str(missing), "-o", str(out)])
    assert code == 2 and "needs person_id, collected_at, test, value" in err


def test_an_already_annotated_file_is_refused_clearly(lab_csv: Path, tmp_path: Path) -> None:
    once = tmp_path / "once.csv"
    code, _ = run(["batch", str(lab_csv), "-o", str(once), "--map", "alt=ALT_U_L"])
    assert code == 3
    code, err = run(["batch", str(once), "-o", str(tmp_path / "twice.csv")])
    assert code == 2 and "already has columns LiverLens writes (ll_alt_fold" in err
    assert "Traceback" not in err


def test_batch_rejects_cells_that_are_not_finite_numbers(tmp_path: Path) -> None:
    """A CSV 'nan' or 'inf' cell, and a Parquet NaN, are rejected rows, never a 'massive' ALT."""
    csv = tmp_path / "in.csv"
    csv.write_text("alt,platelets\nnan,200\ninf,200\n40,NaN\n40,200\n", encoding="utf-8")
    out = annotate(load_knowledge(), pl.read_csv(csv, infer_schema=False), TableSpec())
    assert out.get_column("ll_status").to_list() == ["rejected", "rejected", "rejected", "ok"]
    assert out.get_column("ll_alt_grade").to_list()[:3] == [None, None, None]
    assert "alt: 'nan' is not a finite number" in out.get_column("ll_reject_reason")[0]
    parquet = pl.DataFrame({"alt": [float("nan"), 40.0], "ast": [30.0, float("inf")]})
    out = annotate(load_knowledge(), parquet, TableSpec())
    assert out.get_column("ll_status").to_list() == ["rejected", "rejected"]


def test_batch_refuses_a_yes_no_column_as_a_lab_value(tmp_path: Path) -> None:
    """A Parquet boolean column mapped to ALT would have counted true as 1 U/L."""
    df = pl.DataFrame({"alt": [True, False], "ast": [30.0, 40.0]})
    with pytest.raises(InputError) as caught:
        annotate(load_knowledge(), df, TableSpec())
    [problem] = caught.value.details
    assert problem.message == "error.batch.column_type" and problem.field == "alt"


def test_batch_checks_lab_limits_like_typed_input(tmp_path: Path) -> None:
    df = pl.DataFrame({"alt": [80.0, 80.0], "alt_upper": [0.5, 40.0]})
    out = annotate(load_knowledge(), df, TableSpec(mapping={"alt_upper": "alt_upper"}))
    assert out.get_column("ll_status").to_list() == ["rejected", "ok"]
    assert "not a believable reference limit" in out.get_column("ll_reject_reason")[0]
