"""A second backend for the engine: the same expressions, evaluated on one row in Python.

Why: a single report is a frame of one row, and Polars spends some 40 ms planning the engine's
thirteen stages over a 470-column schema for it, however small the row; a server answering
panels one at a time pays that on every request. The rules must still be written once, so
this backend is not a second copy of them: it compiles the very expressions ``engine.stages``
builds for Polars, from their serialized form (``Expr.meta.serialize(format="json")``), into
Python closures over a dict, once per knowledge base (as pandera runs one schema on several
engines); the serialized form is stored for the next process (``stored_plan.py``). Every
node type the engine's expressions use is implemented with Polars' semantics
(null propagation, Kleene logic, NaN ordered above every number, IEEE division, rounding by
scaling); a node of any other type fails the compile loudly (``Unsupported``), so a new kind of
expression cannot be half-supported. ``tests/test_rowwise.py`` checks, over generated panels,
that every column equals the Polars backend's, value and type.
"""

from __future__ import annotations

import io
import json
import logging
import math
import weakref
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from liverlens.knowledge import KnowledgeBase

log = logging.getLogger(__name__)

Row = dict[str, Any]
Fn = Callable[[Row], Any]


class Unsupported(ValueError):
    """An expression node this backend does not implement (say which, never guess)."""


# -- values as Polars holds them ---------------------------------------------------------------


def _isnan(x: Any) -> bool:
    return isinstance(x, float) and x != x


_PLAIN: dict[str, Callable[[Any, Any], bool]] = {
    "Eq": lambda a, b: bool(a == b),
    "NotEq": lambda a, b: bool(a != b),
    "Gt": lambda a, b: bool(a > b),
    "GtEq": lambda a, b: bool(a >= b),
    "Lt": lambda a, b: bool(a < b),
    "LtEq": lambda a, b: bool(a <= b),
}


def _cmp(op: str) -> Callable[[Any, Any], Any]:
    """A comparison with Polars' float order: NaN equals NaN and is above every number."""
    base = _PLAIN[op]

    def compare(a: Any, b: Any) -> Any:
        if a is None or b is None:
            return None
        if a != a or b != b:  # only a NaN differs from itself
            # rank: a NaN is the largest value, equal to another NaN
            ka, kb_ = (1, 0.0) if _isnan(a) else (0, a), (1, 0.0) if _isnan(b) else (0, b)
            return base(ka, kb_)
        return base(a, b)

    return compare


