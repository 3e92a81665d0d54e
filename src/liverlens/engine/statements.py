"""Statements and the facts they rest on: what lets a report be checked sentence by sentence.

Every sentence the report says is a ``Statement``: its text, the sources behind it, and
``ref``, the knowledge text it came from (``kb.conditions``). The facts are the engine's
predicates for this panel. A text's ``when`` must hold in the facts for it to be said, and a
text may not stand beside one it ``excludes``; ``holds`` and ``clashes`` are the two checks,
used by the reasoning to choose and by the tests to prove no report breaks either rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from liverlens.engine.predicates import LATE_PREDICATES, PREDICATES, column
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.loader import MAX_CITED, matches
from liverlens.knowledge.schema import condition_parts

Facts = Mapping[str, bool | None]
SOURCE_RANK = {"guideline": 0, "study": 1, "reference": 2, "article": 3}


@dataclass(frozen=True)
class Statement:
    """One sentence of the report, the sources that back it, and the knowledge text it says
    (``None`` for words that are not a claim: a name, a heading, a question)."""

    text: str
    sources: tuple[str, ...] = ()
    ref: str | None = None


_PREDICATE_COLUMNS = tuple((pid, column(pid)) for pid in (*PREDICATES, *LATE_PREDICATES))


def facts(row: Mapping[str, Any]) -> dict[str, bool | None]:
    """Every predicate of this panel by id: true, false, or None (unknown)."""
    out: dict[str, bool | None] = {}
    for pid, col in _PREDICATE_COLUMNS:
        value = row.get(col)
        out[pid] = None if value is None else bool(value)
    return out


def holds(conditions: Iterable[str], known: Facts) -> bool:
    """Every condition holds: ``x`` is true; ``not x`` is not known to be true."""
    for condition in conditions:
        negated, pid = condition_parts(condition)
        if (known.get(pid) is True) == negated:
            return False
    return True


def clashes(kb: KnowledgeBase, ref: str, said: Iterable[str]) -> str | None:
    """The first already-said reference that ``ref`` excludes or that excludes ``ref``."""
    own = kb.conditions.get(ref)
    for other in said:
        theirs = kb.conditions.get(other)
        if own is not None and any(matches(other, target) for target in own.excludes):
            return other
        if theirs is not None and any(matches(ref, target) for target in theirs.excludes):
            return other
    return None


def cited(kb: KnowledgeBase, sources: Iterable[str]) -> tuple[str, ...]:
    """At most three sources for one sentence: guidelines first, then studies, references
    and articles, keeping the order within each kind."""
    unique = list(dict.fromkeys(sources))
    ranked = sorted(unique, key=lambda s: SOURCE_RANK[kb.sources[s].kind])
    return tuple(ranked[:MAX_CITED])
