"""Load and cross-check the knowledge files shipped inside the package.

The files are read with ``importlib.resources`` so they work from a wheel, a zip or a checkout.
``ENTRIES`` says which file feeds which part of the knowledge base; each file is validated into
frozen pydantic models (unknown keys fail); then the whole set is checked for duplicate ids,
references that do not resolve (sources, treatments, advice, analytes, units, presets) and
texts in a language ``languages.yaml`` does not declare. The result is cached: the knowledge
is immutable for the life of the process, and the next process reads it from the user's cache
of the validated knowledge base (``knowledge/cache.py``, keyed by these files and this code).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from functools import cache, cached_property
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from liverlens.errors import KnowledgeError
from liverlens.knowledge import numbers
from liverlens.knowledge.names import fold
from liverlens.knowledge.schema import (
    BASE_LANGUAGE,
    Advice,
    Analyte,
    Cause,
    Language,
    LanguageDef,
    LikelihoodCutoffs,
    NextStep,
    Phrase,
    Preset,
    ScoreDef,
    ScreeningTest,
    Source,
    Text,
    Threshold,
    Treatment,
    UnitFamily,
    UrgencyRule,
    Vocabulary,
    VocabularyTerm,
    WorkupGroup,
    WorkupTest,
    condition_parts,
)
from liverlens.knowledge.schema_medicines import Medicine, RucamDef

M = TypeVar("M", bound=BaseModel)

DATA_PACKAGE = "liverlens.knowledge.data"


@dataclass(frozen=True)
class Entry:
    """One part of the knowledge base: the files and top-level key it is read from."""

    files: tuple[str, ...]
    key: str
    model: type[BaseModel]
    by_id: bool = True  # a dict by id (else a tuple in file order)


# Which files feed which part. Several files may feed one part (causes, texts): an id may be
# defined only once across them.
ENTRIES: dict[str, Entry] = {
    "languages": Entry(("languages.yaml",), "languages", LanguageDef),
    "sources": Entry(("sources.yaml",), "sources", Source),
    "unit_families": Entry(("units.yaml",), "unit_families", UnitFamily),
    "analytes": Entry(("analytes.yaml",), "analytes", Analyte),
    "presets": Entry(("limits.yaml",), "presets", Preset),
    "thresholds": Entry(("thresholds.yaml",), "thresholds", Threshold),
    "urgency_rules": Entry(("urgency.yaml",), "rules", UrgencyRule, by_id=False),
    "causes": Entry(
        ("causes.yaml", "causes_guideline.yaml", "causes_special.yaml"), "causes", Cause
    ),
    "treatments": Entry(("treatments.yaml",), "treatments", Treatment),
    "advice": Entry(("advice.yaml",), "advice", Advice),
    "next_steps": Entry(("next_steps.yaml",), "next_steps", NextStep),
    # every user-facing phrase: the report's words, the pages' chrome, errors and CLI lines
    "texts": Entry(("texts.yaml", "ui.yaml", "messages.yaml"), "texts", Phrase),
    "medicines": Entry(("medicines.yaml",), "medicines", Medicine),
    "workup": Entry(("workup.yaml",), "tests", WorkupTest),
    "workup_groups": Entry(("workup.yaml",), "groups", WorkupGroup),
    "scores": Entry(("scores.yaml",), "scores", ScoreDef),
    "screening": Entry(("screening.yaml",), "tests", ScreeningTest),
}


@cache
def _read_yaml(name: str) -> dict[str, Any]:
    try:
        raw = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - packaging error
        raise KnowledgeError(f"knowledge file {name} is missing from the package") from exc
    # libyaml's safe loader when available: the same data, about 7x faster at start-up
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader either way
    if not isinstance(data, dict):
        raise KnowledgeError(f"{name}: expected a mapping at the top level")
    return data


def _parse(name: str, key: str, model: type[M]) -> tuple[M, ...]:
    data = _read_yaml(name)
    if key not in data:
        raise KnowledgeError(f"{name}: missing top-level key {key!r}")
    try:
        return TypeAdapter(tuple[model, ...]).validate_python(data[key])  # type: ignore[valid-type]
    except ValidationError as exc:
        raise KnowledgeError(f"{name}: {key}: {exc}") from exc


def _load(entry: Entry) -> Any:
    items: list[BaseModel] = []
    for name in entry.files:
        items += _parse(name, entry.key, entry.model)
    ids = [getattr(item, "id", None) for item in items]
    dupes = sorted({i for i in ids if i is not None and ids.count(i) > 1})
    if dupes:
        raise KnowledgeError(f"{', '.join(entry.files)}: ids defined twice: {dupes}")
    if not entry.by_id:
        return tuple(items)
    return {getattr(item, "id"): item for item in items}  # noqa: B009


def _setting(name: str, key: str | None, model: type[M]) -> M:
    """A file's one setting (``key``), or the whole file when ``key`` is None."""
    data = _read_yaml(name)
    try:
        return model.model_validate(data if key is None else data.get(key))
    except ValidationError as exc:
        raise KnowledgeError(f"{name}: {key}: {exc}") from exc


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """All clinical content LiverLens uses, validated and indexed by id.

    Compared and hashed by identity, so per-knowledge-base caches (unit and medicine indexes,
    the engine's plan) can key on it.
    """

    languages: dict[str, LanguageDef]
    sources: dict[str, Source]
    unit_families: dict[str, UnitFamily]
    analytes: dict[str, Analyte]
    presets: dict[str, Preset]
    thresholds: dict[str, Threshold]
    urgency_rules: tuple[UrgencyRule, ...]
    causes: dict[str, Cause]
    treatments: dict[str, Treatment]
    advice: dict[str, Advice]
    next_steps: dict[str, NextStep]
    texts: dict[str, Phrase]
    medicines: dict[str, Medicine]
    workup: dict[str, WorkupTest]
    workup_groups: dict[str, WorkupGroup]
    scores: dict[str, ScoreDef]
    screening: dict[str, ScreeningTest]
    likelihood: LikelihoodCutoffs
    vocabulary: Vocabulary
    rucam: RucamDef
    default_preset: str
    healthy_preset: str
    missing_translations: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def preset_for(self, language: Language) -> str:
        """The limits preset for a report in ``language`` when the input names none."""
        found = self.languages.get(language)
        return (found.preset if found else None) or self.default_preset

    def language_tag(self, language: Language) -> str:
        """The BCP 47 tag of a language (``zh`` -> ``zh-CN``), for HTML and FHIR."""
        found = self.languages.get(language)
        return found.tag if found else BASE_LANGUAGE

    def number(self, x: float | None, decimals: int, lang: Language) -> str:
        """``x`` as prose in ``lang`` (knowledge/numbers.py: the one number formatter)."""
        found = self.languages.get(lang)
        return numbers.number(x, decimals, found.thousands if found else "")

    def bounded(self, x: float | None, cmp: str | None, decimals: int, lang: Language) -> str:
        """A value as the lab gave it, ``<5`` for a bound, in ``lang``."""
        found = self.languages.get(lang)
        return numbers.bounded(x, cmp, decimals, found.thousands if found else "")

    def threshold(self, threshold_id: str) -> float:
        try:
            return self.thresholds[threshold_id].value
        except KeyError as exc:
            raise KnowledgeError(f"thresholds.yaml has no threshold {threshold_id!r}") from exc

    def text(self, text_id: str) -> Phrase:
        try:
            return self.texts[text_id]
        except KeyError as exc:
            raise KnowledgeError(f"texts.yaml has no text {text_id!r}") from exc

    def say(self, text_id: str, lang: Language, /, **values: object) -> str:
        """Fill a report text's placeholders; a missing placeholder is a knowledge bug."""
        return fill(self.text(text_id).text, lang, text_id, **values)

    def untranslated(self, lang: Language) -> tuple[str, ...]:
        """Where a text lacks ``lang`` (empty for a complete language)."""
        return self.missing_translations.get(lang, ())

    def family_of(self, analyte_id: str) -> UnitFamily:
        return self.unit_families[self.analytes[analyte_id].unit_family]

    # Lookups by name or code: one index each, built once per knowledge base -------------

    @cached_property
    def loinc_index(self) -> dict[str, str]:
        """LOINC code -> analyte id."""
        return {code: a.id for a in self.analytes.values() for code in a.loinc}

    @cached_property
    def analyte_names(self) -> dict[str, str]:
        """Folded analyte id or alias (``sgpt``, ``谷丙转氨酶``) -> analyte id."""
        return {fold(n): a.id for a in self.analytes.values() for n in (a.id, *a.aliases)}

    def analyte_for(self, name: str) -> str | None:
        """The analyte a LOINC code or a test name means, or ``None``."""
        code = name.strip()
        return self.loinc_index.get(code) or self.analyte_names.get(fold(code))

    @cached_property
    def screening_index(self) -> dict[str, str]:
        """LOINC code or folded name of a screening test (HBsAg, anti-HCV) -> its id."""
        out = {code: t.id for t in self.screening.values() for code in t.loinc}
        out.update({fold(n): t.id for t in self.screening.values() for n in t.aliases})
        return out

    @cached_property
    def conditions(self) -> dict[str, Condition]:
        """Every text a report can say, by reference (``text:summary.top_cause``,
        ``advice:avoid_alcohol``, ``cause:alcohol:what_to_do``), with the conditions under which
        it may be said and the texts it must never stand beside. The report tags each statement
        with its reference, so a test can check both over every vignette."""
        out: dict[str, Condition] = {}
        for kind, pool in (
            ("text", self.texts),
            ("advice", self.advice),
            ("step", self.next_steps),
        ):
            for item in pool.values():
                out[f"{kind}:{item.id}"] = Condition(item.when, _qualified(kind, item.excludes))
        for rule in self.urgency_rules:
            out[f"urgency:{rule.id}"] = Condition(rule.when, (), rule.unless)
        for cause in self.causes.values():
            for name in CAUSE_TEXTS:
                for i, variant in enumerate(getattr(cause, name)):
                    ref = f"cause:{cause.id}:{name}"
                    excludes = _qualified(ref, variant.excludes)
                    out[f"{ref}#{i}"] = Condition(cause.applies + variant.when, excludes)
            for ev in cause.evidence:
                out[f"cause:{cause.id}:evidence:{ev.key}"] = Condition(
                    cause.applies + ev.predicates
                )
            out[f"cause:{cause.id}:name"] = Condition(cause.applies)
            out[f"cause:{cause.id}:treatments"] = Condition(cause.applies + cause.treatments_when)
        return out

    def term_index(self, terms: Iterable[VocabularyTerm]) -> dict[str, str]:
        """Folded id or alias -> term id, for symptoms or conditions."""
        return {fold(s): t.id for t in terms for s in (t.id, *t.aliases)}


