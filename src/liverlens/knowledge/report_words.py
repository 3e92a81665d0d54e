"""The words of a printed lab report that are not test names (``data/report_words.yaml``).

The report reader needs to know more than tests and units: which look-alike names are *other*
tests (indirect bilirubin, prealbumin, the AST/ALT ratio), the labels of sex, age and the
collection date, the flags beside a result and the words of a table header. They are data,
validated here like every other knowledge file, and folded once with the one folding rule.
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


class SexWords(_Strict):
    male: tuple[str, ...]
    female: tuple[str, ...]


class FlagWords(_Strict):
    high: tuple[str, ...]
    low: tuple[str, ...]
    abnormal: tuple[str, ...]
    in_range: tuple[str, ...]


class HeaderWords(_Strict):
    name: tuple[str, ...]
    result: tuple[str, ...]
    unit: tuple[str, ...]
    range: tuple[str, ...]
    flag: tuple[str, ...]


class ColumnWords(_Strict):
    current: tuple[str, ...]
    previous: tuple[str, ...]


class ReportWords(_Strict):
    not_tests: tuple[str, ...]
    qualifiers: tuple[str, ...]
    sex_labels: tuple[str, ...]
    sex_words: SexWords
    age_labels: tuple[str, ...]
    dob_labels: tuple[str, ...]
    age_units: tuple[str, ...]
    collected_labels: tuple[str, ...]
    flags: FlagWords
    headers: HeaderWords
    columns: ColumnWords

    def folded(self, words: tuple[str, ...]) -> frozenset[str]:
        return frozenset(fold(w) for w in words if fold(w))

    def flag_side(self, text: str) -> str | None:
        """``"high"``, ``"low"`` or ``"abnormal"`` for a flag as printed ("H", "偏高", and
        in brackets, "(H)", as patient portals print it), else ``None``."""
        t = text.strip().strip("()（）[]").strip().lower()
        for side in ("high", "low", "abnormal"):
            if t in {w.lower() for w in getattr(self.flags, side)}:
                return side
        return None

    def header_column(self, text: str) -> str | None:
        """Which column a header cell names (``"result"``, ``"range"`` …), or ``None``."""
        f = fold(text)
        for column in ("name", "result", "unit", "range", "flag"):
            if f in self.folded(getattr(self.headers, column)):
                return column
        return None


@cache
def load_report_words() -> ReportWords:
    """Load and validate ``report_words.yaml`` once per process."""
    text = resources.files("liverlens.knowledge").joinpath("data/report_words.yaml").read_text()
    try:
        return ReportWords.model_validate(yaml.safe_load(text))
    except ValueError as exc:
        raise KnowledgeError(f"report_words.yaml: {exc}") from exc
