"""The engine: pure functions from the column contract to findings, urgency and cause scores.

The rules are written once, as the Polars expressions of ``stages``. ``evaluate`` runs them on
a frame (batch, Spark, a history's panels); ``rowwise.evaluate_case`` runs the same expressions,
compiled, on one case's row (the single report). Both add columns and never drop any, so callers
keep their own columns beside the findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from liverlens.engine.plan import evaluate, evaluate_lazy, stages

__all__ = ["evaluate", "evaluate_lazy", "stages"]


def __getattr__(name: str) -> Any:
    """``evaluate``, ``evaluate_lazy`` and ``stages`` from ``engine/plan.py``, imported on
    first use: Polars is imported only by a caller that runs the engine on a frame."""
    if name in __all__:
        from liverlens.engine import plan

        return getattr(plan, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
