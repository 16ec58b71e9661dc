"""Paths and small-corpus helpers the tests share."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_8569af7effcc65ce.txt"
MEDQUAD = SHARED / "medquad"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"needs {path} (the read-only ../shared folder beside the checkout; CI always has it)")
    return path


ARTICLE = """---
id: {id}
title: {title}
references:
  - n: 1
    type: Guideline
    title: A guideline
    source: A society
    year: 2024
---

## Dosing

{body}
"""


def write_article(folder: Path, doc_id: str, body: str, title: str = "What is the dose?") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_id}.md"
    path.write_text(ARTICLE.format(id=doc_id, title=title, body=body), encoding="utf-8")
    return path


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """TimeoutError instead of a hang when the body outlasts `seconds`.

    SIGALRM interrupts a backtracking regex and a blocking open() alike, so a regression fails the test
    rather than stalling the run. Main thread only (where pytest runs tests).
    """

    def expire(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
