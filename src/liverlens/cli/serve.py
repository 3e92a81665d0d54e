"""``liverlens serve``: the web app and API with its embedded database."""

from __future__ import annotations

import click

from liverlens.cli.base import cli, words
from liverlens.extras import require


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
    click.echo(words("cli.serving", url=f"http://{host}:{port}", data=where))
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")
