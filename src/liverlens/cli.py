"""The ``liverlens`` command: a thin skin over ``liverlens.interpret``.

Each command parses its options into the input contract, calls the library once and prints the
rendering. Options for lab values are generated from the knowledge base, so a new analyte in
``analytes.yaml`` gets ``--<id>``, ``--<id>-unit`` and ``--<id>-upper`` without code changes.

Exit codes: 0 ok; 2 the input was not acceptable (one line on stderr, nothing on stdout);
3 a batch finished but rejected some rows. An abnormal result is output, not an error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from liverlens import i18n
from liverlens.api import interpret
from liverlens.errors import InputError, MissingExtraError, issue
from liverlens.extras import require
from liverlens.inputs import input_fields
from liverlens.knowledge import load_knowledge
from liverlens.report.render import FORMATS

EXIT_BAD_INPUT = 2
EXIT_REJECTED_ROWS = 3


def _words(text_id: str, **values: object) -> str:
    """A CLI text from messages.yaml in the person's language (LIVERLENS_LANG or the locale)."""
    return load_knowledge().say(text_id, i18n.for_cli(), **values)


def _say(text_id: str, **values: object) -> None:
    """One ``liverlens: ...`` line on stderr."""
    click.echo(f"liverlens: {_words(text_id, **values)}", err=True)


def _fail(exc: InputError, lang: str | None = None) -> NoReturn:
    """Say what was wrong with the input, in the person's language, and exit 2."""
    lines = i18n.describe(exc, i18n.known(lang) or i18n.for_cli())
    click.echo(f"liverlens: {'; '.join(lines)}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _opt(analyte: str) -> str:
    return analyte.replace("_", "-")


def _lab_options(func: Any) -> Any:
    kb = load_knowledge()
    for a in reversed(list(kb.analytes)):
        short = kb.analytes[a].short.en
        family = kb.family_of(a)
        units = ", ".join(u.unit for u in family.units)
        func = click.option(
            f"--{_opt(a)}-upper",
            f"{a}_upper",
            metavar="N",
            help=f"Your lab's upper limit for {short}.",
        )(func)
        func = click.option(
            f"--{_opt(a)}-unit",
            f"{a}_unit",
            metavar="UNIT",
            help=f"Unit of {short} (default {family.canonical}; {units}).",
        )(func)
        func = click.option(f"--{_opt(a)}", a, metavar="N", help=f"{short} result.")(func)
    return func


def _number(text: str) -> float | str:
    """Pass numbers through; leave anything else for the input model to reject by field."""
    try:
        return float(text)
    except ValueError:
        return text


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != []}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read_input(path: str) -> dict[str, Any]:
    raw = _read_text(path, "--input")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(
            issue("--input", "error.file.not_json", detail=exc.msg, line=exc.lineno)
        ) from exc
    if not isinstance(data, dict):
        raise InputError(issue("--input", "error.cli.input_not_object"))
    return data


def _read_text(path: str, option: str) -> str:
    try:
        return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            issue(option, "error.file.cannot_open", path=repr(path), detail=exc.strerror)
        ) from exc


def _fhir_input(path: str) -> dict[str, Any]:
    from liverlens.fhir.inbound import from_text

    found = from_text(load_knowledge(), _read_text(path, "--fhir"))
    _say_unrecognised(found.unrecognised)
    return found.data


def _say_unrecognised(items: list[dict[str, str]]) -> None:
    for item in items:
        code = f"{item['system']}|{item['code']} {item['display']}".rstrip()
        _say("cli.code_not_used", code=code)


def _field_options(func: Any) -> Any:
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


