"""The person and context fields of the input contract, read from ``inputs.model``.

``input_fields()`` lists every field once with what each surface needs: its contract name
(also the engine's column name), the shorter name of its CLI option and form field, its kind,
bounds and choices. The CLI's options, the web form, batch columns and the engine's columns
are all built from this list, so adding a field to ``Person`` or ``Context`` is the whole
change.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from liverlens.inputs.model import Context, Person

Kind = Literal["number", "flag", "choice", "words"]
Group = Literal["person", "context"]
GROUPS: dict[Group, type[BaseModel]] = {"person": Person, "context": Context}
FIELDSETS: dict[Group, str] = {"person": "ui.form.about_you", "context": "ui.form.days_before"}


@dataclass(frozen=True)
class InputField:
    """One person or context field of the contract, as every surface sees it."""

    group: Group
    name: str  # the contract's name, and the engine's column
    short: str  # the CLI option (with dashes) and the web form field
    kind: Kind
    help: str
    label: str  # ui.yaml id of its form label
    hint: str | None = None  # ui.yaml id of a hint under the form field
    low: float | None = None  # a number's bounds, inclusive
    high: float | None = None
    choices: tuple[str, ...] = ()  # a choice's words
    cli: str | None = None  # the CLI option's name when it differs from ``short``
    off: str = "no"  # a flag's off switch: --no-fatigue, --not-pregnant
    vocabulary: str | None = None  # words from vocabulary.yaml (symptoms, conditions)
    choice_labels: tuple[tuple[str, str], ...] = ()  # (choice or "", ui.yaml label id)
    none_label: str | None = None  # ui.yaml id of a list's "I have none" box
    fieldset: str = ""  # ui.yaml id of its form section
    aliases: tuple[tuple[str, str], ...] = ()  # a choice's other spellings (m -> male)

    @property
    def path(self) -> str:
        """Where it sits in the contract: ``context.strenuous_exercise_days_ago``."""
        return f"{self.group}.{self.name}"

    @property
    def option(self) -> str:
        """The CLI option: ``--exercise-days-ago``."""
        return "--" + (self.cli or self.short).replace("_", "-")

    @property
    def scalar(self) -> bool:
        """One value per panel (not a list): an engine and batch column."""
        return self.kind != "words"


def _kind(annotation: Any) -> tuple[Kind, tuple[str, ...]]:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    inner = args[0] if len(args) == 1 else annotation
    if typing.get_origin(inner) is typing.Annotated:  # Number: a float with its checks
        inner = typing.get_args(inner)[0]
    if typing.get_origin(inner) is Literal:
        return "choice", tuple(str(v) for v in typing.get_args(inner))
    if inner is bool:
        return "flag", ()
    if inner is float or inner is int:
        return "number", ()
    if typing.get_origin(inner) is list or isinstance(inner, types.GenericAlias):
        return "words", ()
    raise TypeError(f"no surface knows how to take a {annotation!r}")  # pragma: no cover


def _bounds(info: FieldInfo) -> tuple[float | None, float | None]:
    low = high = None
    for m in info.metadata:
        if isinstance(m, Ge | Gt):
            low = float(m.ge if isinstance(m, Ge) else m.gt)  # type: ignore[arg-type]
        if isinstance(m, Le | Lt):
            high = float(m.le if isinstance(m, Le) else m.lt)  # type: ignore[arg-type]
    return low, high


def _labels(choices: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(choices, dict):
        return ()
    return tuple((str(k), str(v)) for k, v in choices.items())


@cache
def input_fields() -> tuple[InputField, ...]:
    """Every person and context field, in contract order."""
    out: list[InputField] = []
    for group, model in GROUPS.items():
        for name, info in model.model_fields.items():
            meta = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            kind, choices = _kind(info.annotation)
            low, high = _bounds(info)
            out.append(
                InputField(
                    group=group,
                    name=name,
                    short=str(meta.get("short", name)),
                    kind=kind,
                    help=info.description or name,
                    label=str(meta["label"]),
                    hint=None if meta.get("hint") is None else str(meta["hint"]),
                    low=low,
                    high=high,
                    choices=choices,
                    cli=None if meta.get("cli") is None else str(meta["cli"]),
                    off=str(meta.get("off", "no")),
                    vocabulary=None if meta.get("vocabulary") is None else str(meta["vocabulary"]),
                    choice_labels=_labels(meta.get("choices")),
                    none_label=None if meta.get("none") is None else str(meta["none"]),
                    fieldset=str(meta.get("fieldset", FIELDSETS[group])),
                    aliases=_labels(meta.get("aliases")),
                )
            )
    return tuple(out)


def scalar_fields(group: Group | None = None) -> tuple[InputField, ...]:
    """The fields with one value per panel: the engine's and a batch table's columns."""
    return tuple(f for f in input_fields() if f.scalar and group in (None, f.group))


def fieldsets() -> dict[str, tuple[InputField, ...]]:
    """The web form's sections (a ui.yaml id each) and their fields, in contract order;
    fields ticked from a vocabulary get their own section, headed by their label."""
    out: dict[str, list[InputField]] = {}
    for f in input_fields():
        out.setdefault(f.label if f.vocabulary else f.fieldset, []).append(f)
    return {k: tuple(v) for k, v in out.items()}
