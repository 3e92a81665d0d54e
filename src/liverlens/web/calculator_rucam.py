"""The RUCAM calculator page: a suspected medicine scored from its dates and the results.

Unlike the lab scores, RUCAM is scored per medicine from when it was started and stopped and
when the tests first turned abnormal (``engine/rucam.py``). This page asks for those facts,
puts them in the input contract as a dated medicine, and shows what ``liverlens.api.findings``
scored, item by item, in the report's own words (``rucam.yaml``). Items it has no facts for
(the course after stopping, other causes, re-exposure) score 0, as in a report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from liverlens import i18n
from liverlens.api import findings
from liverlens.engine.rucam import RucamResult
from liverlens.errors import InputError
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.schema import Language
from liverlens.web.calculators import (
    CalcField,
    Calculator,
    Kind,
    Outcome,
    Result,
    cited,
    explained,
    lab_field,
    missing,
    only,
    person_field,
)
from liverlens.web.forms import field_for, to_input

RUCAM = "rucam"
SUSPECT = "medicine"
OTHERS = "other_medicines"
_DATES = {"started_on": "ui.calc.field.started_on", "stopped_on": "ui.calc.field.stopped_on"}
_MEDICINE = re.compile(r"context\.medications\.(\d+)(?:\.(\w+))?")


def _spans(kb: KnowledgeBase) -> list[str]:
    """Each band's totals as a reader writes them: ``≤0``, ``1–2``, ..., ``≥9``."""
    out, low = [], None
    for band in kb.rucam.bands:
        if band.up_to is None:
            out.append(f"≥{low}")
        elif low is None:
            out.append(f"≤{band.up_to}")
        else:
            out.append(f"{low}–{band.up_to}" if low != band.up_to else str(low))
        low = None if band.up_to is None else band.up_to + 1
    return out


def rucam_calculator(kb: KnowledgeBase, lang: Language) -> Calculator:
    defs = kb.rucam
    date_hint = kb.say("ui.calc.accepts_date", lang)

    def text(key: str, label: str, kind: Kind, accepts: str, required: bool = True) -> CalcField:
        return CalcField(key, kind, kb.say(label, lang), accepts, required)

    fields = (
        text(SUSPECT, "ui.calc.field.medicine", "text", kb.say("ui.calc.accepts_text", lang)),
        text("started_on", _DATES["started_on"], "date", date_hint),
        text("stopped_on", _DATES["stopped_on"], "date", date_hint, required=False),
        text("collected_on", "ui.calc.field.first_abnormal", "date", date_hint),
        lab_field(kb, "alt", lang, with_limit=True, required=False),
        lab_field(kb, "alp", lang, with_limit=True, required=False),
        person_field(kb, "age", lang, required=False),
        person_field(kb, "sex", lang, required=False),
        person_field(kb, "alcohol_grams_per_week", lang, required=False),
        person_field(kb, "pregnant", lang, required=False),
        text(
            OTHERS,
            "ui.calc.field.other_medicines",
            "words",
            kb.say("ui.calc.accepts_words", lang),
            required=False,
        ),
    )
    notes = (*defs.when_to_use, *defs.pitfalls)
    bands = tuple(
        (b.id, kb.say("ui.calc.headline", lang, name=span, value=b.name.get(lang)))
        for b, span in zip(defs.bands, _spans(kb), strict=True)
    )
    return Calculator(
        id=RUCAM,
        name=defs.name.get(lang),
        about=defs.about.get(lang),
        fields=fields,
        when_to_use=defs.when_to_use,
        pitfalls=defs.pitfalls,
        sources=cited(kb, defs.sources, *(n.sources for n in notes)),
        bands=bands,
    )


