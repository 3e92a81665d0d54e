"""``liverlens extract``: read a lab report (PDF, photo, scan) and print what was read.

With ``--format json`` the output is the input contract plus each field's evidence, so it can
be checked, edited and given to ``liverlens explain --input``. ``explain --report`` does both
in one step and prints what it read on stderr first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from liverlens import i18n
from liverlens.cli.base import cli, fail, words
from liverlens.errors import InputError, issue
from liverlens.knowledge import load_knowledge

if TYPE_CHECKING:  # the reader is imported when a file is read, not by every command
    from liverlens.extract import Extraction


def read_files(paths: tuple[str, ...]) -> Extraction:
    """Read the files given on the command line as one report."""
    from liverlens.extract import read_report

    files = []
    for path in paths:
        try:
            files.append((Path(path).name, Path(path).read_bytes()))
        except OSError as exc:
            raise InputError(
                issue("FILE", "error.file.cannot_open", path=repr(path), detail=exc.strerror)
            ) from exc
    return read_report(files)


def _limits(lower: float | None, upper: float | None) -> str:
    if lower is not None and upper is not None:
        return f"{lower:g}-{upper:g}"
    if upper is not None:
        return f"<= {upper:g}"
    return f">= {lower:g}" if lower is not None else ""


def as_text(found: Extraction, lang: str) -> str:
    """What was read, one test a line, the ones to check marked, then what was not read."""
    kb = load_knowledge()
    lines = [words("cli.extract_read", count=len(found.fields), pages=len(found.pages))]
    lines.append(words("cli.extract_heading"))
    low = {id(f) for f in found.needs_checking()}
    for f in found.fields:
        name = kb.analytes[f.analyte].short.get(lang)
        value = f"{f.comparator or ''}{f.value:g}" if f.value is not None else ""
        mark = f"  <- {words('cli.extract_check')}" if id(f) in low else ""
        lines.append(
            f"{name} | {value} | {f.unit or ''} | {_limits(f.lower_limit, f.upper_limit)} | "
            f"{f.confidence:.0%} | {f.page}{mark}"
        )
    for u in found.unread:
        lines.append(words("cli.extract_unread", text=u.text, reason=kb.say(u.reason, lang)))
    missing = words("cli.extract_not_printed")
    lines.append(
        words(
            "cli.extract_person",
            sex=found.sex or missing,
            age=f"{found.age:g}" if found.age is not None else missing,
            date=found.collected_on or missing,
        )
    )
    return "\n".join(lines) + "\n"


@cli.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table to check; json: the input contract plus fields and unread lines.",
)
@click.option("--lang", help="Language of the text output and messages.")
def extract(files: tuple[str, ...], fmt: str, lang: str | None) -> None:
    """Read a lab report (PDF, JPEG, PNG, HEIC; several pages or files) on this machine.

    Example:

        liverlens extract report.pdf

        liverlens extract page1.jpg page2.jpg --format json > case.json
    """
    language = i18n.known(lang) or i18n.for_cli()
    try:
        found = read_files(files)
    except InputError as exc:
        fail(exc, language)
    if fmt == "json":
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(as_text(found, language), nl=False)
