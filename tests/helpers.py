"""Paths and small-corpus helpers the tests share."""

from __future__ import annotations

import contextlib
import resource
import signal
import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


class Overran(BaseException):
    """The body of `deadline` ran too long. Not an Exception (TimeoutError is an OSError), so no
    `except OSError` or `except Exception` in the code under test can swallow it."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Overran instead of a hang when the body outlasts `seconds`.

    SIGALRM interrupts a backtracking regex and a blocking open() alike, so a regression fails the test
    rather than stalling the run; it fires again every half second until the body gives up. Main thread
    only (where pytest runs tests).
    """

    def expire(signum, frame):
        raise Overran(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_bounded(code: str, *args: str, seconds: float = 30, memory: int = 1 << 30) -> subprocess.CompletedProcess:
    """Python `code` in a child process limited in time and address space.

    For reproductions whose regression would read without end (a link to /dev/zero) or block where no
    signal reaches: the child is killed, the test fails, and the machine keeps its memory.
    """

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=seconds,
        cwd=ROOT,
        preexec_fn=limit,
    )


def within_bounds(fn: Callable[..., Any], *args: Any, seconds: float = 2, megabytes: int = 64) -> Any:
    """fn(*args) within `seconds` and `megabytes` (Python allocations, as tracemalloc counts them).

    Returns what fn returned, or the GuidelineQAError it raised; any other exception, an overrun or a
    larger peak fails the calling test. For property tests, where each example must stay small.
    """
    from indexer.errors import GuidelineQAError

    tracemalloc.start()
    try:
        with deadline(seconds):
            try:
                return fn(*args)
            except GuidelineQAError as exc:
                return exc
    except Overran:
        # A plain failure Hypothesis can shrink; the interrupted frame's traceback (no line number, inside
        # a regex or a read) would make pytest's report crash instead.
        raise AssertionError(f"{getattr(fn, '__name__', fn)} took longer than {seconds} s") from None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < megabytes * 2**20, f"peak {peak / 2**20:.0f} MB"
