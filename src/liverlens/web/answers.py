"""Asking a report's own questions in place (issue 14, item 2): which fields answer them,
and how answers join the panel.

The questions section of a report page is a small form: each question beside the field that
answers it (``Question.fields``, worked out by the engine from the columns its evidence
reads). Only the fields the report asked about are taken from a sent form, so nothing else
it might carry (a lab value, a limit) can change the panel this way. The routes are in
``routes/answers.py``.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from liverlens.inputs import InputField, input_fields
from liverlens.knowledge import load_knowledge
from liverlens.knowledge.schema import Language
from liverlens.report.changes import Change
from liverlens.report.model import Report
from liverlens.report.render import html
from liverlens.report.sections import asked
from liverlens.web.forms import form_from_input, to_input

Group = tuple[list[str], list[InputField]]


def questions(report: Report) -> list[Group]:
    """The report's questions grouped by the fields that answer them, in the report's
    order: questions answered by the same field (two conditions, one list of conditions)
    share a group, and a field is offered once. A group with no field is answered only by a
    test or an earlier result."""
    by_name = {f.name: f for f in input_fields()}
    groups: dict[tuple[str, ...], list[str]] = {}
    for question in asked(report.reasoning):
        groups.setdefault(question.fields, []).append(question.text)
    offered: set[str] = set()
    out: list[Group] = []
    for names, texts in groups.items():
        fields = [by_name[n] for n in names if n in by_name and n not in offered]
        offered |= {f.name for f in fields}
        if fields or not names or not out:
            out.append((texts, fields))
        else:  # every field is offered above already: ask it there
            out[-1][0].extend(texts)
    return out


def context(
    report: Report,
    data: dict[str, Any],
    action: str,
    changes: tuple[Change, ...] = (),
) -> dict[str, Any]:
    """What report.html needs to ask the questions in place (the form filled from the
    panel, so an answer given stays shown) and to show what changed."""
    kb = load_knowledge()

    def render_report(answers: str) -> Markup:
        bodies = {"questions": Markup(answers)} if answers.strip() else None  # noqa: S704 - Jinja autoescaped it
        return html.render(report, bodies=bodies)

    ctx: dict[str, Any] = {
        "questions": questions(report),
        "answer_action": action,
        "form": form_from_input(kb, data),
        "errors": {},
        "render_report": render_report,
    }
    if changes:
        heading = kb.say("ui.answer.changed", report.language)
        ctx["changes_html"] = html.changes_html(report, changes, heading)
    return ctx


def merged(
    before: Report, data: dict[str, Any], posted: dict[str, Any], lang: Language
) -> tuple[dict[str, Any], dict[str, str]]:
    """The panel with the answers to the questions ``before`` asked, and any errors by
    field. An empty or "unsure" answer leaves what the panel had; the panel's history,
    which no form shows, is carried over as it was."""
    kb = load_knowledge()
    form = form_from_input(kb, data)
    for _, fields in questions(before):
        for f in fields:
            for key in (f.short, f"no_{f.short}"):
                if posted.get(key):
                    form[key] = posted[key]
    answered, errors = to_input(kb, form, lang)
    if "history" in data:
        answered["history"] = data["history"]
    return answered, errors
