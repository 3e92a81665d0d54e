"""Rendering helpers shared by the page routes: templates with the visitor and CSRF token,
the anonymous CSRF cookie, and the session cookie."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from liverlens import i18n
from liverlens.inputs.fields import fieldsets
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.knowledge.schema import Language
from liverlens.knowledge.units import unit_symbol
from liverlens.web import security
from liverlens.web.deps import ANON_COOKIE, SESSION_COOKIE, Visitor
from liverlens.web.forms import error_summary, lab_fields, lab_label
from liverlens.web.uploads import ACCEPT


def page_language(request: Request) -> Language:
    """The language of the page's own words (the report keeps the language it was asked in)."""
    return chosen_language(request) or i18n.DEFAULT


def chosen_language(request: Request) -> Language | None:
    """The language the reader asked for (page ``lang``, the switch's cookie, the browser),
    or None when nothing says."""
    return i18n.chosen_for_page(
        request.query_params.get("lang"),
        request.cookies.get(i18n.LANGUAGE_COOKIE),
        request.headers.get("accept-language"),
    )


def translator(kb: KnowledgeBase, lang: Language) -> Callable[..., str]:
    """``t("ui.nav.results")`` for templates: a text from the knowledge files in ``lang``."""

    def t(text_id: str, **values: object) -> str:
        return kb.say(text_id, lang, **values)

    return t


def page(
    request: Request,
    visitor: Visitor,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    settings = request.app.state.settings
    anon = visitor.anon_id
    new_anon = None
    if visitor.session is None and not anon:
        anon = new_anon = security.new_token()
    csrf = (
        visitor.session.csrf_token
        if visitor.session is not None
        else security.anonymous_csrf(settings.secret_key, anon or "")
    )
    kb = load_knowledge()
    lang = page_language(request)
    ctx = {
        "lang": lang,
        "t": translator(kb, lang),
        "visitor": visitor,
        "csrf": csrf,
        "kb": kb,
        "unit_symbol": unit_symbol,
        "lab_label": lab_label,
        "error_summary": error_summary,
        "lab_fields": lab_fields(kb),
        "fieldsets": fieldsets(),
        # the front page's upload control (routes/extract.py) and the limits it states
        "upload_accept": ACCEPT,
        "upload_files": settings.max_upload_files,
        "upload_megabytes": settings.max_upload_bytes // 2**20,
        **context,
    }
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, ctx, status_code=status_code
    )
    if new_anon:
        set_cookie(request, response, ANON_COOKIE, new_anon, max_age=None)
    return response


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
        path="/",
    )


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    days = request.app.state.settings.session_days
    set_cookie(request, response, SESSION_COOKIE, token, max_age=days * 86400)
