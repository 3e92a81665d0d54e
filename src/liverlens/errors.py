"""LiverLens exceptions.

    LiverLensError                 root of everything LiverLens raises on purpose
    ├── InputError (ValueError)    the caller's input is wrong; carries one issue per problem
    └── KnowledgeError             a knowledge file is invalid (a bug in the package data)

Missing data is a finding, never an exception: a panel without AST still gets a report.
Exceptions keep plain constructor arguments so they pickle across process and Spark boundaries.
"""

from __future__ import annotations


class LiverLensError(Exception):
    """Root of every error LiverLens raises on purpose."""


class InputError(LiverLensError, ValueError):
    """The input does not follow the contract. ``issues`` holds one line per problem.

    Each issue names the field (``labs.alt.unit``), what was given and what is accepted.
    """

    def __init__(self, issues: list[str] | str) -> None:
        self.issues = [issues] if isinstance(issues, str) else list(issues)
        super().__init__("; ".join(self.issues))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[str]]]:
        return (InputError, (self.issues,))


class KnowledgeError(LiverLensError):
    """A knowledge file is malformed or refers to something that does not exist."""
