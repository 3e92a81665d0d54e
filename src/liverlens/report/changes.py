"""What changed between two reports of one panel: after the person answered the report's
own questions, which causes moved and why, and whether the advice on when to see a doctor
moved with them.

Pure: it compares two ``Report`` s the engine built, says each change with a knowledge text
in the newer report's language, and adds the new reason that moved it (the first reason for
or against that the earlier report did not give), with that reason's sources. Only causes
shown in either report (possible or likely) are named: a cause going from "less likely" to
"less likely" is no news, and one dropping out of view is said as moving to less likely.
"""

from __future__ import annotations

from dataclasses import dataclass

from liverlens.engine.reasoning import CauseFinding
from liverlens.engine.statements import Statement
from liverlens.knowledge import KnowledgeBase
from liverlens.report.model import Report
from liverlens.vocabulary import Likelihood


@dataclass(frozen=True)
class Change:
    """One change said, and the new reason behind it when the newer report gives one."""

    said: Statement
    because: Statement | None = None


def _new_reason(before: CauseFinding | None, after: CauseFinding, up: bool) -> Statement | None:
    """The first reason the newer report gives (for when it moved up, against when down)
    that the earlier one did not."""
    said = set() if before is None else {r.ref for r in before.reasons_for + before.reasons_against}
    reasons = after.reasons_for if up else after.reasons_against
    return next((r for r in reasons if r.ref not in said), None)


def what_changed(kb: KnowledgeBase, before: Report, after: Report) -> tuple[Change, ...]:
    """The changes from ``before`` to ``after``, most likely causes first; one statement
    saying nothing moved when nothing did."""
    lang = after.language
    earlier = {c.id: c for c in before.causes}
    said: list[Change] = []
    if after.urgency != before.urgency:
        text = kb.say(
            "change.urgency",
            lang,
            before=kb.say(f"urgency_level.{before.urgency}", lang),
            after=kb.say(f"urgency_level.{after.urgency}", lang),
        )
        said.append(Change(Statement(text, (), "text:change.urgency")))
    for cause in after.causes:
        old = earlier.get(cause.id)
        was = old.likelihood if old is not None else Likelihood.LESS_LIKELY
        if was == cause.likelihood or max(was, cause.likelihood) < Likelihood.POSSIBLE:
            continue
        text = kb.say(
            "change.cause_moved",
            lang,
            cause=kb.causes[cause.id].name.get(lang),
            before=kb.say(f"likelihood.{was}", lang),
            after=kb.say(f"likelihood.{cause.likelihood}", lang),
        )
        reason = _new_reason(old, cause, up=cause.likelihood > was)
        said.append(Change(Statement(text, (), "text:change.cause_moved"), reason))
    if not said:
        said.append(Change(Statement(kb.say("change.none", lang), (), "text:change.none")))
    return tuple(said)
