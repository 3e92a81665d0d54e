"""PDF pages: the text layer with word positions when there is one, a rendered image when not.

A portal's PDF has a text layer; words are taken with their boxes (pdfplumber), so table rows
are rebuilt from coordinates (rows.py), never from the character stream. A scanned PDF has only
images: such a page is rendered at 200 dpi (pypdfium2) and read by OCR like a photo. A page
with a little text and a big picture (a scan with a typed footer) counts as a scan.
"""

from __future__ import annotations

import io
from typing import Any

from liverlens.errors import InputError, issue
from liverlens.extract.model import Page, Token
from liverlens.extras import require

RENDER_DPI = 200
MIN_TEXT_CHARS = 40  # fewer characters than this on a page: read it as an image
MAX_PAGES = 20


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF")


def _unreadable(name: str) -> InputError:
    return InputError([issue("file", "error.extract.unreadable", name=name, accepted=ACCEPTED)])


ACCEPTED = "PDF, JPEG, PNG, HEIC, WebP, TIFF"


def text_pages(name: str, data: bytes, first_number: int) -> list[Page | int]:
    """Each page as a text ``Page``, or its 0-based index when it must be read as an image."""
    pdfplumber = require("pdfplumber", "reading PDF lab reports", "extract")
    out: list[Page | int] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(
                    [issue("file", "error.extract.too_many_pages", name=name, limit=MAX_PAGES)]
                )
            for index, page in enumerate(pdf.pages):
                words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
                chars = sum(len(w["text"]) for w in words)
                if chars < MIN_TEXT_CHARS:
                    out.append(index)
                    continue
                tokens = tuple(
                    Token(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"]), 1.0) for w in words
                )
                out.append(
                    Page(
                        first_number + index, float(page.width), float(page.height), "text", tokens
                    )
                )
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise _unreadable(name) from exc
    return out


def render_page(name: str, data: bytes, index: int) -> Any:
    """Page ``index`` as an RGB PIL image at ``RENDER_DPI``."""
    pdfium = require("pypdfium2", "reading scanned PDF lab reports", "extract")
    try:
        doc = pdfium.PdfDocument(data)
        try:
            bitmap = doc[index].render(scale=RENDER_DPI / 72)
            return bitmap.to_pil().convert("RGB")
        finally:
            doc.close()
    except Exception as exc:
        raise _unreadable(name) from exc
