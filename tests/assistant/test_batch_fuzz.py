"""Property test (issue 11): whatever bytes a batch line holds, the batch reader returns a well-typed
question or a one-line error naming the file and line, within a deadline and a memory bound."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings

from assistant.__main__ import _BadLine, _batch_item
from indexer.errors import GuidelineQAError

from ..helpers import within_bounds
from ..strategies import as_bytes, corpus_text

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

BATCH_PIECES = [
    "{",
    "}",
    "[",
    "]",
    '"id"',
    '"question"',
    '"history"',
    '"article"',
    ": ",
    ", ",
    '"a"',
    "1",
    "true",
    "null",
    '"\\ud800"',
    '"\\udcff"',
    '"What dose?"',
    '""',
    "[]",
    '["x"]',
    "{}",
    "1e400",
    "\\",
]


@FUZZ
@given(raw=as_bytes(corpus_text(BATCH_PIECES)))
def test_batch_line_reader(raw):
    result = within_bounds(_batch_item, Path("q.jsonl"), 1, raw)
    if isinstance(result, GuidelineQAError):
        assert isinstance(result, _BadLine) and str(result).startswith("q.jsonl:1: ")
        return
    item_id, question, history, article = result
    assert isinstance(item_id, str) and isinstance(question, str)
    assert isinstance(history, list) and all(isinstance(h, str) for h in history)
    assert article is None or isinstance(article, str)
