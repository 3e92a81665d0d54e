"""Pydantic models for the medicine knowledge: LiverTox entries and the updated RUCAM.

Split from ``schema.py`` (the rest of the knowledge files); the same rules apply: every model
forbids unknown keys, so a typo in ``medicines.yaml`` or ``rucam.yaml`` fails at load time.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from liverlens.knowledge.schema import Language, Note, Strict, Text

LiverToxCategory = Literal["A", "B", "C", "D", "E", "E*", "X"]


InjuryPattern = Literal["hepatocellular", "cholestatic", "mixed", "varies"]


class Medicine(Strict):
    """A medicine or supplement and what its LiverTox monograph says about liver injury.

    ``names`` are generic names and common spellings (first = display name); ``brands`` are
    common brand names; ``local_names`` are names in other languages by language id (the
    first shown in that language). Matching of a person's list folds case, spaces, hyphens
    and doses, then allows small typos.

    ``patterns`` are the injury patterns the monograph describes (the first is the usual one);
    ``group`` marks a class with its own guidance (``statin``). ``livertox_record`` is the
    monograph's NCBI Bookshelf id, ``livertox_updated`` the date the monograph was last revised
    and ``checked_on`` the date this entry was last compared with it.
    """

    id: str
    names: tuple[str, ...] = Field(min_length=1)
    brands: tuple[str, ...] = ()
    local_names: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    kind: Literal["drug", "supplement", "herbal"]
    drug_class: Text
    livertox: LiverToxCategory
    high_dose_only: bool = False
    category_confidence: Literal["LT", "R", "S", "V"]
    patterns: tuple[InjuryPattern, ...] = Field(min_length=1)
    group: Literal["statin"] | None = None
    latency: Text
    note: Text | None = None
    livertox_record: str | None = None
    livertox_updated: str | None = None
    checked_on: date | None = None
    sources: tuple[str, ...]

    @property
    def pattern(self) -> InjuryPattern:
        """The usual pattern."""
        return self.patterns[0]

    def display_name(self, lang: Language) -> str:
        """The name to show in ``lang``: its own name there, else the generic name."""
        local = self.local_names.get(lang)
        return local[0] if local else self.names[0]

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every name a person may write for it, in any language."""
        return (*self.names, *self.brands, *(n for ns in self.local_names.values() for n in ns))


class RucamOutcome(Strict):
    """One outcome of a RUCAM item, with its published points and what the report says."""

    id: str
    points: int
    text: Text


class RucamItem(Strict):
    id: str
    name: Text
    outcomes: tuple[RucamOutcome, ...] = Field(min_length=1)

    def outcome(self, outcome_id: str) -> RucamOutcome:
        return next(o for o in self.outcomes if o.id == outcome_id)


class RucamBand(Strict):
    id: str
    up_to: int | None  # the highest total in the band; None for the top band
    name: Text


class RucamDef(Strict):
    """The updated RUCAM (``rucam.yaml``): windows, items with their points, score bands, and
    what its calculator page says (name, one line about it, when to use it, pitfalls)."""

    name: Text
    about: Text
    windows: dict[str, float]
    not_assessed_range: tuple[int, int]
    sources: tuple[str, ...]
    items: tuple[RucamItem, ...]
    bands: tuple[RucamBand, ...]
    when_to_use: tuple[Note, ...] = Field(min_length=1)
    pitfalls: tuple[Note, ...] = Field(min_length=1)

    def item(self, item_id: str) -> RucamItem:
        return next(i for i in self.items if i.id == item_id)

    def band(self, total: int) -> RucamBand:
        return next(b for b in self.bands if b.up_to is None or total <= b.up_to)
