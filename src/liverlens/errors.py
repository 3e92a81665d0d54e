"""LiverLens exceptions.

    LiverLensError                 root of everything LiverLens raises on purpose
    ├── InputError (ValueError)    the caller's input is wrong; carries one issue per problem
    └── KnowledgeError             a knowledge file is invalid (a bug in the package data)

Missing data is a finding, never an exception: a panel without AST still gets a report.
Exceptions keep plain constructor arguments so they pickle across process and Spark boundaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class LiverLensError(Exception):
    """Root of every error LiverLens raises on purpose."""


@dataclass(frozen=True)
class Issue:
    """One problem with an input: the field it is about, and what to say as a text id.

    The words live in ``messages.yaml`` in English and Chinese, so the same problem reads in
    the language of whoever made it: ``Issue("labs.alt.unit", "error.lab.unknown_unit",
    (("unit", "'kat'"), ...))``. ``field`` may be empty when the problem is the whole input.
    """

    field: str
    message: str
    values: tuple[tuple[str, str], ...] = ()

    def said(self, lang: str = "en") -> str:
        """What is wrong, without the field (a form shows it beside the field instead)."""
        from liverlens.knowledge import load_knowledge  # errors sit below the knowledge base

        return load_knowledge().say(
            self.message, "zh" if lang == "zh" else "en", **dict(self.values)
        )

    def text(self, lang: str = "en") -> str:
        said = self.said(lang)
        return f"{self.field}: {said}" if self.field else said


def issue(field: str, message: str, **values: object) -> Issue:
    """An ``Issue`` with its values turned into text (they are shown, never computed on)."""
    return Issue(field, message, tuple((k, str(v)) for k, v in values.items()))


class InputError(LiverLensError, ValueError):
    """The input does not follow the contract: one ``Issue`` per problem.

    ``issues`` are the problems as English lines (``labs.alt.unit: 'kat' is not a unit ...``);
    ``in_language("zh")`` gives the same lines in Chinese. Each names the field, what was
    given and what is accepted. A plain string is accepted for messages with no catalogue
    entry and is shown as given.
    """

    def __init__(self, issues: Sequence[str | Issue] | str | Issue) -> None:
        items = [issues] if isinstance(issues, str | Issue) else list(issues)
        self.details = [
            i if isinstance(i, Issue) else Issue("", "error.plain", (("message", i),))
            for i in items
        ]
        self.issues = [d.text("en") for d in self.details]
        super().__init__("; ".join(self.issues))

    def in_language(self, lang: str) -> list[str]:
        return [d.text(lang) for d in self.details]

    def __reduce__(self) -> tuple[type[InputError], tuple[list[str | Issue]]]:
        return (InputError, (list(self.details),))


class KnowledgeError(LiverLensError):
    """A knowledge file is malformed or refers to something that does not exist."""
