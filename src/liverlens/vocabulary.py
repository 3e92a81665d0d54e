"""The words of LiverLens's output contract, as ordered string enums (design.md, "Vocabularies").

Each enum's members are listed from least to most (lowest urgency first, weakest likelihood
first), so ``Urgency.SOON < Urgency.URGENT`` and ``max(levels)`` mean what they say, as hgvs
orders its variant types. The values are the stable ids of the JSON contract; every module that
compares, ranks or writes one of these words takes it from here, so a word lives once.

This module sits at the bottom of the layers (it imports nothing of LiverLens): the knowledge
schema, the engine, the report and every surface read it.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Self


@cache
def _ranks(cls: type[Ordered]) -> dict[str, int]:
    """value -> position, for one enum."""
    return {m.value: i for i, m in enumerate(cls)}


class Ordered(StrEnum):
    """A string enum whose members compare by their position, not alphabetically."""

    @property
    def rank(self) -> int:
        """0 for the first (least) member (from a table built once per enum: a report
        compares these words some hundred times)."""
        return _ranks(type(self))[self._value_]

    @classmethod
    def ids(cls) -> list[str]:
        """The values from least to most, e.g. for a Polars Enum or a rank lookup."""
        return [m.value for m in cls]

    @classmethod
    def ranks(cls) -> dict[str, int]:
        """value -> rank, for ranking a column of these words."""
        return {m.value: i for i, m in enumerate(cls)}

    # str's own comparisons are alphabetical; these compare by position instead (all four,
    # because functools.total_ordering keeps the ones str already has)
    def __lt__(self, other: object) -> bool:
        return self._rank_of(other) > self.rank

    def __le__(self, other: object) -> bool:
        return self._rank_of(other) >= self.rank

    def __gt__(self, other: object) -> bool:
        return self._rank_of(other) < self.rank

    def __ge__(self, other: object) -> bool:
        return self._rank_of(other) <= self.rank

    def _rank_of(self, other: object) -> int:
        if not isinstance(other, str):
            raise TypeError(f"cannot compare {type(self).__name__} with {type(other).__name__}")
        rank = _ranks(type(self)).get(str(other))
        return type(self)(other).rank if rank is None else rank  # not a member: its error

    __hash__ = StrEnum.__hash__

    @classmethod
    def most(cls, members: list[Self]) -> Self | None:
        return max(members) if members else None


class Urgency(Ordered):
    """How soon to act: ``none`` (nothing abnormal) to ``urgent`` (same day / emergency)."""

    NONE = "none"
    ROUTINE = "routine"
    SOON = "soon"
    URGENT = "urgent"


class Grade(Ordered):
    """ALT grade by multiple of the upper limit (ACG 2017)."""

    NORMAL = "normal"
    BORDERLINE = "borderline"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    MASSIVE = "massive"


class Likelihood(Ordered):
    """How well a cause fits, weakest first."""

    LESS_LIKELY = "less_likely"
    POSSIBLE = "possible"
    LIKELY = "likely"


class Status(Ordered):
    """A value against its limits."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class Pattern(Ordered):
    """The injury pattern by R ratio, from the liver cell to the bile duct (EASL DILI 2019)."""

    HEPATOCELLULAR = "hepatocellular"
    MIXED = "mixed"
    CHOLESTATIC = "cholestatic"


class Band(Ordered):
    """A fibrosis score's band."""

    LOW = "low"
    INDETERMINATE = "indeterminate"
    HIGH = "high"


class Timing(Ordered):
    """When a suggested test is done: now, or only if the repeat test is still raised."""

    IF_REPEAT_RAISED = "if_repeat_raised"
    NOW = "now"


__all__ = ["Band", "Grade", "Likelihood", "Ordered", "Pattern", "Status", "Timing", "Urgency"]
