"""A multipart upload (a lab report to read) held in memory only.

Starlette's ``request.form()`` spools every file over 1 MB to a temporary file on disk, and
a lab report is health data that must never be written anywhere (issue: "the uploaded bytes
are never written to disk, the database or logs"). So upload bodies are parsed here, from the
body ``middleware.BodyLimit`` already holds in memory and bounded, into plain ``bytes``.

``read_upload`` parses a request once and keeps the result on ``request.state``, so the CSRF
check (``deps.verify_csrf``) and the route share one parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import HTTPException, Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from liverlens.web.middleware import TOO_LARGE

FILES_FIELD = "files"
ACCEPT = ".pdf,.jpg,.jpeg,.png,.heic,.heif,.webp,.tif,.tiff"  # what liverlens.extract reads
MAX_PARTS = 64  # the page's form sends its token, a language and the files
MAX_FIELD_BYTES = 64 * 1024  # a text field (the CSRF token); files have the body's limit
BAD_BODY = "ui.upload.bad_body"


@dataclass
class Upload:
    """What a multipart body carried: its text fields, and its files (``files`` parts with a
    file name, in order, as ``(name, bytes)``). ``too_large`` when ``BodyLimit`` dropped the
    body for being over the upload limit (then there is nothing else)."""

    fields: dict[str, str] = field(default_factory=dict)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    too_large: bool = False


@dataclass
class _Part:
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    name: str = ""
    filename: str | None = None
    data: bytearray = field(default_factory=bytearray)


class _Reader:
    """python-multipart's streaming parser, told to keep every part in memory."""

    def __init__(self) -> None:
        self.upload = Upload()
        self.part = _Part()
        self.parts = 0
        self.header_name = bytearray()
        self.header_value = bytearray()

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise HTTPException(status_code=400, detail=BAD_BODY)
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.part.headers.append((bytes(self.header_name).lower(), bytes(self.header_value)))
        self.header_name, self.header_value = bytearray(), bytearray()

    def on_headers_finished(self) -> None:
        disposition = dict(self.part.headers).get(b"content-disposition", b"")
        _, options = parse_options_header(disposition)
        if b"name" not in options:
            raise HTTPException(status_code=400, detail=BAD_BODY)
        self.part.name = options[b"name"].decode("utf-8", errors="replace")
        if b"filename" in options:
            self.part.filename = options[b"filename"].decode("utf-8", errors="replace")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.part.data += data[start:end]
        if self.part.filename is None and len(self.part.data) > MAX_FIELD_BYTES:
            raise HTTPException(status_code=400, detail=BAD_BODY)

    def on_part_end(self) -> None:
        part = self.part
        if part.filename is None:
            self.upload.fields.setdefault(part.name, part.data.decode("utf-8", errors="replace"))
        elif part.name == FILES_FIELD and (part.filename or part.data):
            # a file input left empty still sends one part, with no name and no bytes
            self.upload.files.append((part.filename or "upload", bytes(part.data)))


def _parse(content_type: str, body: bytes) -> Upload:
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise HTTPException(status_code=400, detail=BAD_BODY)
    reader = _Reader()
    try:
        parser = MultipartParser(
            boundary,
            {
                "on_part_begin": reader.on_part_begin,
                "on_part_data": reader.on_part_data,
                "on_part_end": reader.on_part_end,
                "on_header_field": reader.on_header_field,
                "on_header_value": reader.on_header_value,
                "on_header_end": reader.on_header_end,
                "on_headers_finished": reader.on_headers_finished,
            },
        )
        parser.write(body)
        parser.finalize()
    except FormParserError as exc:  # its message may quote the body: never shown or logged
        raise HTTPException(status_code=400, detail=BAD_BODY) from exc
    return reader.upload


async def read_upload(request: Request) -> Upload:
    """The request's multipart body, parsed in memory (once per request); 400 when it is no
    multipart/form-data body."""
    cached = getattr(request.state, "upload", None)
    if isinstance(cached, Upload):
        return cached
    if request.scope.get(TOO_LARGE):
        upload = Upload(too_large=True)
    else:
        upload = _parse(request.headers.get("content-type", ""), await request.body())
    request.state.upload = upload
    return upload
