"""The pages: the panel form, the report, the personal history, editing and export.

Each handler parses the form, calls the library once, and renders. Clinical logic lives in
``liverlens.interpret``; storage in ``repository``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from liverlens import i18n
from liverlens.api import interpret
from liverlens.engine import trend
from liverlens.errors import InputError
from liverlens.inputs import resolve
from liverlens.knowledge import load_knowledge
from liverlens.knowledge.units import unit_symbol
from liverlens.report.calendar import retest_event, retest_window
from liverlens.report.changes import Change
from liverlens.report.model import Report
from liverlens.report.render import charts
from liverlens.web import answers, repository
from liverlens.web.deps import DbDep, Visitor, VisitorDep, verify_csrf
from liverlens.web.forms import form_from_input, issues_by_field, to_input, vocabulary_fields
from liverlens.web.models import Panel
from liverlens.web.views import chosen_language, page, page_language, set_cookie

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
CHART_ANALYTES = ("alt", "ast")
PHONE_CHART_WIDTH = 360.0  # drawn for a 390 px screen, so its text stays readable there


async def posted_form(request: Request) -> dict[str, Any]:
    raw = await request.form()
    form: dict[str, Any] = {k: v for k, v in raw.items() if isinstance(v, str)}
    for f in vocabulary_fields():  # ticked boxes: one value per box
        form[f.short] = [v for v in raw.getlist(f.short) if isinstance(v, str)]
    return form


def report_context(
    report: Report,
    data: dict[str, Any],
    *,
    panel: Panel | None = None,
    changes: tuple[Change, ...] = (),
) -> dict[str, Any]:
    """What report.html needs: the report, its retest window, the questions asked in place
    (answered to the saved result's own address, or with the page's payload), and the input
    the page carries (``payload``) unless it shows a saved result."""
    window = retest_window(report, date.today())
    action = "/report/answer" if panel is None else f"/panels/{panel.id}/answer"
    ctx: dict[str, Any] = {"report": report, "retest": window, "panel": panel}
    ctx |= answers.context(report, data, action, changes)
    if panel is None:
        ctx["payload"] = json.dumps(data, ensure_ascii=False)
    return ctx


def signed_in_user(visitor: Visitor) -> Any:
    if visitor.user is None:
        raise HTTPException(status_code=401, detail="error.web.sign_in_first")
    return visitor.user


def _own_panel(visitor: Visitor, db: Any, panel_id: int) -> Panel:
    """The signed-in visitor's saved result, or 404 (also when it is someone else's)."""
    panel = repository.get_panel(db, signed_in_user(visitor).id, panel_id)
    if panel is None:
        raise HTTPException(status_code=404, detail="error.web.no_saved_result")
    return panel


@router.get("/language")
def choose_language(
    request: Request, to: str = "", next_path: str = Query("/", alias="next")
) -> Response:
    """Remember the visitor's choice of page language and go back where they were.

    Only a local path is accepted as ``next`` (no scheme, no host, no ``//``), so the switch
    cannot be used to send someone to another site.
    """
    lang = i18n.known(to)
    if lang is None:
        raise HTTPException(status_code=422, detail="error.web.language")
    local = next_path.startswith("/") and not next_path.startswith("//") and "\\" not in next_path
    response = RedirectResponse(next_path if local else "/", status_code=303)
    set_cookie(request, response, i18n.LANGUAGE_COOKIE, lang, max_age=365 * 86400)
    return response


@router.get("/")
def new_panel(request: Request, visitor: VisitorDep) -> Response:
    return page(request, visitor, "form.html", {"form": {}, "errors": {}, "action": "/report"})


@router.post("/report")
async def report(request: Request, visitor: VisitorDep) -> Response:
    form = await posted_form(request)
    data, errors = to_input(load_knowledge(), form, page_language(request))
    try:
        result = interpret(data)  # also run when some fields failed, to report every problem
    except InputError as exc:
        errors = issues_by_field(exc, page_language(request)) | errors
    if errors:
        ctx = {"form": form, "errors": errors, "action": "/report"}
        return page(request, visitor, "form.html", ctx, 422)
    return page(request, visitor, "report.html", report_context(result, data))


def _pdf(report: Report, name: str) -> Response:
    return Response(
        report.to_pdf(),
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{name}.pdf"'},
    )


def payload_input(raw: str) -> dict[str, Any]:
    """The input contract a report page carries in its hidden ``payload`` field: a JSON
    object, or a 422 (a page we wrote never sends anything else)."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise HTTPException(status_code=422, detail="error.web.saved_form_damaged") from exc
    if not isinstance(data, dict):
        raise HTTPException(status_code=422, detail="error.web.saved_form_damaged")
    return data


def carried_report(request: Request, visitor: Visitor, payload: str) -> Response | None:
    """The report a visitor was reading before signing up or in, rebuilt from the payload its
    page carried, now with the save box; None when the payload is no longer a valid input."""
    try:
        data = payload_input(payload)
        result = interpret(data)
    except (HTTPException, InputError):
        return None
    return page(request, visitor, "report.html", report_context(result, data))


async def _rebuilt(request: Request) -> Report:
    """The report again, from the payload its page carries (a 422 if it no longer reads)."""
    form = await posted_form(request)
    try:
        return interpret(payload_input(form.get("payload", "")))
    except InputError as exc:
        raise HTTPException(status_code=422, detail="error.web.report_not_rebuilt") from exc


def saved_report(
    request: Request, visitor: Visitor, db: Any, panel_id: int
) -> tuple[Report, Panel]:
    """The signed-in visitor's saved result and its report, or 404 (also for anyone else's)."""
    user = signed_in_user(visitor)
    panels, panel = repository.panels_and_one(db, user.id, panel_id)
    if panel is None:
        raise HTTPException(status_code=404, detail="error.web.no_saved_result")
    return _derived_report(request, panels, panel), panel


@router.post("/report.pdf")
async def report_pdf(request: Request) -> Response:
    """The same report as a PDF, from the payload the report page carries."""
    return _pdf(await _rebuilt(request), "liverlens-report")


def _ics(report: Report, name: str) -> Response:
    event = retest_event(report)
    if event is None:
        raise HTTPException(status_code=404, detail="error.web.no_retest")
    return Response(
        event,
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}.ics"'},
    )