CAUSE_TEXTS = ("mechanism", "what_to_do", "course", "retest")
MAX_CITED = 3  # citation numbers one sentence may carry


@dataclass(frozen=True)
class Condition:
    """When a text may be said (``when``: conditions that must all hold; ``unless``:
    predicates none of which may hold) and which texts it excludes (references)."""

    when: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()

    @property
    def predicates(self) -> set[str]:
        return {condition_parts(c)[1] for c in (*self.when, *self.unless)}


def _qualified(kind: str, refs: tuple[str, ...]) -> tuple[str, ...]:
    """References as written (``advice:x``, or a bare id of the text's own kind) made whole.
    A cause text's bare reference names another field of the same cause."""
    prefixes = ("text:", "advice:", "step:", "urgency:", "cause:")
    if kind.startswith("cause:"):
        cause = kind.rsplit(":", 1)[0]
        return tuple(r if r.startswith(prefixes) else f"{cause}:{r}" for r in refs)
    return tuple(r if r.startswith(prefixes) else f"{kind}:{r}" for r in refs)


def matches(ref: str, target: str) -> bool:
    """``cause:alcohol:what_to_do`` matches each of its variants (``...#0``)."""
    return ref == target or ref.split("#", 1)[0] == target


def _walk_texts(obj: object, where: str) -> Iterable[tuple[str, Text]]:
    if isinstance(obj, Text):
        yield where, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _walk_texts(getattr(obj, name), f"{where}.{name}")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _walk_texts(value, f"{where}:{key}")
    elif isinstance(obj, tuple):
        for i, value in enumerate(obj):
            yield from _walk_texts(value, f"{where}[{getattr(value, 'id', i)}]")


