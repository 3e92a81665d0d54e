"""Pydantic models for the knowledge files.

Every model forbids unknown keys, so a typo in a YAML file fails at load time with the file and
the entry named, instead of silently dropping a rule. Cross-file checks (every source id
resolves, every predicate a rule names exists in the engine) live in ``loader.py``.
"""

from __future__ import annotations

import string
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

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
    thousands: str = ""  # the digit-group separator of large numbers (knowledge/numbers.py)


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
        if lang == BASE_LANGUAGE:
            return bool(self.en)
        extra = self.model_extra
        return bool(extra.get(lang)) if extra else False

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
        """The text in ``lang``, or in English when it has no such translation.

        Read straight from the fields, not through ``translations()``: a report asks for
        some 340 texts, and building that dict for each was a tenth of the report's time."""
        if lang == BASE_LANGUAGE:
            return self.en
        extra = self.model_extra
        return (extra.get(lang) if extra else None) or self.en


NOT = "not "
"""A condition is a predicate id (``engine/predicates.py``) that must hold, or ``not <id>``:
the predicate must not be known to hold (false, or unknown because the person did not say)."""


def condition_parts(condition: str) -> tuple[bool, str]:
    """``(negated, predicate id)`` of a condition."""
    if condition.startswith(NOT):
        return True, condition[len(NOT) :].strip()
    return False, condition.strip()


def _tuple_of_str(value: object) -> object:
    return (value,) if isinstance(value, str) else value


class Conditioned(Strict):
    """Knowledge that is true only for some people.

    ``when`` lists conditions that must all hold for the text to be said: the report selects
    by them, and a test runs every vignette and fails when an emitted text's condition does
    not hold. ``excludes`` names texts that contradict this one and must never appear in the
    same report ("keep alcohol low" beside "avoid alcohol completely"): a reference of the form
    ``kind:id`` (``text:``, ``advice:``, ``step:``, ``urgency:``, ``cause:<id>:<field>``) or a
    bare id of the same kind. Exclusion is symmetric; the first text said wins.
    """

    when: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()

    @field_validator("when", "excludes", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        return _tuple_of_str(value)


class Variant(Conditioned):
    """One wording of a cause's text for the people its ``when`` describes. A cause field
    holds one text, or a list of variants of which the first whose ``when`` holds is said. A
    variant that says what the cause's own sources do not back names its own ``sources``."""

    text: Text
    sources: tuple[str, ...] = ()


def _variants(value: object) -> object:
    """A cause field given as one text is one unconditional variant."""
    if isinstance(value, dict) and "text" not in value:
        return ({"text": value},)
    return value


class Source(Strict):
    """A work LiverLens cites. Every one but a seed article carries a way to find it (a DOI,
    a PMID, a URL, or for a standard its number); a seed article is cited by its title and
    publisher."""

    id: str
    kind: Literal["article", "guideline", "study", "reference"]
    title: str
    short: Text | None = None  # the label shown beside a limit, e.g. "ACG 2017"
    publisher: str | None = None
    date: str | None = None
    authors: str | None = None
    reviewer: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    standard: str | None = None  # a standard's own number (WS/T 404.1-2012), which finds it
    confidence: Literal["V", "S", "R"] | None = None
    note: str | None = None

    @property
    def link(self) -> str | None:
        """Where a reader finds it: the DOI as a URL, else PubMed, else the URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url


class Unit(Strict):
    unit: str
    factor: float = Field(gt=0, description="multiply a value in this unit by factor -> canonical")
    aliases: tuple[str, ...] = ()
    note: str | None = None
    # a result printed in this unit is at least this; a smaller one means a power of ten was
    # lost in reading ("10³/µL" read as "/µL"), so a report reader leaves it unread
    least: float | None = None


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
    """One row of the triage table: when every ``when`` condition holds and no ``unless``
    predicate does, the panel's urgency is at least ``level``. ``sources`` are the guidelines
    the row comes from; ``vignettes`` the clinical cases (``tests/cases``) in which it fires,
    which a test checks; ``docs/clinical-rules.md`` prints the table."""

    id: str
    level: Urgency
    red_flag: bool = False
    when: tuple[str, ...]
    unless: tuple[str, ...] = ()
    text: Text
    sources: tuple[str, ...]
    vignettes: tuple[str, ...] = Field(min_length=1)  # tests/cases files in which it fires

    @field_validator("when", "unless", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        return _tuple_of_str(value)

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


Variants = Annotated[tuple[Variant, ...], BeforeValidator(_variants), Field(min_length=1)]


class Cause(Strict):
    """A cause of abnormal liver tests. It is scored only for people ``applies`` describes
    (every condition must hold: the pregnancy causes need ``pregnant``); its texts may vary
    with the person (``Variants``); its ``treatments`` are shown only when every condition of
    ``treatments_when`` holds (never hepatoprotectants in an overdose)."""

    id: str
    origin: Literal["seed", "guideline"]
    kind: Literal["physiological", "pathological"]
    name: Text
    applies: tuple[str, ...] = ()
    prior: int = 0
    prior_reason: Text | None = None
    mechanism: Variants
    what_to_do: Variants
    course: Variants
    retest: Variants
    treatments: tuple[str, ...] = ()
    treatments_when: tuple[str, ...] = ()
    treatment_note: Text | None = None
    advice: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...]
    sources: tuple[str, ...]

    @field_validator("applies", "treatments_when", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        return _tuple_of_str(value)


class Treatment(Strict):
    """A medicine a doctor may use for a cause: ``line`` "guideline" for what current
    guidelines advise, "seed" for what the seed articles name; ``evidence`` says how good the
    evidence is or what to beware of (tiopronin can itself injure the liver). Never a dose."""

    id: str
    name: Text
    drug_class: Text
    line: Literal["guideline", "seed"] = "seed"
    evidence: Text | None = None
    sources: tuple[str, ...]


class Advice(Conditioned):
    id: str
    text: Text
    sources: tuple[str, ...]


class NextStep(Conditioned):
    """A next step, said when its ``when`` holds, in file order (urgent care first). Several
    wordings of one step share a ``public_id`` ("see_doctor"), the id the output contract
    gives; ``within_days`` and ``after_days`` name the thresholds its time window comes from
    (``thresholds.yaml``), and ``ideal_from`` the start of the ideal part of that window.
    ``retest_for`` names the cause whose own retest advice this step already gives, so that
    cause's card does not say it twice."""

    id: str
    public_id: str | None = None
    within_days: str | None = None
    after_days: tuple[str, str] | None = None
    ideal_from: str | None = None
    retest_for: str | None = None
    text: Text
    sources: tuple[str, ...]

    @property
    def output_id(self) -> str:
        return self.public_id or self.id


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
    "change.",  # what answering moved: the report about itself; the reason cites its own
    "urgency_level.",
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
    "clinician.",  # the clinician register: one-page summary, CDS card detail (messages.yaml)
    "note.",  # what an input reader left out or chose, and why (messages.yaml)
)


