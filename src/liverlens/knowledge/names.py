"""How names are folded before they are looked up: test names, column names, symptom words.

People and tables write the same name many ways ("SGPT", "s.g.p.t", "ALT (U/L)",
"yellow_eyes", "Yellow eyes", "谷丙转氨酶"). Folding keeps lower-case letters and digits,
Greek letters (γ-GT) and CJK characters, and drops everything else, once, for every lookup.
``FOLD_DROP`` is the same rule as a regular expression, for vectorised lookups in Polars.
"""

from __future__ import annotations

import re

FOLD_DROP = r"[^0-9a-zα-ω\u4e00-\u9fff]+"
_DROP = re.compile(FOLD_DROP)


def fold(name: str) -> str:
    """``"ALT (U/L)"`` -> ``"altul"``; ``"yellow_eyes"`` -> ``"yelloweyes"``."""
    return _DROP.sub("", name.lower())