def _divide(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if b == 0:
        if a == 0 or _isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _arith(op: str) -> Callable[[Any, Any], Any]:
    ops: dict[str, Callable[[Any, Any], Any]] = {
        "Plus": lambda a, b: a + b,
        "Minus": lambda a, b: a - b,
        "Multiply": lambda a, b: a * b,
    }
    if op == "TrueDivide":
        return _divide
    f = ops[op]
    return lambda a, b: None if a is None or b is None else f(a, b)


def _and(a: Any, b: Any) -> Any:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _or(a: Any, b: Any) -> Any:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def _round(decimals: int) -> Callable[[Any], Any]:
    scale = 10.0**decimals

    def rounded(x: Any) -> Any:
        if x is None or not isinstance(x, float) or not math.isfinite(x):
            return x
        return round(x * scale) / scale  # half to even on the scaled value, as Polars does

    return rounded


def _log(x: Any, base: Any) -> Any:
    if x is None or base is None:
        return None
    if _isnan(x) or x < 0:
        return math.nan
    if x == 0:
        return -math.inf
    return math.log(x) / math.log(base)


def _sqrt(x: Any) -> Any:
    if x is None:
        return None
    return math.nan if _isnan(x) or x < 0 else math.sqrt(x)


def _floor(x: Any) -> Any:
    if x is None or not isinstance(x, float) or not math.isfinite(x):
        return x
    return float(math.floor(x))


def _clip(x: Any, low: Any, high: Any) -> Any:
    if x is None or _isnan(x):
        return x
    if low is not None and x < low:
        return low
    if high is not None and x > high:
        return high
    return x


# -- the compiler ------------------------------------------------------------------------------


def _literal(node: Mapping[str, Any]) -> Any:
    """A literal's Python value, as Polars would give it in a row."""
    body = node["Literal"]
    if isinstance(body, dict) and _RESOLVED in body:  # read once when the plan was built
        return body[_RESOLVED]
    if isinstance(body, dict) and "Dyn" in body:
        ((kind, value),) = body["Dyn"].items()
        if kind in ("Int", "Float"):
            return int(value) if kind == "Int" else float(value)
    elif isinstance(body, dict) and "Scalar" in body:
        ((kind, value),) = body["Scalar"].items()
        if kind == "Null":
            return None
        if kind == "String":
            return str(value)
        if kind == "Boolean":
            return bool(value)
        if kind.startswith("Float"):
            return float(value)
        if kind.startswith(("Int", "UInt")):
            return int(value)
    return _polars_literal(json.dumps(node))


_RESOLVED = "LiverLensValue"  # a literal's Python value, put in the plan when it was built


@cache
def _polars_literal(serialized: str) -> Any:
    """A literal held in Polars' binary form (a list): let Polars read it, once."""
    import polars as pl

    expr = pl.Expr.deserialize(io.StringIO(serialized), format="json")
    return pl.select(expr.alias("v")).to_series().to_list()[0]


def _function(spec: Any, args: list[Fn]) -> Fn:
    name = json.dumps(spec, sort_keys=True)
    one = args[0] if args else None
    if spec == "FillNull":
        x, fill = args

        def fill_null(r: Row) -> Any:
            v = x(r)
            return fill(r) if v is None else v

        return fill_null
    if spec == {"Boolean": "IsNull"}:
        return lambda r: one(r) is None  # type: ignore[misc]
    if spec == {"Boolean": "IsNotNull"}:
        return lambda r: one(r) is not None  # type: ignore[misc]
    if spec == {"Boolean": "Not"}:

        def negate(r: Row) -> Any:
            v = one(r)  # type: ignore[misc]
            return None if v is None else not v

        return negate
    if spec in ({"Boolean": "AllHorizontal"}, {"Boolean": "AnyHorizontal"}):
        decisive = spec == {"Boolean": "AnyHorizontal"}  # True settles "any", False "all"

        def horizontal(r: Row) -> Any:
            unknown = False
            for f in args:
                v = f(r)
                if v is None:
                    unknown = True
                elif bool(v) is decisive:
                    return decisive
            return None if unknown else not decisive

        return horizontal
    if isinstance(spec, dict) and "IsIn" in spec.get("Boolean", {}):
        x, pool = args

        def is_in(r: Row) -> Any:
            v = x(r)
            return None if v is None else v in pool(r)

        return is_in
    if isinstance(spec, dict) and "IsBetween" in spec.get("Boolean", {}):
        closed = spec["Boolean"]["IsBetween"]["closed"]
        x, lo, hi = args
        low_op = _cmp("GtEq" if closed in ("Left", "Both") else "Gt")
        high_op = _cmp("LtEq" if closed in ("Right", "Both") else "Lt")
        return lambda r: _and(low_op(x(r), lo(r)), high_op(x(r), hi(r)))
    if isinstance(spec, dict) and "Round" in spec and spec["Round"]["mode"] == "HalfToEven":
        rounded = _round(int(spec["Round"]["decimals"]))
        return lambda r: rounded(one(r))  # type: ignore[misc]
    if spec == "Log":
        x, base = args
        return lambda r: _log(x(r), base(r))
    if spec == {"Pow": "Sqrt"}:
        return lambda r: _sqrt(one(r))  # type: ignore[misc]
    if spec == "Floor":
        return lambda r: _floor(one(r))  # type: ignore[misc]
    if isinstance(spec, dict) and "Clip" in spec:
        has_min, has_max = spec["Clip"]["has_min"], spec["Clip"]["has_max"]
        rest = iter(args[1:])
        low = next(rest) if has_min else (lambda r: None)
        high = next(rest) if has_max else (lambda r: None)
        return lambda r: _clip(one(r), low(r), high(r))  # type: ignore[misc]
    if spec == "Coalesce":

        def coalesce(r: Row) -> Any:
            for f in args:
                v = f(r)
                if v is not None:
                    return v
            return None

        return coalesce
    if spec == "MaxHorizontal":

        def max_horizontal(r: Row) -> Any:
            values = [v for v in (f(r) for f in args) if v is not None]
            return max(values) if values else None

        return max_horizontal
    if isinstance(spec, dict) and "ReplaceStrict" in spec:
        x, old, new, *default = args  # a default is a fourth input

        def replace_strict(r: Row) -> Any:
            v = x(r)
            if v is None:
                return None
            mapping = dict(zip(old(r), new(r), strict=True))
            if v in mapping:
                return mapping[v]
            if default:
                return default[0](r)
            raise Unsupported(f"replace_strict has no replacement for {v!r}")

        return replace_strict
    if spec == {"ListExpr": {"Contains": {"nulls_equal": True}}}:
        items, item = args

        def contains(r: Row) -> Any:
            values = items(r)
            return None if values is None else item(r) in values

        return contains
    if spec == {"ListExpr": "Length"}:

        def length(r: Row) -> Any:
            values = one(r)  # type: ignore[misc]
            return None if values is None else len(values)

        return length
    if spec == {"ListExpr": "DropNulls"}:

        def drop_nulls(r: Row) -> Any:
            values = one(r)  # type: ignore[misc]
            return None if values is None else [v for v in values if v is not None]

        return drop_nulls
    if spec == {"ListExpr": "Concat"}:
        # the engine concatenates scalars (one test id or null each) into a list
        return lambda r: [f(r) for f in args]
    if isinstance(spec, dict) and "ConcatHorizontal" in spec.get("StringExpr", {}):
        options = spec["StringExpr"]["ConcatHorizontal"]
        if not options["ignore_nulls"]:
            raise Unsupported(name)
        sep = options["delimiter"]
        return lambda r: sep.join(v for v in (f(r) for f in args) if v is not None)
    if spec == {"StringExpr": {"Split": False}}:
        text, by = args

        def split(r: Row) -> Any:
            v, s = text(r), by(r)
            return None if v is None or s is None else v.split(s)

        return split
    raise Unsupported(f"function {name}")


_CASTS: dict[str, Callable[[Any], Any]] = {
    "Float64": float,
    "Int64": int,
    "String": str,
    "Boolean": bool,
}


def _binary(body: Mapping[str, Any]) -> Fn:
    op, left = body["op"], _compile(body["left"])
    if op in ("And", "Or"):
        logic, right = (_and if op == "And" else _or), _compile(body["right"])
        return lambda r: logic(left(r), right(r))
    if op in _PLAIN:
        f = _cmp(op)
    elif op in ("Plus", "Minus", "Multiply", "TrueDivide"):
        f = _arith(op)
    else:
        raise Unsupported(f"operator {op}")
    if _is_literal(body["right"]):  # most comparisons are with a constant: read it once
        constant = _literal(body["right"])
        name = _column_name(body["left"])
        if name is not None:  # a column against a constant: read the row directly
            return lambda r: f(r[name], constant)
        return lambda r: f(left(r), constant)
    right = _compile(body["right"])
    return lambda r: f(left(r), right(r))


def _column_name(node: Any) -> str | None:
    """The column a node reads, when it is a bare column."""
    if isinstance(node, dict) and len(node) == 1 and "Column" in node:
        return str(node["Column"])
    return None


def _is_literal(node: Any) -> bool:
    return isinstance(node, dict) and len(node) == 1 and "Literal" in node


def _chain(body: Mapping[str, Any]) -> Fn:
    """``when/then/.../otherwise`` as one loop over its branches: the first whose condition
    is true gives the value (a null condition is not true), else the ``otherwise``."""
    branches: list[tuple[Fn, Fn]] = []
    bodies: list[Mapping[str, Any]] = []
    while True:
        branches.append((_compile(body["predicate"]), _compile(body["truthy"])))
        bodies.append(body)
        falsy = body["falsy"]
        if not (isinstance(falsy, dict) and len(falsy) == 1 and "Ternary" in falsy):
            break
        body = falsy["Ternary"]
    otherwise = _compile(falsy)
    pairs = tuple(branches)
    if all(_is_literal(b["truthy"]) for b in bodies):  # most chains give constants
        constants = tuple(
            (condition, _literal(b["truthy"]))
            for (condition, _), b in zip(pairs, bodies, strict=True)
        )

        def when_constant(r: Row) -> Any:
            for condition, value in constants:
                if condition(r) is True:
                    return value
            return otherwise(r)

        return when_constant

    def when(r: Row) -> Any:
        for condition, value in pairs:
            if condition(r) is True:
                return value(r)
        return otherwise(r)

    return when


def _compile(node: Any) -> Fn:
    if not (isinstance(node, dict) and len(node) == 1):
        raise Unsupported(f"node {str(node)[:80]}")
    ((kind, body),) = node.items()
    if kind == "Column":
        name = body
        return lambda r: r[name]
    if kind == "Literal":
        value = _literal(node)
        return lambda r: value
    if kind == "Alias":
        return _compile(body[0])
    if kind == "BinaryExpr":
        return _binary(body)
    if kind == "Ternary":
        return _chain(body)
    if kind == "Cast":
        dtype = body["dtype"]
        target = dtype.get("Literal") if isinstance(dtype, dict) else None
        if target not in _CASTS or body.get("options") != "Strict":
            raise Unsupported(f"cast to {dtype}")
        convert, inner = _CASTS[target], _compile(body["expr"])

        def cast(r: Row) -> Any:
            v = inner(r)
            return None if v is None else convert(v)

        return cast
    if kind == "Function":
        return _function(body["function"], [_compile(i) for i in body["input"]])
    raise Unsupported(f"node kind {kind}")


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "float": float,
    "int": int,
    "bool": bool,
    "str": str,
    "list": list,
}


