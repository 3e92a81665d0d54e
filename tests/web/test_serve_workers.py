"""``liverlens serve --workers N`` (issue 15): N processes answer on one port and share the
database's security memory, so the sign-in throttle counts across all of them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner

from liverlens.cli import cli
from liverlens.errors import ConfigurationError
from liverlens.web.settings import Settings
from liverlens.web.throttle import FREE_TRIES

SRC = Path(__file__).resolve().parents[2] / "src"
MAIN = "import sys; from liverlens.cli import main; sys.exit(main())"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(url: str, body: dict[str, str]) -> int:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        return int(error.code)


def _workers_of(pid: int) -> list[int]:
    """The server's worker processes (uvicorn spawns them; the resource tracker is not one)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = []
    for child in children:
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmdline:
            found.append(int(child))
    return found


def _wait_serving(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90  # two processes importing LiverLens on a busy machine
    while time.monotonic() < deadline:
        assert proc.poll() is None, "liverlens serve stopped before serving"
        try:
            with urllib.request.urlopen(f"{base}/cds-services", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("liverlens serve --workers 2 did not answer in time")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_two_workers_answer_and_share_the_sign_in_throttle(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p),
        "LIVERLENS_DATA_DIR": str(tmp_path),
        "LIVERLENS_SECRET_KEY": "workers-test",
    }
    env.pop("LIVERLENS_DATABASE_URL", None)
    cmd = [sys.executable, "-c", MAIN, "serve", "--port", str(port), "--workers", "2"]
    with open(tmp_path / "out.txt", "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_serving(base, proc)
        deadline = time.monotonic() + 30
        while len(_workers_of(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_workers_of(proc.pid)) == 2
        credentials = {"email": "w@example.org", "password": "correct horse 1"}
        assert _post(f"{base}/api/v1/users", credentials) == 201
        wrong = {**credentials, "password": "wrong password 1"}
        # a new connection each time, so the kernel may hand each try to either worker (which
        # one is not ours to choose: test_shared_state.py proves the sharing deterministically)
        codes = [_post(f"{base}/api/v1/session", wrong) for _ in range(FREE_TRIES["pair"] + 2)]
        assert codes == [401] * FREE_TRIES["pair"] + [429, 429]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    assert (tmp_path / "liverlens.db").exists()  # migrated once, by the parent, in the data dir


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_several_workers_on_a_memory_database_are_refused(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("uvicorn was started")

    monkeypatch.setattr(uvicorn, "run", never)
    monkeypatch.setenv("LIVERLENS_DATABASE_URL", url)
    monkeypatch.setenv("LIVERLENS_SECRET_KEY", "x")
    result = CliRunner().invoke(cli, ["serve", "--workers", "2"])
    assert result.exit_code == 2 and ":memory:" in result.output


def test_the_workers_come_from_liverlens_workers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LIVERLENS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LIVERLENS_SECRET_KEY", "x")
    monkeypatch.delenv("LIVERLENS_WORKERS", raising=False)
    assert Settings.from_env().workers == 1
    monkeypatch.setenv("LIVERLENS_WORKERS", "3")
    assert Settings.from_env().workers == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("LIVERLENS_WORKERS", bad)
        with pytest.raises(ConfigurationError):
            Settings.from_env()