def _all_texts(kb: KnowledgeBase) -> Iterable[tuple[str, Text]]:
    for f in fields(kb):
        yield from _walk_texts(getattr(kb, f.name), f.name)


def fill(text: Text, lang: Language, where: str, /, **values: object) -> str:
    try:
        return text.get(lang).format(**values)
    except (KeyError, IndexError) as exc:
        raise KnowledgeError(f"{where}: text needs placeholder {exc}") from exc


def _check_references(kb: KnowledgeBase, texts: list[tuple[str, Text]]) -> None:
    problems: list[str] = []

    def need(kind: str, ref: str, pool: dict[str, Any], where: str) -> None:
        if ref not in pool:
            problems.append(f"{where}: unknown {kind} {ref!r}")

    def cite(sources: Iterable[str], where: str) -> None:
        for s in sources:
            need("source", s, kb.sources, where)

    for a in kb.analytes.values():
        need("unit family", a.unit_family, kb.unit_families, f"analytes.yaml:{a.id}")
        cite(a.sources, f"analytes.yaml:{a.id}")
    for p in kb.presets.values():
        cite(p.sources, f"limits.yaml:{p.id}")
        for lim in p.limits:
            need("analyte", lim.analyte, kb.analytes, f"limits.yaml:{p.id}")
            cite([lim.source], f"limits.yaml:{p.id}:{lim.analyte}")
            if lim.lower is not None and lim.lower >= lim.upper:
                problems.append(f"limits.yaml:{p.id}:{lim.analyte}: lower >= upper")
        for analyte in kb.analytes:
            if not any(
                lim.analyte == analyte
                and lim.sex == "any"
                and lim.age_min is None
                and lim.age_max is None
                for lim in p.limits
            ):
                problems.append(f"limits.yaml:{p.id}: {analyte} needs a catch-all (sex any) limit")
    for t in kb.thresholds.values():
        cite(t.sources, f"thresholds.yaml:{t.id}")
    for r in kb.urgency_rules:
        cite(r.sources, f"urgency.yaml:{r.id}")
    for c in kb.causes.values():
        cite(c.sources, f"causes.yaml:{c.id}")
        for ev in c.evidence:
            cite(ev.sources, f"causes.yaml:{c.id}:{ev.key}")
        for part in ("mechanism", "what_to_do", "course", "retest"):
            for i, variant in enumerate(getattr(c, part)):
                cite(variant.sources, f"causes.yaml:{c.id}:{part}#{i}")
        for tr in c.treatments:
            need("treatment", tr, kb.treatments, f"causes.yaml:{c.id}")
        for ad in c.advice:
            need("advice", ad, kb.advice, f"causes.yaml:{c.id}")
    codes: dict[str, str] = {}
    for a in kb.analytes.values():
        for code in a.loinc:
            if codes.setdefault(code, a.id) != a.id:
                problems.append(f"analytes.yaml: LOINC {code} given for {codes[code]} and {a.id}")
    names: dict[str, str] = {}
    for a in kb.analytes.values():
        for name in (a.id, *a.aliases):
            if names.setdefault(fold(name), a.id) != a.id:
                problems.append(f"analytes.yaml: {name!r} names {names[fold(name)]} and {a.id}")
    for screen in kb.screening.values():
        cite(screen.sources, f"screening.yaml:{screen.id}")
    for score in kb.scores.values():
        cite(score.sources, f"scores.yaml:{score.id}")
        for i, note in enumerate((*score.when_to_use, *score.pitfalls)):
            cite(note.sources, f"scores.yaml:{score.id}:note#{i}")
    for test in kb.workup.values():
        need("work-up group", test.group, kb.workup_groups, f"workup.yaml:{test.id}")
        for rule in test.rules:
            cite(rule.sources, f"workup.yaml:{test.id}")
    cite(kb.rucam.sources, "rucam.yaml")
    for i, note in enumerate((*kb.rucam.when_to_use, *kb.rucam.pitfalls)):
        cite(note.sources, f"rucam.yaml:note#{i}")
    for wgroup in kb.workup_groups.values():
        cite(wgroup.sources, f"workup.yaml:groups:{wgroup.id}")
    known = set(kb.conditions)
    for ref, cond in kb.conditions.items():
        for target in cond.excludes:
            if not any(matches(k, target) for k in known):
                problems.append(f"{ref}: excludes {target!r}, which no knowledge file defines")
    for where, sources in _all_source_lists(kb):
        if len(sources) > MAX_CITED:
            problems.append(f"{where}: cites {len(sources)} sources; a sentence carries at most 3")
    for med in kb.medicines.values():
        cite(med.sources, f"medicines.yaml:{med.id}")
        for lang in med.local_names:
            need("language", lang, kb.languages, f"medicines.yaml:{med.id}:local_names")
    for group in (kb.treatments, kb.advice, kb.next_steps, kb.texts):
        for item in group.values():
            cite(item.sources, f"{type(item).__name__}:{item.id}")
    for step in kb.next_steps.values():
        if step.retest_for is not None:
            need("cause", step.retest_for, kb.causes, f"next_steps.yaml:{step.id}")
    for preset_id in (kb.default_preset, kb.healthy_preset):
        need("preset", preset_id, kb.presets, "limits.yaml")
    for language in kb.languages.values():
        if language.preset is not None:
            need("preset", language.preset, kb.presets, f"languages.yaml:{language.id}")
    if BASE_LANGUAGE not in kb.languages:
        problems.append(f"languages.yaml: the base language {BASE_LANGUAGE!r} is not listed")
    for where, text in texts:
        for lang in text.translations().keys() - kb.languages.keys():
            problems.append(f"{where}: a text in {lang!r}, which languages.yaml does not list")
    if problems:
        raise KnowledgeError("; ".join(problems))


