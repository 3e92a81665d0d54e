"""A GP record's results, each printed with its own date, earlier samples' among them.

Found on the tenth held-out set (heldout10, development data since), an English GP record:
dated rows ("22-Oct-2025 | Serum ALT level | 23 IU/L | <41", each test once per date) gave
the first date's results, an earlier sample's, as this one's, shown as sure; the by-test
view (each test's name alone, its dated results under it) read no value at all; a date run
into the name's cell ("27 Feb 2024 Serum ALT level") hid the test. The expectations are what
the printed page says, decided before the code was written: this sample is the collection
date's, else the latest date's; when the dates do not settle it, every reading is marked.
"""

from __future__ import annotations

from liverlens.extract import read_pages
from liverlens.extract.model import Extraction, Page, Token
from tests.extract.test_parse import read

EARLIER = [
    ["17-May-2025", "Serum alanine aminotransferase level", "21 IU/L", "<41"],
    ["17-May-2025", "Serum albumin level", "34 g/L", "35 - 50", "Below low reference limit"],
]
LATEST = [
    ["22-Oct-2025", "Serum alanine aminotransferase level", "23 IU/L", "<41"],
    ["22-Oct-2025", "Serum albumin level", "36 g/L", "35 - 50"],
]


def values(found: Extraction) -> dict[str, float]:
    return {f.analyte: f.value for f in found.fields}


def test_dated_rows_give_the_collection_dates_results_sure() -> None:
    for rows in (EARLIER + LATEST, LATEST + EARLIER):
        found = read([["Date of sample: 22-Oct-2025"], ["Date", "Test", "Result"], *rows])
        assert found.collected_on == "2025-10-22"
        assert values(found) == {"alt": 23, "albumin": 36}
        assert found.needs_checking() == ()


def test_without_a_collection_date_the_latest_dates_results_are_read() -> None:
    found = read([["Date", "Test", "Result"], *LATEST, *EARLIER])
    assert values(found) == {"alt": 23, "albumin": 36}


def test_the_collection_date_is_the_sample_even_when_later_rows_follow() -> None:
    """A record printed after a further sample: the report's own date still decides."""
    found = read([["Sample date: 17-May-2025"], *EARLIER, *LATEST])
    assert values(found) == {"alt": 21, "albumin": 34}


def test_a_test_printed_only_on_an_earlier_date_is_not_this_samples() -> None:
    rows = [*EARLIER, ["22-Oct-2025", "Serum albumin level", "36 g/L", "35 - 50"]]
    found = read([["Sample date: 22-Oct-2025"], *rows])
    assert values(found) == {"albumin": 36}


def test_by_test_results_under_each_name_are_read_for_this_sample() -> None:
    for newest_first in (True, False):
        alt = [["13-Jan-2026", "13 U/L", "<40"], ["02-Sep-2025", "10 U/L", "<40"]]
        alp = [["13-Jan-2026", "151 U/L", "30-130", "H"], ["02-Sep-2025", "98 U/L", "30-130"]]
        if not newest_first:
            alt, alp = alt[::-1], alp[::-1]
        rows = [["Sample date: 13-Jan-2026"], ["Serum ALT level"], *alt]
        rows += [["Alkaline phosphatase level"], *alp]
        found = read(rows)
        got = {f.analyte: (f.value, f.unit, f.upper_limit) for f in found.fields}
        assert got == {"alt": (13, "U/L", 40), "alp": (151, "U/L", 130)}
        assert found.needs_checking() == () and found.unread == ()


def test_a_collection_date_no_row_carries_settles_nothing_and_marks_the_repeats() -> None:
    """The collection date read may be another kind of date than the rows': no row is
    dropped, and a test read at two dates with two values is a check, not a guess."""
    found = read([["Sample date: 01-Dec-2025"], *EARLIER, *LATEST])
    assert sorted(f.value for f in found.fields if f.analyte == "alt") == [21, 23]
    assert all(f.confidence < found.low_confidence for f in found.fields)