def _medicines(form: Mapping[str, str]) -> list[Any]:
    """The suspect as a dated medicine, then the others by name (undated), so RUCAM weighs
    them as other medicines of unknown timing."""
    suspect: dict[str, Any] = {"name": form.get(SUSPECT, "").strip()}
    for key in _DATES:
        if form.get(key, "").strip():
            suspect[key] = form[key].strip()
    others = [w.strip() for w in re.split(r"[\n,;]+", form.get(OTHERS, "")) if w.strip()]
    return [suspect, *others] if suspect["name"] else others  # no suspect: "needs this"


def _medicine_field(path: str) -> str | None:
    """The page field an input issue about ``context.medications.N[.part]`` belongs to."""
    found = _MEDICINE.fullmatch(path)
    if found is None:
        return None
    if found[1] != "0":
        return OTHERS
    return found[2] if found[2] in _DATES else SUSPECT


def _lines(
    kb: KnowledgeBase, result: RucamResult, lang: Language
) -> tuple[tuple[str, str, str], ...]:
    out = []
    for line in result.lines:
        item = kb.rucam.item(line.item)
        finding = item.outcome(line.outcome).text.get(lang).format(**line.values)
        out.append((item.name.get(lang), finding, f"{line.points:+d}" if line.points else "0"))
    return tuple(out)


def rucam_result(kb: KnowledgeBase, result: RucamResult, lang: Language) -> Result:
    """RUCAM for the suspect in the report's words: the total, its band, every item."""
    defs = kb.rucam
    if result.unrelated:
        meaning = kb.say("medicines.rucam_unrelated", lang, name=result.given)
    else:
        meaning = kb.say(
            "medicines.rucam",
            lang,
            name=result.given,
            version=kb.say(f"label.rucam_{result.version}", lang),
            total=result.total,
            band=defs.band(result.total).name.get(lang),
            low=result.low,
            high=result.high,
        )
    shown = kb.say("ui.calc.points", lang, value=result.total)
    if result.unrelated:  # ruled out by the dates, whatever the other items add up to
        shown = next(b.name.get(lang) for b in defs.bands if b.id == result.band)
    return Result(defs.name.get(lang), shown, result.band, meaning, (), _lines(kb, result, lang))


def _engine(
    kb: KnowledgeBase, form: Mapping[str, str], lang: Language
) -> tuple[dict[str, str], tuple[RucamResult, ...] | None]:
    """Run the engine on the page's facts, the suspect as a dated medicine: its problems by
    page field (those about a medicine go to the medicine and date fields), and RUCAM."""
    lab_and_person = {k: v for k, v in form.items() if k not in (SUSPECT, OTHERS, *_DATES)}
    data, errors = to_input(kb, lab_and_person, lang)
    data.setdefault("context", {})["medications"] = _medicines(form)
    try:
        return dict(errors), findings(data).rucam
    except InputError as exc:
        out: dict[str, str] = {}
        for problem in exc.details:
            key = _medicine_field(problem.field) or field_for(problem.field)
            said = i18n.said(problem, lang)
            out[key] = f"{out[key]}; {said}" if key in out else said
        return out | dict(errors), None


def calculate_rucam(kb: KnowledgeBase, raw: Mapping[str, Any], lang: Language) -> Outcome:
    """A submitted RUCAM page: the suspect's score, or every problem beside its field."""
    calc = rucam_calculator(kb, lang)
    form = only(calc, raw)
    errors, scored = _engine(kb, form, lang)
    if not form.get("alt_value", "").strip() and not form.get("alp_value", "").strip():
        errors.setdefault("alt_value", kb.say("ui.calc.rucam.needs_lab", lang))
        errors.pop("labs", None)
    missing(calc, form, errors, kb.say("ui.calc.needs", lang, score=calc.name))
    if not errors and not scored:  # nothing above its limit: no injury to score
        errors["alt_value"] = kb.say("ui.calc.rucam.no_injury", lang)
    if errors or not scored:
        return Outcome(form, explained(kb, calc, errors, lang))
    return Outcome(form, {}, rucam_result(kb, scored[0], lang))