@router.post("/report.ics")
async def report_ics(request: Request) -> Response:
    """The retest window as a calendar event, from the payload the report page carries."""
    return _ics(await _rebuilt(request), "liverlens-retest")


@router.get("/panels/{panel_id}/retest.ics")
def panel_ics(request: Request, visitor: VisitorDep, db: DbDep, panel_id: int) -> Response:
    report, panel = saved_report(request, visitor, db, panel_id)
    return _ics(report, f"liverlens-retest-{panel.collected_on}")


@router.get("/panels/{panel_id}.pdf")
def panel_pdf(request: Request, visitor: VisitorDep, db: DbDep, panel_id: int) -> Response:
    report, panel = saved_report(request, visitor, db, panel_id)
    return _pdf(report, f"liverlens-{panel.collected_on}")


@dataclass(frozen=True)
class Choice:
    """One chart the history page can show: its key (``""`` for ALT with AST), its label,
    and the desktop and phone drawings."""

    key: str
    label: str
    analytes: set[str]
    chart: Markup
    phone_chart: Markup


@router.get("/panels")
def history(request: Request, visitor: VisitorDep, db: DbDep, analyte: str = "") -> Response:
    """The saved results: a chart per choice (ALT with AST, then each test that has values),
    all drawn here from one pass over the stored values and switched on the page by radio
    buttons and CSS, so choosing needs no reload (``?analyte=`` picks the first shown); the
    latest result's retest window is drawn ahead of its last point; the table below."""
    user = signed_in_user(visitor)
    kb = load_knowledge()
    panels = repository.list_panels(db, user.id)
    held = {v.analyte for p in panels for v in p.values}  # only the tests that have values
    shown = [a for a in kb.analytes if a in held]
    cases = [resolve(kb, repository.panel_input(p)) for p in panels]
    points = trend.series(kb, cases, [p.collected_on for p in panels], tuple(shown))
    opens = {p.collected_on: f"/panels/{p.id}" for p in panels}  # a point opens its result
    by_analyte: dict[str, list[charts.Point]] = {a: [] for a in shown}
    for pt in points:
        by_analyte[pt["analyte"]].append(
            charts.Point(pt["on"], pt["value"], pt["upper"], opens.get(pt["on"]))
        )
    lang = page_language(request)
    names = {a: kb.analytes[a].short.get(lang) for a in kb.analytes}
    words = charts.chart_words(kb, lang)
    ahead = _retest_ahead(request, panels, kb.say("ui.chart.retest", lang))
    options: list[tuple[str, tuple[str, ...], str]] = [
        ("", CHART_ANALYTES, kb.say("ui.panels.alt_and_ast", lang))
    ]
    options += [(a, (a,), names[a]) for a in shown]
    choices: list[Choice] = []
    for key, analytes, label in options:
        series: dict[str, Sequence[charts.Point]] = {
            a: by_analyte[a] for a in analytes if by_analyte.get(a)
        }
        if not series or any(set(series) == c.analytes for c in choices):
            continue  # nothing to draw, or the same chart as a choice before it
        unit = "/".join(sorted({unit_symbol(kb.family_of(a).canonical) for a in series}))
        chart_id = f"trend-{key or 'alt-ast'}"
        drawn = [
            charts.worded_trend_chart(words, names, series, unit, width, ahead, chart_id)
            for width in (640.0, PHONE_CHART_WIDTH)
        ]
        choices.append(Choice(key, label, set(series), drawn[0], drawn[1]))
    picked = next((c.key for c in choices if c.key == analyte), choices[0].key if choices else "")
    rows = [{"panel": p, "values": {v.analyte: v for v in p.values}} for p in reversed(panels)]
    ctx = {"rows": rows, "choices": choices, "picked": picked, "shown": shown}
    return page(request, visitor, "panels.html", ctx)


