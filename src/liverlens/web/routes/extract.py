"""Reading a lab report (PDF or photos) into the panel form, for the person to check.

- ``POST /api/v1/extract``: multipart ``files`` in, ``Extraction.to_dict()`` out (the input
  contract, each field with its evidence, the lines that could not be read), each field with
  a ``snippet``: a PNG crop of the photo it was read from as a ``data:`` URL, or null for a
  PDF's text layer, where the field's ``text`` is the snippet. No account; nothing stored.
- ``POST /read-report``: the same from the front page's upload form, answered with the front
  page's form filled in: each value beside the snippet it was read from and how sure the
  reader was, low-confidence fields marked and the first of them focused, the lines not read
  listed above. The person checks, corrects and presses Explain (``POST /report``, as for a
  typed form): nothing read is interpreted before a person has looked at it.

The files stay in memory (``uploads.py``), are read once by ``liverlens.extract`` and are gone
with the request: never written to disk, the database or a log line (the access log names the
route and status only). Reading takes seconds of CPU (OCR), so it runs in a worker thread and
the server keeps answering others.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from liverlens import i18n
from liverlens.errors import InputError, KnowledgeError, MissingExtraError, issue
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.knowledge.schema import Language
from liverlens.web.deps import VisitorDep, verify_csrf
from liverlens.web.forms import form_from_input, lab_fields
from liverlens.web.openapi import UPLOAD, responses
from liverlens.web.settings import Settings
from liverlens.web.uploads import FILES_FIELD, Upload, read_upload
from liverlens.web.views import page, page_language

if TYPE_CHECKING:  # liverlens.extract is imported when a report is read, not with the app
    from liverlens.extract.model import Extraction

API_PATH = "/api/v1/extract"
PAGE_PATH = "/read-report"
UPLOAD_PATHS = (API_PATH, PAGE_PATH)
HEADER_FIELDS = ("sex", "age", "collected_on")  # form fields the report's header can fill


async def upload_csrf(request: Request, visitor: VisitorDep) -> None:
    """``verify_csrf`` for the upload form, except for an upload dropped as too large: its
    token went with the body, and all the answer does is say the files were too large."""
    multipart = request.headers.get("content-type", "").startswith("multipart/form-data")
    if multipart and (await read_upload(request)).too_large:
        return
    await verify_csrf(request, visitor)  # a body of another kind is refused for its token first


api = APIRouter(prefix="/api/v1", tags=["read a report"])
router = APIRouter(dependencies=[Depends(upload_csrf)], include_in_schema=False)

MULTIPART_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FILES_FIELD],
                    "properties": {
                        FILES_FIELD: {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "The report's pages in order: PDF, JPEG, PNG, "
                            "HEIC/HEIF, WebP or TIFF.",
                        }
                    },
                }
            }
        },
    }
}


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """An extraction with the PNG snippet of each of its fields (None for a text layer)."""

    extraction: Extraction
    snippets: tuple[bytes | None, ...]


def _read(files: list[tuple[str, bytes]]) -> Read:
    """Read the files and crop each field's snippet (in a worker thread: seconds of OCR)."""
    from liverlens.extract import read_report, snippet_png

    extraction = read_report(files)
    return Read(extraction, tuple(snippet_png(extraction, f) for f in extraction.fields))


def _data_url(png: bytes | None) -> str | None:
    return None if png is None else "data:image/png;base64," + base64.b64encode(png).decode()


def _over_limit(upload: Upload, settings: Settings) -> tuple[str, dict[str, object]] | None:
    """Why the upload is refused before it is read (413), as a text id and its values."""
    megabytes = settings.max_upload_bytes // 2**20
    if upload.too_large or sum(len(data) for _, data in upload.files) > settings.max_upload_bytes:
        return "ui.upload.too_large", {"megabytes": megabytes}
    if len(upload.files) > settings.max_upload_files:
        return "ui.upload.too_many", {"files": settings.max_upload_files}
    return None


def _api_language(request: Request, lang: str | None) -> Language:
    """``?lang`` first, then Accept-Language, then English: as errors of the other routes."""
    return (
        i18n.known(lang)
        or i18n.from_accept_language(request.headers.get("accept-language"))
        or i18n.DEFAULT
    )


# --- the JSON API -----------------------------------------------------------------------------


@api.post(
    "/extract",
    summary="Read a lab report (PDF or photos) into the input contract (stores nothing)",
    responses=responses(400, 413, 422, 501, overrides=UPLOAD),
    openapi_extra=MULTIPART_BODY,
)
async def extract_endpoint(
    request: Request,
    lang: str | None = Query(None, description="Language of error messages: en or zh."),
) -> dict[str, Any]:
    """One or more files of one report (multipart, each a `files` part, pages in order), at
    most 10 files and 20 MB in all. Returns what was read: the input contract (`labs`,
    `person`, `collected_on`), `fields` (each test with its value, unit, limits, flag, the
    reader's `confidence` 0-1, its `page`, the line's `text`, its `box` and a `snippet`: a
    `data:image/png` crop of a photo or scan, null for a PDF's text layer), `unread` (lines
    that looked like a liver test but could not be read, with the reason's message id) and
    `pages`. Check every value before interpreting it: this is what a machine read.

    A file that is no PDF or picture, or shows no liver test, gets 422 with the reason in
    `?lang` or Accept-Language. The files are read in memory and never stored or logged."""
    request.state.language = lang  # app.py's InputError handler words the 422 in it
    upload = await read_upload(request)
    refused = _over_limit(upload, request.app.state.settings)
    if refused is not None:
        words = load_knowledge().say(refused[0], _api_language(request, lang), **refused[1])
        raise HTTPException(status_code=413, detail=words)
    if not upload.files:
        raise InputError([issue(FILES_FIELD, "ui.upload.no_files")])
    try:
        read = await run_in_threadpool(_read, upload.files)
    except MissingExtraError as exc:
        words = load_knowledge().say("ui.upload.unavailable", _api_language(request, lang))
        raise HTTPException(status_code=501, detail=words) from exc
    body = read.extraction.to_dict()
    for entry, png in zip(body["fields"], read.snippets, strict=True):
        entry["snippet"] = _data_url(png)
    return body


