"""The typed manifest of an index folder: what was built, from what, how, and the checksums that prove it.

`Manifest.to_json` and `Manifest.from_json` are the only place manifest keys are spelled. Reading is
strict: a missing or mistyped field is `IndexDamaged` naming manifest.json and the field, never a
KeyError later on.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import IndexDamaged

FORMAT = "guideline-qa-index"
SCHEMA_VERSION = 5  # 4: the heading channel (headings table and vector file); 5: model.precision, vector_params
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ModelInfo:
    requested: str  # the name or path the build was given
    id: str  # what it resolved to
    dimension: int
    max_seq_length: int
    precision: str  # float32 or bfloat16: what the passages were embedded in, and queries must be


@dataclass(frozen=True)
class CorpusInfo:
    paths: tuple[str, ...]
    fingerprint: str
    files: int
    parser_version: int


@dataclass(frozen=True)
class Counts:
    documents: int
    sections: int
    chunks: int  # = rows of the vector file = rows of `chunks` = rows of the keyword index
    references: int
    unresolved_citations: int
    documents_by_kind: dict[str, int]
    vocabulary: int  # query vocabulary entries (vocabulary.yaml and patterns found in the corpus)
    headings: int  # = rows of the heading vector file = rows of `headings` (0: no heading channel)


@dataclass(frozen=True)
class FileRecord:
    sha256: str
    bytes: int


@dataclass(frozen=True)
class Manifest:
    built_at: str
    model: ModelInfo
    chunker: dict[str, Any]  # ChunkSettings as a dict
    corpus: CorpusInfo
    counts: Counts
    keywords: dict[str, Any]  # terms.keyword_spec() at build time
    vector_store: str  # a vectors.STORES name
    vector_params: dict[str, Any]  # per vector file, its store's build and search parameters ({} for exact ones)
    files: dict[str, FileRecord]  # every data file of the index by name
    build: dict[str, Any] = field(default_factory=dict)  # embedded, reused, seconds: informational
    warnings: tuple[str, ...] = ()
    format: str = FORMAT
    schema_version: int = SCHEMA_VERSION

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["corpus"]["paths"] = list(self.corpus.paths)
        data["warnings"] = list(self.warnings)
        # Identity first, so a person reading the file sees what it is before the details.
        head = {"format": data.pop("format"), "schema_version": data.pop("schema_version")}
        return {**head, **data}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, path: Path, text: str) -> Manifest:
        """Parse a manifest; `IndexDamaged` naming the field when anything is missing or of the wrong type."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IndexDamaged(path, f"is not valid JSON (line {exc.lineno}: {exc.msg})") from None
        except RecursionError:
            raise IndexDamaged(path, "is not a manifest (JSON nested too deeply)") from None
        r = _Fields(path, data, "")
        model = r.obj("model")
        corpus = r.obj("corpus")
        counts = r.obj("counts")
        files = r.obj("files")
        by_kind = counts.obj("documents_by_kind")
        return cls(
            format=r.text("format"),
            schema_version=r.integer("schema_version"),
            built_at=r.text("built_at"),
            model=ModelInfo(
                requested=model.text("requested"),
                id=model.text("id"),
                dimension=model.integer("dimension"),
                max_seq_length=model.integer("max_seq_length"),
                precision=model.text("precision"),
            ),
            chunker=r.obj("chunker").data,
            corpus=CorpusInfo(
                paths=tuple(corpus.texts("paths")),
                fingerprint=corpus.text("fingerprint"),
                files=corpus.integer("files"),
                parser_version=corpus.integer("parser_version"),
            ),
            counts=Counts(
                documents=counts.integer("documents"),
                sections=counts.integer("sections"),
                chunks=counts.integer("chunks"),
                references=counts.integer("references"),
                unresolved_citations=counts.integer("unresolved_citations"),
                documents_by_kind={k: by_kind.integer(k) for k in by_kind.data},
                vocabulary=counts.integer("vocabulary"),
                headings=counts.integer("headings"),
            ),
            keywords=r.obj("keywords").data,
            vector_store=r.text("vector_store"),
            vector_params=r.obj("vector_params").data,
            files={
                name: FileRecord(sha256=files.obj(name).text("sha256"), bytes=files.obj(name).integer("bytes"))
                for name in files.data
            },
            build=r.obj("build").data,
            warnings=tuple(r.texts("warnings")),
        )


def peek_identity(text: str) -> tuple[object, object]:
    """(format, schema_version) of a manifest, or (None, None): enough to tell ours, and which version."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None, None
    if not isinstance(data, dict):
        return None, None
    return data.get("format"), data.get("schema_version")


def peek_files(text: str) -> dict[str, FileRecord] | None:
    """The `files` a manifest of ours lists (name -> SHA-256 and size), from any schema that records them;
    None when `text` is not such a manifest (another format, no identity, no well-formed file list)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    schema, files = data.get("schema_version"), data.get("files")
    if not isinstance(schema, int) or isinstance(schema, bool) or not isinstance(files, dict):
        return None
    out = {}
    for name, record in files.items():
        if not isinstance(record, dict):
            return None
        sha, size = record.get("sha256"), record.get("bytes")
        if not isinstance(sha, str) or not isinstance(size, int) or isinstance(size, bool):
            return None
        out[name] = FileRecord(sha256=sha, bytes=size)
    return out


def peek_corpus_paths(text: str) -> list[str]:
    """The corpus paths a manifest names, best effort, for a rebuild command even when the rest is damaged."""
    try:
        paths = json.loads(text)["corpus"]["paths"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return []
    return [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else []


class _Fields:
    """Typed access to one JSON object of the manifest, with the dotted path for messages."""

    def __init__(self, path: Path, data: object, prefix: str) -> None:
        if not isinstance(data, dict):
            raise IndexDamaged(path, f"field '{prefix or '(top level)'}' must be an object")
        self.path = path
        self.data: dict[str, Any] = data
        self.prefix = prefix

    def _get(self, key: str, kind: type | tuple[type, ...], what: str) -> Any:
        name = f"{self.prefix}{key}"
        if key not in self.data:
            raise IndexDamaged(self.path, f"field '{name}' is missing")
        value = self.data[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
            raise IndexDamaged(self.path, f"field '{name}' must be {what}, found {type(value).__name__}")
        return value

    def text(self, key: str) -> str:
        return self._get(key, str, "a string")

    def integer(self, key: str) -> int:
        return self._get(key, int, "an integer")

    def obj(self, key: str) -> _Fields:
        return _Fields(self.path, self._get(key, dict, "an object"), f"{self.prefix}{key}.")

    def texts(self, key: str) -> list[str]:
        value = self._get(key, list, "a list of strings")
        if not all(isinstance(v, str) for v in value):
            raise IndexDamaged(self.path, f"field '{self.prefix}{key}' must be a list of strings")
        return value