def _all_source_lists(kb: KnowledgeBase) -> Iterable[tuple[str, tuple[str, ...]]]:
    """Every ``sources`` list a sentence takes its citations from."""

    def walk(obj: object, where: str) -> Iterable[tuple[str, tuple[str, ...]]]:
        if isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                value = getattr(obj, name)
                if name == "sources" and isinstance(value, tuple):
                    yield where, value
                else:
                    yield from walk(value, f"{where}.{name}")
        elif isinstance(obj, dict):
            for key, value in obj.items():
                yield from walk(value, f"{where}:{key}")
        elif isinstance(obj, tuple):
            for i, value in enumerate(obj):
                yield from walk(value, f"{where}[{getattr(value, 'id', i)}]")

    # a cause's and a medicine's own list backs a heading or a whole entry, not one sentence
    skip = {"causes", "medicines", "presets", "analytes", "scores", "thresholds"}
    for f in fields(kb):
        if f.name not in skip:
            yield from walk(getattr(kb, f.name), f.name)
    for cause in kb.causes.values():
        for ev in cause.evidence:
            yield f"causes.{cause.id}.{ev.key}", ev.sources
    for score in kb.scores.values():  # a calculator page's note is one sentence
        for i, note in enumerate((*score.when_to_use, *score.pitfalls)):
            yield f"scores.{score.id}.note#{i}", note.sources


