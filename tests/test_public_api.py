"""One explicit public API (httpx style): ``__all__`` is sorted and complete."""

from __future__ import annotations

import liverlens


def test_all_is_sorted_and_importable() -> None:
    assert liverlens.__all__ == sorted(liverlens.__all__)
    for name in liverlens.__all__:
        assert hasattr(liverlens, name)


def test_public_names() -> None:
    assert set(liverlens.__all__) == {
        "InputError",
        "InterpretInput",
        "KnowledgeBase",
        "KnowledgeError",
        "LiverLensError",
        "Report",
        "__version__",
        "interpret",
        "load_knowledge",
    }


def test_interpret_returns_a_report_with_to_dict() -> None:
    report = liverlens.interpret({"labs": {"alt": 85}, "person": {"sex": "male"}})
    assert isinstance(report, liverlens.Report)
    assert report.to_dict()["alt_grade"] == "mild"
