"""Clinicians' feedback on answers, in a SQLite file beside the index (never inside it: rebuilds replace
the index folder whole). WAL mode and a busy timeout let concurrent sessions write without losing rows.
The file is created 0600 (SQLite gives its -wal and -shm files the same mode): comments are private."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .private import create_private

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    article TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    comment TEXT NOT NULL DEFAULT '',
    citation_ids TEXT NOT NULL
)
"""
MAX_COMMENT = 2000


def feedback_path(index_dir: Path) -> Path:
    index_dir = Path(index_dir)
    return index_dir.parent / f"{index_dir.name}.feedback.sqlite"


@dataclass(frozen=True)
class Feedback:
    article: str | None
    question: str
    answer: str
    helpful: bool
    comment: str
    citation_ids: tuple[str, ...]
    created_at: str = ""


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        create_private(self.path)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def add(self, item: Feedback) -> int:
        """Store one vote; returns its row id, for changing or withdrawing it later."""
        comment = item.comment.strip()[:MAX_COMMENT]
        con = self._connect()
        try:
            with con:
                cur = con.execute(
                    "INSERT INTO feedback (created_at, article, question, answer, helpful, comment, citation_ids) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                        item.article,
                        item.question,
                        item.answer,
                        int(item.helpful),
                        comment,
                        json.dumps(list(item.citation_ids)),
                    ),
                )
            return int(cur.lastrowid or 0)
        finally:
            con.close()

    def change(self, row: int, helpful: bool, comment: str) -> None:
        """A vote changed its mind or gained a comment."""
        self._write(
            "UPDATE feedback SET helpful = ?, comment = ? WHERE id = ?", (int(helpful), comment[:MAX_COMMENT], row)
        )

    def remove(self, row: int) -> None:
        """A vote withdrawn: nothing of it is kept."""
        self._write("DELETE FROM feedback WHERE id = ?", (row,))

    def _write(self, sql: str, args: tuple) -> None:
        con = self._connect()
        try:
            with con:
                con.execute(sql, args)
        finally:
            con.close()

    def all(self) -> list[Feedback]:
        con = self._connect()
        try:
            rows = con.execute(
                "SELECT article, question, answer, helpful, comment, citation_ids, created_at FROM feedback ORDER BY id"
            ).fetchall()
        finally:
            con.close()
        return [Feedback(r[0], r[1], r[2], bool(r[3]), r[4], tuple(json.loads(r[5])), r[6]) for r in rows]
