"""Pydantic models for the knowledge files.

Every model forbids unknown keys, so a typo in a YAML file fails at load time with the file and
the entry named, instead of silently dropping a rule. Cross-file checks (every source id
resolves, every predicate a rule names exists in the engine) live in ``loader.py``.
"""

from __future__ import annotations

import string
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from liverlens.vocabulary import Status, Urgency

Language = str
"""A language id declared in ``languages.yaml`` (``en``, ``zh``)."""
BASE_LANGUAGE = "en"
"""Every text has it, and it is what a reader gets where a translation is missing."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LanguageDef(Strict):
    """A language LiverLens speaks: every ``Text`` carries a key with its ``id``."""

    id: str
    name: str  # in the language itself, where a report language is chosen ("简体中文")
    switch: str  # the header switch's shorter label ("中文")
    tag: str  # BCP 47, for HTML ``lang`` and FHIR ("zh-CN")
    preset: str | None = None  # the limits preset its reports use when none is named


class Text(BaseModel):
    """A user-facing text: ``en`` and one key per other language (``zh``, ...).

    Placeholders use ``str.format`` syntax (``{alt_fold}``); every language must name the same
    set. Which keys are allowed is checked at load against ``languages.yaml``, so a new
    language is a data change, not a code change.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    en: str

    def translations(self) -> dict[str, str]:
        """Language id -> text, English first."""
        return {BASE_LANGUAGE: self.en, **(self.model_extra or {})}

    def has(self, lang: Language) -> bool:
        return bool(self.translations().get(lang))

    def placeholders(self, lang: Language) -> set[str]:
        raw = self.translations().get(lang) or ""
        return {name for _, name, _, _ in string.Formatter().parse(raw) if name}

    @model_validator(mode="after")
    def _same_placeholders(self) -> Text:
        for lang, value in (self.model_extra or {}).items():
            if not isinstance(value, str):
                raise ValueError(f"the {lang!r} text must be a string, got {value!r}")
            if self.placeholders(lang) != self.placeholders(BASE_LANGUAGE):
                base, other = self.placeholders(BASE_LANGUAGE), self.placeholders(lang)
                raise ValueError(
                    f"{BASE_LANGUAGE} and {lang} texts name different placeholders: "
                    f"{sorted(base)} vs {sorted(other)}"
                )
        return self

    def get(self, lang: Language) -> str:
        """The text in ``lang``, or in English when it has no such translation."""
        return self.translations().get(lang) or self.en


class Source(Strict):
    id: str
    kind: Literal["article", "guideline", "study", "reference"]
    title: str
    short: Text | None = None  # the label shown beside a limit, e.g. "ACG 2017"
    publisher: str | None = None
    date: str | None = None
    authors: str | None = None
    reviewer: str | None = None
    file: str | None = None
    confidence: Literal["V", "S", "R"] | None = None
    note: str | None = None


class Unit(Strict):
    unit: str
    factor: float = Field(gt=0, description="multiply a value in this unit by factor -> canonical")
    aliases: tuple[str, ...] = ()
    note: str | None = None


class UnitFamily(Strict):
    id: str
    canonical: str
    units: tuple[Unit, ...]

    @model_validator(mode="after")
    def _canonical_listed(self) -> UnitFamily:
        names = [u.unit for u in self.units]
        if self.canonical not in names:
            raise ValueError(f"unit family {self.id}: canonical unit {self.canonical!r} not listed")
        canonical = next(u for u in self.units if u.unit == self.canonical)
        if canonical.factor != 1:
            raise ValueError(f"unit family {self.id}: canonical unit must have factor 1")
        return self


class Analyte(Strict):
    id: str
    short: Text
    name: Text
    loinc: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    unit_family: str
    plausible_max: float = Field(gt=0, description="largest believable value, canonical unit")
    limit_range: tuple[float, float] = Field(
        description="where a laboratory's own reference limit can fall, canonical unit"
    )
    abnormal_when: tuple[Status, ...]
    about: Text
    sources: tuple[str, ...]


class Limit(Strict):
    analyte: str
    sex: Literal["male", "female", "any"] = "any"
    age_min: float | None = None
    age_max: float | None = None
    lower: float | None = None
    upper: float = Field(gt=0)
    source: str
    note: str | None = None


class Preset(Strict):
    id: str
    label: Text
    description: Text
    limits: tuple[Limit, ...]
    sources: tuple[str, ...]


class Threshold(Strict):
    id: str
    value: float
    unit: str
    meaning: str
    sources: tuple[str, ...]


class VocabularyTerm(Strict):
    id: str
    label: Text
    aliases: tuple[str, ...] = ()


class Vocabulary(Strict):
    symptoms: tuple[VocabularyTerm, ...]
    conditions: tuple[VocabularyTerm, ...]


class UrgencyRule(Strict):
    """One reason the urgency rises. ``when`` names an engine predicate."""

    id: str
    level: Urgency
    red_flag: bool = False
    when: str
    text: Text
    sources: tuple[str, ...]

    @model_validator(mode="after")
    def _raises_urgency(self) -> UrgencyRule:
        if self.level == Urgency.NONE:
            raise ValueError(f"rule {self.id}: level none raises nothing; use routine or above")
        return self


