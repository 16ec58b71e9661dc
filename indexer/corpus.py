"""Find corpus files, hand each to its parser, and link articles to the reference texts they cite.

What a file is follows from where it lies and how it ends:
  *.md outside a `sources/` folder   our article format (front matter + cited sections)
  *.md, *.txt inside `sources/`      full text of a reference (front matter optional)
  *.txt elsewhere                    an article page as copied from the web (see webpage.py)
  *.xml                              MedQuAD
README, LICENSE and similar files, hidden files and anything else are not corpus content.

Only regular files are read: FIFOs, devices and sockets are skipped with a warning (never opened, so a
build or a staleness check cannot block on them), and so are symlinks that lead out of their corpus
folder unless `ingest.follow_external_links` is set. Every file is read within the `ingest` limits.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import CorpusError, VocabularyError
from .markdown import parse_markdown
from .medquad import parse_medquad
from .model import Document
from .settings import IngestSettings
from .vocabulary import MAX_BYTES as MAX_VOCABULARY_BYTES
from .vocabulary import Entry, corpus_patterns, load_vocabulary, vocabulary_files
from .webpage import page_to_markdown

# Bump when parsing or chunking changes what a file turns into, so indexes built before count as stale.
PARSER_VERSION = 3
_NOT_CONTENT = {"readme", "license", "licence", "copying", "notice", "source_commit", "changelog"}
_SUFFIXES = {".md", ".txt", ".xml"}


@dataclass
class Corpus:
    documents: list[Document] = field(default_factory=list)
    problems: list[CorpusError] = field(default_factory=list)  # files skipped or kept with a warning
    fingerprint: str = ""
    files: int = 0
    vocabulary: list[Entry] = field(default_factory=list)  # vocabulary.yaml entries, then corpus patterns


def corpus_files(
    roots: Sequence[Path], ingest: IngestSettings | None = None
) -> tuple[list[tuple[Path, Path]], list[CorpusError]]:
    """(root, file) pairs in a stable order, and the folders, roots or files that cannot be read.

    Decided from names and `stat` alone: nothing is opened here.
    """
    ingest = ingest or IngestSettings()
    found: list[tuple[Path, Path]] = []
    problems: list[CorpusError] = []
    for root in roots:
        if root.is_file():
            found.append((root.parent, root))  # named on the command line: the user chose it
            continue
        if not root.is_dir():
            problems.append(CorpusError(root, "corpus folder does not exist or cannot be read"))
            continue
        real_root = os.path.realpath(root)

        def unreadable(exc: OSError, root: Path = root) -> None:
            problems.append(CorpusError(exc.filename or root, f"cannot read folder ({exc.strerror or exc})"))

        for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                stem = name.rsplit(".", 1)[0].lower()
                if name.startswith(".") or stem in _NOT_CONTENT or path.suffix.lower() not in _SUFFIXES:
                    continue
                problem = _not_readable(path, real_root, ingest)
                if problem:
                    problems.append(problem)
                else:
                    found.append((root, path))
    return found, problems


def _not_readable(path: Path, real_root: str, ingest: IngestSettings) -> CorpusError | None:
    """Why `path` is not read (a symlink out of the corpus, not a regular file, no access), or None."""
    if not ingest.follow_external_links and os.path.islink(path):
        target = os.path.realpath(path)
        if os.path.commonpath([target, real_root]) != real_root:
            return CorpusError(
                path,
                f"is a symlink to {target}, outside the corpus folder; not followed "
                "(--follow-external-links or GUIDELINE_QA_FOLLOW_EXTERNAL_LINKS=true reads it)",
            )
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return CorpusError(path, f"cannot read file ({exc.strerror or exc})")
    return None if stat.S_ISREG(mode) else CorpusError(path, f"is {_file_kind(mode)}, not a regular file; skipped")


def _file_kind(mode: int) -> str:
    kinds = [
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ]
    return next((text for test, text in kinds if test(mode)), "a special file")


def read_file(path: Path, max_bytes: int, limit: str) -> bytes:
    """The bytes of a regular file, never more than `max_bytes`; CorpusError naming the file otherwise.

    Opened without blocking and checked again after opening, so a file replaced by a FIFO or a device
    after it was listed cannot hang the caller. `limit` is how the message names the limit.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise CorpusError(path, f"cannot read file ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # checked before open(), which refuses a directory with a traceback
        os.close(fd)
        raise CorpusError(path, f"is {_file_kind(info.st_mode)}, not a regular file; skipped")
    with open(fd, "rb", closefd=True) as f:
        data = f.read(max_bytes + 1) if info.st_size <= max_bytes else b""
    if info.st_size > max_bytes or len(data) > max_bytes:
        raise CorpusError(path, f"is {max(info.st_size, len(data)):,} bytes; {limit}")
    return data


def check_lines(path: Path, text: str, max_chars: int, limit: str) -> None:
    """CorpusError naming the first line longer than `max_chars`, so line-based parsing stays bounded."""
    if len(text) <= max_chars:
        return
    start, number = 0, 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        if stop - start > max_chars:
            raise CorpusError(path, f"line is {stop - start:,} characters long; {limit}", line=number)
        if end < 0:
            return
        start, number = end + 1, number + 1


def load_corpus(roots: Sequence[Path], ingest: IngestSettings | None = None) -> Corpus:
    ingest = ingest or IngestSettings()
    corpus = Corpus()
    files, corpus.problems = corpus_files(roots, ingest)
    corpus.files = len(files)
    digest = _digest_start(ingest)
    by_path: dict[Path, Document] = {}
    seen_ids: dict[str, Path] = {}
    for root, path in files:
        try:
            data = read_file(path, ingest.max_file_bytes, ingest.limit("max_file_bytes"))
        except CorpusError as exc:
            corpus.problems.append(exc)
            continue
        digest.update(_digest_entry(root, path, data))
        try:
            doc, warnings = parse_file(root, path, data, ingest)
        except CorpusError as exc:
            corpus.problems.append(exc)
            continue
        corpus.problems.extend(warnings)
        if doc.id in seen_ids:
            corpus.problems.append(
                CorpusError(path, f"document id {doc.id!r} is already used by {seen_ids[doc.id]}; skipped")
            )
            continue
        seen_ids[doc.id] = path
        by_path[path.resolve()] = doc
        corpus.documents.append(doc)
    _link_sources(corpus, by_path, roots)
    for path in vocabulary_files(roots):
        try:
            data = _read_vocabulary(path)
            digest.update(_digest_entry(path.parent, path, data))
            corpus.vocabulary.extend(load_vocabulary(path, data))
        except CorpusError as exc:  # unreadable, too big or not a vocabulary: the build stops on it
            reason = exc.reason.removesuffix("; skipped")  # nothing is skipped: the build stops
            corpus.problems.append(exc if isinstance(exc, VocabularyError) else VocabularyError(exc.path, reason))
    corpus.vocabulary.extend(corpus_patterns(corpus.documents))
    corpus.fingerprint = digest.hexdigest()
    return corpus


def fingerprint(roots: Sequence[Path], ingest: IngestSettings | None = None) -> str:
    """The corpus fingerprint load_corpus would compute, without parsing anything.

    Reads only the regular files load_corpus reads, within the same limits: it never blocks on a FIFO
    or a device and never reads more than the limits allow.
    """
    ingest = ingest or IngestSettings()
    digest = _digest_start(ingest)
    files, _ = corpus_files(roots, ingest)
    for root, path in files:
        try:
            digest.update(_digest_entry(root, path, read_file(path, ingest.max_file_bytes, "")))
        except CorpusError:
            continue
    for path in vocabulary_files(roots):
        try:
            digest.update(_digest_entry(path.parent, path, _read_vocabulary(path)))
        except CorpusError:
            continue
    return digest.hexdigest()


def fingerprint_within(roots: Sequence[Path], ingest: IngestSettings, seconds: float) -> str | None:
    """`fingerprint`, or None when it takes longer than `seconds` of wall-clock time.

    The caller never waits longer, even on a read that hangs (a network mount gone away): the work runs in
    a daemon thread, which is left to finish or not on its own; it only reads."""
    result: list[str] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(fingerprint(roots, ingest))
        except BaseException as exc:  # handed to the caller, as if called directly
            failure.append(exc)

    worker = threading.Thread(target=work, name="corpus-fingerprint", daemon=True)
    worker.start()
    worker.join(seconds)
    if failure:
        raise failure[0]
    return result[0] if result else None


def _digest_start(ingest: IngestSettings):
    """The fingerprint's first line: parser version and the reading rules, which decide what is indexed."""
    rules = ",".join(f"{k}={v}" for k, v in sorted(asdict(ingest).items()))
    return hashlib.sha256(f"parser {PARSER_VERSION}\ningest {rules}\n".encode())


def _read_vocabulary(path: Path) -> bytes:
    return read_file(path, MAX_VOCABULARY_BYTES, f"the limit is {MAX_VOCABULARY_BYTES:,}")


def _digest_entry(root: Path, path: Path, data: bytes) -> bytes:
    return f"{path.relative_to(root)}\0{hashlib.sha256(data).hexdigest()}\n".encode()


def parse_file(
    root: Path, path: Path, data: bytes, ingest: IngestSettings | None = None
) -> tuple[Document, list[CorpusError]]:
    ingest = ingest or IngestSettings()
    suffix = path.suffix.lower()
    if suffix == ".xml":
        collection = path.parent.name if path.parent != root else root.name
        return parse_medquad(path, data, collection=collection), []
    text = decode(path, data)
    check_lines(path, text, ingest.max_line_chars, ingest.limit("max_line_chars"))
    in_sources = "sources" in path.relative_to(root).parts[:-1]
    if in_sources:
        return parse_markdown(path, text, kind="source", ingest=ingest)
    if suffix == ".txt":
        doc, warnings = parse_markdown(path, page_to_markdown(path, text), kind="article", ingest=ingest)
        # Line numbers would point into the converted text, not the page the user has.
        return doc, [type(w)(path, w.reason) for w in warnings]
    return parse_markdown(path, text, kind="article", ingest=ingest)


def decode(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CorpusError(
            path,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded); save the file as UTF-8",
            line=line,
        ) from None
    if "\x00" in text:
        raise CorpusError(path, "looks like a binary file (contains NUL bytes), not text")
    return text.removeprefix("\ufeff")


def _link_sources(corpus: Corpus, by_path: dict[Path, Document], roots: Sequence[Path]) -> None:
    """Point each reference's `source_file` at the indexed document holding that text."""
    for doc in corpus.documents:
        for ref in doc.references:
            if not ref.source_file:
                continue
            candidates = [(Path(doc.path).parent / ref.source_file).resolve()]
            candidates += [(root / ref.source_file).resolve() for root in roots]
            target = next((by_path[c] for c in candidates if c in by_path), None)
            if target is None:
                corpus.problems.append(
                    CorpusError(
                        doc.path,
                        f"reference [{ref.n}] names source_file {ref.source_file!r}, "
                        "which is not an indexed file of this corpus",
                    )
                )
            else:
                doc.meta.setdefault("source_docs", {})[str(ref.n)] = target.id
