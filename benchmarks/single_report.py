"""One report: how long one panel takes, in process, as a whole ``liverlens explain`` process,
and through the JSON API at concurrency 8 (issue 15, target 1).

Each figure stands next to a peer or floor timed in the same run, interleaved with it, because
this machine's timings vary by a fifth from one minute to the next:

- in process, ``interpret(case).to_dict()`` for the issue's seven-test panel, beside its own
  parts (the engine's row, the report from that row) and a floor: ``resolve`` (checking the
  input, which every path must do) plus ``json.dumps`` of the finished output (what any
  server must do with it). The floor is the least a report could cost with the rules free;
- ``liverlens explain`` as a whole process, beside ``python -c pass`` (the interpreter),
  ``python -c "import liverlens"`` (the import) and ``python -c "import polars"`` (what a
  process reading the stored engine plan no longer loads), with the user's cache of the
  validated knowledge base and the engine's plan and without it (``LIVERLENS_NO_CACHE=1``: a
  first start). LiverLens's modules are compiled to bytecode first
  (``benchmarks/bytecode.py``), as an installed package's are;
- ``POST /api/v1/interpret`` on a real ``liverlens serve`` (its own process) from 8 client
  threads with keep-alive connections, beside ``GET /cds-services`` on the same server (a
  static JSON answer: the server's own ceiling), with one worker and with ``--workers 2``,
  both servers up at once and loaded in turn; the paired rounds give the ratio of the two.
  The client shares the machine's two cores with the server, so both rates are lower bounds.

Usage:
    python benchmarks/single_report.py            # about half a minute
    python benchmarks/single_report.py --json     # the numbers as JSON
    python benchmarks/single_report.py --api-only # the JSON API only (1 and 2 workers)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bytecode import compile_sources

PANEL: dict[str, Any] = {
    "labs": {
        "alt": {"value": 95, "unit": "U/L", "upper_limit": 40},
        "ast": {"value": 45},
        "alp": {"value": 90},
        "ggt": {"value": 70},
        "bilirubin": {"value": 15},
        "albumin": {"value": 42},
        "platelets": {"value": 240},
    },
    "person": {"sex": "male", "age": 28},
}
# The targets (issue 15, target 1).
TARGET_P50_MS = 3.0
TARGET_P99_MS = 10.0
TARGET_API_RPS = 300.0
TARGET_API_P99_MS = 50.0
TARGET_PROCESS_S = 0.4
CONCURRENCY = 8
SRC = Path(__file__).resolve().parents[1] / "src"


def _quantiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered) * 1e3, 3),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e3, 3),
        "n": len(ordered),
    }


def in_process(reps: int) -> dict[str, Any]:
    """The report and its parts, one after another in each round, so load hits all alike."""
    from liverlens import api
    from liverlens.engine.trend import case_series
    from liverlens.inputs import resolve
    from liverlens.knowledge import load_knowledge
    from liverlens.report.build import build_report

    kb = load_knowledge()

    def report() -> object:
        return api.interpret(PANEL).to_dict()

    def engine() -> object:
        return api._run(kb, PANEL, None)

    run = api._run(kb, PANEL, None)

    def from_row() -> object:
        series = case_series(kb, run.case, run.day)
        out = build_report(kb, run.case, run.row, run.trend, series, onset=run.onset, day=run.day)
        return out.to_dict()

    done = report()

    def floor() -> object:
        resolve(kb, PANEL)
        return json.dumps(done, default=str)

    jobs: dict[str, Callable[[], object]] = {
        "interpret_to_dict": report,
        "engine_row": engine,
        "report_from_row": from_row,
        "floor_resolve_and_dumps": floor,
    }
    for job in jobs.values():  # warm: the plan is built once per knowledge base
        job()
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(reps):
        for name, job in jobs.items():
            start = time.perf_counter()
            job()
            times[name].append(time.perf_counter() - start)
    out = {name: _quantiles(t) for name, t in times.items()}
    full = out["interpret_to_dict"]["p50_ms"]
    out["ratio_to_floor"] = round(full / out["floor_resolve_and_dumps"]["p50_ms"], 1)
    return out


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def whole_process(reps: int) -> dict[str, Any]:
    """Wall time of whole processes, interleaved: the interpreter, the import, ``explain``."""
    compile_sources()
    script = Path(sys.executable).with_name("liverlens")
    explain = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "import sys; from liverlens.cli import main; sys.exit(main())"]
    )
    with tempfile.TemporaryDirectory() as tmp:
        panel = Path(tmp) / "panel.json"
        panel.write_text(json.dumps(PANEL), encoding="utf-8")
        run = [*explain, "explain", "--input", str(panel)]
        commands = {
            "python_pass": [sys.executable, "-c", "pass"],
            "import_liverlens": [sys.executable, "-c", "import liverlens"],
            # what a process no longer pays when it reads the stored plan (engine/rowwise.py)
            "import_polars": [sys.executable, "-c", "import polars"],
            "liverlens_explain": run,
            # the first process after an install or a change of the knowledge files: no
            # cache of the validated knowledge base yet (knowledge/cache.py)
            "liverlens_explain_no_cache": run,
        }
        subprocess.run(run, env=_env(), check=True, stdout=subprocess.DEVNULL)  # the cache
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(reps):
            for name, cmd in commands.items():
                env = _env()
                if name.endswith("_no_cache"):
                    env["LIVERLENS_NO_CACHE"] = "1"
                start = time.perf_counter()
                subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - start)
    return {name: round(statistics.median(t), 3) for name, t in times.items()}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("liverlens serve stopped before serving")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/cds-services")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("liverlens serve did not answer in time")


def _load(port: int, method: str, path: str, body: bytes | None, seconds: float) -> dict[str, Any]:
    """``CONCURRENCY`` threads, each with one keep-alive connection, for ``seconds``."""
    latencies: list[list[float]] = [[] for _ in range(CONCURRENCY)]
    errors = [0] * CONCURRENCY
    stop = time.perf_counter() + seconds
    headers = {"Content-Type": "application/json"} if body else {}

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies[i].append(time.perf_counter() - start)
            errors[i] += response.status != 200
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONCURRENCY)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    every = [x for lat in latencies for x in lat]
    return {
        "requests_per_s": round(len(every) / elapsed, 1),
        **_quantiles(every),
        "errors": sum(errors),
    }


WORKERS = (1, 2)  # ``liverlens serve --workers N``: one process, and one per core here


def json_api(seconds: float, rounds: int, workers: tuple[int, ...] = WORKERS) -> dict[str, Any]:
    """The interpret endpoint and the static one on a server of each worker count, all up at
    once and loaded in turn (never together), ``rounds`` times: the counts meet the same
    minutes of the machine's load, so their ratio is the figure to read."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**_env(), "LIVERLENS_DATA_DIR": tmp, "LIVERLENS_SECRET_KEY": "bench"}
        script = Path(sys.executable).with_name("liverlens")
        servers: dict[int, tuple[int, subprocess.Popen[bytes]]] = {}
        runs: dict[int, dict[str, list[dict[str, Any]]]] = {}
        try:
            for n in workers:
                port = _free_port()
                cmd = [str(script), "serve", "--port", str(port), "--workers", str(n)]
                servers[n] = (port, subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL))
                _wait(port, servers[n][1])
            body = json.dumps(PANEL).encode()
            for n, (port, _) in servers.items():
                _load(port, "POST", "/api/v1/interpret", body, 1.0)  # warm every worker
                runs[n] = {"interpret": [], "static_cds_services": []}
            for _ in range(rounds):
                for n, (port, _) in servers.items():
                    runs[n]["interpret"].append(
                        _load(port, "POST", "/api/v1/interpret", body, seconds)
                    )
                    runs[n]["static_cds_services"].append(
                        _load(port, "GET", "/cds-services", None, seconds)
                    )
        finally:
            for _, proc in servers.values():
                proc.terminate()
            for _, proc in servers.values():
                proc.wait(timeout=30)
    by_workers: dict[str, Any] = {}
    for n, named in runs.items():
        by_workers[str(n)] = {
            name: sorted(results, key=lambda r: r["requests_per_s"])[len(results) // 2]
            for name, results in named.items()
        }
    one = by_workers[str(workers[0])]
    out: dict[str, Any] = {"concurrency": CONCURRENCY, **one, "by_workers": by_workers}
    for n in workers[1:]:
        paired = [
            b["requests_per_s"] / a["requests_per_s"]
            for a, b in zip(runs[workers[0]]["interpret"], runs[n]["interpret"], strict=True)
        ]
        out[f"interpret_ratio_{n}_to_{workers[0]}"] = [round(r, 2) for r in paired]
    return out


def measure(
    reps: int = 300, processes: int = 5, seconds: float = 3.0, api_only: bool = False
) -> dict[str, Any]:
    load_before = round(os.getloadavg()[0], 2)
    result: dict[str, Any] = {}
    if not api_only:
        result["in_process"] = in_process(reps)
        result["whole_process_s"] = whole_process(processes)
    result["json_api"] = json_api(seconds, rounds=3)
    result["machine"] = {
        "cpus": os.cpu_count(),
        "load_1min_before": load_before,
        "load_1min": round(os.getloadavg()[0], 2),
    }
    return result


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def verdict(result: dict[str, Any]) -> list[str]:
    """One line per target: the figure, the target, met or not."""
    lines = []
    if "in_process" in result:
        ip = result["in_process"]["interpret_to_dict"]
        in_process_ok = ip["p50_ms"] <= TARGET_P50_MS and ip["p99_ms"] <= TARGET_P99_MS
        lines.append(
            f"in process p50 {ip['p50_ms']} ms (target <= {TARGET_P50_MS}), "
            f"p99 {ip['p99_ms']} ms (target <= {TARGET_P99_MS}): {_met(in_process_ok)}"
        )
    for n, runs in result["json_api"]["by_workers"].items():
        api = runs["interpret"]
        api_ok = api["requests_per_s"] >= TARGET_API_RPS and api["p99_ms"] < TARGET_API_P99_MS
        lines.append(
            f"JSON API, {n} worker(s): {api['requests_per_s']} req/s at concurrency "
            f"{CONCURRENCY}, p99 {api['p99_ms']} ms (target >= {TARGET_API_RPS}, "
            f"p99 < {TARGET_API_P99_MS}): {_met(api_ok)}"
        )
    if "whole_process_s" in result:
        explain = result["whole_process_s"]["liverlens_explain"]
        lines.append(
            f"liverlens explain {explain} s (target <= {TARGET_PROCESS_S}): "
            f"{_met(explain <= TARGET_PROCESS_S)}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--reps", type=int, default=300, help="in-process rounds")
    parser.add_argument("--api-only", action="store_true", help="only the JSON API part")
    args = parser.parse_args(argv)
    result = measure(reps=args.reps, api_only=args.api_only)
    print(json.dumps(result, indent=2))
    if not args.json:
        print("\n".join(verdict(result)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
