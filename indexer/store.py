"""The index directory's one owner: `write_index` writes it, `IndexReader` reads and verifies it.

A folder holds manifest.json (the typed `Manifest`), the vector file of its vector store (one row per
chunk), the heading vector file of the same store (one row per section heading, `headings.*`), and
store.sqlite (documents, sections, references, chunks, headings, term statistics, and the FTS5 keyword
table of each chunk's terms). Nothing outside this module opens store.sqlite or the vector files, or
parses the manifest. Native formats only: the store's own IO, SQLite, JSON; nothing is unpickled.

Every load verifies: the manifest parses completely, each file's size and SHA-256 match it, and the row
counts agree (vectors = chunks = keyword rows; heading vectors = headings). Any difference is
`IndexDamaged`, naming the file and the rebuild command made from the manifest's own corpus paths.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import sqlite3
import stat
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .chunk import text_sha
from .errors import IndexDamaged, IndexMismatch, IndexMissing, IndexUnreadable
from .manifest import (
    FORMAT,
    MANIFEST,
    SCHEMA_VERSION,
    FileRecord,
    Manifest,
    peek_corpus_paths,
    peek_files,
    peek_identity,
)
from .model import Chunk, Document, Heading, Reference
from .terms import FTS_TOKENIZER, content_terms, keyword_document, keyword_spec
from .vectors import STORES, FaissFlatStore, NumpyStore, StoreClass, VectorStoreError, store_class
from .vocabulary import Entry

STORE = "store.sqlite"


def heading_filename(vector_class: StoreClass) -> str:
    """The heading vector file: the store's own format, named `headings` (headings.faiss, headings.npy)."""
    return "headings" + Path(vector_class.filename).suffix


_SCHEMA = f"""
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
    row INTEGER PRIMARY KEY,  -- the chunk's row in the vector file
    id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL REFERENCES documents(id),
    section_id TEXT NOT NULL REFERENCES sections(id), ord INTEGER NOT NULL,
    text TEXT NOT NULL, embed_text TEXT NOT NULL, text_sha TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, sentences TEXT NOT NULL, citations TEXT NOT NULL,
    n_tokens INTEGER NOT NULL
);
CREATE INDEX chunks_section ON chunks(section_id);
CREATE INDEX chunks_doc ON chunks(doc_id);
CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
-- Query vocabulary (indexer/vocabulary.py): `term` as typed, lower-case, also means `expansion`.
CREATE TABLE vocabulary (term TEXT NOT NULL, expansion TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL);
-- The heading channel: each section with passages, its heading path as one text; row = its row in the
-- heading vector file.
CREATE TABLE headings (
    row INTEGER PRIMARY KEY, section_id TEXT NOT NULL UNIQUE REFERENCES sections(id),
    text TEXT NOT NULL, text_sha TEXT NOT NULL
);
-- Contentless: it holds each chunk's terms (terms.keyword_document), rowid = chunk row.
CREATE VIRTUAL TABLE chunks_fts USING fts5(terms, content='', tokenize="{FTS_TOKENIZER}");
"""


def rebuild_command(index_dir: Path, corpus_paths: Sequence[str] = ()) -> str:
    corpus = " ".join(f"--corpus {shlex.quote(p)}" for p in (corpus_paths or ["corpus"]))
    return f"python -m indexer build {corpus} --index {shlex.quote(str(index_dir))}"


def rebuild_command_for(index_dir: Path) -> str:
    """The rebuild command for whatever is at `index_dir`, with its manifest's corpus paths when readable."""
    try:
        text = _read_manifest_text(Path(index_dir) / MANIFEST, "")
    except (IndexDamaged, IndexUnreadable):
        return rebuild_command(index_dir)
    return rebuild_command(index_dir, peek_corpus_paths(text))


# -- writing --------------------------------------------------------------------------------------


