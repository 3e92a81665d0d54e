"""The column names of lab tables that are not a field's own id (``data/table_words.yaml``).

A data team's export names its columns its own way: ``Gender``, ``ALT_ULN``, ``AST.unit``.
``liverlens batch`` and ``cohort`` find a field by its id, an analyte's aliases and a contract
field's short name; the other names tables use are data, validated here like every other
knowledge file and folded once with the one folding rule.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict

from liverlens.errors import KnowledgeError
from liverlens.knowledge.names import fold


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Companions(_Strict):
    upper: tuple[str, ...]
    unit: tuple[str, ...]


class TableWords(_Strict):
    fields: dict[str, tuple[str, ...]]
    companions: Companions

    def field_names(self, field_name: str) -> tuple[str, ...]:
        """Other column names for a person or context field (``sex`` -> ``gender`` …)."""
        return self.fields.get(field_name, ())

    def companion_names(self, test_names: list[str], companion: str) -> list[str]:
        """Folded column names of a test's companion: ``altuln``, ``sgptupperlimit`` …"""
        words = getattr(self.companions, companion)
        return [fold(name) + fold(word) for name in test_names for word in words]


@cache
def load_table_words() -> TableWords:
    """Load and validate ``table_words.yaml`` once per process."""
    text = resources.files("liverlens.knowledge").joinpath("data/table_words.yaml").read_text()
    try:
        return TableWords.model_validate(yaml.safe_load(text))
    except ValueError as exc:
        raise KnowledgeError(f"table_words.yaml: {exc}") from exc
