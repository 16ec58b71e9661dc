"""The staleness check has a wall-clock bound (issue 11): `--if-stale` and the app's sidebar never wait
on a corpus that takes too long to read (a network mount gone away), whatever one read does."""

from __future__ import annotations

import threading
import time

import pytest

from indexer import corpus as corpus_module
from indexer.build import build_index, is_stale
from indexer.settings import Settings

from ..helpers import write_article


@pytest.fixture()
def built(tmp_path, embedder) -> Settings:
    folder = tmp_path / "corpus"
    write_article(folder, "her2", "Trastuzumab loading dose is 4 mg/kg IV [1].")
    settings = Settings(corpus=(folder,), index=tmp_path / "index", stale_check_seconds=0.5)
    build_index(settings, embedder=embedder)
    return settings


@pytest.fixture()
def hanging_reads(monkeypatch):
    """Every corpus read blocks until the test ends, as on a mount whose server went away."""
    release = threading.Event()
    real = corpus_module.read_file

    def hang(*args, **kwargs):
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(corpus_module, "read_file", hang)
    yield
    release.set()


def test_an_unchanged_corpus_is_up_to_date_within_the_bound(built):
    assert not is_stale(built)


def test_a_corpus_that_cannot_be_read_in_time_counts_as_stale_without_waiting(built, hanging_reads):
    started = time.perf_counter()
    assert is_stale(built)
    assert time.perf_counter() - started < 2


def test_the_app_says_the_check_was_not_made_instead_of_waiting(built, hanging_reads, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ..helpers import ROOT

    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(built.index))
    monkeypatch.setenv("GUIDELINE_QA_STALE_CHECK_SECONDS", "0.5")
    started = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("Not checked whether the corpus changed" in c.value for c in at.sidebar.caption)
    assert not at.sidebar.warning and at.chat_input
    assert time.perf_counter() - started < 30
