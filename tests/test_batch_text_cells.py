"""Lab values a table writes as text are read as the single report reads them (issue 15,
item 2: "text-valued exports (CSV with <5, abc) stay correct").

Before: every cell that was not a plain number was a rejected row, so an ALT written
">1000" (an urgent result) left the worklist as "not a number", and so did "<5", " 45 "
and a decimal comma. Now a cell goes through ``inputs.numbers.read_result``, the parser of
the web form: a bound keeps its comparator, separators are read only when they can mean one
thing ("1,000" is refused with both readings, as the form refuses it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from liverlens.api import findings
from liverlens.batch import TableSpec, annotate
from liverlens.batch.files import run_batch
from liverlens.knowledge import load_knowledge

KB = load_knowledge()


@pytest.mark.parametrize(
    ("cell", "lab"),
    [
        ("<5", {"value": 5, "comparator": "<"}),
        ("≤ 5", {"value": 5, "comparator": "<="}),
        (">1000", {"value": 1000, "comparator": ">"}),
        ("＞1000", {"value": 1000, "comparator": ">"}),
        (" 45 ", {"value": 45}),
        ("1.234,5", {"value": 1234.5}),
        ("1 234", {"value": 1234}),
        ("0,9", {"value": 0.9}),
        ("<50", {"value": 50, "comparator": "<"}),  # against 33 U/L: could be either
    ],
)
def test_a_text_cell_reads_as_the_single_report_reads_it(cell: str, lab: dict[str, Any]) -> None:
    table = pl.DataFrame({"ALT": [cell], "AST": ["30"], "sex": ["male"], "age": ["50"]})
    row = annotate(KB, table, TableSpec()).row(0, named=True)
    one = findings({"labs": {"alt": lab, "ast": 30}, "person": {"sex": "male", "age": 50}}).row
    assert row["ll_status"] == "ok", row["ll_reject_reason"]
    for column in ("alt_fold", "alt_status", "alt_grade", "urgency", "ast_alt_ratio"):
        assert row[f"ll_{column}"] == one[column], column


def test_a_bound_keeps_its_meaning() -> None:
    """ ">1000" against ACG's 33 U/L for a man is at least 30 times the limit: urgent (ACG
    2017: above 15 times); "<5" is normal; "<50" could be either, so no status."""
    table = pl.DataFrame({"ALT": [">1000", "<5", "<50"], "sex": ["male"] * 3})
    out = annotate(KB, table, TableSpec())
    assert out.get_column("ll_alt_status").to_list() == ["high", "normal", None]
    assert out.get_column("ll_urgency").to_list()[0] == "urgent"


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("1,000", "alt: '1,000' reads two ways (a thousands separator or a decimal comma)"),
        ("<", "alt: '<' is not a number"),
        ("abc", "alt: 'abc' is not a number"),
        ("hemolysed", "alt: 'hemolysed' is not a number"),
    ],
)
def test_a_cell_that_cannot_be_read_one_way_is_rejected(cell: str, reason: str) -> None:
    out = annotate(KB, pl.DataFrame({"ALT": [cell, "40"]}), TableSpec())
    assert out.get_column("ll_reject_reason").to_list() == [reason, None]


@pytest.mark.parametrize(
    ("upper", "status"),
    [("40", "normal"), ("< 40", "normal"), ("≤40", "normal"), ("30", "high"), ("> 40", None)],
)
def test_an_upper_limit_as_labs_print_it(upper: str, status: str | None) -> None:
    """ALT 38 U/L against the lab's own limit; "> 40" is no upper limit, so the row is
    rejected (None)."""
    out = annotate(KB, pl.DataFrame({"ALT": ["38"], "ALT_ULN": [upper]}), TableSpec())
    assert out.get_column("ll_alt_status").item() == status


def test_a_text_csv_export_reads_every_readable_cell(tmp_path: Path) -> None:
    src = tmp_path / "labs.csv"
    src.write_text('ALT,sex\n<5,M\n>1000,M\n" 45 ",M\nabc,M\n', encoding="utf-8")
    summary = run_batch(KB, src, tmp_path / "out.csv", TableSpec())
    assert (summary.rows, summary.rejected) == (4, 1)
    assert dict(summary.urgency) == {"none": 1, "urgent": 1, "routine": 1}
