"""The index directory, the contract between indexer and readers: manifest.json, vectors.faiss, store.sqlite.

Written only into a fresh directory (the build renames it into place); read with SQLite in read-only mode.
Native formats only: FAISS's own IO, SQLite, JSON. Nothing here unpickles anything.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .chunk import text_sha
from .errors import IndexMismatch, IndexMissing
from .model import Chunk, Document
from .terms import content_terms

FORMAT = "guideline-qa-index"
SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
STORE = "store.sqlite"

_SCHEMA = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, path TEXT NOT NULL, url TEXT,
    collection TEXT, meta TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE sections (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id), ord INTEGER NOT NULL,
    heading TEXT NOT NULL, path TEXT NOT NULL, level INTEGER NOT NULL, line INTEGER,
    start INTEGER, end INTEGER
);
CREATE TABLE doc_references (
    doc_id TEXT NOT NULL REFERENCES documents(id), n INTEGER NOT NULL, type TEXT NOT NULL,
    title TEXT NOT NULL, source TEXT, year INTEGER, url TEXT, source_file TEXT, source_doc_id TEXT,
    PRIMARY KEY (doc_id, n)
);
CREATE TABLE chunks (
    row INTEGER PRIMARY KEY,  -- the chunk's row in vectors.faiss
    id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL REFERENCES documents(id),
    section_id TEXT NOT NULL REFERENCES sections(id), ord INTEGER NOT NULL,
    text TEXT NOT NULL, embed_text TEXT NOT NULL, text_sha TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, sentences TEXT NOT NULL, citations TEXT NOT NULL,
    n_tokens INTEGER NOT NULL
);
CREATE INDEX chunks_section ON chunks(section_id);
CREATE INDEX chunks_doc ON chunks(doc_id);
CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    embed_text, content='chunks', content_rowid='row', tokenize='porter unicode61'
);
"""


def write_store(path: Path, documents: Sequence[Document], chunks: Sequence[Chunk]) -> None:
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        with con:
            con.executemany(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?)",
                ((d.id, d.kind, d.title, d.path, d.url, d.collection, json.dumps(d.meta), d.text) for d in documents),
            )
            con.executemany("INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?)", _section_rows(documents))
            con.executemany("INSERT INTO doc_references VALUES (?,?,?,?,?,?,?,?,?)", _reference_rows(documents))
            con.executemany(
                "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (
                        row,
                        c.id,
                        c.doc_id,
                        c.section_id,
                        c.ord,
                        c.text,
                        c.embed_text,
                        text_sha(c.embed_text),
                        c.start,
                        c.end,
                        json.dumps(c.sentences),
                        json.dumps(c.citations),
                        c.n_tokens,
                    )
                    for row, c in enumerate(chunks)
                ),
            )
            con.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")
            df: Counter[str] = Counter()
            for c in chunks:
                df.update(content_terms(c.embed_text))
            con.executemany("INSERT INTO term_df VALUES (?, ?)", df.items())
    finally:
        con.close()


def _section_rows(documents: Iterable[Document]):
    for d in documents:
        for ord_, s in enumerate(d.sections):
            start = s.blocks[0].start if s.blocks else None
            end = s.blocks[-1].end if s.blocks else None
            yield (s.id, d.id, ord_, s.heading, json.dumps(s.path), s.level, s.line, start, end)


def _reference_rows(documents: Iterable[Document]):
    for d in documents:
        linked = d.meta.get("source_docs", {})
        for r in d.references:
            yield (d.id, r.n, r.type, r.title, r.source, r.year, r.url, r.source_file, linked.get(str(r.n)))


def write_vectors(path: Path, vectors: np.ndarray) -> None:
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    if len(vectors):
        index.add(vectors)
    faiss.write_index(index, str(path))


def read_vectors(path: Path):
    import faiss

    return faiss.read_index(str(path), faiss.IO_FLAG_READ_ONLY)


