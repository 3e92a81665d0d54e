"""The input contract: its models (``model``), its fields as every surface sees them
(``fields``), and the checked ``Case`` the engine reads (``resolve``)."""

from liverlens.inputs.fields import InputField, input_fields, scalar_fields
from liverlens.inputs.model import (
    MAX_AGE,
    MAX_HISTORY,
    SEX_WORDS,
    Comparator,
    Context,
    HistoryEntry,
    InterpretInput,
    LabValue,
    Person,
)
from liverlens.inputs.resolve import Case, LabResult, parse, resolve

__all__ = [
    "MAX_AGE",
    "MAX_HISTORY",
    "SEX_WORDS",
    "Case",
    "Comparator",
    "Context",
    "HistoryEntry",
    "InputField",
    "InterpretInput",
    "LabResult",
    "LabValue",
    "Person",
    "input_fields",
    "parse",
    "resolve",
    "scalar_fields",
]
