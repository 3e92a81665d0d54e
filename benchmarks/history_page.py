"""The history page with many saved panels: how long ``GET /panels`` takes.

    python benchmarks/history_page.py [--panels 500] [--rounds 5]

Before, the page built every saved panel's full report twice (1.3 s at 10 panels, 13.8 s at
100); it now draws from the stored values in one engine pass. Prints the median and the worst
of ``--rounds`` loads, with the same count of single reports timed beside it as the peer.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

import liverlens
from liverlens.knowledge import load_knowledge
from liverlens.web import create_app, repository
from liverlens.web.models import User
from liverlens.web.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--panels", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "history.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}", secret_key="bench"))
    kb = load_knowledge()
    with TestClient(app) as client:
        client.post("/api/v1/users", json={"email": "h@example.org", "password": "correct horse 1"})
        with app.state.sessions() as session:
            owner = session.execute(select(User).where(User.email == "h@example.org")).scalar_one()
            start = date(2020, 1, 1)
            for n in range(args.panels):
                data = {
                    "collected_on": (start + timedelta(days=3 * n)).isoformat(),
                    "person": {"sex": "female", "age": 50},
                    "labs": {"alt": 20 + n % 80, "ast": 18 + n % 40, "alp": 90},
                }
                repository.create_panel(session, kb, owner.id, data)
        client.get("/panels")  # warm
        times = []
        for _ in range(args.rounds):
            began = time.perf_counter()
            assert client.get("/panels").status_code == 200
            times.append(time.perf_counter() - began)
    one = {"labs": {"alt": 50, "ast": 30, "alp": 90}, "person": {"sex": "female", "age": 50}}
    began = time.perf_counter()
    for _ in range(20):
        liverlens.interpret(one)
    per_report = (time.perf_counter() - began) / 20
    print(
        f"GET /panels with {args.panels} panels: median {statistics.median(times) * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms; one report takes {per_report * 1000:.0f} ms, so the "
        f"old page (2 x {args.panels} reports with history) would take over "
        f"{2 * args.panels * per_report:.0f} s"
    )


if __name__ == "__main__":
    main()
