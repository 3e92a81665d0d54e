"""JSON answers that can always be sent.

``json.dumps(..., ensure_ascii=False)`` then UTF-8 is what Starlette does, and it fails on a
lone surrogate (text JSON can carry as "\\ud800" but UTF-8 cannot encode): a 500 for an
answer that merely quotes what a client sent. This one falls back to ``\\uXXXX`` escapes,
which any JSON reader decodes.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse


class JSON(JSONResponse):
    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            escaped = json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
            return escaped.encode("ascii")