class Phrase(Conditioned):
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


class WorkupRule(Strict):
    """Suggest a test when every ``when`` predicate holds and no ``unless`` predicate does."""

    when: str | tuple[str, ...]
    unless: tuple[str, ...] = ()
    reason: Text
    sources: tuple[str, ...]

    @property
    def predicates(self) -> tuple[str, ...]:
        return (self.when,) if isinstance(self.when, str) else self.when


class WorkupGroup(Strict):
    """Why a set of tests is done ("viral hepatitis"): the report lists tests under it."""

    id: str
    name: Text
    reason: Text
    sources: tuple[str, ...]


class WorkupTest(Strict):
    id: str
    name: Text
    group: str
    deferrable: bool
    rules: tuple[WorkupRule, ...] = Field(min_length=1)


class Note(Strict):
    """One sentence a calculator page says about a score (when to use it, a pitfall), with
    the sources behind that very sentence: a page of advice is only as good as its citations."""

    text: Text
    sources: tuple[str, ...] = Field(min_length=1)


class ScoreDef(Strict):
    """A score's description; its formula lives in engine/scores.py, its cut-offs in
    thresholds.yaml; ``when_to_use`` and ``pitfalls`` are its calculator page's notes."""

    id: str
    name: Text
    formula: str
    inputs: tuple[str, ...]
    value: str
    band: str | None
    show_needs: bool
    fibrosis: bool = False  # a fibrosis estimate: not banded where the engine says it is invalid
    band_key: Literal["band", "class"] = "band"  # its key in the JSON output
    about: Text
    bands: dict[str, Text]
    sources: tuple[str, ...]
    when_to_use: tuple[Note, ...] = Field(min_length=1)
    pitfalls: tuple[Note, ...] = Field(min_length=1)


class ScreeningTest(Strict):
    """A test whose presence in a lab table shows a screen was done (cohort worklists)."""

    id: str
    name: Text
    loinc: tuple[str, ...]
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
