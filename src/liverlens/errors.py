"""LiverLens exceptions: one root, one subclass per kind of failure.

    LiverLensError                   root of everything LiverLens raises on purpose
    ├── InputError (ValueError)      the caller's input is wrong; one Issue per problem
    ├── KnowledgeError               a knowledge file is invalid (a bug in the package data)
    ├── ConfigurationError           a setting (environment variable) cannot be used
    ├── MissingExtraError            an optional part is not installed; names the extra
    │   (ImportError)
    ├── OutputError                  LiverLens built an output that does not validate (a bug)
    ├── AccountError                 an account action cannot be done (the e-mail is taken)
    ├── StorageBusyError             the database stayed locked; nothing was written, try again
    └── FhirFetchError               a client's FHIR server could not give what was needed

Errors carry data, never words: an ``Issue`` names the field, a message id from
``messages.yaml`` and the values to fill in, and ``liverlens.i18n`` words it in the language
of whoever reads it (``i18n.describe(error, "zh")``). So this module imports nothing of
LiverLens and sits below every layer. ``str(error)`` is a stable, machine-readable summary
(field, message id, values), for logs of ids and for tests.

Missing data is a finding, never an exception: a panel without AST still gets a report.
Exceptions keep plain constructor arguments so they pickle across process and Spark boundaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PLAIN = "error.plain"  # a message with no catalogue entry, shown as given


class LiverLensError(Exception):
    """Root of every error LiverLens raises on purpose."""


@dataclass(frozen=True)
class Issue:
    """One problem with an input: the field it is about, a message id and its values.

    ``Issue("labs.alt.unit", "error.lab.unknown_unit", (("unit", "'kat'"), ...))``: the words
    live in ``messages.yaml`` in English and Chinese, so the same problem reads in the language
    of whoever made it. ``field`` may be empty when the problem is the whole input.
    """

    field: str
    message: str
    values: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        if self.message == PLAIN:
            said = dict(self.values).get("message", "")
        else:
            filled = ", ".join(f"{k}={v}" for k, v in self.values)
            said = f"{self.message} ({filled})" if filled else self.message
        return f"{self.field}: {said}" if self.field else said


def issue(field: str, message: str, **values: object) -> Issue:
    """An ``Issue`` with its values turned into text (they are shown, never computed on)."""
    return Issue(field, message, tuple((k, str(v)) for k, v in values.items()))


class InputError(LiverLensError, ValueError):
    """The input does not follow the contract: one ``Issue`` per problem, in ``details``.

    Each issue names the field, what was given and what is accepted, so a person fixes every
    problem in one round. A plain string is accepted for a message with no catalogue entry.
    Word it with ``liverlens.i18n.describe(error, lang)``.
    """

    def __init__(self, issues: Sequence[str | Issue] | str | Issue) -> None:
        items = [issues] if isinstance(issues, str | Issue) else list(issues)
        self.details = [
            i if isinstance(i, Issue) else Issue("", PLAIN, (("message", i),)) for i in items
        ]
        super().__init__("; ".join(str(d) for d in self.details))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[str | Issue]]]:
        return (InputError, (list(self.details),))


class KnowledgeError(LiverLensError):
    """A knowledge file is malformed or refers to something that does not exist."""


class ConfigurationError(LiverLensError, ValueError):
    """A setting cannot be used; the message names the setting and what it accepts."""


class MissingExtraError(LiverLensError, ImportError):
    """An optional part of LiverLens is not installed.

    ``extra`` is the name to install, as in ``pip install 'liverlens[pdf]'``.
    """

    def __init__(self, feature: str, extra: str) -> None:
        self.feature, self.extra = feature, extra
        super().__init__(f"{feature} needs the {extra!r} extra: pip install 'liverlens[{extra}]'")

    def __reduce__(self) -> tuple[type[MissingExtraError], tuple[str, str]]:
        return (MissingExtraError, (self.feature, self.extra))


class OutputError(LiverLensError):
    """LiverLens built an output (a FHIR Bundle) that does not validate: a bug, not input."""


class AccountError(LiverLensError):
    """An account action cannot be done; ``message`` is a message id (``error.api.email_taken``)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class StorageBusyError(LiverLensError):
    """The database stayed busy (locked) past its wait: the write was rolled back, nothing was
    stored, and the same request can be sent again (a web answer says 503, Retry-After)."""


class FhirFetchError(LiverLensError):
    """A client's FHIR server could not give what a CDS card needs; the reason is safe to show
    (it names the server's answer, never the token)."""
