"""Open an index for reading: check the manifest, load FAISS, the SQLite store and the index's own model."""

from __future__ import annotations

import json
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from indexer import store
from indexer.errors import BuildError, IndexMismatch
from indexer.model import Reference
from indexer.terms import TermWeights


class SearchIndex:
    """Read-only view of one index directory, safe to share between threads.

    One SQLite connection, opened with the vectors and used under a lock: a rebuild that swaps the
    folder meanwhile cannot pair these vectors with another build's rows (open files stay readable).
    """

    def __init__(self, index_dir: Path, *, embedder=None) -> None:
        self.path = Path(index_dir)
        self.manifest = store.read_manifest(self.path)
        model = self.manifest["model"]
        rebuild = f"python -m indexer build --corpus corpus --index {self.path}"
        if embedder is None:
            from indexer.embed import Embedder

            try:
                embedder = Embedder(model.get("requested") or model["id"])
            except BuildError as exc:
                raise IndexMismatch(f"{self.path} was built with a model this machine cannot load: {exc}") from None
        if embedder.model_id != model["id"]:
            raise IndexMismatch(
                f"{self.path} was built with {model['id']} but the loaded model is {embedder.model_id}; "
                f"rebuild with '{rebuild}'"
            )
        self.embedder = embedder
        self.vectors = store.read_vectors(self.path / store.VECTORS)
        counts = self.manifest.get("counts", {})
        if self.vectors.d != model.get("dimension") or self.vectors.ntotal != counts.get("chunks"):
            raise IndexMismatch(
                f"{self.path}: vectors.faiss does not match manifest.json (dimension {self.vectors.d}, "
                f"{self.vectors.ntotal} rows); rebuild with '{rebuild}'"
            )
        self._lock = threading.Lock()
        self._con = store.connect(self.path)
        self.documents = {
            r["id"]: dict(r, meta=json.loads(r["meta"]))
            for r in self.query("SELECT id, kind, title, url, collection, meta FROM documents")
        }
        try:
            df = {r[0]: r[1] for r in self.query("SELECT term, df FROM term_df")}
        except sqlite3.Error as exc:
            raise IndexMismatch(f"{self.path}/store.sqlite cannot be read ({exc}); rebuild with '{rebuild}'") from None
        self.weights = TermWeights(df, self.vectors.ntotal)
        self.references: dict[str, dict[int, Reference]] = {}
        self.linked_sources: dict[str, set[str]] = {}
        for r in self.query("SELECT * FROM doc_references"):
            self.references.setdefault(r["doc_id"], {})[r["n"]] = Reference(
                n=r["n"],
                type=r["type"],
                title=r["title"],
                source=r["source"] or "",
                year=r["year"],
                url=r["url"],
                source_file=r["source_file"],
            )
            if r["source_doc_id"]:
                self.linked_sources.setdefault(r["doc_id"], set()).add(r["source_doc_id"])

    def query(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._con.execute(sql, args).fetchall()

    @property
    def articles(self) -> list[dict]:
        return sorted((d for d in self.documents.values() if d["kind"] == "article"), key=lambda d: d["title"])

    def scope(self, article: str | None) -> frozenset[str]:
        """The documents a question about `article` should look at first: it and its linked references."""
        if article is None:
            return frozenset()
        return frozenset({article} | self.linked_sources.get(article, set()))

    @lru_cache(maxsize=64)  # noqa: B019 - one SearchIndex per process, scopes are few
    def scope_rows(self, scope: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows and vectors of every chunk in scope, for exact in-scope dense search."""
        if not scope:
            return np.zeros(0, dtype="int64"), np.zeros((0, self.vectors.d), dtype="float32")
        marks = ",".join("?" * len(scope))
        rows = np.array(
            [r[0] for r in self.query(f"SELECT row FROM chunks WHERE doc_id IN ({marks})", tuple(scope))],
            dtype="int64",
        )
        if not len(rows):
            return rows, np.zeros((0, self.vectors.d), dtype="float32")
        return rows, self.vectors.reconstruct_batch(rows)

    def chunks(self, rows: list[int]) -> dict[int, dict]:
        if not rows:
            return {}
        marks = ",".join("?" * len(rows))
        result = self.query(
            f"SELECT c.row, c.id, c.doc_id, c.section_id, c.text, c.embed_text, c.start, c.end, c.sentences, "
            f"c.citations, s.path FROM chunks c JOIN sections s ON s.id = c.section_id WHERE c.row IN ({marks})",
            tuple(rows),
        )
        return {r["row"]: dict(r) for r in result}

    @lru_cache(maxsize=256)  # noqa: B019 - see scope_rows
    def document_text(self, doc_id: str) -> str:
        rows = self.query("SELECT text FROM documents WHERE id = ?", (doc_id,))
        return rows[0][0] if rows else ""

    def sections(self, doc_id: str) -> list[dict]:
        rows = self.query(
            "SELECT id, heading, path, level, start, end FROM sections WHERE doc_id = ? ORDER BY ord", (doc_id,)
        )
        return [dict(r, path=tuple(json.loads(r["path"]))) for r in rows]
