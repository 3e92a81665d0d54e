"""Which language to speak: for web pages, for the CLI, for messages.

Every word LiverLens shows lives in the knowledge files with its Simplified Chinese translation
(``texts.yaml`` for reports, ``ui.yaml`` for page chrome, ``messages.yaml`` for errors and CLI
messages). This module only decides which of the two a person gets, the way people expect:

- web pages: an explicit choice (the switch in the header, kept in a cookie) first, then the
  browser's ``Accept-Language``, then English;
- the CLI: ``--lang`` where a command has it, else ``LIVERLENS_LANG``, else the locale
  (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext reads them), else English.

It also words errors: an ``InputError`` carries message ids and values, and ``describe`` turns
them into lines in the reader's language.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from liverlens.errors import InputError, Issue
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.knowledge.schema import BASE_LANGUAGE, Language

LANGUAGE_COOKIE = "ll_lang"
DEFAULT: Language = BASE_LANGUAGE


def known(value: object, kb: KnowledgeBase | None = None) -> Language | None:
    """The language id (``languages.yaml``) a tag names (``zh-CN``, ``zh_Hans``, ``EN-us``),
    else None (also for a value that is not text at all, as a JSON input's ``language``
    may be)."""
    if not isinstance(value, str) or not value:
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in (kb or load_knowledge()).languages else None


def language(kb: KnowledgeBase, lang: str) -> Language:
    """``lang`` when the knowledge base speaks it, else the default."""
    return known(lang, kb) or DEFAULT


def from_accept_language(header: str | None) -> Language | None:
    """The best language both sides speak, from an ``Accept-Language`` header (RFC 9110)."""
    if not header:
        return None
    ranked: list[tuple[float, int, Language]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        lang = known(tag)
        if lang is not None and quality > 0:
            ranked.append((-quality, position, lang))
    return min(ranked)[2] if ranked else None


def chosen_for_page(
    query: str | None, cookie: str | None, accept_language: str | None
) -> Language | None:
    """The language the reader asked for (the page's ``lang``, the language switch's cookie,
    the browser's languages), or None when nothing says: a saved report then keeps the
    language it was first read in."""
    return known(query) or known(cookie) or from_accept_language(accept_language)


def for_cli(environ: Mapping[str, str] | None = None) -> Language:
    """The language of CLI messages when the command was not given ``--lang``."""
    env = os.environ if environ is None else environ
    for name in ("LIVERLENS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            # C and POSIX locales mean "no preference", as gettext treats them
            return known(value) or DEFAULT
    return DEFAULT


def said(problem: Issue, lang: str) -> str:
    """What is wrong, without the field (a form shows it beside the field instead)."""
    kb = load_knowledge()
    return kb.say(problem.message, language(kb, lang), **dict(problem.values))


def line(problem: Issue, lang: str) -> str:
    """The problem as one line: ``labs.alt.unit: 'kat' is not a unit LiverLens knows ...``."""
    words = said(problem, lang)
    return f"{problem.field}: {words}" if problem.field else words


def describe(error: InputError, lang: str = DEFAULT) -> list[str]:
    """Every problem of an ``InputError`` as a line in ``lang`` (English when unknown)."""
    return [line(d, lang) for d in error.details]
