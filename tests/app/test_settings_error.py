"""A bad GUIDELINE_QA_* value in the app: the message, not a traceback, and nothing loaded."""

import re

from streamlit.testing.v1 import AppTest

from ..helpers import ROOT


def test_bad_setting_shows_one_message_and_stops(monkeypatch, tmp_path):
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("GUIDELINE_QA_TOP_K", "0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert [re.sub(r"\\(.)", r"\1", e.value) for e in at.error] == [
        "GUIDELINE_QA_TOP_K must be between 1 and 50, got 0"
    ]
    assert not at.chat_input and not at.radio
