"""Offline for real: no code path opens a connection that leaves the machine, whatever the environment.

Each child process runs with tests/netguard on PYTHONPATH: every connection or name lookup beyond
loopback is refused and written down, so "nothing tried" is asserted, not merely "nothing got through".
The app's share of this proof is in tests/app/test_browser.py, whose server runs under the same guard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT, write_article

GUARD = ROOT / "tests" / "netguard"
# An environment that invites the network: hub access switched on, a proxy, a telemetry-friendly setting.
INVITING = {
    "HF_HUB_OFFLINE": "0",
    "TRANSFORMERS_OFFLINE": "0",
    "HF_DATASETS_OFFLINE": "0",
    "HTTPS_PROXY": "http://proxy.invalid:3128",
    "HTTP_PROXY": "http://proxy.invalid:3128",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "true",
}


def guarded_env(attempts: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDELINE_QA_")}
    env.update(INVITING)
    env.update(extra, PYTHONPATH=str(GUARD), GQA_NET_ATTEMPTS=str(attempts))
    return env


def attempted(attempts: Path) -> list[str]:
    return attempts.read_text(encoding="utf-8").splitlines() if attempts.exists() else []


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_the_guard_itself_catches_an_outbound_connection(tmp_path):
    """Without this, a guard that never loads would make every test below pass vacuously."""
    attempts = tmp_path / "attempts.txt"
    probe = """
import urllib.request
try:
    urllib.request.urlopen("https://huggingface.co", timeout=5)
except OSError as exc:
    print(exc)
"""
    out = run(["-c", probe], guarded_env(attempts)).stdout
    assert "network disabled by the test" in out
    assert attempted(attempts)


def test_a_hub_model_id_is_a_clear_error_not_a_download_even_when_the_environment_allows_it(tmp_path):
    attempts = tmp_path / "attempts.txt"
    script = """
from indexer.embed import Embedder
from indexer.errors import BuildError
try:
    Embedder("sentence-transformers/paraphrase-MiniLM-L3-v2").encode(["x"])
except BuildError as exc:
    print("refused:", exc)
"""
    out = run(["-c", script], guarded_env(attempts)).stdout
    assert "refused: cannot load embedding model 'sentence-transformers/paraphrase-MiniLM-L3-v2'" in out
    assert "from local files" in out
    assert attempted(attempts) == []


@pytest.mark.slow
def test_a_build_and_a_question_from_the_command_line_never_reach_out(tmp_path):
    attempts = tmp_path / "attempts.txt"
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_article(corpus, "tiny", "Give drug Z at 4 mg/kg once a week. [1]")
    env = guarded_env(attempts)
    built = run(["-m", "indexer", "build", "--corpus", str(corpus), "--index", str(index)], env)
    assert built.returncode == 0, built.stderr
    asked = run(["-m", "assistant", "ask", "--index", str(index), "What dose of drug Z?"], env)
    assert asked.returncode == 0, asked.stderr
    assert "4 mg/kg" in asked.stdout
    assert attempted(attempts) == []


def test_a_page_from_another_origin_never_makes_the_app_look_up_its_external_address(tmp_path):
    attempts = tmp_path / "attempts.txt"
    script = """
from assistant.private import no_outbound_lookups
from streamlit.web.server import server_util
no_outbound_lookups()
print("allowed:", server_util.is_url_from_allowed_origins("http://rebind.example:8501"))
"""
    out = run(["-c", script], guarded_env(attempts)).stdout
    assert "allowed: False" in out
    assert attempted(attempts) == []
