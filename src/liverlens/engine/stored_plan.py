"""The engine's plan as plain data, stored for the next process beside the knowledge base.

Why: the row-wise backend (``rowwise.py``) is compiled from the engine's Polars expressions;
building and serializing them, and planning one frame for the columns' types, cost a fresh
process (``liverlens explain``) more than its whole report, and needed Polars imported. The
plan is kept as plain data in the user's cache (``knowledge/cache.py``): every stage's
serialized expressions with their literals read into Python values, each column's type, and
the columns each predicate reads (the reasoning asks them of every report). A fresh process
compiles it without Polars.

It is stored only for the packaged knowledge base (``loader.packaged_fingerprint``), keyed by
that fingerprint, the source of every module of the package (the engine's code builds the
expressions from the knowledge) and the versions of Polars and Python; a knowledge base made
any other way is planned in its process only. A damaged or foreign entry is a rebuild.
"""

from __future__ import annotations

import json
import weakref
from functools import cache
from typing import TYPE_CHECKING, Any

from liverlens.engine.rowwise import _RESOLVED, Unsupported, _literal
from liverlens.knowledge import KnowledgeBase

if TYPE_CHECKING:
    import polars as pl


def _type_name(dtype: pl.DataType) -> str:
    """How a value of a column of ``dtype`` comes out of a Polars row (a key of
    ``rowwise._CONVERTERS``)."""
    import polars as pl

    if dtype == pl.Float64:
        return "float"
    if dtype in (pl.Int64, pl.Int32, pl.UInt32):
        return "int"
    if dtype == pl.Boolean:
        return "bool"
    if dtype == pl.String:
        return "str"
    if isinstance(dtype, pl.List):
        return "list"
    raise Unsupported(f"column type {dtype}")


def _resolved(node: Any) -> Any:
    """``node`` with every literal replaced by its Python value, so compiling the plan later
    never needs Polars (a list literal is held in Polars' binary form)."""
    if isinstance(node, list):
        return [_resolved(n) for n in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1 and isinstance(node.get("Literal"), dict):
        return {"Literal": {_RESOLVED: _literal(node)}}
    # a type (a cast's ``{"dtype": {"Literal": "Float64"}}``, a ``return_dtype``) is not an
    # expression: its body is the type's name
    return {k: _resolved(v) for k, v in node.items()}


# the contract's columns, each stage's (output name, expression node), each column's type, and
# the columns each predicate reads (``predicates.read_columns``, asked of every report)
Plan = tuple[
    tuple[str, ...],
    tuple[tuple[tuple[str, Any], ...], ...],
    dict[str, str],
    dict[str, tuple[str, ...]],
]


def _build_plan(kb: KnowledgeBase) -> Plan:
    """The engine's expressions as plain data, from Polars (``Expr.meta.serialize``)."""
    import polars as pl

    from liverlens.engine import evaluate_lazy, stages
    from liverlens.engine.columns import schema
    from liverlens.engine.predicates import LATE_PREDICATES, PREDICATES

    nodes = tuple(
        tuple(
            (e.meta.output_name(), _resolved(json.loads(e.meta.serialize(format="json"))))
            for e in exprs
        )
        for exprs in stages(kb)
    )
    out = evaluate_lazy(kb, pl.LazyFrame(schema=schema(kb))).collect_schema()
    types = {name: _type_name(dtype) for name, dtype in out.items()}
    built = {**PREDICATES, **LATE_PREDICATES}
    roots = {pid: tuple(dict.fromkeys(b(kb).meta.root_names())) for pid, b in built.items()}
    return tuple(schema(kb)), nodes, types, roots


def plan_key(kb: KnowledgeBase) -> str | None:
    """What the plan of the packaged knowledge base is stored under: its knowledge's
    fingerprint, the source of every module of the package (the expressions are built by the
    engine's code from the knowledge), and the versions of Polars (its serialized form and
    its types) and Python. ``None`` for any other knowledge base: its plan is never stored."""
    from liverlens.knowledge.loader import packaged_fingerprint

    base = packaged_fingerprint(kb)
    if base is None:
        return None
    try:
        return _code_digest(base)
    except Exception:  # a zipped install, no metadata: no stored plan, never an error
        return None


PLAN_CODE = ("engine", "inputs", "knowledge")  # the packages whose source keys the plan


@cache
def _code_digest(base: str) -> str:
    import hashlib
    import sys
    from importlib.metadata import version
    from pathlib import Path

    digest = hashlib.sha256(f"{base}|{sys.version}|polars {version('polars')}".encode())
    package = Path(__file__).resolve().parents[1]  # src/liverlens
    # the plan is built by the engine from the knowledge and the input contract, which sit
    # on the base layer's modules only (docs/architecture.md): the report, web, batch and
    # reader code cannot change it, so their source stays out of the key
    paths = [*package.glob("*.py")] + [
        path for part in PLAN_CODE for path in (package / part).rglob("*.py")
    ]
    for path in sorted(paths):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@cache
def _stored_plan(kb: KnowledgeBase) -> Plan | None:
    """The plan a process stored for this very knowledge and code, or ``None``."""
    from liverlens.knowledge import cache as stored

    key = plan_key(kb)
    plan = None if key is None else stored.read_entry("plan", key)
    return plan if isinstance(plan, tuple) and len(plan) == 4 else None


@cache
def plan(kb: KnowledgeBase) -> Plan:
    """The engine's plan for ``kb`` as plain data, once per knowledge base: the one a
    process stored for the packaged knowledge when there is one (``knowledge/cache.py``; no
    Polars needed then), else built from the engine's Polars expressions (and stored for the
    next process when ``kb`` is the packaged knowledge)."""
    made = _stored_plan(kb)
    if made is None:
        made = _build_plan(kb)
        key = plan_key(kb)
        if key is not None:
            from liverlens.knowledge import cache as stored

            stored.write_entry("plan", key, made)
    _PLANNED.add(kb)
    return made


def predicate_roots(kb: KnowledgeBase) -> dict[str, tuple[str, ...]] | None:
    """The columns each predicate reads, from the plan when this process has it or a stored
    one exists (else ``None``: the caller asks Polars, as building a plan would)."""
    if kb in _PLANNED:
        return plan(kb)[3]
    stored = _stored_plan(kb)
    return None if stored is None else stored[3]


_PLANNED: weakref.WeakSet[KnowledgeBase] = weakref.WeakSet()  # ``plan`` ran for these
