"""The web app and REST API (optional extra: ``pip install liverlens[web]``).

``create_app`` is imported lazily so the core library never needs FastAPI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from liverlens.web.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    from liverlens.web.app import create_app as build

    return build(settings)