@cache
def compiled(
    kb: KnowledgeBase,
) -> tuple[tuple[str, ...], tuple[tuple[tuple[str, Fn], ...], ...], dict[str, Any]]:
    """The contract's columns, the engine's stages as closures and each column's converter,
    once per knowledge base (from ``stored_plan.plan``)."""
    from liverlens.engine.stored_plan import plan

    columns, nodes, types, _ = plan(kb)
    stages = tuple(tuple((name, _compile(node)) for name, node in stage) for stage in nodes)
    return columns, stages, {name: _CONVERTERS[t] for name, t in types.items()}


def evaluate_row(kb: KnowledgeBase, row: Mapping[str, object]) -> dict[str, Any]:
    """Every column ``engine.evaluate`` gives for one row of the column contract, in the same
    order, with the same values and Python types, without a Polars frame."""
    columns, plan, converters = compiled(kb)
    values: Row = {}
    # a value already of its column's type is kept as it is (``float(x)`` of a float is x);
    # a list is always copied, as Polars gives each row its own
    for name in columns:  # as ``columns.frame`` reads a row: the contract's columns only
        value = row.get(name)
        if value is not None:
            convert = converters[name]
            if type(value) is not convert or convert is list:
                value = convert(value)
        values[name] = value
    for stage in plan:
        # every expression of a stage reads the row as the stage before left it
        made = [(name, f(values)) for name, f in stage]
        for name, value in made:
            if value is not None:
                convert = converters[name]
                if type(value) is not convert or convert is list:
                    value = convert(value)
            values[name] = value
    return values