# --- the page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """What the form shows beside a field it filled: where the value came from and how sure."""

    text: str  # the line as read
    snippet: str | None  # its picture as a data: URL; None for a PDF's text layer
    percent: int  # the reader's confidence, rounded down (84.9% is "84%", under the mark)
    check: bool  # under the low-confidence mark, no value read, or no unit read
    unit_unread: bool


@dataclass(frozen=True)
class Reading:
    """The filled form's extras: evidence by analyte, the header fields read, what was not
    read, the summary's counts and the field to focus first."""

    evidence: dict[str, Evidence]
    header: frozenset[str]
    unread: list[tuple[str, str | None]]  # (the line as read, why, in words)
    tests: int
    pages: int
    focus: str | None = None
    checks: int = 0


def _reason(kb: KnowledgeBase, reason: str, lang: Language) -> str | None:
    """An unread line's reason in words, when it is a text that needs no values (a reason
    is a bare message id: one that names values cannot be worded and is left out)."""
    if reason not in kb.texts:
        return None
    try:
        return kb.say(reason, lang)
    except KnowledgeError:
        return None


def reading(kb: KnowledgeBase, read: Read, lang: Language) -> tuple[dict[str, Any], Reading]:
    """The form filled from an extraction, and what to show beside it.

    The form holds exactly ``Extraction.to_input()`` (through ``form_from_input``, as an edit
    form holds a saved panel), so what the person sees is what Explain would send. Each
    analyte's evidence is the field ``to_input`` took its value from (``Extraction.used``)."""
    extraction = read.extraction
    data = extraction.to_input()
    form = {k: v for k, v in form_from_input(kb, data).items() if v not in ("", None)}
    rows = {f.analyte for f in lab_fields(kb)}
    snippet = {id(f): png for f, png in zip(extraction.fields, read.snippets, strict=True)}
    chosen = {a: (f, snippet[id(f)]) for a, f in extraction.used().items() if a in rows}
    # a test the form has no row for: the person types it
    unread: list[tuple[str, str | None]] = [
        (f.text, None) for f in extraction.fields if f.analyte not in rows
    ]
    evidence = {
        analyte: Evidence(
            text=f.text,
            snippet=_data_url(png),
            percent=int(f.confidence * 100),
            check=f.confidence < extraction.low_confidence or f.value is None or f.unit is None,
            unit_unread=f.unit is None,
        )
        for analyte, (f, png) in chosen.items()
    }
    unread += [(u.text, _reason(kb, u.reason, lang)) for u in extraction.unread]
    order = [f.analyte for f in lab_fields(kb) if f.analyte in evidence]
    checked = [a for a in order if evidence[a].check]
    header = frozenset(name for name in HEADER_FIELDS if form.get(name))
    return form, Reading(
        evidence=evidence,
        header=header,
        unread=unread,
        tests=len(data["labs"]),
        pages=len(extraction.pages),
        focus=f"{checked[0]}_value" if checked else None,  # the first in the page's order
        checks=len(checked),
    )


def _form_page(
    request: Request, visitor: Any, status: int, errors: dict[str, str], **ctx: Any
) -> Response:
    base = {"form": {}, "errors": errors, "action": "/report"}
    return page(request, visitor, "form.html", base | ctx, status)


@router.post(PAGE_PATH)
async def read_report_page(request: Request, visitor: VisitorDep) -> Response:
    """The front page's form, filled from the uploaded report, or the front page with the
    reason the files could not be read beside the upload control."""
    kb = load_knowledge()
    lang = page_language(request)
    upload = await read_upload(request)
    refused = _over_limit(upload, request.app.state.settings)
    if refused is not None:
        return _form_page(request, visitor, 413, {"files": kb.say(refused[0], lang, **refused[1])})
    if not upload.files:
        return _form_page(request, visitor, 422, {"files": kb.say("ui.upload.no_files", lang)})
    try:
        read = await run_in_threadpool(_read, upload.files)
    except InputError as exc:
        words = "; ".join(i18n.said(problem, lang) for problem in exc.details)
        return _form_page(request, visitor, 422, {"files": words})
    except MissingExtraError:
        return _form_page(request, visitor, 501, {"files": kb.say("ui.upload.unavailable", lang)})
    form, found = reading(kb, read, lang)
    return _form_page(request, visitor, 200, {}, form=form, reading=found)
