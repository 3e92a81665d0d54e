"""`liverlens batch` on files that are not what they seem (issue 11, item 7): a failed run
leaves no complete-looking file, and every unreadable file gets one clear line."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from liverlens.batch.files import run_batch
from liverlens.batch.table import TableSpec
from liverlens.cli import cli
from liverlens.errors import InputError
from liverlens.knowledge import load_knowledge


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["batch", *args])
    return result.exit_code, result.stderr


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_run_that_fails_halfway_leaves_no_output(tmp_path: Path, suffix: str) -> None:
    """Before: a bad row after the first 16 MB gave exit 2 and a 405 MB CSV (or a valid
    Parquet file of 2.8M rows) at the target."""
    src = tmp_path / "in.csv"
    filler = "x" * 100  # 17 MB of good rows: the bad one lies past the first 16 MiB block
    good = "".join(f"{n % 90 + 10},{n % 40 + 10},{filler}\n" for n in range(170_000))
    src.write_text("alt,ast,note\n" + good + "40,30,ok,EXTRA\n", encoding="utf-8")
    out = tmp_path / f"out.{suffix}"
    with pytest.raises(InputError) as caught:
        run_batch(load_knowledge(), src, out, TableSpec(), chunk_rows=50_000)
    assert caught.value.details[0].message == "error.file.damaged"
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]  # no partial file left behind either


def test_a_failed_run_leaves_an_earlier_output_as_it_was(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    out.write_text("earlier\n", encoding="utf-8")
    src.write_text("alt,ast\n40,30\n40,30,EXTRA\n", encoding="utf-8")
    code, _ = run(str(src), "-o", str(out))
    assert code == 2 and out.read_text(encoding="utf-8") == "earlier\n"


def test_a_header_only_csv_gives_an_output_with_its_columns(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("id,alt,ast\n", encoding="utf-8")
    code, err = run(str(src), "-o", str(out))
    assert code == 0, err
    written = pl.read_csv(out)
    assert written.height == 0
    assert written.columns[:3] == ["id", "alt", "ast"] and "ll_urgency" in written.columns


def test_a_latin1_byte_is_named_by_its_line(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(b"alt,name\n40,ok\n50,Jos\xe9\n")
    code, err = run(str(src), "-o", str(tmp_path / "out.csv"))
    assert code == 2
    assert "line 3" in err and "'name'" in err and "UTF-8" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_named(tmp_path: Path, encoding: str) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes("alt,ast\n40,30\n".encode(encoding))
    code, err = run(str(src), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and ("UTF-16" in err or "UTF-32" in err) and "UTF-8" in err


def test_a_line_longer_than_a_read_block_is_named(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("alt,note\n40,ok\n50," + "x" * (50 << 20) + "\n", encoding="utf-8")
    code, err = run(str(src), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and "longer than 16 MiB" in err
    assert not (tmp_path / "out.csv").exists()


def test_parquet_to_parquet_does_not_load_pyarrow(tmp_path: Path) -> None:
    """pyarrow, and the NumPy it loads, are for CSV alone: a Parquet run starts without them
    (about 0.13 s of a process's start on the benchmark machine). A fresh process, because
    this one has pyarrow loaded by other tests."""
    import subprocess
    import sys

    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pl.DataFrame({"alt": [50.0, 20.0], "sex": ["male", "female"]}).write_parquet(src)
    script = (
        "import sys\n"
        "from liverlens.cli import main\n"
        f"sys.argv = ['liverlens', 'batch', {str(src)!r}, '-o', {str(out)!r}, '--quiet']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in ('pyarrow', 'numpy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert pl.read_parquet(out).get_column("ll_alt_fold").to_list() == [
        round(50 / 33, 6),
        0.8,
    ]  # ACG: 33 men, 25 women