class Evidence(Strict):
    """A finding that counts for (weight > 0) or against (weight < 0) a cause.

    ``when`` names one engine predicate, or a list of predicates that must all hold.
    """

    when: str | tuple[str, ...]
    weight: int
    text: Text
    sources: tuple[str, ...]
    question: Text | None = None

    @property
    def predicates(self) -> tuple[str, ...]:
        return (self.when,) if isinstance(self.when, str) else self.when

    @property
    def key(self) -> str:
        return "+".join(self.predicates)

    @model_validator(mode="after")
    def _nonzero(self) -> Evidence:
        if self.weight == 0:
            raise ValueError("evidence weight must not be 0")
        return self


class Cause(Strict):
    id: str
    origin: Literal["seed", "guideline"]
    kind: Literal["physiological", "pathological"]
    name: Text
    prior: int = 0
    prior_reason: Text | None = None
    mechanism: Text
    what_to_do: Text
    course: Text
    retest: Text
    treatments: tuple[str, ...] = ()
    treatment_note: Text | None = None
    advice: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...]
    sources: tuple[str, ...]


class Treatment(Strict):
    id: str
    name: Text
    drug_class: Text
    sources: tuple[str, ...]


class Advice(Strict):
    id: str
    text: Text
    sources: tuple[str, ...]


class NextStep(Strict):
    id: str
    text: Text
    sources: tuple[str, ...]


class LikelihoodCutoffs(Strict):
    """Cause score cut-offs: at least ``likely_at_least`` is likely, and so on."""

    likely_at_least: int
    possible_at_least: int


class KnowledgeVersion(Strict):
    version: str
    updated: date


CHROME_PREFIXES = (
    "heading.",
    "label.",
    "title.",
    "status.",
    "likelihood.",
    "kind.",
    "sex_group.",
    "join.",
    "limit_source.",
    "disclaimer",
    "input.",
    "livertox.",
    "pattern_name.",
    "direction.",
    "source.",
    "ui.",  # page chrome: labels, buttons, navigation (ui.yaml)
    "error.",  # what was wrong with an input and what is accepted (messages.yaml)
    "cli.",  # the CLI's own messages (messages.yaml)
    "cds.",  # the words of CDS Hooks cards (messages.yaml)
    "note.",  # what an input reader left out or chose, and why (messages.yaml)
)


class Phrase(Strict):
    """A sentence or label of the report itself.

    Labels and headings (ids under ``CHROME_PREFIXES``) cite nothing. Every other phrase is a
    statement: it lists its sources, or says ``sourced_at_use: true`` when the statement's
    backing depends on what it names (a cause, a medicine) and the report supplies those sources.
    """

    id: str
    text: Text
    sources: tuple[str, ...] = ()
    sourced_at_use: bool = False

    @model_validator(mode="after")
    def _statements_cite(self) -> Phrase:
        chrome = self.id.startswith(CHROME_PREFIXES)
        if not chrome and not self.sources and not self.sourced_at_use:
            raise ValueError(f"text {self.id}: a statement needs sources (or sourced_at_use)")
        if self.sourced_at_use and self.sources:
            raise ValueError(f"text {self.id}: sourced_at_use texts take their sources at use")
        return self


LiverToxCategory = Literal["A", "B", "C", "D", "E", "E*", "X"]


class Medicine(Strict):
    """A medicine or supplement and what LiverTox says about its liver injury.

    ``names`` are generic names and common spellings (first = display name); ``brands`` are
    common brand names; ``local_names`` are names in other languages by language id (the
    first shown in that language). Matching of a person's list folds case, spaces, hyphens
    and doses, then allows small typos.
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
    pattern: Literal["hepatocellular", "cholestatic", "mixed", "varies"]
    latency: Text
    note: Text | None = None
    sources: tuple[str, ...]

    def display_name(self, lang: Language) -> str:
        """The name to show in ``lang``: its own name there, else the generic name."""
        local = self.local_names.get(lang)
        return local[0] if local else self.names[0]

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every name a person may write for it, in any language."""
        return (*self.names, *self.brands, *(n for ns in self.local_names.values() for n in ns))


class WorkupRule(Strict):
    """Suggest a test when every ``when`` predicate holds and no ``unless`` predicate does."""

    when: str | tuple[str, ...]
    unless: tuple[str, ...] = ()
    reason: Text
    sources: tuple[str, ...]

    @property
    def predicates(self) -> tuple[str, ...]:
        return (self.when,) if isinstance(self.when, str) else self.when


class WorkupTest(Strict):
    id: str
    name: Text
    deferrable: bool
    rules: tuple[WorkupRule, ...] = Field(min_length=1)


class ScoreDef(Strict):
    """A score's description; its formula lives in engine/scores.py, its cut-offs in
    thresholds.yaml."""

    id: str
    name: Text
    formula: str
    inputs: tuple[str, ...]
    value: str
    band: str | None
    show_needs: bool
    about: Text
    bands: dict[str, Text]
    sources: tuple[str, ...]


class ScreeningTest(Strict):
    """A test whose presence in a lab table shows a screen was done (cohort worklists)."""

    id: str
    name: Text
    loinc: tuple[str, ...]
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
