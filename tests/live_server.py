"""The app served by a real uvicorn on a free 127.0.0.1 port, for tests that need real
concurrency or a real browser (the in-process TestClient serialises what it sends)."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from liverlens.web import create_app
from liverlens.web.settings import Settings


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """Serve a fresh app with ``settings``; yields its base URL and stops it afterwards."""
    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="liverlens-uvicorn", daemon=True
    )
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(server, thread, url)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.engine.dispose()
    assert not thread.is_alive(), "uvicorn did not stop"


def _wait_until_serving(server: uvicorn.Server, thread: threading.Thread, url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("uvicorn stopped before serving")
        if server.started:
            try:
                with urllib.request.urlopen(f"{url}/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
        time.sleep(0.05)
    raise RuntimeError(f"the app did not answer on {url} in time")
