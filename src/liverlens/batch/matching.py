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

from liverlens.knowledge import KnowledgeBase
from liverlens.knowledge.names import fold

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
    ignore: frozenset[str] = frozenset(),
) -> ColumnMatch:
    """Describe ``resolved`` (field -> column) over ``columns``.

    ``names`` is field -> the names it is found by, in field order; ``ignore`` are columns
    that are neither read nor suspicious (an id column a cohort reads itself).
    """
    order = {f: i for i, f in enumerate(names)}
    used = dict(sorted(resolved.items(), key=lambda item: order.get(item[0], len(order))))
    taken = set(resolved.values()) | ignore
    lookalikes: list[Lookalike] = []
    for column in columns:
        if column in taken:
            continue
        for field_name, field_names in names.items():
            if any(_names_in(n, column) for n in field_names):
                owner = _owner(field_name, kb)
                lookalikes.append(Lookalike(column, owner, resolved.get(owner)))
                break
    missing = tuple(f for f in KEY_FIELDS if f not in resolved)
    return ColumnMatch(used, missing, tuple(lookalikes))
