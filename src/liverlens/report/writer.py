"""The report's pen: says knowledge texts for one person, in their language, with sources.

``Writer`` binds the knowledge base, the language, the placeholder values and the panel's
facts, so a section says ``w.say("summary.top_cause", ...)`` and gets a ``Statement`` carrying
its sources (at most three) and its reference, and ``w.first(...)`` picks the first text whose
``when`` holds for this person.
"""

from __future__ import annotations

from liverlens.engine.reasoning import Reasoning
from liverlens.engine.statements import Statement, cited, holds
from liverlens.errors import KnowledgeError
from liverlens.knowledge import KnowledgeBase, Language
from liverlens.knowledge.schema import Cause
from liverlens.report.document import Block, Section


class Writer:
    """Binds the knowledge base, language, placeholder values and the panel's facts."""

    def __init__(self, kb: KnowledgeBase, lang: Language, reasoning: Reasoning) -> None:
        self.kb, self.lang, self.values = kb, lang, reasoning.placeholders
        self.facts, self.reasoning = reasoning.facts, reasoning

    def say(self, text_id: str, sources: tuple[str, ...] = (), **extra: object) -> Statement:
        """A statement from texts.yaml; ``sources`` back texts marked ``sourced_at_use``."""
        phrase = self.kb.text(text_id)
        if phrase.sourced_at_use and not sources:
            raise KnowledgeError(f"text {text_id} must be given its sources where it is used")
        text = self.kb.say(text_id, self.lang, **{**self.values, **extra})
        return Statement(text, cited(self.kb, sources or phrase.sources), f"text:{text_id}")

    def allowed(self, text_id: str) -> bool:
        """The text's ``when`` holds for this panel."""
        return holds(self.kb.text(text_id).when, self.facts)

    def first(self, *text_ids: str, **extra: object) -> Statement | None:
        """The first of these texts whose ``when`` holds, said."""
        for text_id in text_ids:
            if self.allowed(text_id):
                return self.say(text_id, (), **extra)
        return None

    def word(self, text_id: str, **extra: object) -> str:
        return self.kb.say(text_id, self.lang, **extra)

    def number(self, x: float | None, decimals: int = 2) -> str:
        return self.kb.number(x, decimals, self.lang)

    def join(self, items: list[str]) -> str:
        """``a, b and c`` in the report's language."""
        if len(items) < 2:
            return "".join(items)
        return self.word("join.comma").join(items[:-1]) + self.word("join.and") + items[-1]

    def section(self, section_id: str, blocks: list[Block]) -> Section:
        return Section(section_id, self.word(f"heading.{section_id}"), tuple(blocks))

    def cause_text(self, cause: Cause, name: str) -> Statement:
        """The first variant of a cause's text whose ``when`` holds."""
        for i, variant in enumerate(getattr(cause, name)):
            if holds(variant.when, self.facts):
                ref = f"cause:{cause.id}:{name}#{i}"
                sources = cited(self.kb, variant.sources)
                return Statement(variant.text.get(self.lang), sources, ref)
        raise KnowledgeError(f"cause {cause.id}: no {name} variant fits; give one without when")
