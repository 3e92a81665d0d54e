"""Load and cross-check the knowledge files shipped inside the package.

The files are read with ``importlib.resources`` so they work from a wheel, a zip or a checkout.
Each file is validated into frozen pydantic models (unknown keys fail); then the whole set is
checked for duplicate ids and for references that do not resolve (sources, treatments, advice,
analytes, units). The result is cached: the knowledge is immutable for the life of the process.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from liverlens.errors import KnowledgeError
from liverlens.knowledge.schema import (
    LANGUAGES,
    Advice,
    Analyte,
    Cause,
    Language,
    LikelihoodCutoffs,
    Medicine,
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
    WorkupTest,
)

M = TypeVar("M", bound=BaseModel)

DATA_PACKAGE = "liverlens.knowledge.data"
# Every user-facing phrase, in English and Simplified Chinese: the report's words, the web
# pages' chrome, and the messages of errors and the CLI. One id space across the three.
TEXT_FILES = ("texts.yaml", "ui.yaml", "messages.yaml")


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


def _parse(name: str, key: str, model: type[M], data: dict[str, Any]) -> tuple[M, ...]:
    if key not in data:
        raise KnowledgeError(f"{name}: missing top-level key {key!r}")
    try:
        items = TypeAdapter(tuple[model, ...]).validate_python(data[key])  # type: ignore[valid-type]
    except ValidationError as exc:
        raise KnowledgeError(f"{name}: {key}: {exc}") from exc
    ids = [getattr(item, "id", None) for item in items]
    dupes = sorted({i for i in ids if i is not None and ids.count(i) > 1})
    if dupes:
        raise KnowledgeError(f"{name}: duplicate ids {dupes}")
    return items


def _by_id(items: Iterable[M]) -> dict[str, M]:
    return {getattr(item, "id"): item for item in items}  # noqa: B009


def _texts() -> dict[str, Phrase]:
    found: dict[str, Phrase] = {}
    for name in TEXT_FILES:
        for phrase in _parse(name, "texts", Phrase, _read_yaml(name)):
            if phrase.id in found:
                raise KnowledgeError(f"{name}: text {phrase.id} is defined twice")
            found[phrase.id] = phrase
    return found


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """All clinical content LiverLens uses, validated and indexed by id.

    Compared and hashed by identity, so per-knowledge-base caches (unit and medicine indexes)
    can key on it.
    """

    sources: dict[str, Source]
    unit_families: dict[str, UnitFamily]
    analytes: dict[str, Analyte]
    presets: dict[str, Preset]
    thresholds: dict[str, Threshold]
    likelihood: LikelihoodCutoffs
    vocabulary: Vocabulary
    urgency_rules: tuple[UrgencyRule, ...]
    causes: dict[str, Cause]
    treatments: dict[str, Treatment]
    advice: dict[str, Advice]
    next_steps: dict[str, NextStep]
    texts: dict[str, Phrase]
    medicines: dict[str, Medicine]
    workup: dict[str, WorkupTest]
    scores: dict[str, ScoreDef]
    screening: dict[str, ScreeningTest]
    default_preset: str = "acg2017"
    # the preset used when the input names none, by report language (China WS/T 404 for zh)
    language_presets: dict[str, str] = field(default_factory=lambda: {"zh": "cn-wst404"})
    healthy_preset: str = "acg2017"
    languages: tuple[Language, ...] = field(default=LANGUAGES)
    missing_translations: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def preset_for(self, language: str) -> str:
        return self.language_presets.get(language, self.default_preset)

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


def _untranslated(kb: KnowledgeBase, lang: Language) -> tuple[str, ...]:
    found: list[str] = []
    for name in kb.__dataclass_fields__:
        for where, text in _walk_texts(getattr(kb, name), name):
            if not getattr(text, lang):
                found.append(where)
    return tuple(found)


def fill(text: Text, lang: Language, where: str, /, **values: object) -> str:
    try:
        return text.get(lang).format(**values)
    except (KeyError, IndexError) as exc:
        raise KnowledgeError(f"{where}: text needs placeholder {exc}") from exc


def _check_references(kb: KnowledgeBase) -> None:
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
        for tr in c.treatments:
            need("treatment", tr, kb.treatments, f"causes.yaml:{c.id}")
        for ad in c.advice:
            need("advice", ad, kb.advice, f"causes.yaml:{c.id}")
    codes: dict[str, str] = {}
    for a in kb.analytes.values():
        for code in a.loinc:
            if codes.setdefault(code, a.id) != a.id:
                problems.append(f"analytes.yaml: LOINC {code} given for {codes[code]} and {a.id}")
    for screen in kb.screening.values():
        cite(screen.sources, f"screening.yaml:{screen.id}")
    for score in kb.scores.values():
        cite(score.sources, f"scores.yaml:{score.id}")
    for test in kb.workup.values():
        for rule in test.rules:
            cite(rule.sources, f"workup.yaml:{test.id}")
    for med in kb.medicines.values():
        cite(med.sources, f"medicines.yaml:{med.id}")
    for group in (kb.treatments, kb.advice, kb.next_steps, kb.texts):
        for item in group.values():
            cite(item.sources, f"{type(item).__name__}:{item.id}")
    for preset_id in (kb.default_preset, kb.healthy_preset, *kb.language_presets.values()):
        if preset_id not in kb.presets:
            problems.append(f"preset {preset_id!r} is not defined")
    if problems:
        raise KnowledgeError("; ".join(problems))


@cache
def load_knowledge() -> KnowledgeBase:
    """Load, validate and cache the packaged knowledge base."""
    limits = _read_yaml("limits.yaml")
    thresholds = _read_yaml("thresholds.yaml")
    vocab = _read_yaml("vocabulary.yaml")
    try:
        vocabulary = Vocabulary.model_validate(vocab)
        likelihood = LikelihoodCutoffs.model_validate(thresholds.pop("likelihood", None))
    except ValidationError as exc:
        raise KnowledgeError(f"vocabulary.yaml / thresholds.yaml: {exc}") from exc
    causes = _parse("causes.yaml", "causes", Cause, _read_yaml("causes.yaml")) + _parse(
        "causes_guideline.yaml", "causes", Cause, _read_yaml("causes_guideline.yaml")
    )
    ids = [c.id for c in causes]
    if len(ids) != len(set(ids)):
        raise KnowledgeError(f"cause ids repeated across causes files: {ids}")
    kb = KnowledgeBase(
        sources=_by_id(_parse("sources.yaml", "sources", Source, _read_yaml("sources.yaml"))),
        unit_families=_by_id(
            _parse("units.yaml", "unit_families", UnitFamily, _read_yaml("units.yaml"))
        ),
        analytes=_by_id(_parse("analytes.yaml", "analytes", Analyte, _read_yaml("analytes.yaml"))),
        presets=_by_id(_parse("limits.yaml", "presets", Preset, limits)),
        thresholds=_by_id(_parse("thresholds.yaml", "thresholds", Threshold, thresholds)),
        likelihood=likelihood,
        vocabulary=vocabulary,
        urgency_rules=_parse("urgency.yaml", "rules", UrgencyRule, _read_yaml("urgency.yaml")),
        causes=_by_id(causes),
        treatments=_by_id(
            _parse("treatments.yaml", "treatments", Treatment, _read_yaml("treatments.yaml"))
        ),
        advice=_by_id(_parse("advice.yaml", "advice", Advice, _read_yaml("advice.yaml"))),
        next_steps=_by_id(
            _parse("next_steps.yaml", "next_steps", NextStep, _read_yaml("next_steps.yaml"))
        ),
        texts=_texts(),
        medicines=_by_id(
            _parse("medicines.yaml", "medicines", Medicine, _read_yaml("medicines.yaml"))
        ),
        workup=_by_id(_parse("workup.yaml", "tests", WorkupTest, _read_yaml("workup.yaml"))),
        scores=_by_id(_parse("scores.yaml", "scores", ScoreDef, _read_yaml("scores.yaml"))),
        screening=_by_id(
            _parse("screening.yaml", "tests", ScreeningTest, _read_yaml("screening.yaml"))
        ),
    )
    _check_references(kb)
    missing: dict[str, tuple[str, ...]] = {lang: _untranslated(kb, lang) for lang in kb.languages}
    return replace(kb, missing_translations=missing)