def _retest_ahead(request: Request, panels: list[Panel], label: str) -> charts.Ahead | None:
    """The latest saved result's retest window, to draw ahead of its last point; none when
    that window is over (drawn at today it would squeeze the results into a corner, and the
    result's own page says the retest is due)."""
    if not panels:
        return None
    latest = max(panels, key=lambda p: p.collected_on)
    today = date.today()
    window = retest_window(_derived_report(request, panels, latest), today)
    if window is None or window[1] <= today:
        return None
    return charts.Ahead(window[0], window[1], label)


def _derived_report(request: Request, panels: list[Panel], panel: Panel) -> Report:
    """A saved result, derived anew from its stored values in the reader's language (the
    language it was first read in only when the reader has not said one).

    The limits stay the ones it was first read against: a language brings its own default
    preset (Chinese reads against WS/T 404), and reading a result in another language must
    not change its verdict (a Hy's-law red flag gone because the page turned Chinese)."""
    data = repository.input_with_history(panels, panel)
    chosen = chosen_language(request)
    first = data.get("language") or i18n.DEFAULT
    if chosen is None or chosen == first:
        return interpret(data)
    reference = data.get("reference") or load_knowledge().preset_for(first)
    return interpret({**data, "language": chosen, "reference": reference})


@router.post("/panels")
async def save(request: Request, visitor: VisitorDep, db: DbDep) -> Response:
    user = signed_in_user(visitor)
    form = await posted_form(request)
    kb = load_knowledge()
    if form.get("payload"):
        data = payload_input(form["payload"])
        errors: dict[str, str] = {}
        if form.get("collected_on"):
            data["collected_on"] = form["collected_on"]
    else:
        data, errors = to_input(kb, form, page_language(request))
    if not errors:
        try:
            panel = repository.create_panel(db, kb, user.id, data)
        except InputError as exc:
            errors = issues_by_field(exc, page_language(request))
    if errors:
        ctx = {"form": form_from_input(kb, data) | form, "errors": errors, "action": "/panels"}
        return page(request, visitor, "form.html", ctx, 422)
    return RedirectResponse(f"/panels/{panel.id}", status_code=303)


