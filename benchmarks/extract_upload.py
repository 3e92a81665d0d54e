"""The web upload round trip for one page: POST /api/v1/extract with a phone photo of a lab
report, through the whole app (middleware, multipart parsing in memory, straightening, OCR,
parsing, snippets), in process with Starlette's TestClient. Reports the median of five calls
after one warm-up (which loads the OCR engine), next to ``read_report`` alone on the same file,
so the web's own share is the difference.

Usage: python benchmarks/extract_upload.py [photo.jpg]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
SAMPLE = HERE.parent / "tests" / "extract" / "samples" / "cn_hospital_photo.jpg"
RUNS = 5


def main() -> None:
    from fastapi.testclient import TestClient

    from liverlens.extract import read_report
    from liverlens.web import create_app
    from liverlens.web.settings import Settings

    photo = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    data = photo.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = Settings(database_url=db, secret_key="bench-secret")
        client = TestClient(create_app(settings), base_url="http://127.0.0.1")
        files = {"files": (photo.name, data, "image/jpeg")}
        assert client.post("/api/v1/extract", files=files).status_code == 200  # warm-up
        web = []
        for _ in range(RUNS):
            start = time.perf_counter()
            answer = client.post("/api/v1/extract", files=files)
            web.append(time.perf_counter() - start)
            assert answer.status_code == 200, answer.text
        alone = []
        for _ in range(RUNS):
            start = time.perf_counter()
            read_report([(photo.name, data)])
            alone.append(time.perf_counter() - start)
    print(f"{photo.name}: {len(answer.json()['fields'])} tests read")
    print(f"POST /api/v1/extract: median {statistics.median(web):.2f} s (of {RUNS})")
    print(f"read_report alone:    median {statistics.median(alone):.2f} s (of {RUNS})")


if __name__ == "__main__":
    main()
