"""Build an index from a corpus: parse, chunk, embed (reusing unchanged vectors), write, swap in."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import fcntl
import os
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from . import store
from .chunk import chunk_document, section_headings, text_sha
from .corpus import PARSER_VERSION, fingerprint_within, load_corpus
from .errors import BuildError, IndexMismatch, IndexMissing, UnresolvedCitation, VocabularyError
from .manifest import CorpusInfo, Counts, Manifest, ModelInfo
from .precision import resolve_precision
from .settings import Settings
from .terms import keyword_spec
from .vectors import choose_store, store_class


@dataclass
class BuildReport:
    index: str
    documents: int = 0
    sections: int = 0
    chunks: int = 0
    references: int = 0
    embedded: int = 0  # texts (passages and headings) sent to the model in this build
    reused: int = 0  # vectors (passages and headings) taken from the previous index
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    unresolved_citations: int = 0
    up_to_date: bool = False
    precision: str = ""  # what the passages were embedded in
    vector_store: str = ""

    def summary(self) -> str:
        if self.up_to_date:
            return f"index {self.index} is up to date ({self.documents} documents, {self.chunks} chunks)"
        return (
            f"built {self.index}: {self.documents} documents, {self.chunks} chunks "
            f"({self.embedded} embedded in {self.precision}, {self.reused} reused; {self.vector_store} store) "
            f"in {self.seconds:.1f} s, "
            f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}"
        )


def is_stale(settings: Settings) -> bool:
    """True when the index is missing, unreadable, or was built from another corpus or with other settings,
    or when reading the corpus to tell takes longer than settings.stale_check_seconds (a rebuild is right
    whatever the answer would have been, and the check never blocks)."""
    try:
        manifest = store.read_manifest(settings.index)
    except (IndexMissing, IndexMismatch):
        return True
    try:
        # The previous build's passage count stands in for this one's: when the corpus is unchanged they agree.
        wanted_store = choose_store(settings.vector_store, manifest.counts.chunks, settings.approximate_above).name
    except KeyError:
        return True
    if (
        manifest.model.requested != settings.model
        or manifest.model.precision != resolve_precision(settings.precision)
        or manifest.chunker != _chunker_settings(settings)
        or manifest.keywords != keyword_spec()
        or manifest.vector_store != wanted_store
    ):
        return True
    current = fingerprint_within(settings.corpus, settings.ingest, settings.stale_check_seconds)
    return current != manifest.corpus.fingerprint


def build_index(
    settings: Settings,
    *,
    embedder=None,
    strict: bool = False,
    progress: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build settings.corpus into settings.index; the previous index serves until the final rename."""
    started = time.perf_counter()
    target = Path(settings.index)
    store.check_replaceable(target)  # before any work: a folder holding someone's files is refused
    try:
        store_class(settings.vector_store)  # a bad name fails before any work; the size picks `auto`'s store later
    except KeyError as exc:
        raise BuildError(exc.args[0]) from None
    report = BuildReport(index=str(target))

    if embedder is None:
        from .embed import Embedder

        embedder = Embedder(settings.model, batch_size=settings.batch_size, precision=settings.precision)
        embedder.preload()  # torch loads while we parse and chunk, not after
    elif settings.precision != "auto" and resolve_precision(settings.precision) != embedder.precision:
        raise BuildError(
            f"GUIDELINE_QA_PRECISION asks for {settings.precision} but the embedder given runs in {embedder.precision}"
        )

    corpus = load_corpus(settings.corpus, settings.ingest)
    broken = [p for p in corpus.problems if isinstance(p, VocabularyError)]
    if broken:  # an index without the organisation's vocabulary would answer worse, without a word
        raise BuildError(f"{broken[0]}; fix the vocabulary and build again; the index was not changed")
    report.warnings = [str(p) for p in corpus.problems]
    report.unresolved_citations = sum(isinstance(p, UnresolvedCitation) for p in corpus.problems)
    for w in report.warnings:
        if on_warning:
            on_warning(w)
    if strict and report.warnings:
        raise BuildError(f"--strict: {len(report.warnings)} problem(s) in the corpus; the index was not changed")
    if not corpus.documents:
        raise BuildError("the corpus has no usable documents; the index was not changed")

    # A document whose text is unchanged since the previous build keeps its chunks (no re-tokenizing),
    # and a passage whose text is unchanged keeps its vector.
    reuse = (
        store.read_previous(target, embedder.model_id, embedder.precision, _chunker_settings(settings), PARSER_VERSION)
        if target.exists()
        else store.PreviousBuild()
    )
    chunks = []
    for doc in _progress(corpus.documents, progress, "chunking"):
        previous = reuse.chunks.get(doc.id)
        if previous and previous[0] == text_sha(doc.text):
            chunks.extend(previous[1])
        else:
            chunks.extend(chunk_document(doc, embedder.count_tokens, settings.chunk))
    if not chunks:
        raise BuildError("the corpus produced no passages to index; the index was not changed")

    headings = section_headings(corpus.documents, chunks) if settings.chunk.heading_channel else []

    # Passages and headings share one cache by text hash: the same text has the same vector.
    cache = reuse.vectors
    shas = [text_sha(c.embed_text) for c in chunks]
    heading_shas = [text_sha(h.text) for h in headings]
    texts = [c.embed_text for c in chunks] + [h.text for h in headings]
    missing = sorted({s: t for s, t in zip(shas + heading_shas, texts, strict=True) if s not in cache}.items())
    if missing:
        fresh = embedder.encode([t for _, t in missing], progress=progress)
        cache.update(zip((s for s, _ in missing), fresh, strict=True))
    vectors = np.stack([cache[s] for s in shas]).astype("float32", copy=False)
    heading_vectors = np.stack([cache[s] for s in heading_shas]).astype("float32", copy=False) if headings else None
    report.embedded = len(missing)
    report.reused = len(shas) + len(heading_shas) - len(missing)

    report.documents = len(corpus.documents)
    report.sections = sum(len(d.sections) for d in corpus.documents)
    report.chunks = len(chunks)
    report.references = sum(len(d.references) for d in corpus.documents)
    report.precision = embedder.precision
    report.vector_store = choose_store(settings.vector_store, len(chunks), settings.approximate_above).name
    manifest = Manifest(
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        model=ModelInfo(
            requested=settings.model,
            id=embedder.model_id,
            dimension=int(vectors.shape[1]),
            max_seq_length=embedder.max_seq_length,
            precision=embedder.precision,
        ),
        chunker=_chunker_settings(settings),
        corpus=CorpusInfo(
            paths=tuple(str(p) for p in settings.corpus),
            fingerprint=corpus.fingerprint,
            files=corpus.files,
            parser_version=PARSER_VERSION,
        ),
        counts=Counts(
            documents=report.documents,
            sections=report.sections,
            chunks=report.chunks,
            references=report.references,
            unresolved_citations=report.unresolved_citations,
            documents_by_kind=_by_kind(corpus.documents),
            vocabulary=len(corpus.vocabulary),
            headings=len(headings),
        ),
        keywords=keyword_spec(),
        vector_store=report.vector_store,
        vector_params={},  # filled in by write_index from the store it built
        files={},  # filled in by write_index from the files it wrote
        build={"embedded": report.embedded, "reused": report.reused},
        warnings=tuple(report.warnings),
    )

    with _building(target) as staging:
        report.seconds = round(time.perf_counter() - started, 2)
        manifest = replace(manifest, build={**manifest.build, "seconds": report.seconds})
        store.write_index(
            staging, manifest, corpus.documents, chunks, vectors, corpus.vocabulary, headings, heading_vectors
        )
    return report


