"""The user's cache of the validated knowledge base (knowledge/cache.py): read only when built
from the same files and code, the same reports from it, and any trouble is a full load."""

from __future__ import annotations

from pathlib import Path

import pytest

import liverlens
from liverlens.knowledge import cache, loader

PANEL = {"labs": {"alt": 95, "ast": 45, "ggt": 70}, "person": {"sex": "male", "age": 28}}


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("LIVERLENS_NO_CACHE", raising=False)
    return tmp_path / "liverlens"


def _fresh_load() -> loader.KnowledgeBase:
    """``load_knowledge`` as a new process runs it (its in-process cache emptied)."""
    return loader.load_knowledge.__wrapped__()  # type: ignore[attr-defined, no-any-return]


def test_a_second_process_reads_the_cache_and_gives_the_same_reports(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _fresh_load()
    assert len(list(cache_home.glob("knowledge-*.pickle"))) == 1

    def no_files() -> None:
        raise AssertionError("the files were parsed although the cache holds them")

    monkeypatch.setattr(loader, "_load_files", no_files)
    second = _fresh_load()
    assert second is not first
    for lang in first.languages:
        data = {**PANEL, "language": lang}
        a = liverlens.interpret(data, knowledge=first)
        b = liverlens.interpret(data, knowledge=second)
        assert a.to_dict() == b.to_dict()
        assert a.to_text() == b.to_text() and a.to_html() == b.to_html()
    assert second.missing_translations == first.missing_translations


def _key() -> str:
    key = cache.fingerprint()
    assert key is not None  # a checkout: the files can be read
    return key


def test_another_key_is_a_miss(cache_home: Path) -> None:
    key = _key()
    cache.write(key, _fresh_load())
    assert cache.read(key) is not None
    assert cache.read("0" * 64) is None  # other files or code: never the stored one


def test_the_key_follows_the_knowledge_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One changed byte in one knowledge file is another key."""
    import shutil
    from importlib import resources

    shipped = Path(str(resources.files(cache.DATA_PACKAGE)))
    copy = tmp_path / "data"
    shutil.copytree(shipped, copy)
    monkeypatch.setattr(cache.resources, "files", lambda _: copy)
    same = cache.fingerprint()
    monkeypatch.undo()
    assert same == cache.fingerprint()
    monkeypatch.setattr(cache.resources, "files", lambda _: copy)
    texts = copy / "texts.yaml"
    texts.write_bytes(texts.read_bytes() + b"\n")
    assert cache.fingerprint() != same


def test_a_damaged_entry_falls_back_to_the_files(cache_home: Path) -> None:
    key = _key()
    cache.write(key, _fresh_load())
    (path,) = cache_home.glob("knowledge-*.pickle")
    path.write_bytes(key.encode() + b"\nnot a pickle")
    assert cache.read(key) is None
    assert _fresh_load().analytes["alt"].id == "alt"
    assert cache.read(key) is not None  # and the entry was written anew


def test_an_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where a directory should be
    monkeypatch.delenv("LIVERLENS_NO_CACHE", raising=False)
    assert _fresh_load().analytes["alt"].id == "alt"


def test_it_can_be_turned_off(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVERLENS_NO_CACHE", "1")
    _fresh_load()
    assert not cache_home.exists()


def test_files_that_cannot_be_read_mean_no_cache(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def zipped() -> str:
        raise OSError("not a file")

    monkeypatch.setattr(cache, "_fingerprint", zipped)
    assert cache.fingerprint() is None
    assert _fresh_load().analytes["alt"].id == "alt"
    assert not cache_home.exists()
