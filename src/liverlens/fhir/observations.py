"""One FHIR Observation -> one lab entry of the input contract, and a patient's panels by day.

What an Observation can carry that a careless reader gets wrong, and how it is read here:

- ``valueQuantity.comparator`` (``<5``, ``>1000``) makes the value a bound (contract
  ``comparator``), never an exact value;
- ``valueString`` is read when it is a number or a bound (``"85"``, ``"<5 U/L"``), and said
  (a note) when it is words;
- a ``referenceRange`` in another unit than the value (0.6 µkat/L beside 90 U/L) is converted
  to the value's unit; in a unit LiverLens does not know it is left out, and said;
- partial dates (``"2024"``, ``"1970-05"``) are read as the period they name: a test dated
  only to a month counts from the month's first day, a birth date only to a year gives the
  youngest age it allows;
- two results of one test on one day: the later one is used and the earlier one is said;
  two different results at the same moment are refused (which one is right cannot be known).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from liverlens.errors import InputError, Issue, issue
from liverlens.inputs.numbers import NotANumber, read_number
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.units import from_canonical, to_canonical, unit_for

LOINC = "http://loinc.org"
_BOUNDS = {"≤": "<=", "≥": ">=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_VALUE_STRING = re.compile(r"\s*(<=|>=|≤|≥|<|>)?\s*([0-9][0-9.,\s]*?)\s*([^\d\s].*)?\s*")


@dataclass(frozen=True)
class PartialDate:
    """A FHIR date that may name only a year or a month: the period it covers."""

    text: str
    start: date
    end: date
    precision: Literal["year", "month", "day"]

    def youngest_age_on(self, day: date) -> int:
        """Whole years from the latest day the period allows (a birth date) to ``day``."""
        born = self.end
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def partial_date(value: Any) -> PartialDate | None:
    """A date, a datetime or FHIR's partial ``YYYY`` / ``YYYY-MM`` text, as a period."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return PartialDate(value.isoformat(), value.date(), value.date(), "day")
    if isinstance(value, date):
        return PartialDate(value.isoformat(), value, value, "day")
    text = str(value)
    year, _, month = text.partition("-")
    if month:
        y, m = int(year), int(month[:2])
        last = calendar.monthrange(y, m)[1]
        return PartialDate(text, date(y, m, 1), date(y, m, last), "month")
    return PartialDate(text, date(int(year), 1, 1), date(int(year), 12, 31), "year")


@dataclass(frozen=True)
class Reading:
    """One usable result: its test, day, exact moment when known, and the contract entry."""

    analyte: str
    day: date
    moment: datetime | None
    lab: dict[str, Any]
    source: str  # "Observation/<id>", for notes


def _when(resource: Any) -> Any:
    period = resource.effectivePeriod.start if resource.effectivePeriod else None
    return resource.effectiveDateTime or period or resource.effectiveInstant or resource.issued


def _value(resource: Any, where: str, notes: list[Issue]) -> dict[str, Any] | None:
    quantity = resource.valueQuantity
    if quantity is not None and quantity.value is not None:
        lab: dict[str, Any] = {"value": float(quantity.value)}
        if quantity.comparator:
            lab["comparator"] = _BOUNDS[quantity.comparator]
        unit = quantity.code or quantity.unit
        if unit:
            lab["unit"] = unit
        return lab
    if resource.valueString is not None:
        match = _VALUE_STRING.fullmatch(resource.valueString)
        try:
            if match is None:
                raise NotANumber(resource.valueString, "not_number")
            lab = {"value": read_number(match.group(2))}
        except NotANumber:
            notes.append(issue(where, "note.fhir.value_string", given=repr(resource.valueString)))
            return None
        if match.group(1):
            lab["comparator"] = _BOUNDS[match.group(1)]
        if match.group(3):
            lab["unit"] = match.group(3).strip()
        return lab
    notes.append(issue(where, "note.fhir.no_value"))
    return None


def _limits(
    kb: KnowledgeBase,
    analyte: str,
    resource: Any,
    lab: dict[str, Any],
    where: str,
    notes: list[Issue],
) -> None:
    """The first reference range's limits, in the value's own unit."""
    value_unit = unit_for(kb, analyte, lab.get("unit"))
    for rr in resource.referenceRange or []:
        for bound, key in ((rr.high, "upper_limit"), (rr.low, "lower_limit")):
            if bound is None or bound.value is None:
                continue
            spelling = bound.code or bound.unit
            range_unit = unit_for(kb, analyte, spelling) if spelling else value_unit
            if range_unit is None or value_unit is None:
                notes.append(issue(where, "note.fhir.range_unit", unit=repr(spelling)))
                continue
            canonical = to_canonical(float(bound.value), range_unit)
            lab[key] = from_canonical(canonical, value_unit)
        return


def read_observation(
    kb: KnowledgeBase,
    resource: Any,
    notes: list[Issue],
    unrecognised: list[dict[str, str]],
    today: date,
) -> Reading | None:
    """The reading an Observation gives, or None (with the reason in ``notes`` or its codes
    in ``unrecognised``)."""
    where = f"Observation/{resource.id}" if resource.id else "Observation"
    codes = [c for c in (resource.code.coding or []) if c.system == LOINC]
    analyte = next((kb.loinc_index[c.code] for c in codes if c.code in kb.loinc_index), None)
    if analyte is None:
        for c in resource.code.coding or [{}]:
            unrecognised.append(
                {
                    "system": getattr(c, "system", None) or "",
                    "code": getattr(c, "code", None) or "",
                    "display": getattr(c, "display", None) or resource.code.text or "",
                }
            )
        return None
    lab = _value(resource, where, notes)
    if lab is None:
        return None
    _limits(kb, analyte, resource, lab, where, notes)
    when = _when(resource)
    period = partial_date(when) or PartialDate(today.isoformat(), today, today, "day")
    if when is not None and period.precision != "day":
        notes.append(issue(where, "note.fhir.partial_date", given=period.text))
    moment = when if isinstance(when, datetime) else None
    return Reading(analyte, period.start, moment, lab, where)


def panels_by_day(readings: Iterable[Reading], notes: list[Issue]) -> dict[date, dict[str, Any]]:
    """day -> {analyte: lab}: one result per test and day, the latest by time."""
    grouped: dict[tuple[date, str], list[Reading]] = {}
    for r in readings:
        grouped.setdefault((r.day, r.analyte), []).append(r)
    panels: dict[date, dict[str, Any]] = {}
    for (day, analyte), found in sorted(grouped.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        distinct = {repr(sorted(r.lab.items())): r for r in found}
        found = list(distinct.values())
        if len(found) > 1:
            timed = sorted(found, key=lambda r: (r.moment is not None, r.moment or datetime.min))
            last = timed[-1]
            if last.moment is None or sum(r.moment == last.moment for r in timed) > 1:
                raise InputError(
                    issue(
                        "FHIR",
                        "error.fhir.conflicting_results",
                        test=analyte,
                        day=day.isoformat(),
                        values=", ".join(f"{r.lab['value']:g}" for r in found),
                    )
                )
            for earlier in timed[:-1]:
                notes.append(
                    issue(
                        earlier.source,
                        "note.fhir.same_day",
                        test=analyte,
                        value=f"{earlier.lab['value']:g}",
                        kept=f"{last.lab['value']:g}",
                    )
                )
            found = [last]
        panels.setdefault(day, {})[analyte] = found[0].lab
    return panels