_UNCOMPILABLE: weakref.WeakSet[KnowledgeBase] = weakref.WeakSet()  # compile failed: Polars only
_EVALUATED: weakref.WeakSet[KnowledgeBase] = weakref.WeakSet()  # a case was evaluated with


def evaluate_case(kb: KnowledgeBase, row: Mapping[str, object]) -> dict[str, Any]:
    """One case's findings row, on the row-wise backend; with Polars only for the first case
    a process evaluates with a knowledge base other than the packaged one.

    Why: the packaged knowledge base's plan is stored for the next process (``compiled``),
    so even a one-shot ``liverlens explain`` reads it and evaluates its case without planning
    a Polars frame (or importing Polars); the process that builds the plan pays about what
    the one Polars evaluation costs. Any other knowledge base (a test's, an edited copy) has
    no stored plan, and compiling it costs a fresh process more than the one Polars
    evaluation it replaces, so its first case runs on Polars and a server or a loop compiles
    on the second. The two give the same row (value, type and order: tests/test_rowwise.py),
    so which one ran is invisible."""
    from liverlens.engine.stored_plan import plan_key

    if kb not in _UNCOMPILABLE and (kb in _EVALUATED or plan_key(kb) is not None):
        try:
            _EVALUATED.add(kb)
            return evaluate_row(kb, row)
        except Unsupported as err:
            # A Polars whose serialized expressions this backend does not know (its JSON form
            # is not a stable format): keep to Polars for this knowledge base, and say so once,
            # with the node's kind only (no value of the case)
            _UNCOMPILABLE.add(kb)
            log.warning("row-wise backend unavailable (%s); single reports use Polars", err)
    _EVALUATED.add(kb)
    import polars as pl

    from liverlens.engine import evaluate
    from liverlens.engine.columns import schema

    frame = pl.DataFrame([dict(row)], schema=schema(kb), orient="row")
    return evaluate(kb, frame).row(0, named=True)
