"""The ``liverlens`` command: a thin skin over ``liverlens.interpret``.

Each command parses its options into the input contract, calls the library once and prints the
rendering. Lab options are generated from the knowledge base and person/context options from
the input contract (``options.py``). One module per group of commands: ``explain.py``
(explain, fhir export, rules), ``extract.py`` (reading a lab report), ``tables.py`` (batch,
cohort), ``serve.py``; exit codes and the shared helpers are in ``base.py``.
"""

from liverlens.cli import explain, extract, serve, tables  # noqa: F401 - each adds its commands
from liverlens.cli.base import cli, main

__all__ = ["cli", "main"]
