"""The passes check asks the reader's own per-page question (``page_reading``).

``ocr_settle`` decides whether a page read in passes reads as it would whole by reading the
page itself; it once kept its own copy of ``read_pages``'s per-page loop, without the
cumulative-table headings, so on a cumulative report it judged a reading the reader never
gives (a check holding the earliest result instead of this sample's).
"""

from __future__ import annotations

from liverlens.extract import ocr_settle as settle
from liverlens.extract import read_pages
from liverlens.knowledge import load_knowledge
from liverlens.knowledge.report_words import load_report_words
from tests.extract.test_parse import CUMULATIVE_LAST, page


def test_the_passes_check_reads_a_cumulative_page_as_the_reader_does() -> None:
    photo = page(CUMULATIVE_LAST, kind="ocr", confidence=0.97)
    whole = read_pages([photo])
    fields, unread, header = settle._outcome(
        load_knowledge(), load_report_words(), list(photo.tokens), (), None, {}
    )
    assert {f.analyte: f.value for f in fields} == {"alt": 812, "ast": 572}
    assert [(f.analyte, f.value, f.confidence) for f in fields] == [
        (f.analyte, f.value, f.confidence) for f in whole.fields
    ]
    assert list(unread) == list(whole.unread)
    assert header.collected_on == whole.collected_on == "2025-08-14"
