"""``liverlens serve``: the web app and API with its embedded database."""

from __future__ import annotations

import click

from liverlens.cli.base import cli, words
from liverlens.extras import require

# What each server process builds when there are several: ``create_app()`` reads the same
# environment as this command, so every process gets the same settings and database.
APP_FACTORY = "liverlens.web:create_app"


@cli.command()
@click.option("--host", help="Address to bind (default 127.0.0.1, or LIVERLENS_HOST).")
@click.option("--port", type=int, help="Port (default 8000, or LIVERLENS_PORT).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Server processes (default 1, or LIVERLENS_WORKERS); they share one database.",
)
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Start the web app and API with its embedded database (needs liverlens[web]).

    Several workers answer in parallel, one per core; the CDS Hooks token memory and the
    sign-in throttle live in the database, so they hold across all of them.

    Example:

        liverlens serve --port 8000 --workers 2
    """
    uvicorn = require("uvicorn", "the web app", "web")
    require("fastapi", "the web app", "web")
    from liverlens.web import create_app
    from liverlens.web.db import database_file, make_engine
    from liverlens.web.migrate import upgrade
    from liverlens.web.settings import Settings

    settings = Settings.from_env()  # also writes the secret key file the workers will read
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    url = settings.database_url
    if workers > 1 and url.startswith("sqlite") and database_file(url) is None:
        # each process would have a database of its own: no shared memory, no shared data
        raise click.UsageError("several workers need a database file or server, not :memory:")
    where = database_file(url) or "the database at LIVERLENS_DATABASE_URL"
    if workers == 1:
        app = create_app(settings)
        click.echo(words("cli.serving", url=f"http://{host}:{port}", data=where))
        uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")
        return
    # migrate once here, before the workers start, so they do not race to create tables
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    click.echo(words("cli.serving", url=f"http://{host}:{port}", data=where))
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        workers=workers,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
    )
