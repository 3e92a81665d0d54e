"""Read a lab report on this machine: PDF, photo or scan, English or Chinese, with a review step.

``read_report([(name, bytes), ...])`` gives an ``Extraction``: every liver test found with its
value, unit and the lab's limits, where on which page it was printed and how sure the reader
is; lines that looked like liver tests but could not be read, with the reason; and sex, age
and the collection date when their labels are printed. ``Extraction.to_input()`` is the input
contract, to be checked by the person before ``liverlens.interpret`` sees it.

Nothing is guessed: a value, unit or date the page does not settle is left unread. Nothing is
kept: files are read from memory and never written anywhere, and no text read is logged.
The text layer of a PDF needs ``pdfplumber``; photos and scans need the OCR parts of the
``extract`` extra (RapidOCR with its models inside the wheel, OpenCV, Pillow).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import Any

from liverlens.errors import InputError, issue
from liverlens.extract.card_grid import card_groups
from liverlens.extract.columns import page_order
from liverlens.extract.continued import join_pages
from liverlens.extract.dated_rows import this_sample
from liverlens.extract.header import header_texts, read_header
from liverlens.extract.model import Extraction, Page, ReadField, Token, Unread
from liverlens.extract.page_reading import line_reader, read_page_lines
from liverlens.extract.pdf import ACCEPTED, is_pdf, render_page, text_pages
from liverlens.extract.report_checks import drop_headings, settle_duplicates, settle_units
from liverlens.extract.rows import lines_of
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.knowledge.report_words import load_report_words

__all__ = [
    "Extraction",
    "Page",
    "ReadField",
    "Token",
    "Unread",
    "read_pages",
    "read_report",
    "snippet_png",
]

# pdfminer logs every token of a page at DEBUG, RapidOCR what it read: a report's text is
# health data and never goes to a log, whatever level the application sets
QUIET_LOGGERS = ("pdfminer", "pdfplumber", "pypdfium2", "PIL", "RapidOCR", "OrtInferSession")
for _noisy in QUIET_LOGGERS:
    logging.getLogger(_noisy).setLevel(logging.WARNING)

MAX_FILES = 10
MAX_BYTES = 20 * 1024 * 1024  # all files together


Rest = Callable[[], Page] | None  # reads the crops a page read in passes left unread


def _ocr(image: Any, number: int, engine: str, passes: bool) -> tuple[Page, Rest]:
    from liverlens.extract.image import straighten
    from liverlens.extract.ocr import ocr_page, ocr_page_in_passes

    if passes and engine == "rapidocr":
        return ocr_page_in_passes(straighten(image), number)
    page: Page = ocr_page(straighten(image), number, engine=engine)
    return page, None


def _pages(
    files: Sequence[tuple[str, bytes]], engine: str, passes: bool = False
) -> list[tuple[Page, Rest]]:
    if len(files) > MAX_FILES:
        raise InputError([issue("file", "error.extract.too_many_files", limit=MAX_FILES)])
    if sum(len(data) for _, data in files) > MAX_BYTES:
        raise InputError([issue("file", "error.extract.too_large", limit="20 MB")])
    pages: list[tuple[Page, Rest]] = []
    for name, data in files:
        if not data:
            raise InputError(
                [issue("file", "error.extract.unreadable", name=name, accepted=ACCEPTED)]
            )
        if is_pdf(data):
            for item in text_pages(name, data, len(pages) + 1):
                if isinstance(item, Page):
                    pages.append((item, None))
                else:
                    image = render_page(name, data, item)
                    pages.append(_ocr(image, len(pages) + 1, engine, passes))
        else:
            from liverlens.extract.image import load_images

            for image in load_images(name, data):
                pages.append(_ocr(image, len(pages) + 1, engine, passes))
    return pages


def read_pages(pages: Sequence[Page], kb: KnowledgeBase | None = None) -> Extraction:
    """Read the tests and the header from pages already turned into tokens.

    The parser's whole job, without PDF or OCR: tests call it with the tokens of a page."""
    kb = kb or load_knowledge()
    words = load_report_words()
    fields: list[ReadField] = []
    unread: list[Unread] = []
    grid = partial(card_groups, kb)
    grouped = [lines_of(page, grid) for page in pages]
    every = join_pages(kb, grouped)
    texts = [line.text for lines in every for line in lines]
    header = read_header(header_texts([line for lines in every for line in lines], words), words)
    collected = date.fromisoformat(header.collected_on) if header.collected_on else None
    order = page_order(texts)
    if (kept := this_sample(kb, words, grouped, collected, order)) is not grouped:
        every = join_pages(kb, kept)  # earlier samples' dated rows left out
    for page, lines in zip(pages, every, strict=True):
        ocr = page.kind == "ocr"
        read = line_reader(kb, words, header.sex, header.age, ocr)
        on_page, page_unread = read_page_lines(
            kb, words, lines, ocr=ocr, collected=collected, order=order, read=read
        )
        fields += on_page
        unread += page_unread
    settled = settle_duplicates(settle_units(kb, fields, texts))
    return Extraction(
        fields=tuple(settled),
        unread=tuple(drop_headings(unread, settled)),
        sex=header.sex,
        age=header.age,
        collected_on=header.collected_on,
        pages=tuple(pages),
    )


def read_report(
    files: Sequence[tuple[str, bytes]], *, engine: str = "rapidocr", passes: bool | None = None
) -> Extraction:
    """Read one report given as one or more files (``(name, bytes)``), pages in order.

    ``passes`` has RapidOCR recognise only the crops that can matter (``ocr_passes``; the
    default is ``ocr_passes.BY_DEFAULT``), for the same reading: the crops left are read too
    when a value read without its unit may need every unit on the report. Raises
    ``InputError`` (field ``file``) for a file that is no readable PDF or image, for too
    many or too large files, and when no liver test is found on any page."""
    from liverlens.extract import ocr_passes

    read = _pages(files, engine, ocr_passes.BY_DEFAULT if passes is None else passes)
    extraction = read_pages([page for page, _ in read])
    if any(rest for _, rest in read) and ocr_passes.needs_everything(extraction):
        extraction = read_pages([rest() if rest else page for page, rest in read])
    if not extraction.fields and not extraction.unread:
        names = ", ".join(name for name, _ in files)
        raise InputError([issue("file", "error.extract.no_tests_found", name=names)])
    return extraction


def snippet_png(extraction: Extraction, field: ReadField, margin: float = 12.0) -> bytes | None:
    """A PNG of the page around a field, for photos and scans; ``None`` for a text layer,
    where the field's own ``text`` is the snippet."""
    page = next((p for p in extraction.pages if p.number == field.page), None)
    if page is None or page.image is None:
        return None
    from PIL import Image

    h, w = page.image.shape[:2]
    x0, y0, x1, y1 = field.box
    box = (
        max(int(x0 - margin), 0),
        max(int(y0 - margin), 0),
        min(int(x1 + margin), w),
        min(int(y1 + margin), h),
    )
    crop = Image.fromarray(page.image).crop(box)
    out = io.BytesIO()
    crop.save(out, "PNG", optimize=True)
    return out.getvalue()
