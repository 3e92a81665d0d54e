"""LiverLens explains abnormal liver enzyme results, ALT first, with a source for every statement.

Public API::

    import liverlens
    report = liverlens.interpret({"labs": {"alt": 85}, "person": {"sex": "male"}})
    print(report.to_text())
    report.to_dict()  # the JSON output contract
"""

from liverlens.api import interpret
from liverlens.errors import InputError, KnowledgeError, LiverLensError
from liverlens.inputs import InterpretInput
from liverlens.knowledge import KnowledgeBase, load_knowledge
from liverlens.report.model import Report

__version__ = "0.1.0"

__all__ = [
    "InputError",
    "InterpretInput",
    "KnowledgeBase",
    "KnowledgeError",
    "LiverLensError",
    "Report",
    "__version__",
    "interpret",
    "load_knowledge",
]
