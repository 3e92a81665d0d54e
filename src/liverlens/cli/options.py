"""Options generated from the knowledge base and the input contract, and the input
contract built back from them.

Lab options come from ``analytes.yaml`` (``--<id>``, ``--<id>-unit``, ``--<id>-upper``); person
and context options from ``inputs.fields``, so a new analyte or contract field gets its options
without a change here.
"""

from __future__ import annotations

from typing import Any

import click

from liverlens.errors import InputError, Issue, issue
from liverlens.inputs import input_fields
from liverlens.inputs.numbers import NotANumber, number_issue, read_number
from liverlens.knowledge import load_knowledge


def opt(analyte: str) -> str:
    return analyte.replace("_", "-")


def lab_options(func: Any) -> Any:
    kb = load_knowledge()
    for a in reversed(list(kb.analytes)):
        short = kb.analytes[a].short.en
        family = kb.family_of(a)
        units = ", ".join(u.unit for u in family.units)
        func = click.option(
            f"--{opt(a)}-upper",
            f"{a}_upper",
            metavar="N",
            help=f"Your lab's upper limit for {short}.",
        )(func)
        func = click.option(
            f"--{opt(a)}-unit",
            f"{a}_unit",
            metavar="UNIT",
            help=f"Unit of {short} (default {family.canonical}; {units}).",
        )(func)
        func = click.option(f"--{opt(a)}", a, metavar="N", help=f"{short} result.")(func)
    return func


def number(text: str, option: str, problems: list[Issue]) -> float | None:
    """A number typed on the command line; "1,000" is asked about and "nan" refused, each
    as a problem of ``option`` (all of them are reported together)."""
    try:
        return read_number(text)
    except NotANumber as problem:
        problems.append(number_issue(option, problem))
        return None


def drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != []}


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def field_options(func: Any) -> Any:
    """``--age``, ``--pregnant/--not-pregnant``, ``--medication`` ... for every person and
    context field of the input contract (``inputs.fields``), in contract order."""
    for f in reversed(input_fields()):
        if f.kind == "flag":
            func = click.option(
                f"{f.option}/--{f.off}-{f.option[2:]}", f.short, default=None, help=f.help
            )(func)
        elif f.kind == "words":
            func = click.option(
                f"--no-{f.name.replace('_', '-')}",
                f"no_{f.name}",
                is_flag=True,
                help=f"None: you have no {f.name.replace('_', ' ')}.",
            )(func)
            func = click.option(f.option, f.short, multiple=True, help=f.help)(func)
        else:
            metavar = "|".join(f.choices) if f.choices else "N"
            func = click.option(f.option, f.short, metavar=metavar, help=f.help)(func)
    return func


def from_options(opts: dict[str, Any]) -> dict[str, Any]:
    kb = load_knowledge()
    labs: dict[str, Any] = {}
    problems: list[Issue] = []
    for a in kb.analytes:
        value, unit, upper = opts[a], opts[f"{a}_unit"], opts[f"{a}_upper"]
        if value is None:
            if unit is not None or upper is not None:
                problems.append(issue(f"--{opt(a)}", "error.lab.unit_without_value"))
            continue
        labs[a] = drop_none(
            {
                "value": number(value, f"--{opt(a)}", problems),
                "unit": unit,
                "upper_limit": None
                if upper is None
                else number(upper, f"--{opt(a)}-upper", problems),
            }
        )
    groups: dict[str, dict[str, Any]] = {"person": {}, "context": {}}
    for f in input_fields():
        given = opts[f.short]
        if f.kind == "words":
            if opts[f"no_{f.name}"]:
                if given:
                    none = f"--no-{f.name.replace('_', '-')}"
                    problems.append(issue(none, "error.cli.none_and_some", some=f.option))
                groups[f.group][f.name] = []
            elif given:
                groups[f.group][f.name] = list(given)
        elif given is not None and f.kind == "number":
            groups[f.group][f.name] = number(given, f.option, problems)
        elif given is not None:
            groups[f.group][f.name] = given
    if problems:
        raise InputError(problems)
    data: dict[str, Any] = drop_none(
        {
            "reference": opts["reference"],
            "language": opts["lang"],
            "collected_on": opts["collected_on"],
        }
    )
    if labs:
        data["labs"] = labs
    data.update({group: values for group, values in groups.items() if values})
    return data