@router.get("/panels/{panel_id}")
def show(request: Request, visitor: VisitorDep, db: DbDep, panel_id: int) -> Response:
    result, panel = saved_report(request, visitor, db, panel_id)
    data = repository.panel_input(panel)
    return page(request, visitor, "report.html", report_context(result, data, panel=panel))


@router.get("/panels/{panel_id}/edit")
def edit_form(request: Request, visitor: VisitorDep, db: DbDep, panel_id: int) -> Response:
    panel = _own_panel(visitor, db, panel_id)
    form = form_from_input(load_knowledge(), repository.panel_input(panel))
    ctx = {"form": form, "errors": {}, "action": f"/panels/{panel_id}/edit", "panel": panel}
    return page(request, visitor, "form.html", ctx)


@router.post("/panels/{panel_id}/edit")
async def edit(request: Request, visitor: VisitorDep, db: DbDep, panel_id: int) -> Response:
    user = signed_in_user(visitor)
    kb = load_knowledge()
    form = await posted_form(request)
    data, errors = to_input(kb, form, page_language(request))
    if not errors:
        try:
            panel = repository.update_panel(db, kb, user.id, panel_id, data)
        except InputError as exc:
            errors = issues_by_field(exc, page_language(request))
        else:
            if panel is None:
                raise HTTPException(status_code=404, detail="error.web.no_saved_result")
    if errors:
        ctx = {"form": form, "errors": errors, "action": f"/panels/{panel_id}/edit"}
        return page(request, visitor, "form.html", ctx, 422)
    return RedirectResponse(f"/panels/{panel_id}", status_code=303)


@router.get("/panels/{panel_id}/delete")
def confirm_remove(request: Request, visitor: VisitorDep, db: DbDep, panel_id: int) -> Response:
    """Ask before deleting: a saved result cannot be brought back."""
    panel = _own_panel(visitor, db, panel_id)
    return page(request, visitor, "confirm_delete.html", {"panel": panel})


@router.post("/panels/{panel_id}/delete")
def remove(
    visitor: VisitorDep, db: DbDep, panel_id: int, confirm: Annotated[str, Form()] = ""
) -> Response:
    """Delete only when the confirmation page's ``confirm=yes`` comes along; anything else
    goes to that page first, so no stray or replayed form deletes a result unasked."""
    panel = _own_panel(visitor, db, panel_id)
    if confirm != "yes":
        return RedirectResponse(f"/panels/{panel.id}/delete", status_code=303)
    user = signed_in_user(visitor)
    if not repository.delete_panel(db, user.id, panel_id):
        raise HTTPException(status_code=404, detail="error.web.no_saved_result")
    return RedirectResponse("/panels", status_code=303)


@router.get("/export.json")
def export_json(visitor: VisitorDep, db: DbDep) -> Response:
    user = signed_in_user(visitor)
    panels = [
        {"id": p.id, **repository.panel_input(p)} for p in repository.list_panels(db, user.id)
    ]
    body = json.dumps({"email": user.email, "panels": panels}, ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="liverlens.json"'},
    )


@router.get("/export.csv")
def export_csv(visitor: VisitorDep, db: DbDep) -> Response:
    user = signed_in_user(visitor)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "panel_id",
            "collected_on",
            "analyte",
            "value_as_entered",
            "unit_as_entered",
            "lab_upper_limit_as_entered",
            "value",
            "unit",
        ]
    )
    for p in repository.list_panels(db, user.id):
        for v in p.values:
            writer.writerow(
                [
                    p.id,
                    p.collected_on.isoformat(),
                    v.analyte,
                    v.raw_value,
                    v.raw_unit,
                    "" if v.raw_upper_limit is None else v.raw_upper_limit,
                    v.value,
                    v.unit,
                ]
            )
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"content-disposition": 'attachment; filename="liverlens.csv"'},
    )
