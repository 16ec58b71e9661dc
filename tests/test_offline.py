"""Offline for real: no code path opens a connection that leaves the machine, whatever the environment."""

from __future__ import annotations

import os
import subprocess
import sys

from .helpers import ROOT

GUARD = """
import socket
attempts = []
def refuse(*args, **kwargs):
    attempts.append(args)
    raise OSError("network disabled by the test")
socket.socket.connect = refuse
socket.create_connection = refuse
"""


def test_a_hub_model_id_is_a_clear_error_not_a_download_even_when_the_environment_allows_it():
    script = GUARD + """
from indexer.embed import Embedder
from indexer.errors import BuildError
try:
    Embedder("sentence-transformers/paraphrase-MiniLM-L3-v2").encode(["x"])
except BuildError as exc:
    print("refused:", exc)
print("attempts:", len(attempts))
"""
    env = {**os.environ, "HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    ).stdout
    assert "refused: cannot load embedding model 'sentence-transformers/paraphrase-MiniLM-L3-v2'" in out
    assert "from local files" in out
    assert "attempts: 0" in out


def test_a_page_from_another_origin_never_makes_the_app_look_up_its_external_address():
    script = GUARD + """
from assistant.private import no_outbound_lookups
from streamlit.web.server import server_util
no_outbound_lookups()
print("allowed:", server_util.is_url_from_allowed_origins("http://rebind.example:8501"))
print("attempts:", len(attempts))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    ).stdout
    assert "allowed: False" in out and "attempts: 0" in out
