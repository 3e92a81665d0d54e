"""Which input column feeds which field, and which columns look like a field but feed none.

A table that names its sex column ``Gender`` and is read without it judges every man by the
limits for sex not given, and nothing in the output says so. ``match_columns`` describes what
``TableSpec.resolve`` decided, so ``batch`` and ``cohort`` can say it before they run: every
field with its column, the fields that change the judgement of every row when absent (sex and
age), and the columns that name a test or a field but were not read (a second ALT column
``SGPT`` beside ``ALT``, ``ALT_flag``, ``patient_gender_code``). ``--strict`` turns the
look-alikes into an error.

A look-alike is found by the names the field is found by (``table._names``): a long name
(six characters or more, or any name in Chinese) anywhere in the folded column name, a short
one (``ALT``, ``age``, ``Na``) as a whole word of it, so ``page`` is not ``age`` and
``caucasian`` is not ``asian``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from liverlens.errors import Issue, issue
from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.names import fold
from liverlens.knowledge.table_words import load_table_words

# Fields whose absence changes every row's judgement: without sex, the limit for sex not given
# (the lower one where men's and women's differ); without age, no FIB-4, NFS or age-banded limit.
KEY_FIELDS = ("sex", "age")
_LONG = 6
_CJK = re.compile(r"[\u4e00-\u9fff]")
# words of a column name: "SerumALT_U/L" -> serum, alt, u, l; CJK runs and digits are words too
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[α-ω]+|[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Lookalike:
    """An input column that names ``field`` but feeds nothing; ``read_from`` is the column
    the field is read from instead, if any."""

    column: str
    field: str
    read_from: str | None


@dataclass(frozen=True)
class ColumnMatch:
    """What a table's columns feed: ``used`` field -> column (in field order), the key fields
    not found, and the look-alike columns."""

    used: dict[str, str]
    missing: tuple[str, ...]
    lookalikes: tuple[Lookalike, ...]


def _words(column: str) -> set[str]:
    return {fold(w) for w in _WORDS.findall(column)} - {""}


def _names_in(name: str, column: str) -> bool:
    """Whether a field's name ``name`` appears in ``column`` (see the module docstring)."""
    folded = fold(name)
    if not folded:
        return False
    if len(folded) >= _LONG or _CJK.search(folded):
        return folded in fold(column)
    return folded in _words(column)


def _owner(field_name: str, kb: KnowledgeBase) -> str:
    """The field a look-alike is reported as: an analyte's unit or limit column is the
    analyte's (``alt_upper`` -> ``alt``)."""
    for suffix in ("_unit", "_upper"):
        base = field_name.removesuffix(suffix)
        if base != field_name and base in kb.analytes:
            return base
    return field_name


def match_columns(
    kb: KnowledgeBase,
    columns: list[str],
    resolved: Mapping[str, str],
    names: Mapping[str, list[str]],
    key_fields: tuple[str, ...] = KEY_FIELDS,
) -> ColumnMatch:
    """Describe ``resolved`` (field -> column) over ``columns``.

    ``names`` is field -> the names it is found by, in field order; ``key_fields`` the fields
    whose absence is said (a cohort's age comes from ``birth_date``).
    """
    order = {f: i for i, f in enumerate(names)}
    used = dict(sorted(resolved.items(), key=lambda item: order.get(item[0], len(order))))
    taken = set(resolved.values())
    lookalikes: list[Lookalike] = []
    for column in columns:
        if column in taken:
            continue
        for field_name, field_names in names.items():
            if any(_names_in(n, column) for n in field_names):
                owner = _owner(field_name, kb)
                lookalikes.append(Lookalike(column, owner, resolved.get(owner)))
                break
    missing = tuple(f for f in key_fields if f not in resolved)
    return ColumnMatch(used, missing, tuple(lookalikes))


# A cohort's fields and the names each is found by besides its own (table_words.yaml);
# the person id, dates, test, value and unit are the documented names or a --map.
COHORT_KEY_FIELDS = ("sex", "birth_date")


def cohort_names(field_names: list[str]) -> dict[str, list[str]]:
    """Field -> the names a cohort's column is found by: its own, and for sex and the birth
    date the names tables use (``Gender``, ``DOB``)."""
    words = load_table_words()
    return {f: [f, *words.field_names(f)] for f in field_names}


def find_cohort_columns(
    columns: list[str], field_names: list[str], mapping: Mapping[str, str]
) -> tuple[dict[str, str], list[Issue]]:
    """Field -> column for a cohort: ``mapping`` first (``--map sex=Gender``), then the names
    of ``cohort_names``; and the problems with ``mapping`` (an unknown field, a column the
    table lacks)."""
    problems: list[Issue] = []
    for f, column in mapping.items():
        if f not in field_names:
            accepted = ", ".join(field_names)
            problems.append(issue(f"--map {f}", "error.input.unknown_field", accepted=accepted))
        elif column not in columns:
            problems.append(
                issue(f"--map {f}={column}", "error.batch.no_column", column=repr(column))
            )
    found = {f: c for f, c in mapping.items() if f in field_names and c in columns}
    by_key = {fold(c): c for c in columns}
    for f, names in cohort_names(field_names).items():
        if f in found:
            continue
        hit = next((by_key[fold(n)] for n in names if fold(n) in by_key), None)
        if hit is not None and hit not in found.values():
            found[f] = hit
    return found, problems
