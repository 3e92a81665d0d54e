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


# A photo tilted enough that the ALT row's name is grouped with the table's column heads: every
# name below took the line of the row above its own (heldout8, measured blind: AST read with
# ALT's 44.3, GGT with AST's 54.7, both sure). Values as the reader grouped them.
HEADS_IN_ALT_ROW = [
    ["代号", "项目名称"],
    ["ALT", "谷丙转氨酶", "结果", "单位", "参考值"],
    ["AST", "谷草转氨酶", "44.3H", "U/L", "0.0-40.0"],
    ["GGT", "γ-谷氨酰基转移酶", "54.7", "U/L"],
    ["ALP", "碱性磷酸酶", "34.7", "U/L", "7.0-50.0"],
]


def test_a_test_named_on_the_line_of_the_column_heads_makes_a_photo_a_check() -> None:
    photo = read_pages([page(HEADS_IN_ALT_ROW, kind="ocr", confidence=0.97)])
    assert {f.analyte for f in photo.fields} == {"ast", "ggt", "alp"}
    assert all(f.confidence < 0.85 for f in photo.fields), photo.fields
    # the heads on a line of their own are a table's heading, as printed: nothing changes
    aligned = [["代号", "项目名称", "结果", "单位", "参考值"], *HEADS_IN_ALT_ROW[2:]]
    assert all(f.confidence >= 0.85 for f in read_pages([page(aligned, kind="ocr")]).fields)
    text = read_pages([page(HEADS_IN_ALT_ROW)])  # a text layer's rows are as printed
    assert all(f.confidence >= 0.85 for f in text.fields)


def test_one_column_head_on_a_tests_line_is_no_sign_of_crossed_rows() -> None:
    """The boundary of ``HEADS_IN_A_ROW`` (2): a portal's card prints "Result" beside the
    value, so one head word on a test's line leaves the page as it is."""
    one_head = [*HEADS_IN_ALT_ROW[:1], ["ALT", "谷丙转氨酶", "结果"], *HEADS_IN_ALT_ROW[2:]]
    photo = read_pages([page(one_head, kind="ocr", confidence=0.97)])
    assert {f.analyte for f in photo.fields} == {"ast", "ggt", "alp"}
    assert all(f.confidence >= 0.85 for f in photo.fields), photo.fields