def _untranslated(texts: list[tuple[str, Text]], lang: Language) -> tuple[str, ...]:
    return tuple(where for where, text in texts if not text.has(lang))


@cache
def load_knowledge() -> KnowledgeBase:
    """Load, validate and cache the packaged knowledge base: from the user's cache of it when
    that was built from these very files and this code (``knowledge/cache.py``), else from
    the files, storing the result there for the next process."""
    from liverlens.knowledge import cache as stored

    key = stored.fingerprint()
    kb = None if key is None else stored.read(key)
    if kb is None:
        kb = _load_files()
        if key is not None:
            stored.write(key, kb)
    if key is not None:
        _PACKAGED[kb] = key
    return kb


# the packaged knowledge base of this process -> the fingerprint of its files and code
_PACKAGED: weakref.WeakKeyDictionary[KnowledgeBase, str] = weakref.WeakKeyDictionary()


def packaged_fingerprint(kb: KnowledgeBase) -> str | None:
    """The fingerprint ``kb`` was loaded under when it is the packaged knowledge base
    (``load_knowledge``), else ``None``: what is built from it (the engine's compiled plan)
    can then be cached under the same key; a knowledge base made any other way (a test's,
    an edited copy) never is."""
    return _PACKAGED.get(kb)


def _load_files() -> KnowledgeBase:
    """Parse, validate and cross-check the packaged knowledge files."""
    limits = _read_yaml("limits.yaml")
    kb = KnowledgeBase(
        **{part: _load(entry) for part, entry in ENTRIES.items()},
        likelihood=_setting("thresholds.yaml", "likelihood", LikelihoodCutoffs),
        vocabulary=_setting("vocabulary.yaml", None, Vocabulary),
        rucam=_setting("rucam.yaml", None, RucamDef),
        default_preset=str(limits.get("default", "")),
        healthy_preset=str(limits.get("healthy", "")),
    )
    texts = list(_all_texts(kb))  # walked once: the walk was half of the load's time
    _check_references(kb, texts)
    missing = {lang: _untranslated(texts, lang) for lang in kb.languages}
    return replace(kb, missing_translations=missing)
