"""Durability: concurrent savers, ``kill -9`` of the server mid-burst, restart, and a count of
every acknowledged save that cannot be read back.

    python benchmarks/durability.py [--rounds 3] [--savers 20] [--kill-after 1.5]

Each round starts ``liverlens serve`` on a fresh port over the same SQLite file (WAL), lets
``--savers`` clients POST panels as fast as they can, sends the server SIGKILL after
``--kill-after`` seconds, starts it again, and reads every panel whose save was acknowledged
(201). Then ``PRAGMA integrity_check``. A last, unkilled burst measures the saves' latency and
counts any 5xx. Results go to stdout; docs/reliability.md records a run.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PANEL = {
    "collected_on": "2026-05-01",
    "person": {"sex": "male", "age": 40},
    "labs": {"alt": {"value": 95, "unit": "U/L", "upper_limit": 50}, "ast": 45},
    "context": {"alcohol_grams_per_week": 0},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(os.environ, LIVERLENS_DATA_DIR=str(data_dir), LIVERLENS_PORT=str(port))
    liverlens = Path(sys.executable).with_name("liverlens")
    server = subprocess.Popen(
        [str(liverlens), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/", timeout=1):
                return server, url
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the server did not start")


def request(
    url: str, method: str = "GET", body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any, Any]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"content-type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null"), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace"), exc.headers


@dataclass
class Burst:
    acknowledged: list[int] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)  # status or error -> count
    seconds: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, what: str) -> None:
        with self.lock:
            self.refused[what] = self.refused.get(what, 0) + 1


def saver(url: str, headers: dict[str, str], burst: Burst, stop: threading.Event) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        try:
            status, body, _ = request(f"{url}/api/v1/panels", "POST", PANEL, headers)
        except (urllib.error.URLError, OSError, ConnectionError) as exc:
            burst.note(type(exc).__name__)
            if stop.wait(0.05):
                return
            continue
        with burst.lock:
            burst.seconds.append(time.perf_counter() - began)
        if status == 201:
            with burst.lock:
                burst.acknowledged.append(int(body["id"]))
        else:
            burst.note(str(status))


def run_burst(
    url: str, headers: dict[str, str], savers: int, seconds: float, kill: Any = None
) -> Burst:
    burst = Burst()
    stop = threading.Event()
    threads = [
        threading.Thread(target=saver, args=(url, headers, burst, stop)) for _ in range(savers)
    ]
    for t in threads:
        t.start()
    time.sleep(seconds)
    if kill is not None:
        kill()
    stop.set()
    for t in threads:
        t.join()
    return burst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--savers", type=int, default=20)
    parser.add_argument("--kill-after", type=float, default=1.5)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="liverlens-durability-"))
    server, url = start(data)
    status, answer, sent = request(
        f"{url}/api/v1/users", "POST", {"email": "d@example.org", "password": "correct horse 1"}
    )
    assert status == 201, answer
    headers = {
        "x-csrf-token": answer["csrf_token"],
        "cookie": sent["set-cookie"].split(";")[0],
    }
    print(f"{'round':<8}{'tried':>7}{'acked':>7}{'refused':>9}{'lost':>6}  integrity  refusals")
    total_lost = 0
    for n in range(1, args.rounds + 1):
        pid = server.pid
        burst = run_burst(
            url,
            headers,
            args.savers,
            args.kill_after,
            kill=lambda pid=pid: os.kill(pid, signal.SIGKILL),
        )
        server.wait()
        server, url = start(data)
        lost = sum(
            request(f"{url}/api/v1/panels/{i}", headers=headers)[0] != 200
            for i in burst.acknowledged
        )
        total_lost += lost
        with sqlite3.connect(data / "liverlens.db") as db:
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        tried = len(burst.acknowledged) + sum(burst.refused.values())
        print(
            f"kill {n:<3}{tried:>7}{len(burst.acknowledged):>7}{sum(burst.refused.values()):>9}"
            f"{lost:>6}  {integrity:<9}  {burst.refused}"
        )
    calm = run_burst(url, headers, args.savers, 5.0)
    server.terminate()
    server.wait()
    times = sorted(calm.seconds)
    p50 = statistics.median(times) * 1000
    p99 = times[int(len(times) * 0.99) - 1] * 1000
    server_errors = sum(v for k, v in calm.refused.items() if k.startswith("5"))
    print(
        f"\nno kill: {len(calm.acknowledged)} saves by {args.savers} clients in 5 s "
        f"({len(calm.acknowledged) / 5:.0f}/s), p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
        f"5xx {server_errors}, refused {calm.refused}"
    )
    print(f"lost acknowledged saves over {args.rounds} kill rounds: {total_lost}")
    sys.exit(1 if total_lost or server_errors else 0)


if __name__ == "__main__":
    main()