def write_manifest(path: Path, manifest: dict) -> None:
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_manifest(index_dir: Path) -> dict:
    """The manifest of a readable index; IndexMissing or IndexMismatch with the command that fixes it."""
    rebuild = f"python -m indexer build --corpus corpus --index {index_dir}"
    if not index_dir.exists():
        raise IndexMissing(f"no index at {index_dir}: build it with '{rebuild}' (or 'make run')")
    manifest_path = index_dir / MANIFEST
    if not index_dir.is_dir() or not manifest_path.is_file():
        raise IndexMismatch(f"{index_dir} is not a guideline-qa index (no {MANIFEST}); rebuild with '{rebuild}'")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexMismatch(f"{manifest_path} cannot be read ({exc}); rebuild with '{rebuild}'") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexMismatch(f"{index_dir} is not a guideline-qa index; rebuild with '{rebuild}'")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexMismatch(
            f"{index_dir} has index schema {manifest.get('schema_version')}, this code reads "
            f"{SCHEMA_VERSION}; rebuild with '{rebuild}'"
        )
    return manifest


def is_index_dir(path: Path) -> bool:
    try:
        return json.loads((path / MANIFEST).read_text(encoding="utf-8")).get("format") == FORMAT
    except (OSError, ValueError, AttributeError):
        return False


def connect(index_dir: Path) -> sqlite3.Connection:
    """A read-only connection: the read path never writes to the index."""
    con = sqlite3.connect(f"file:{(index_dir / STORE).resolve()}?mode=ro", uri=True, check_same_thread=False)
    con.row_factory = sqlite3.Row
    return con


@dataclass
class PreviousBuild:
    """What a rebuild may reuse from the index it replaces."""

    vectors: dict[str, np.ndarray] = field(default_factory=dict)  # by embedded-text hash
    chunks: dict[str, tuple[str, list[Chunk]]] = field(default_factory=dict)  # doc id -> (text hash, chunks)


def read_previous(index_dir: Path, model_id: str, chunker: dict, parser_version: int) -> PreviousBuild:
    """Vectors of the previous index when it used the same model; its chunks by document when it also
    used the same chunker settings and parser (then a document with unchanged text would be cut into
    exactly these chunks again). An unreadable or foreign old index only means nothing to reuse."""
    try:
        manifest = read_manifest(index_dir)
    except (IndexMissing, IndexMismatch):
        return PreviousBuild()
    if manifest.get("model", {}).get("id") != model_id:
        return PreviousBuild()
    same_cut = manifest.get("chunker") == chunker and manifest.get("corpus", {}).get("parser_version") == parser_version
    dimension = manifest["model"].get("dimension")
    previous = PreviousBuild()
    try:
        index = read_vectors(index_dir / VECTORS)
        if index.d != dimension:
            return PreviousBuild()
        matrix = index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, dimension), "float32")
        con = connect(index_dir)
        try:
            rows = con.execute("SELECT * FROM chunks ORDER BY row").fetchall()
            if len(rows) != index.ntotal:
                return PreviousBuild()
            previous.vectors = {r["text_sha"]: matrix[r["row"]] for r in rows}
            if same_cut:
                for r in con.execute("SELECT id, text FROM documents"):
                    previous.chunks[r["id"]] = (text_sha(r["text"]), [])
                for r in rows:
                    previous.chunks[r["doc_id"]][1].append(
                        Chunk(
                            id=r["id"],
                            doc_id=r["doc_id"],
                            section_id=r["section_id"],
                            ord=r["ord"],
                            text=r["text"],
                            embed_text=r["embed_text"],
                            start=r["start"],
                            end=r["end"],
                            sentences=tuple(tuple(x) for x in json.loads(r["sentences"])),
                            citations=tuple(json.loads(r["citations"])),
                            n_tokens=r["n_tokens"],
                        )
                    )
        finally:
            con.close()
    except (sqlite3.Error, RuntimeError, OSError, KeyError, ValueError):
        return PreviousBuild()
    return previous
