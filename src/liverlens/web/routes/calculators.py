"""The calculator pages: ``/calculators`` lists them, ``/calculators/{id}`` is one score.

A page works without JavaScript: its form posts back to itself (with the CSRF token, as every
form here does), and the same inputs in the query string (``?age=50&ast_value=40...``) give
the same page, so a worked example can be linked. Handlers parse, call ``web.calculators``
(which calls the engine) and render; no score is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.knowledge.schema import Language
from liverlens.web.calculator_rucam import RUCAM, calculate_rucam, rucam_calculator
from liverlens.web.calculators import Calculator, Outcome, calculate_score, score_calculator
from liverlens.web.deps import VisitorDep, verify_csrf
from liverlens.web.views import page, page_language

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)


def _calculator(kb: KnowledgeBase, calc_id: str, lang: Language) -> Calculator:
    if calc_id == RUCAM:
        return rucam_calculator(kb, lang)
    score = kb.scores.get(calc_id)
    if score is None:
        raise HTTPException(status_code=404, detail="error.web.no_calculator")
    return score_calculator(kb, score, lang)


def _calculate(kb: KnowledgeBase, calc_id: str, form: Mapping[str, Any], lang: Language) -> Outcome:
    if calc_id == RUCAM:
        return calculate_rucam(kb, form, lang)
    return calculate_score(kb, kb.scores[calc_id], form, lang)


def _show(
    request: Request, visitor: VisitorDep, calc_id: str, form: Mapping[str, Any] | None
) -> Response:
    """The page; with ``form`` (a submission), its result or its problems (422)."""
    kb = load_knowledge()
    lang = page_language(request)
    calc = _calculator(kb, calc_id, lang)
    outcome = Outcome({}) if form is None else _calculate(kb, calc_id, form, lang)
    ctx = {"calc": calc, "form": outcome.form, "errors": outcome.errors, "result": outcome.result}
    return page(request, visitor, "calculator.html", ctx, 422 if outcome.errors else 200)


@router.get("/calculators")
def calculators(request: Request, visitor: VisitorDep) -> Response:
    """Every calculator with one line on what it is for."""
    kb = load_knowledge()
    lang = page_language(request)
    listed = [(s.id, s.name.get(lang), s.about.get(lang)) for s in kb.scores.values()]
    listed.append((RUCAM, kb.rucam.name.get(lang), kb.rucam.about.get(lang)))
    return page(request, visitor, "calculators.html", {"calculators": listed})


@router.get("/calculators/{calc_id}")
def calculator(request: Request, visitor: VisitorDep, calc_id: str) -> Response:
    """The empty form, or, when the query string carries any of its fields, the result."""
    kb = load_knowledge()
    calc = _calculator(kb, calc_id, page_language(request))
    query = dict(request.query_params)
    submitted = any(k in query for f in calc.fields for k in f.keys)
    return _show(request, visitor, calc_id, query if submitted else None)


@router.post("/calculators/{calc_id}")
async def calculate(request: Request, visitor: VisitorDep, calc_id: str) -> Response:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    return _show(request, visitor, calc_id, form)
