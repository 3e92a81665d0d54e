"""The ``liverlens`` command group and what every command shares: the language of its
messages, how a bad input is said (one line on stderr, exit 2), and reading input files.

Exit codes: 0 ok; 1 a missing optional part; 2 the input was not acceptable (one line on
stderr, nothing on stdout); 3 a batch finished but rejected some rows. An abnormal result is
output, not an error.
"""

from __future__ import annotations

import json
import os
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


_finished = False  # set by ``finished``: the command succeeded and holds nothing to release


def finished() -> None:
    """Say that the command has written all it will and holds nothing that needs closing
    (no open file, database session, thread or temporary directory), so ``main`` may end the
    process at once instead of tearing the interpreter down: freeing every module's objects
    took about 50 ms of a 0.4 s ``liverlens explain`` here. Only for
    a command's successful end; an error still exits the ordinary way."""
    global _finished
    _finished = True


def _exit_now() -> None:
    """End the process with code 0 after flushing what was written; if the output cannot be
    flushed (a closed pipe), fall back to the ordinary exit, which says so."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        return
    os._exit(0)


def main() -> None:
    try:
        cli()
    except MissingExtraError as exc:
        say("error.cli.missing_extra", extra=exc.extra)
        sys.exit(1)
    except SystemExit as done:
        if _finished and done.code in (0, None):
            _exit_now()
        raise


if __name__ == "__main__":  # pragma: no cover
    main()