def test_dates_the_page_leaves_open_settle_nothing() -> None:
    """ "03/04/25" and "04/03/25" with nothing on the page saying day or month first."""
    rows = [
        ["03/04/25", "ALT", "30 U/L", "<41"],
        ["04/03/25", "ALT", "45 U/L", "<41"],
    ]
    found = read(rows)
    assert sorted(f.value for f in found.fields) == [30, 45]
    assert all(f.confidence < found.low_confidence for f in found.fields)


def _words_page(rows: list[list[str]], column: float = 320.0) -> Page:
    """A text page with one token a word, as a PDF's text layer gives them: the words of a
    cell a space apart, cells ``column`` points apart."""
    tokens = []
    for r, cells in enumerate(rows):
        y = 40.0 + r * 20.0
        for c, text in enumerate(cells):
            x = 30.0 + c * column
            for word in text.split():
                tokens.append(Token(word, (x, y, x + 5.0 * len(word), y + 10.0), 1.0))
                x += 5.0 * len(word) + 2.5
    return Page(1, 1200.0, 1100.0, "text", tuple(tokens))


def test_a_date_run_into_the_names_cell_is_read_apart() -> None:
    rows = [
        ["Sample date: 27 Feb 2024"],
        ["27 Feb 2024 Serum alanine aminotransferase level", "26 iu/L", "< 41"],
        ["10 Aug 2023 Serum alanine aminotransferase level", "17 iu/L", "< 41"],
    ]
    found = read_pages([_words_page(rows)])
    assert values(found) == {"alt": 26}
    assert found.needs_checking() == ()


THIS_BLOCK = [
    ["Liver function test"],
    ["Sample date: 04-May-2024 09:05 · Filed: 08-May-2024 10:14"],
    ["Test", "Value", "Range"],
    ["Serum ALT level", "45 U/L", "0-40"],
]
EARLIER_BLOCK = [
    ["Liver function test"],
    ["Sample date: 13-Apr-2024"],
    ["Test", "Value", "Range"],
    ["Serum ALT level", "58 U/L", "0-40"],
    ["Serum AST level", "40 U/L", "10-50"],
]


def test_request_blocks_give_this_requests_results_only() -> None:
    """This request's AST name lost to OCR (here: a name that is no test): the earlier
    block's AST, read alone, was shown as this sample's, sure. Failed before the fix."""
    found = read([*THIS_BLOCK, ["SerumASTlev3l", "36 U/L", "10-50"], *EARLIER_BLOCK])
    assert found.collected_on == "2024-05-04"
    assert values(found) == {"alt": 45}
    assert found.needs_checking() == ()


def test_request_blocks_printed_oldest_first_drop_nothing() -> None:
    """The first block's date is the header's collection date but not the latest: which
    block is this sample's is left open, and the two ALT readings are each a check."""
    found = read(EARLIER_BLOCK + THIS_BLOCK)
    assert sorted(f.value for f in found.fields if f.analyte == "alt") == [45, 58]
    assert all(f.confidence < found.low_confidence for f in found.fields if f.analyte == "alt")


def test_a_month_ocr_read_with_a_zero_still_dates_its_row() -> None:
    """A photo's "22-0ct-2025": the row was no dated row, so this sample's ALT was lost."""
    rows = [
        ["Sampledate:22-0ct-2025"],
        ["Plasma alanine aminotransferase level"],
        ["22-0ct-2025", "38U/L", "<33", "H"],
        ["01-Sep-2025", "40U/L", "<33", "H"],
    ]
    found = read(rows)
    assert values(found) == {"alt": 38}


def test_a_result_whose_date_ocr_garbled_is_still_its_tests_reading() -> None:
    """No collection date read, results oldest first under the name, and this sample's
    date lost to OCR ("22-0c1-2025"): 01-Sep, the latest date read, is no sure choice; the
    garbled line is read too, so the two readings are checks. Failed before the fix."""
    rows = [
        ["Serum ALT level"],
        ["01-Sep-2025", "40U/L", "<33"],
        ["22-0c1-2025", "38U/L", "<33"],
    ]
    found = read(rows)
    assert all(f.confidence < found.low_confidence for f in found.fields)
