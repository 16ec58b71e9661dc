"""Shared fixtures: the real embedding model (loaded once), the sample index built once, scripted LLMs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from indexer.build import build_index
from indexer.settings import Settings

from .helpers import ROOT
from .llm_server import ScriptedModels

# Property tests run a small budget in the suite; `make fuzz` runs the deep one (--hypothesis-profile=deep).
hypothesis_settings.register_profile("suite", max_examples=100)
hypothesis_settings.register_profile("deep", max_examples=3_000)
hypothesis_settings.load_profile("suite")


@pytest.fixture(scope="session")
def embedder():
    from indexer.embed import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, embedder) -> Path:
    """The shipped sample corpus, built once per test session with the real model."""
    index = tmp_path_factory.mktemp("sample") / "index"
    build_index(Settings(corpus=(ROOT / "corpus",), index=index), embedder=embedder)
    return index


@pytest.fixture(scope="session")
def assistant(sample_index, embedder):
    from assistant.pipeline import Assistant

    return Assistant(sample_index, Settings(), embedder=embedder)


@pytest.fixture(scope="session")
def models():
    """The scripted OpenAI-compatible models on 127.0.0.1 (tests/llm_server.py)."""
    server = ScriptedModels()
    yield server
    server.close()