def write_index(
    folder: Path,
    manifest: Manifest,
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    vectors: np.ndarray,
    vocabulary: Sequence[Entry] = (),
    headings: Sequence[Heading] = (),
    heading_vectors: np.ndarray | None = None,
) -> Manifest:
    """Write a complete index into the empty `folder`; returns the manifest with checksums as written.

    `heading_vectors` holds one row per heading, in order; no headings (the channel off) writes an empty
    heading file, so every index has the same files.
    """
    vector_class = store_class(manifest.vector_store)
    if heading_vectors is None or not len(headings):
        heading_vectors = np.zeros((0, vectors.shape[1]), dtype="float32")
    if len(heading_vectors) != len(headings):
        raise ValueError(f"{len(headings)} headings but {len(heading_vectors)} heading vectors")
    _write_store(folder / STORE, documents, chunks, vocabulary, headings)
    params = {}
    for name, rows in ((vector_class.filename, vectors), (heading_filename(vector_class), heading_vectors)):
        built = vector_class.build(rows)
        built.save(folder / name)
        params[name] = built.params  # each file's own: an approximate store's lists depend on its size
        del built  # an approximate store holds its own copy of the vectors: one at a time
    names = (STORE, vector_class.filename, heading_filename(vector_class))
    files = {name: _file_record(folder / name) for name in names}
    final = replace(
        manifest, vector_store=vector_class.name, vector_params=params, keywords=keyword_spec(), files=files
    )
    (folder / MANIFEST).write_text(final.to_json(), encoding="utf-8")
    return final


def _write_store(
    path: Path,
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    vocabulary: Sequence[Entry],
    headings: Sequence[Heading],
) -> None:
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
            con.executemany(
                "INSERT INTO headings VALUES (?, ?, ?, ?)",
                ((row, h.section_id, h.text, text_sha(h.text)) for row, h in enumerate(headings)),
            )
            con.executemany(
                "INSERT INTO chunks_fts(rowid, terms) VALUES (?, ?)",
                ((row, keyword_document(c.embed_text)) for row, c in enumerate(chunks)),
            )
            df: Counter[str] = Counter()
            for c in chunks:
                df.update(content_terms(c.embed_text))
            con.executemany("INSERT INTO term_df VALUES (?, ?)", df.items())
            con.executemany(
                "INSERT INTO vocabulary VALUES (?, ?, ?, ?)",
                ((e.term, e.expansion, e.kind, e.source) for e in vocabulary),
            )
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


def _file_record(path: Path) -> FileRecord:
    digest, size = _sha256(path)
    return FileRecord(sha256=digest, bytes=size)


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


# Every file a manifest of ours may list, whatever the vector store (manifest.json lists the others).
DATA_FILES = frozenset({STORE, *(c.filename for c in STORES.values()), *map(heading_filename, STORES.values())})


def check_replaceable(index_dir: Path) -> None:
    """`IndexMismatch` naming the files and the fix unless a build may replace `index_dir`: it is absent or
    empty, or holds only what a build of ours wrote there: manifest.json and the files it lists, all of
    them names a build writes. Anything else there belongs to someone, and nothing is deleted. A listed
    file whose bytes no longer match the manifest is a damaged index of ours: rebuilding it is the fix the
    reader names, so it is replaced."""
    index_dir = Path(index_dir)
    keep = "refusing to replace the folder; nothing was changed"
    elsewhere = f"choose an empty or new folder for --index, or move them out of {index_dir}"
    try:
        if not index_dir.exists():
            return
        if not index_dir.is_dir():
            raise IndexMismatch(f"--index {index_dir} is a file, not an index folder; choose another path")
        entries = sorted(p.name for p in index_dir.iterdir())
    except PermissionError:
        raise IndexMismatch(
            f"--index {index_dir} cannot be read by this user (permission denied), so nothing in it can be "
            "proved to be an index of ours; choose a folder of your own for --index"
        ) from None
    if not entries:
        return
    listed = None
    if MANIFEST in entries:
        try:
            listed = peek_files(_read_manifest_text(index_dir / MANIFEST, ""))
        except (IndexDamaged, IndexUnreadable):
            pass
    if listed is None:
        raise IndexMismatch(
            f"--index {index_dir} holds files that are not a guideline-qa index ({_some(entries)}); {keep}. "
            f"{elsewhere.capitalize()}"
        )
    unknown = sorted(set(listed) - DATA_FILES)
    if unknown:
        raise IndexMismatch(
            f"--index {index_dir}: its {MANIFEST} lists files no guideline-qa build writes ({_some(unknown)}), "
            f"so it is not a manifest of ours; {keep}. {elsewhere.capitalize()}"
        )
    foreign = [n for n in entries if n != MANIFEST and n not in listed]
    if foreign:
        raise IndexMismatch(
            f"--index {index_dir} holds files the index did not write ({_some(foreign)}); {keep}. "
            f"Move them out of {index_dir}, or choose another folder for --index"
        )


