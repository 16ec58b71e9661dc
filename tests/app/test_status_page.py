"""The app's index status page, through Streamlit's AppTest."""

from streamlit.testing.v1 import AppTest

from ..helpers import ROOT

APP = str(ROOT / "app.py")


def test_status_page_shows_index_counts(sample_index, monkeypatch):
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(sample_index))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documents"] == "4"
    assert int(metrics["Chunks"]) > 20
    assert "healthcare professionals" in at.info[0].value
    assert "sentence-transformers/all-MiniLM-L6-v2" in at.text[0].value


def test_missing_index_gives_the_command_that_fixes_it(tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(tmp_path / "none"))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert len(at.error) == 1
    assert "build it with 'python -m indexer build --corpus corpus --index" in at.error[0].value
    assert not at.metric