def _chunker_settings(settings: Settings) -> dict:
    return asdict(settings.chunk)


def _by_kind(documents) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in documents:
        out[d.kind] = out.get(d.kind, 0) + 1
    return out


def _progress(items, enabled: bool, desc: str):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="doc", file=sys.stderr, leave=False)


@contextlib.contextmanager
def _building(target: Path) -> Iterator[Path]:
    """A staging folder beside target, swapped into place only when the body finished without error.

    Only our own names are used beside target: `.NAME.lock` and `.NAME.building-*`. The target is checked
    again under the lock just before the swap, so files put there during the build are never deleted."""
    parent = target.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        lock = open(parent / f".{target.name}.lock", "w")  # closed by the with below
    except OSError as exc:
        raise BuildError(
            f"cannot write beside {target} ({exc.strerror or exc}); choose an --index in a folder you can write"
        ) from None
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build of {target} is running; try again when it finishes") from None
        for stale in parent.glob(f".{target.name}.building-*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed outright
        staging = _staging_folder(parent, target)
        try:
            yield staging
            _fsync_tree(staging)
            store.check_replaceable(target)
            _swap_into_place(staging, target.resolve())
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _staging_folder(parent: Path, target: Path) -> Path:
    """An empty folder beside target that will become the index: made as `mkdir` makes one (the umask
    decides its mode, not tempfile's 0700, so a group the builder shares with can read the index), and
    with an existing target's group and mode, which a rebuild keeps."""
    while True:
        staging = parent / f".{target.name}.building-{secrets.token_hex(8)}"
        try:
            os.mkdir(staging, 0o777)
            break
        except FileExistsError:
            continue
    if target.is_dir():
        info = target.stat()
        with contextlib.suppress(OSError):
            os.chown(staging, -1, info.st_gid)  # allowed when the builder is in that group
        with contextlib.suppress(OSError):
            os.chmod(staging, stat.S_IMODE(info.st_mode))
    return staging


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as f:
            os.fsync(f.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _swap_into_place(staging: Path, target: Path) -> None:
    """Exchange staging and target in one step where the kernel allows, so readers never see a gap."""
    if not target.exists():
        os.rename(staging, target)
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        rc = renameat2(_AT_FDCWD, os.fsencode(staging), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE)
        if rc == 0:
            return  # staging now holds the old index, which the caller removes
    # No atomic exchange on this system: move the old index aside, then the new one in.
    aside = staging.with_name(staging.name + "-old")
    os.rename(target, aside)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)