def _some(names: Sequence[str], shown: int = 5) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


# -- reading --------------------------------------------------------------------------------------


def read_manifest(index_dir: Path) -> Manifest:
    """The manifest of an index this code can read; IndexMissing, IndexMismatch or IndexDamaged otherwise."""
    index_dir = Path(index_dir)
    path = index_dir / MANIFEST
    try:
        exists, is_dir = index_dir.exists(), index_dir.is_dir()
        has_manifest = is_dir and path.exists()
    except PermissionError:  # a folder on the way (or the index folder itself) this user may not enter
        raise IndexUnreadable(index_dir, index_dir) from None
    if not exists:
        raise IndexMissing(f"no index at {index_dir}: build it with '{rebuild_command(index_dir)}' (or 'make run')")
    if not has_manifest:
        raise IndexMismatch(
            f"{index_dir} is not a guideline-qa index (no {MANIFEST}); rebuild with '{rebuild_command(index_dir)}'"
        )
    text = _read_manifest_text(path, rebuild_command(index_dir))
    rebuild = rebuild_command(index_dir, peek_corpus_paths(text))
    try:
        json.loads(text)
    except ValueError as exc:
        raise IndexDamaged(path, f"is not valid JSON ({exc})", rebuild) from None
    except RecursionError:
        raise IndexDamaged(path, "is not a manifest (JSON nested too deeply)", rebuild) from None
    format_, schema = peek_identity(text)
    if format_ != FORMAT:
        raise IndexMismatch(f"{index_dir} is not a guideline-qa index; rebuild with '{rebuild}'")
    if schema != SCHEMA_VERSION:
        raise IndexMismatch(
            f"{index_dir} has index schema {schema}, this code reads {SCHEMA_VERSION}; rebuild with '{rebuild}'"
        )
    try:
        return Manifest.from_json(path, text)
    except IndexDamaged as exc:
        raise exc.with_rebuild(rebuild) from None


MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # a real manifest is a few kilobytes, MedQuAD's warnings included


def _read_manifest_text(path: Path, rebuild: str) -> str:
    """The manifest's text, read only from a regular file of bounded size: a FIFO or a link to a device
    named manifest.json must not hang or exhaust a reader."""
    try:
        info = path.stat()
    except PermissionError:
        raise IndexUnreadable(path.parent, path.parent) from None
    except OSError as exc:
        raise IndexDamaged(path, f"cannot be read ({exc.strerror or exc})", rebuild) from None
    if not stat.S_ISREG(info.st_mode):
        raise IndexDamaged(path, "is not a regular file", rebuild)
    if info.st_size > MAX_MANIFEST_BYTES:
        limit = f"{MAX_MANIFEST_BYTES:,}"
        raise IndexDamaged(path, f"is {info.st_size:,} bytes, more than a manifest can be ({limit})", rebuild)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_MANIFEST_BYTES + 1)
        return data.decode("utf-8")
    except PermissionError:
        raise IndexUnreadable(path, path.parent) from None
    except OSError as exc:
        raise IndexDamaged(path, f"cannot be read ({exc.strerror or exc})", rebuild) from None
    except UnicodeDecodeError as exc:
        raise IndexDamaged(path, f"is not UTF-8 ({exc.reason} at byte {exc.start})", rebuild) from None


@dataclass(frozen=True)
class StoredChunk:
    """One chunk as a reader needs it: its text, where it sits, and the display text of its sentences."""

    row: int
    id: str
    doc_id: str
    section_id: str
    section_path: tuple[str, ...]
    text: str
    embed_text: str
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]  # spans in the document text
    sentence_texts: tuple[str, ...]  # each sentence as it stands in the document (markers included)
    citations: tuple[int, ...]