def _from_options(opts: dict[str, Any]) -> dict[str, Any]:
    kb = load_knowledge()
    labs: dict[str, Any] = {}
    for a in kb.analytes:
        value, unit, upper = opts[a], opts[f"{a}_unit"], opts[f"{a}_upper"]
        if value is None:
            if unit is not None or upper is not None:
                raise InputError(issue(f"--{_opt(a)}", "error.lab.unit_without_value"))
            continue
        labs[a] = _drop_none(
            {
                "value": _number(value),
                "unit": unit,
                "upper_limit": None if upper is None else _number(upper),
            }
        )
    groups: dict[str, dict[str, Any]] = {"person": {}, "context": {}}
    for f in input_fields():
        given = opts[f.short]
        if f.kind == "words":
            if opts[f"no_{f.name}"]:
                if given:
                    none = f"--no-{f.name.replace('_', '-')}"
                    raise InputError(issue(none, "error.cli.none_and_some", some=f.option))
                groups[f.group][f.name] = []
            elif given:
                groups[f.group][f.name] = list(given)
        elif given is not None:
            groups[f.group][f.name] = _number(given) if f.kind == "number" else given
    data: dict[str, Any] = _drop_none(
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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="liverlens")
def cli() -> None:
    """LiverLens explains abnormal liver enzyme results, ALT first."""


@cli.command()
@_lab_options
@_field_options
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
    input_path: str | None, fhir_path: str | None, fmt: str, output_path: str | None, **opts: Any
) -> None:
    """Explain one liver panel: what the numbers mean, likely causes, what to do.

    Example:

        liverlens explain --alt 95 --alt-upper 50 --ast 45 --sex male --age 28
        --exercise-days-ago 1

        liverlens explain --input case.json --format json
    """
    lang = i18n.known(opts["lang"]) or i18n.for_cli()
    try:
        if fhir_path:
            if input_path:
                raise InputError(issue("", "error.cli.fhir_and_input"))
            data = _fhir_input(fhir_path)
        else:
            data = _read_input(input_path) if input_path else {}
        data = _merge(data, _from_options(opts))
        lang = i18n.known(data.get("language")) or lang
        data.setdefault("language", lang)
        if not data.get("labs"):
            raise InputError(issue("labs", "error.cli.no_labs"))
        if fmt == "pdf" and not output_path:
            raise InputError(issue("", "error.cli.pdf_needs_output"))
        report = interpret(data)
    except InputError as exc:
        _fail(exc, lang)
    if fmt == "pdf":
        Path(str(output_path)).write_bytes(report.to_pdf())
        return
    text = report.render(fmt)
    if output_path:
        Path(output_path).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


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
            result = interpret_fhir(_read_text(fhir_path, "--fhir"))
            _say_unrecognised(result.source.unrecognised)
            bundle = result.bundle
        else:
            bundle = to_bundle(load_knowledge(), interpret(_read_input(str(input_path))))
    except InputError as exc:
        _fail(exc)
    click.echo(json.dumps(bundle, ensure_ascii=False, indent=2))


