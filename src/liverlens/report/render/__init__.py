"""Every output format of a report, in one registry: ``render(report, fmt)``.

``FORMATS`` are the text formats (``text``, ``markdown``, ``html``, ``json``); ``pdf`` is bytes
and needs the ``pdf`` extra, so it has its own ``render_pdf``. Renderers only decide how a
report looks: what it says is fixed in ``report.sections`` before any of them runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from liverlens.errors import InputError, issue
from liverlens.report.render import contract, html, markdown, text

if TYPE_CHECKING:
    from liverlens.report.model import Report

RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "markdown": markdown.render,
    "html": lambda report: str(html.render(report)) + "\n",
    "json": contract.render,
}
FORMATS = tuple(RENDERERS)


def render(report: Report, fmt: str) -> str:
    """The report in ``fmt``; an unknown format is an ``InputError`` listing the known ones."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise InputError(
            issue("format", "error.input.one_of", expected=", ".join(FORMATS), given=repr(fmt))
        ) from None
    return renderer(report)


def render_pdf(report: Report) -> bytes:
    """A printable A4 PDF (needs the ``pdf`` extra, and a CJK font for Chinese)."""
    from liverlens.report.render import pdf

    return pdf.render(report)


__all__ = ["FORMATS", "render", "render_pdf"]
