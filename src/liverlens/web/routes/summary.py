"""The summary for the doctor: the clinician view of a report on the web (which prints as the
one-page summary) and the same summary as a one-page PDF, for a saved result and for the
report just read.

- ``GET /panels/{id}/summary`` and ``GET /panels/{id}/summary.pdf``: a saved result, for its
  owner only (404 for anyone else, as the report page), in the reader's language.
- ``POST /report/summary`` and ``POST /report/summary.pdf``: the report on the page, rebuilt
  from the ``payload`` the page carries (with its CSRF token, as ``/report.pdf``).

Each handler rebuilds the report as the report page does, builds its clinician summary once
(``liverlens.report.clinician``) and renders it; what the summary says is decided there.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from liverlens.api import interpret
from liverlens.errors import InputError
from liverlens.inputs import resolve
from liverlens.knowledge import load_knowledge
from liverlens.report.clinician import ClinicianSummary, summarize
from liverlens.report.model import Report
from liverlens.report.render import summary as layout
from liverlens.web import repository
from liverlens.web.deps import DbDep, Visitor, VisitorDep, verify_csrf
from liverlens.web.models import Panel
from liverlens.web.routes.pages import payload_input, posted_form, saved_report
from liverlens.web.views import page

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _summary(report: Report, data: dict[str, Any]) -> ClinicianSummary:
    """The clinician summary of a report, with the details the patient entered (``data``,
    the input the report came from, checked again to read them as the engine did)."""
    kb = load_knowledge()
    case = resolve(kb, {**data, "language": report.language})
    return summarize(report, case, knowledge=kb)


def _saved(
    request: Request, visitor: Visitor, db: Any, panel_id: int
) -> tuple[ClinicianSummary, Panel]:
    report, panel = saved_report(request, visitor, db, panel_id)
    return _summary(report, repository.panel_input(panel)), panel


async def _posted(request: Request) -> tuple[ClinicianSummary, dict[str, Any]]:
    """The summary of the report a page carries in its ``payload`` (a 422 if it no longer
    reads), and that input, for the page's own PDF button."""
    form = await posted_form(request)
    data = payload_input(form.get("payload", ""))
    try:
        report = interpret(data)
    except InputError as exc:
        raise HTTPException(status_code=422, detail="error.web.report_not_rebuilt") from exc
    return _summary(report, data), data


def _view(
    request: Request,
    visitor: Visitor,
    summary: ClinicianSummary,
    panel: Panel | None = None,
    data: dict[str, Any] | None = None,
) -> Response:
    ctx: dict[str, Any] = {"summary": summary, "summary_html": layout.html(summary)}
    ctx["panel"] = panel
    if data is not None:
        ctx["payload"] = json.dumps(data, ensure_ascii=False)
    return page(request, visitor, "summary.html", ctx)


def _pdf(summary: ClinicianSummary, name: str) -> Response:
    return Response(
        layout.pdf(summary),
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{name}.pdf"'},
    )


@router.get("/panels/{panel_id}/summary")
def panel_summary(request: Request, visitor: VisitorDep, db: DbDep, panel_id: int) -> Response:
    """The clinician view of a saved result (its print view is the one-page summary)."""
    summary, panel = _saved(request, visitor, db, panel_id)
    return _view(request, visitor, summary, panel=panel)


@router.get("/panels/{panel_id}/summary.pdf")
def panel_summary_pdf(request: Request, visitor: VisitorDep, db: DbDep, panel_id: int) -> Response:
    summary, panel = _saved(request, visitor, db, panel_id)
    return _pdf(summary, f"liverlens-summary-{panel.collected_on}")


@router.post("/report/summary")
async def report_summary(request: Request, visitor: VisitorDep) -> Response:
    """The clinician view of the report on the page, which is not saved."""
    summary, data = await _posted(request)
    return _view(request, visitor, summary, data=data)


@router.post("/report/summary.pdf")
async def report_summary_pdf(request: Request) -> Response:
    summary, _ = await _posted(request)
    return _pdf(summary, "liverlens-summary")