class IndexReader:
    """Read-only, verified view of one index folder, safe to share between threads.

    One SQLite connection, opened with the vectors and used under a lock: a rebuild that swaps the
    folder meanwhile cannot pair these vectors with another build's rows (open files stay readable).
    """

    def __init__(self, index_dir: Path, *, verify: bool = True, any_keywords: bool = False) -> None:
        """`any_keywords`: open an index whose keyword terms another definition made (a build reusing its
        vectors and passages, which do not depend on them); searching it would be wrong."""
        self.path = Path(index_dir)
        self.manifest = read_manifest(self.path)
        self.rebuild = rebuild_command(self.path, self.manifest.corpus.paths)
        spec = keyword_spec()
        if self.manifest.keywords != spec and not any_keywords:
            built = self.manifest.keywords
            differ = [k for k in sorted(set(spec) | set(built)) if built.get(k) != spec.get(k)]
            raise IndexMismatch(
                f"{self.path} was built with another keyword tokenizer (terms version "
                f"{self.manifest.keywords.get('terms_version')}, this code uses {spec['terms_version']}; "
                f"differing: {', '.join(differ)}); rebuild with '{self.rebuild}'"
            )
        try:
            vector_class = store_class(self.manifest.vector_store)
        except KeyError as exc:
            raise IndexMismatch(f"{self.path}/{MANIFEST}: {exc.args[0]}; rebuild with '{self.rebuild}'") from None
        expected = {STORE, vector_class.filename, heading_filename(vector_class)}
        if set(self.manifest.files) != expected:
            raise self._damaged(MANIFEST, f"lists files {sorted(self.manifest.files)}, expected {sorted(expected)}")
        self._check_readable()
        if verify:
            self.verify_files()
        self._lock = threading.Lock()
        try:
            self._con = sqlite3.connect(
                f"file:{(self.path / STORE).resolve()}?mode=ro", uri=True, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise self._damaged(STORE, f"cannot be opened ({exc})") from None
        self._con.row_factory = sqlite3.Row
        loaded = []
        for name in (vector_class.filename, heading_filename(vector_class)):
            try:
                loaded.append(vector_class.load(self.path / name))
            except VectorStoreError as exc:
                self.close()
                raise self._damaged(name, f"cannot be read ({exc})") from None
        self.vectors, self.heading_vectors = loaded
        try:
            self._check_params()
            self._check_counts()
        except IndexDamaged:
            self.close()
            raise
        self._texts: dict[str, str] = {}  # per reader, not per class: a dropped reader frees its cache

    def close(self) -> None:
        self._con.close()

    def _damaged(self, name: str, problem: str) -> IndexDamaged:
        return IndexDamaged(self.path / name, problem, self.rebuild)

    def _check_readable(self) -> None:
        """`IndexUnreadable` naming the first file this user may not open (an index another user built
        without sharing it), rather than a damage report or a traceback from SQLite or the vector store."""
        for name in sorted(self.manifest.files):
            try:
                os.close(os.open(self.path / name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC))  # a FIFO: no wait
            except PermissionError:
                raise IndexUnreadable(self.path / name, self.path) from None
            except OSError:
                pass  # missing or otherwise unusable: verify_files names it

    def verify_files(self) -> None:
        """Size and SHA-256 of every file against the manifest (sizes first: a truncation costs no hashing)."""
        for name, record in self.manifest.files.items():
            path = self.path / name
            try:
                size = path.stat().st_size
            except OSError:
                raise self._damaged(name, "is missing") from None
            if size != record.bytes:
                raise self._damaged(name, f"is damaged: {size:,} bytes, the manifest says {record.bytes:,}")
        for name, record in self.manifest.files.items():
            try:
                digest, _ = _sha256(self.path / name)
            except OSError as exc:
                raise self._damaged(name, f"cannot be read ({exc.strerror or exc})") from None
            if digest != record.sha256:
                raise self._damaged(name, "is damaged: its SHA-256 differs from the one recorded in manifest.json")

    def _check_params(self) -> None:
        """The stores' parameters are those the manifest records (an approximate store's recall depends on them)."""
        for store, name in (
            (self.vectors, type(self.vectors).filename),
            (self.heading_vectors, heading_filename(type(self.vectors))),
        ):
            wanted = self.manifest.vector_params.get(name)
            if store.params != wanted:
                raise self._damaged(name, f"has store parameters {store.params}, the manifest says {wanted}")

    def _check_counts(self) -> None:
        m = self.manifest
        n = m.counts.chunks
        if self.vectors.dimension != m.model.dimension:
            raise self._damaged(
                type(self.vectors).filename, f"has dimension {self.vectors.dimension}, expected {m.model.dimension}"
            )
        if self.vectors.ntotal != n:
            raise self._damaged(type(self.vectors).filename, f"has {self.vectors.ntotal:,} rows, expected {n:,}")
        rows, low, high = self.query("SELECT count(*), min(row), max(row) FROM chunks")[0]
        if rows != n or (n and (low, high) != (0, n - 1)):
            raise self._damaged(STORE, f"has {rows:,} chunk rows (rows {low}..{high}), expected {n:,} (0..{n - 1})")
        h = m.counts.headings
        heading_file = heading_filename(type(self.vectors))
        if self.heading_vectors.ntotal != h:
            raise self._damaged(heading_file, f"has {self.heading_vectors.ntotal:,} rows, expected {h:,}")
        if h and self.heading_vectors.dimension != m.model.dimension:
            raise self._damaged(
                heading_file, f"has dimension {self.heading_vectors.dimension}, expected {m.model.dimension}"
            )
        rows, low, high = self.query("SELECT count(*), min(row), max(row) FROM headings")[0]
        if rows != h or (h and (low, high) != (0, h - 1)):
            raise self._damaged(STORE, f"has {rows:,} heading rows (rows {low}..{high}), expected {h:,} (0..{h - 1})")
        keyword_rows = self.query("SELECT count(*) FROM chunks_fts_docsize")[0][0]
        if keyword_rows != n:
            raise self._damaged(STORE, f"keyword table holds {keyword_rows:,} passages, expected {n:,}")
        documents = self.query("SELECT count(*) FROM documents")[0][0]
        if documents != m.counts.documents:
            raise self._damaged(STORE, f"has {documents:,} documents, expected {m.counts.documents:,}")
        if n and not self.query("SELECT 1 FROM term_df LIMIT 1"):
            raise self._damaged(STORE, "has no term statistics (table term_df is empty)")
        entries = self.query("SELECT count(*) FROM vocabulary")[0][0]
        if entries != m.counts.vocabulary:
            raise self._damaged(STORE, f"has {entries:,} vocabulary entries, expected {m.counts.vocabulary:,}")

    def query(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            with self._lock:
                return self._con.execute(sql, tuple(args)).fetchall()
        except sqlite3.DatabaseError as exc:  # a damaged file or table: never an empty result
            raise self._damaged(STORE, f"cannot be read ({exc})") from None

    # What readers ask for. Each answer comes from this index's own files.

    def documents(self) -> dict[str, dict]:
        return {
            r["id"]: dict(r, meta=json.loads(r["meta"]))
            for r in self.query("SELECT id, kind, title, url, collection, meta FROM documents")
        }

    def references(self) -> tuple[dict[str, dict[int, Reference]], dict[str, set[str]]]:
        """Each document's reference entries by number, and the corpus documents its references link to."""
        refs: dict[str, dict[int, Reference]] = {}
        linked: dict[str, set[str]] = {}
        for r in self.query("SELECT * FROM doc_references ORDER BY doc_id, n"):
            refs.setdefault(r["doc_id"], {})[r["n"]] = Reference(
                n=r["n"],
                type=r["type"],
                title=r["title"],
                source=r["source"] or "",
                year=r["year"],
                url=r["url"],
                source_file=r["source_file"],
            )
            if r["source_doc_id"]:
                linked.setdefault(r["doc_id"], set()).add(r["source_doc_id"])
        return refs, linked

    def vocabulary(self) -> list[Entry]:
        return [Entry(*r) for r in self.query("SELECT term, expansion, kind, source FROM vocabulary ORDER BY rowid")]

    def term_df(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.query("SELECT term, df FROM term_df")}

    def document_text(self, doc_id: str) -> str:
        text = self._texts.get(doc_id)
        if text is None:
            rows = self.query("SELECT text FROM documents WHERE id = ?", (doc_id,))
            text = rows[0][0] if rows else ""
            if len(self._texts) >= 256:
                self._texts.pop(next(iter(self._texts)))
            self._texts[doc_id] = text
        return text

    def sections(self, doc_id: str) -> list[dict]:
        rows = self.query(
            "SELECT id, heading, path, level, start, end FROM sections WHERE doc_id = ? ORDER BY ord", (doc_id,)
        )
        return [dict(r, path=tuple(json.loads(r["path"]))) for r in rows]

    def section_documents(self) -> dict[str, str]:
        """Every section id with its document id."""
        return {r["id"]: r["doc_id"] for r in self.query("SELECT id, doc_id FROM sections")}

    def heading_chunk_rows(self) -> list[np.ndarray]:
        """For each heading row, the rows of its section's chunks, ascending."""
        out: list[list[int]] = [[] for _ in range(self.manifest.counts.headings)]
        for r in self.query(
            "SELECT h.row, c.row FROM headings h JOIN chunks c ON c.section_id = h.section_id ORDER BY c.row"
        ):
            out[r[0]].append(r[1])
        return [np.array(rows, dtype="int64") for rows in out]

    def heading_rows_of(self, doc_ids: Iterable[str]) -> np.ndarray:
        """Heading-vector rows of every section of these documents, ascending."""
        ids = sorted(doc_ids)
        if not ids:
            return np.zeros(0, dtype="int64")
        marks = ",".join("?" * len(ids))
        rows = self.query(
            f"SELECT h.row FROM headings h JOIN sections s ON s.id = h.section_id WHERE s.doc_id IN ({marks}) "
            "ORDER BY h.row",
            ids,
        )
        return np.array([r[0] for r in rows], dtype="int64")

    def rows_of(self, doc_ids: Iterable[str]) -> np.ndarray:
        """Vector rows of every chunk of these documents, ascending."""
        ids = sorted(doc_ids)
        if not ids:
            return np.zeros(0, dtype="int64")
        marks = ",".join("?" * len(ids))
        rows = self.query(f"SELECT row FROM chunks WHERE doc_id IN ({marks}) ORDER BY row", ids)
        return np.array([r[0] for r in rows], dtype="int64")

    def chunks(self, rows: Sequence[int]) -> dict[int, StoredChunk]:
        if not rows:
            return {}
        marks = ",".join("?" * len(rows))
        result = self.query(
            f"SELECT c.row, c.id, c.doc_id, c.section_id, c.text, c.embed_text, c.start, c.end, c.sentences, "
            f"c.citations, s.path FROM chunks c JOIN sections s ON s.id = c.section_id WHERE c.row IN ({marks})",
            [int(r) for r in rows],
        )
        out = {}
        for r in result:
            spans = tuple((int(a), int(b)) for a, b in json.loads(r["sentences"]))
            doc_text = self.document_text(r["doc_id"])
            out[r["row"]] = StoredChunk(
                row=r["row"],
                id=r["id"],
                doc_id=r["doc_id"],
                section_id=r["section_id"],
                section_path=tuple(json.loads(r["path"])),
                text=r["text"],
                embed_text=r["embed_text"],
                start=r["start"],
                end=r["end"],
                sentences=spans,
                sentence_texts=tuple(doc_text[a:b] for a, b in spans),
                citations=tuple(json.loads(r["citations"])),
            )
        missing = [r for r in rows if r not in out]
        if missing:
            raise self._damaged(STORE, f"has no chunk row {missing[0]} although the vectors do")
        return out

    def keyword_search(self, match: str, n: int, scope: Iterable[str] | None = None) -> list[int]:
        """Rows of the best `n` chunks for an FTS5 MATCH expression by BM25, optionally within documents.

        `match` must be a well-formed expression (terms.keyword_query makes one): a syntax error is a bug,
        and an unreadable table is damage, so both raise rather than quietly finding nothing.
        """
        sql = "SELECT f.rowid FROM chunks_fts f"
        args: list[Any] = [match]
        if scope is not None:
            ids = sorted(scope)
            marks = ",".join("?" * len(ids))
            sql += f" JOIN chunks c ON c.row = f.rowid WHERE chunks_fts MATCH ? AND c.doc_id IN ({marks})"
            args += ids
        else:
            sql += " WHERE chunks_fts MATCH ?"
        sql += " ORDER BY bm25(chunks_fts) LIMIT ?"
        try:
            with self._lock:
                return [r[0] for r in self._con.execute(sql, (*args, n)).fetchall()]
        except sqlite3.OperationalError as exc:
            if "fts5: syntax error" in str(exc) or "no such column" in str(exc):
                raise ValueError(f"not a valid keyword query: {match!r} ({exc})") from None
            raise self._damaged(STORE, f"keyword table cannot be searched ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise self._damaged(STORE, f"keyword table cannot be searched ({exc})") from None

    def all_chunks(self) -> list[sqlite3.Row]:
        return self.query("SELECT * FROM chunks ORDER BY row")

    def integrity_check(self) -> list[str]:
        """SQLite's own full check of store.sqlite, plus each chunk's text hash: the slow part of `verify`."""
        problems = [r[0] for r in self.query("PRAGMA integrity_check") if r[0] != "ok"]
        for r in self.query("SELECT row, embed_text, text_sha FROM chunks"):
            if text_sha(r["embed_text"]) != r["text_sha"]:
                problems.append(f"chunk row {r['row']}: text does not match its hash")
        for r in self.query("SELECT row, text, text_sha FROM headings"):
            if text_sha(r["text"]) != r["text_sha"]:
                problems.append(f"heading row {r['row']}: text does not match its hash")
        return problems


# -- reuse by the next build ----------------------------------------------------------------------


@dataclass
class PreviousBuild:
    """What a rebuild may reuse from the index it replaces."""

    vectors: dict[str, np.ndarray] = field(default_factory=dict)  # by embedded-text hash
    chunks: dict[str, tuple[str, list[Chunk]]] = field(default_factory=dict)  # doc id -> (text hash, chunks)


def read_previous(index_dir: Path, model_id: str, precision: str, chunker: dict, parser_version: int) -> PreviousBuild:
    """Vectors of the previous index (passages and headings, by text hash) when it used the same model in the
    same precision (a float32 vector is not what a bfloat16 build would have made, nor the reverse);
    its chunks by document when it also used the same chunker settings and parser (then a document with
    unchanged text would be cut into exactly these chunks again). A missing, foreign or damaged old index
    only means nothing to reuse: it is verified like any other, so damage is never carried into the new
    build."""
    try:
        reader = IndexReader(index_dir, any_keywords=True)  # vectors and passages do not depend on terms
    except (IndexMissing, IndexMismatch):
        return PreviousBuild()
    try:
        m = reader.manifest
        if m.model.id != model_id:
            return PreviousBuild()
        same_cut = m.chunker == chunker and m.corpus.parser_version == parser_version
        rows = reader.all_chunks()
        previous = PreviousBuild()
        if m.model.precision == precision:
            matrix = reader.vectors.reconstruct(np.arange(len(rows), dtype="int64"))
            previous.vectors = {r["text_sha"]: matrix[r["row"]] for r in rows}
            heading_rows = reader.query("SELECT row, text_sha FROM headings ORDER BY row")
            headings = reader.heading_vectors.reconstruct(np.arange(len(heading_rows), dtype="int64"))
            previous.vectors.update((r["text_sha"], headings[r["row"]]) for r in heading_rows)
        if same_cut:
            for r in reader.query("SELECT id, text FROM documents"):
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
                        sentences=tuple((int(a), int(b)) for a, b in json.loads(r["sentences"])),
                        citations=tuple(json.loads(r["citations"])),
                        n_tokens=r["n_tokens"],
                    )
                )
        return previous
    except IndexMismatch:
        return PreviousBuild()
    finally:
        reader.close()


__all__ = [
    "FaissFlatStore",
    "IndexReader",
    "NumpyStore",
    "PreviousBuild",
    "STORE",
    "StoredChunk",
    "check_replaceable",
    "read_manifest",
    "read_previous",
    "rebuild_command",
    "write_index",
]
