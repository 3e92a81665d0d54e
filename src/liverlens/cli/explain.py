"""``liverlens explain``, ``fhir export`` and ``rules``: one panel in, its report out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from liverlens import i18n
from liverlens.api import interpret
from liverlens.cli.base import cli, fail, finished, read_input, read_text, say
from liverlens.cli.options import field_options, from_options, lab_options, merge
from liverlens.errors import InputError, issue
from liverlens.knowledge import load_knowledge
from liverlens.report.render import FORMATS

if TYPE_CHECKING:  # the FHIR reader is imported by the FHIR options, when given
    from liverlens.fhir.inbound import FhirInput


def fhir_input(path: str) -> dict[str, Any]:
    from liverlens.fhir.inbound import from_text

    found = from_text(load_knowledge(), read_text(path, "--fhir"))
    say_left_out(found)
    return found.data


def say_left_out(found: FhirInput) -> None:
    """On stderr: the codes not used, and what else the FHIR reader left out or chose."""
    for item in found.unrecognised:
        code = f"{item['system']}|{item['code']} {item['display']}".rstrip()
        say("cli.code_not_used", code=code)
    for note in found.notes:
        click.echo(f"liverlens: {i18n.line(note, i18n.for_cli())}", err=True)


def _from_report(paths: tuple[str, ...], lang: str) -> dict[str, Any]:
    """The input contract read from a lab report, after showing on stderr what was read."""
    from liverlens.cli.extract import as_text, read_files

    found = read_files(paths)
    click.echo(as_text(found, lang), err=True, nl=False)
    return found.to_input()


@cli.command()
@lab_options
@field_options
@click.option("--collected-on", help="Date of the test, YYYY-MM-DD.")
@click.option(
    "--reference",
    help=f"Limit preset: {', '.join(load_knowledge().presets)} "
    f"(default {load_knowledge().default_preset}, or the report language's own).",
)
@click.option(
    "--lang",
    help=f"Report and message language: {', '.join(load_knowledge().languages)} "
    "(default: LIVERLENS_LANG or the locale).",
)
@click.option(
    "--input",
    "input_path",
    metavar="FILE",
    help="Read the JSON input contract from FILE ('-' for stdin); options override it.",
)
@click.option(
    "--fhir",
    "fhir_path",
    metavar="FILE",
    help="Read FHIR R4 JSON or NDJSON (Observations, a Bundle, a Patient) from FILE ('-': stdin).",
)
@click.option(
    "--report",
    "report_paths",
    metavar="FILE",
    multiple=True,
    help="Read the values from a lab report (PDF or photo; repeat for more pages); what was "
    "read is shown on stderr first, and options override it.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "pdf"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    "output_path",
    metavar="FILE",
    help="Write the report to FILE instead of stdout (required for pdf).",
)
def explain(
    input_path: str | None,
    fhir_path: str | None,
    report_paths: tuple[str, ...],
    fmt: str,
    output_path: str | None,
    **opts: Any,
) -> None:
    """Explain one liver panel: what the numbers mean, likely causes, what to do.

    Example:

        liverlens explain --alt 95 --alt-upper 50 --ast 45 --sex male --age 28
        --exercise-days-ago 1

        liverlens explain --input case.json --format json

        liverlens explain --report lab-report.pdf --sex female
    """
    lang = i18n.known(opts["lang"]) or i18n.for_cli()
    try:
        if fhir_path:
            if input_path:
                raise InputError(issue("", "error.cli.fhir_and_input"))
            data = fhir_input(fhir_path)
        else:
            data = read_input(input_path) if input_path else {}
        if report_paths:
            data = merge(_from_report(report_paths, lang), data)
        data = merge(data, from_options(opts))
        lang = i18n.known(data.get("language")) or lang
        data.setdefault("language", lang)
        if not data.get("labs"):
            raise InputError(issue("labs", "error.cli.no_labs"))
        if fmt == "pdf" and not output_path:
            raise InputError(issue("", "error.cli.pdf_needs_output"))
        report = interpret(data)
    except InputError as exc:
        fail(exc, lang)
    if fmt == "pdf":
        Path(str(output_path)).write_bytes(report.to_pdf())
        return
    text = report.render(fmt)
    if output_path:
        Path(output_path).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    finished()


@cli.group()
def fhir() -> None:
    """FHIR R4: export a report as a DiagnosticReport Bundle.

    Example:

        liverlens fhir export --fhir labs-bundle.json
    """


@fhir.command("export")
@click.option("--input", "input_path", metavar="FILE", help="The JSON input contract.")
@click.option("--fhir", "fhir_path", metavar="FILE", help="FHIR R4 JSON or NDJSON input.")
def fhir_export(input_path: str | None, fhir_path: str | None) -> None:
    """Interpret a panel and print a FHIR R4 collection Bundle: a DiagnosticReport, the
    Observations with interpretation codes, and a FIB-4 RiskAssessment when computed.

    Example:

        liverlens fhir export --fhir labs-bundle.json > report-bundle.json
    """
    from liverlens.fhir import interpret_fhir
    from liverlens.fhir.outbound import to_bundle

    try:
        if bool(input_path) == bool(fhir_path):
            raise InputError(issue("", "error.cli.one_source"))
        if fhir_path:
            result = interpret_fhir(read_text(fhir_path, "--fhir"))
            say_left_out(result.source)
            bundle = result.bundle
        else:
            bundle = to_bundle(load_knowledge(), interpret(read_input(str(input_path))))
    except InputError as exc:
        fail(exc)
    click.echo(json.dumps(bundle, ensure_ascii=False, indent=2))


@cli.command()
def rules() -> None:
    """Print every clinical rule with its threshold and sources, as Markdown.

    Example:

        liverlens rules > docs/clinical-rules.md
    """
    from liverlens.knowledge.reference import clinical_rules_markdown

    click.echo(clinical_rules_markdown(load_knowledge()), nl=False)
