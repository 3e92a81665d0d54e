"""The ``liverlens`` command group and what every command shares: the language of its
messages, how a bad input is said (one line on stderr, exit 2), and reading input files.

Exit codes: 0 ok; 1 a missing optional part; 2 the input was not acceptable (one line on
stderr, nothing on stdout); 3 a batch finished but rejected some rows. An abnormal result is
output, not an error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from liverlens import i18n
from liverlens.errors import InputError, MissingExtraError, issue
from liverlens.knowledge import load_knowledge

EXIT_BAD_INPUT = 2
EXIT_REJECTED_ROWS = 3


def words(text_id: str, **values: object) -> str:
    """A CLI text from messages.yaml in the person's language (LIVERLENS_LANG or the locale)."""
    return load_knowledge().say(text_id, i18n.for_cli(), **values)


def say(text_id: str, **values: object) -> None:
    """One ``liverlens: ...`` line on stderr."""
    click.echo(f"liverlens: {words(text_id, **values)}", err=True)


def fail(exc: InputError, lang: str | None = None) -> NoReturn:
    """Say what was wrong with the input, in the person's language, and exit 2."""
    lines = i18n.describe(exc, i18n.known(lang) or i18n.for_cli())
    click.echo(f"liverlens: {'; '.join(lines)}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def read_input(path: str) -> dict[str, Any]:
    raw = read_text(path, "--input")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(
            issue("--input", "error.file.not_json", detail=exc.msg, line=exc.lineno)
        ) from exc
    if not isinstance(data, dict):
        raise InputError(issue("--input", "error.cli.input_not_object"))
    return data


def read_text(path: str, option: str) -> str:
    try:
        return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            issue(option, "error.file.cannot_open", path=repr(path), detail=exc.strerror)
        ) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="liverlens")
def cli() -> None:
    """LiverLens explains abnormal liver enzyme results, ALT first."""


def main() -> None:
    try:
        cli()
    except MissingExtraError as exc:
        say("error.cli.missing_extra", extra=exc.extra)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
