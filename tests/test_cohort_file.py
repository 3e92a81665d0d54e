"""`liverlens cohort` over a file of any size: events split by person into partitions on disk
give, person for person and in order, the worklist of the whole table in memory; what cannot
be used is counted by reason, and nobody is lost without a trace."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from benchmarks.generate import event_tables
from click.testing import CliRunner
from polars.testing import assert_frame_equal

from liverlens.batch import cohort_file as cf
from liverlens.batch.cohort import NO_DATE, NO_PERSON_ID, NO_VALUE, UNKNOWN_TEST, cohort_worklist
from liverlens.cli import cli
from liverlens.errors import InputError
from liverlens.knowledge import load_knowledge

KB = load_knowledge()


def generated_events(rows: int = 12_000) -> pl.DataFrame:
    """The benchmark's events (bad cells, screens, glucose, same-day repeats) as text, as a
    lab export carries them, plus events no worklist can use: no person id, dates that are
    not dates, blank values, and a person whose only events are unusable."""
    tables = event_tables(rows, seed=7, text=True, chunk=4_000)
    events = pl.concat(pl.DataFrame(pl.from_arrow(t)) for t in tables)
    events = events.with_columns(pl.col(c).cast(pl.String) for c in events.columns)
    bad = pl.DataFrame(
        {
            "person_id": [None, "", "17", "17", "only-bad", "only-bad", "only-rejected"],
            "collected_at": [
                "2021-03-04",
                "2021-03-04",
                "2021-13-40",
                "last week",
                "2021-05-06",
                "05/06/2021",
                "2021-05-06 08:15",
            ],
            "test": ["ALT", "ALT", "ALT", "AST", "Glucose", "ALT", "ALT"],
            "value": ["40", "40", "50", "60", "5.1", "40", "abc"],
            "unit": ["U/L"] * 7,
            "sex": [None] * 7,
            "birth_date": [None] * 7,
        }
    )
    blank = events.head(3).with_columns(pl.lit("").alias("value"))
    # unusable events among the others, not in a block at the end
    return pl.concat([events.head(500), bad, blank, events.slice(500)])


def write(events: pl.DataFrame, path: Path) -> Path:
    if path.suffix == ".csv":
        events.write_csv(path)
    else:
        events.write_parquet(path)
    return path


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_partitions_give_the_whole_tables_worklist(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cf, "WRITE_ROWS", 97)  # the merged worklist written in many slices
    events = generated_events()
    source = write(events, tmp_path / f"events{suffix}")
    whole, expected = cohort_worklist(KB, events)
    for partitions in (1, 2, 7):
        target = tmp_path / f"worklist-{partitions}.parquet"
        summary = cf.cohort_file(KB, source, target, partitions=partitions)
        # every column, every row, in the same order
        assert_frame_equal(pl.read_parquet(target), whole)
        assert summary.partitions == partitions
        summary.partitions = 1
        assert summary == expected
    assert expected.not_assessed >= 2 and expected.unusable[NO_DATE] >= 3


def test_a_person_never_spans_partitions(tmp_path: Path) -> None:
    events = generated_events(6_000)
    source = write(events, tmp_path / "events.parquet")
    parts = cf.split(source, events.columns, "person_id", 5, tmp_path)
    assert len(parts) == 5
    seen = [set(pl.read_parquet(p).get_column("person_id").drop_nulls()) for p in parts]
    assert sum(len(s) for s in seen) == len(set().union(*seen))  # disjoint
    assert sum(pl.read_parquet(p).height for p in parts) == events.height  # none lost


def test_bad_dates_and_other_unusable_events_are_counted_by_reason(tmp_path: Path) -> None:
    events = pl.DataFrame(
        {
            "person_id": ["1", "1", "2", "2", "3", None, "4"],
            "collected_at": [
                "2025-01-05 10:00:00+08:00",
                "2025-02-01",  # read only after the first format was guessed: now row by row
                "2025-02-30",
                "yesterday",
                "2025-03-01",
                "2025-03-01",
                "2025-03-01",
            ],
            "test": ["ALT", "ALT", "ALT", "ALT", "Glucose", "ALT", "ALT"],
            "value": ["40", "50", "60", "70", "80", "90", " "],
        }
    )
    out, summary = cohort_worklist(KB, events)
    assert summary.unusable == {NO_DATE: 2, UNKNOWN_TEST: 1, NO_PERSON_ID: 1, NO_VALUE: 1}
    rows = {r["person_id"]: r for r in out.iter_rows(named=True)}
    assert rows["1"]["n_panels"] == 2 and rows["1"]["latest_on"].isoformat() == "2025-02-01"
    # people 2, 3 and 4 had nothing usable: a row each, last, saying so
    assert out.get_column("person_id").to_list()[-3:] == ["2", "3", "4"]
    for who, unusable in (("2", 2), ("3", 1), ("4", 1)):
        assert rows[who]["assessed"] is False and rows[who]["n_panels"] == 0
        assert rows[who]["unusable_events"] == unusable and rows[who]["urgency"] is None


def test_a_person_whose_every_panel_was_rejected_keeps_a_row() -> None:
    events = pl.DataFrame(
        {
            "person_id": ["1", "1", "2"],
            "collected_at": ["2025-01-05", "2025-02-05", "2025-01-05"],
            "test": ["ALT", "AST", "ALT"],
            "value": ["abc", "-3", "30"],
        }
    )
    out, summary = cohort_worklist(KB, events)
    one = out.filter(pl.col("person_id") == "1").row(0, named=True)
    assert (one["assessed"], one["rejected_panels"], one["n_panels"]) == (False, 2, 0)
    assert summary.rejected_panels == 2 and summary.not_assessed == 1
    # by reason, without the cell's own text
    assert summary.rejected == {"alt: '…' is not a number": 1, "ast: negative value": 1}


def test_cli_exits_3_and_says_why(tmp_path: Path) -> None:
    src, out = tmp_path / "events.csv", tmp_path / "worklist.csv"
    src.write_text(
        "person_id,collected_at,test,value,unit\n"
        "1,2026-01-01,ALT,50,U/L\n"
        "1,31/01/2026,ALT,60,U/L\n"
        "2,2026-01-01,ALT,abc,U/L\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["cohort", str(src), "-o", str(out)])
    assert result.exit_code == 3
    assert "2 people (1 with no usable result), 1 panels, 1 rejected panels" in result.stderr
    assert "events not used: no readable date (accepted: YYYY-MM-DD" in result.stderr
    assert "rejected panels by reason: alt: '…' is not a number: 1" in result.stderr
    assert "abc" not in result.stderr  # a person's cell is not echoed
    assert pl.read_csv(out).get_column("assessed").to_list() == [True, False]
    zh = CliRunner(env={"LIVERLENS_LANG": "zh"}).invoke(cli, ["cohort", str(src), "-o", str(out)])
    assert zh.exit_code == 3 and "日期缺失或无法读取" in zh.stderr


def test_the_partitions_are_removed_after_success_and_after_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(generated_events(3_000), tmp_path / "events.parquet")
    work = tmp_path / "work"
    work.mkdir()
    target = tmp_path / "worklist.parquet"
    cf.cohort_file(KB, source, target, partitions=3, work_dir=work)
    assert target.exists() and list(work.iterdir()) == []

    seen: list[Path] = []

    def fails(*args: object, **kwargs: object) -> None:
        seen.extend(work.rglob("part-*.parquet"))  # the partitions were there
        raise RuntimeError("boom")

    monkeypatch.setattr(cf, "cohort_worklist", fails)
    other = tmp_path / "other.parquet"
    with pytest.raises(RuntimeError):
        cf.cohort_file(KB, source, other, partitions=3, work_dir=work)
    assert len(seen) == 3
    assert list(work.iterdir()) == [] and not other.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_partition_count_follows_the_file_size() -> None:
    assert cf.partition_count(0) == 1
    assert cf.partition_count(cf.PARTITION_EVENTS) == 1
    assert cf.partition_count(cf.PARTITION_EVENTS + 1) == 2
    assert cf.partition_count(50 * cf.PARTITION_EVENTS) == 50
    assert cf.partition_count(10**12) == cf.MAX_PARTITIONS


def test_an_empty_file_gives_an_empty_worklist(tmp_path: Path) -> None:
    src = tmp_path / "events.csv"
    src.write_text("person_id,collected_at,test,value\n", encoding="utf-8")
    for partitions in (1, 3):
        target = tmp_path / f"w{partitions}.parquet"
        summary = cf.cohort_file(KB, src, target, partitions=partitions)
        assert summary.people == 0 and pl.read_parquet(target).height == 0


def test_a_damaged_file_is_said_and_leaves_nothing_behind(tmp_path: Path) -> None:
    src, work = tmp_path / "events.csv", tmp_path / "work"
    work.mkdir()
    good = "".join(f"{i},2025-01-01,ALT,40\n" for i in range(5_000))  # past the header's block
    src.write_text(
        f"person_id,collected_at,test,value\n{good}2,2025-01-01,ALT,40,extra\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        cf.cohort_file(KB, src, tmp_path / "w.parquet", partitions=3, work_dir=work)
    assert caught.value.details[0].message == "error.file.damaged"
    assert list(work.iterdir()) == [] and not (tmp_path / "w.parquet").exists()
    result = CliRunner().invoke(cli, ["cohort", str(src), "-o", str(tmp_path / "w.csv")])
    assert result.exit_code == 2 and "cannot read row" in result.stderr
