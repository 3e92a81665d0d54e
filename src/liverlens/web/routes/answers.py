"""The routes that take answers to a report's questions (``web/answers.py``).

Sending the questions form merges the answers into the panel, interprets again, and shows
the new report with what changed at its top ("Alcohol moved from possible to likely. You
drink about 280 g..."). Without JavaScript that is a plain POST and a new page; with htmx
only the report part of the page is swapped. On a saved result the answers are saved with
it; on an unsaved one they travel in the page's payload, so saving later keeps them. A bad
answer shows the same report again with the message beside its field, nothing lost.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from liverlens.api import interpret
from liverlens.errors import InputError
from liverlens.knowledge import load_knowledge
from liverlens.knowledge.schema import Language
from liverlens.report.changes import what_changed
from liverlens.report.model import Report
from liverlens.web import answers, repository
from liverlens.web.deps import DbDep, VisitorDep, verify_csrf
from liverlens.web.forms import form_from_input, issues_by_field
from liverlens.web.routes.pages import (
    payload_input,
    posted_form,
    report_context,
    saved_report,
    signed_in_user,
)
from liverlens.web.views import page, page_language

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _interpreted(
    data: dict[str, Any], errors: dict[str, str], lang: Language
) -> tuple[Report | None, dict[str, str]]:
    try:
        return interpret(data), errors
    except InputError as exc:
        return None, issues_by_field(exc, lang) | errors


def _kept(
    ctx: dict[str, Any], data: dict[str, Any], posted: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    """The questions again with what was answered and each error beside its field."""
    return ctx | {"form": form_from_input(load_knowledge(), data) | posted, "errors": errors}


@router.post("/report/answer")
async def answer(request: Request, visitor: VisitorDep) -> Response:
    """Answers to an unsaved report's questions: the report again, with what changed."""
    posted = await posted_form(request)
    lang = page_language(request)
    data = payload_input(str(posted.get("payload", "")))
    try:
        before = interpret(data)
    except InputError as exc:
        raise HTTPException(status_code=422, detail="error.web.report_not_rebuilt") from exc
    answered, errors = answers.merged(before, data, posted, lang)
    after, errors = _interpreted(answered, errors, lang)
    if after is None or errors:
        ctx = _kept(report_context(before, data), data, posted, errors)
        return page(request, visitor, "report.html", ctx, 422)
    changes = what_changed(load_knowledge(), before, after)
    ctx = report_context(after, answered, changes=changes)
    return page(request, visitor, "report.html", ctx)


@router.post("/panels/{panel_id}/answer")
async def answer_saved(request: Request, visitor: VisitorDep, db: DbDep, panel_id: int) -> Response:
    """Answers to a saved result's questions: saved with it, and its report again."""
    user = signed_in_user(visitor)
    posted = await posted_form(request)
    lang = page_language(request)
    before, panel = saved_report(request, visitor, db, panel_id)
    data = repository.panel_input(panel)
    answered, errors = answers.merged(before, data, posted, lang)
    after, errors = _interpreted(answered, errors, lang)
    if after is None or errors:
        ctx = _kept(report_context(before, data, panel=panel), data, posted, errors)
        return page(request, visitor, "report.html", ctx, 422)
    kb = load_knowledge()
    repository.update_panel(db, kb, user.id, panel_id, answered)
    after, panel = saved_report(request, visitor, db, panel_id)  # with its history, as shown
    changes = what_changed(kb, before, after)
    ctx = report_context(after, repository.panel_input(panel), panel=panel, changes=changes)
    return page(request, visitor, "report.html", ctx)