@cli.command()
def rules() -> None:
    """Print every clinical rule with its threshold and sources, as Markdown.

    Example:

        liverlens rules > docs/clinical-rules.md
    """
    from liverlens.knowledge.reference import clinical_rules_markdown

    click.echo(clinical_rules_markdown(load_knowledge()), nl=False)


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        for item in value.split(","):
            if not item.strip():
                continue
            key, sep, val = item.partition("=")
            if not sep or not key.strip() or not val.strip():
                raise InputError(issue(option, "error.batch.pair", item=repr(item)))
            out[key.strip()] = val.strip()
    return out


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "target",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file, .csv or .parquet.",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN,...",
    help="Which input column feeds which field (e.g. alt=ALT_U_L,sex=gender).",
)
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="TEST=UNIT,...",
    help="Unit of a whole column (e.g. alt=ukat/L,bilirubin=mg/dL).",
)
@click.option("--reference", help="Limit preset for rows without a lab limit.")
@click.option("--explain", is_flag=True, help="Add the full text report per row (slow).")
@click.option("--quiet", is_flag=True, help="No progress bar or summary.")
def batch(
    source: Path,
    target: Path,
    mapping: tuple[str, ...],
    units: tuple[str, ...],
    reference: str | None,
    explain: bool,
    quiet: bool,
) -> None:
    """Annotate every panel (one per row) of a CSV or Parquet file.

    Keeps the input columns and adds ll_* findings: fold of the limit and status per test,
    ALT grade, AST/ALT, R ratio and pattern, scores, red flags, urgency and top causes from
    the labs alone. Bad rows are kept and marked (ll_status, ll_reject_reason). Exits 3 when
    some rows were rejected.

    Example:

        liverlens batch labs.parquet -o annotated.parquet --map alt=ALT_U_L,sex=gender
    """
    require("pyarrow", "batch", "batch")
    from liverlens.batch.files import run_batch, total_rows
    from liverlens.batch.table import TableSpec

    try:
        spec = TableSpec(_pairs(mapping, "--map"), _pairs(units, "--unit"), reference)
        kb = load_knowledge()
        if quiet or not sys.stderr.isatty():
            summary = run_batch(kb, source, target, spec, explain=explain)
        else:
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task(_words("cli.progress"), total=total_rows(source))
                summary = run_batch(
                    kb,
                    source,
                    target,
                    spec,
                    explain=explain,
                    progress=lambda n: bar.advance(task, n),
                )
    except InputError as exc:
        _fail(exc)
    if not quiet:
        urgency = ", ".join(f"{k} {v}" for k, v in sorted(summary.urgency.items()))
        _say(
            "cli.batch_summary",
            rows=summary.rows,
            urgency=urgency or "-",
            rejected=summary.rejected,
            target=target,
        )
    if summary.rejected:
        sys.exit(EXIT_REJECTED_ROWS)


@cli.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "target",
    required=True,
    type=click.Path(path_type=Path),
    help="Worklist file, .csv or .parquet.",
)
@click.option("--quiet", is_flag=True, help="No summary.")
def cohort(source: Path, target: Path, quiet: bool) -> None:
    """Build a worklist from long lab events: one row per person, most urgent first.

    The input has person_id, collected_at, test (LOINC code or name), value, and optionally
    unit, sex and birth_date. Output per person: latest and worst ALT grade, persistent rise
    (over 6 months), months elevated, latest FIB-4 band, hepatitis B/C screen seen, urgency.

    Example:

        liverlens cohort events.parquet -o worklist.csv
    """
    from liverlens.batch.cohort import cohort_worklist
    from liverlens.batch.files import Writer, file_format

    try:
        if not source.exists():
            raise InputError(issue(str(source), "error.file.missing"))
        file_format(target)
        import polars as pl

        events = (
            pl.read_parquet(source)
            if file_format(source) == "parquet"
            else pl.read_csv(source, infer_schema=False)
        )
        out, counts = cohort_worklist(load_knowledge(), events)
    except InputError as exc:
        _fail(exc)
    writer = Writer(target)
    writer.write(out)
    writer.close()
    if not quiet:
        _say(
            "cli.cohort_summary",
            people=counts["people"],
            panels=counts["panels"],
            rejected=counts["rejected_panels"],
            unknown=counts["unusable_events"],
            target=target,
        )


@cli.command()
@click.option("--host", help="Address to bind (default 127.0.0.1, or LIVERLENS_HOST).")
@click.option("--port", type=int, help="Port (default 8000, or LIVERLENS_PORT).")
def serve(host: str | None, port: int | None) -> None:
    """Start the web app and API with its embedded database (needs liverlens[web]).

    Example:

        liverlens serve --port 8000
    """
    uvicorn = require("uvicorn", "the web app", "web")
    require("fastapi", "the web app", "web")
    from liverlens.web import create_app
    from liverlens.web.db import database_file
    from liverlens.web.settings import Settings

    settings = Settings.from_env()
    host = host or settings.host
    port = port or settings.port
    app = create_app(settings)
    where = database_file(settings.database_url) or "the database at LIVERLENS_DATABASE_URL"
    click.echo(_words("cli.serving", url=f"http://{host}:{port}", data=where))
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")


def main() -> None:
    try:
        cli()
    except MissingExtraError as exc:
        _say("error.cli.missing_extra", extra=exc.extra)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
