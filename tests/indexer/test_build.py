"""Builds with the real model, FAISS and SQLite: contents, atomic replacement, incremental re-embedding."""

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from indexer import store
from indexer.build import build_index, is_stale
from indexer.errors import BuildError, IndexMismatch
from indexer.settings import Settings
from indexer.terms import keyword_query

from ..helpers import write_article


def snapshot(index: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(index.iterdir())}


@pytest.fixture()
def small(tmp_path, embedder):
    """A three-article corpus and its freshly built index."""
    corpus = tmp_path / "corpus"
    write_article(corpus, "her2", "Trastuzumab loading dose is 4 mg/kg IV [1]. Then 2 mg/kg weekly [1].")
    write_article(corpus, "endocrine", "Postmenopausal patients start an aromatase inhibitor [1].")
    write_article(corpus, "bone", "Bisphosphonates treat hypercalcaemia [1]. Start them at diagnosis [1].")
    settings = Settings(corpus=(corpus,), index=tmp_path / "index")
    report = build_index(settings, embedder=embedder)
    return settings, report


def test_build_writes_manifest_vectors_and_store(small):
    settings, report = small
    reader = store.IndexReader(settings.index)
    manifest = reader.manifest
    assert manifest.model.id == "sentence-transformers/all-MiniLM-L6-v2"
    assert manifest.counts.documents == 3 == report.documents
    assert reader.vectors.ntotal == manifest.counts.chunks == report.chunks and reader.vectors.dimension == 384
    [row] = reader.keyword_search(keyword_query("trastuzumab"), 1)
    dose = reader.chunks([row])[row]
    assert dose.id == "her2/dosing#0" and dose.citations == (1,)
    refs, _ = reader.references()
    assert (refs["her2"][1].n, refs["her2"][1].type, refs["her2"][1].year) == (1, "Guideline", 2024)
    # The stored vector of a chunk is its embedding: it is its own nearest neighbour.
    _, ids = reader.vectors.search(reader.vectors.reconstruct(np.array([row])), 1)
    assert ids[0][0] == row
    assert not is_stale(settings)


def test_failure_mid_build_leaves_previous_index_byte_identical(small, monkeypatch, embedder):
    settings, _ = small
    before = snapshot(settings.index)
    write_article(settings.corpus[0], "new", "A new claim about dosing [1].")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.FaissFlatStore, "save", disk_full)
    with pytest.raises(OSError, match="No space left"):
        build_index(settings, embedder=embedder)
    assert snapshot(settings.index) == before
    assert store.IndexReader(settings.index).manifest.counts.documents == 3
    assert not list(settings.index.parent.glob(".index.building-*"))
    assert is_stale(settings)


def test_interrupt_during_embedding_leaves_previous_index(small, embedder):
    settings, _ = small
    before = snapshot(settings.index)
    write_article(settings.corpus[0], "new", "A claim nobody has embedded yet [1].")

    class Interrupted:
        model_id, dimension, max_seq_length = embedder.model_id, embedder.dimension, embedder.max_seq_length
        precision = embedder.precision
        count_tokens = staticmethod(embedder.count_tokens)

        def encode(self, texts, progress=False):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index(settings, embedder=Interrupted())
    assert snapshot(settings.index) == before


def test_rebuild_after_one_edit_embeds_only_changed_chunks(small, embedder):
    settings, first = small
    old = {r[0] for r in sqlite3.connect(settings.index / store.STORE).execute("SELECT text_sha FROM chunks")}
    write_article(settings.corpus[0], "endocrine", "Premenopausal patients add ovarian suppression [1].")
    calls_before = embedder.texts_embedded
    second = build_index(settings, embedder=embedder)
    new = {r[0] for r in sqlite3.connect(settings.index / store.STORE).execute("SELECT text_sha FROM chunks")}
    changed = len(new - old)
    assert changed == 1
    assert second.embedded == changed == embedder.texts_embedded - calls_before
    headings = store.IndexReader(settings.index).manifest.counts.headings
    assert headings == second.sections == 3  # one heading per section with passages, unchanged: reused
    assert second.reused == second.chunks + headings - changed == first.chunks + headings - 1
    # Reused vectors are the very vectors the model gives.
    reader = store.IndexReader(settings.index)
    row = next(r for r in reader.all_chunks() if r["doc_id"] == "her2")
    stored = reader.vectors.reconstruct(np.array([row["row"]]))[0]
    assert np.allclose(stored, embedder.encode([row["embed_text"]])[0], atol=1e-5)


def test_strict_refuses_a_corpus_with_problems_and_keeps_the_index(small, embedder):
    settings, _ = small
    before = snapshot(settings.index)
    write_article(settings.corpus[0], "ghost", "A claim citing a missing reference [4].")
    with pytest.raises(BuildError, match=r"--strict: 1 problem\(s\)"):
        build_index(settings, embedder=embedder, strict=True)
    assert snapshot(settings.index) == before
    report = build_index(settings, embedder=embedder)  # without --strict: kept, warned, listed
    assert report.documents == 4 and report.unresolved_citations == 1
    assert any("reference [4] is cited" in w for w in store.read_manifest(settings.index).warnings)


def test_index_path_holding_other_files_is_refused_untouched(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    write_article(corpus, "a", "A claim [1].")
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("years of work")
    with pytest.raises(IndexMismatch, match="holds files that are not a guideline-qa index"):
        build_index(Settings(corpus=(corpus,), index=precious), embedder=embedder)
    assert [p.name for p in precious.iterdir()] == ["chapter1.tex"]


def test_source_file_reference_is_linked_and_indexed(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    (corpus / "sources").mkdir(parents=True)
    (corpus / "sources" / "label.md").write_text("# Drug label\n\n## Dosage\n\nLoading dose 8 mg/kg.\n")
    (corpus / "articles").mkdir()
    (corpus / "articles" / "a.md").write_text(
        "---\nid: a\ntitle: Dose?\nreferences:\n  - n: 1\n    type: Drug label\n    title: Label\n"
        "    source_file: sources/label.md\n---\n\n## Dose\n\nSee the label [1].\n"
    )
    report = build_index(Settings(corpus=(corpus,), index=tmp_path / "index"), embedder=embedder)
    assert report.warnings == []
    reader = store.IndexReader(tmp_path / "index")
    assert reader.references()[1]["a"] == {"label"}
    assert reader.documents()["label"]["kind"] == "source"


def test_rebuild_re_chunks_only_documents_whose_text_changed(small, embedder):
    settings, _ = small
    seen: list[str] = []

    class Spy:
        model_id, max_seq_length, precision = embedder.model_id, embedder.max_seq_length, embedder.precision

        def count_tokens(self, texts):
            seen.extend(texts)
            return embedder.count_tokens(texts)

        def encode(self, texts, progress=False):
            return embedder.encode(texts)

    write_article(settings.corpus[0], "endocrine", "Premenopausal patients add ovarian suppression [1].")
    report = build_index(settings, embedder=Spy())
    assert any("Premenopausal" in t for t in seen)
    assert not any("Trastuzumab" in t or "Bisphosphonates" in t for t in seen)
    assert len(store.IndexReader(settings.index).rows_of(["her2"])) == 1
    assert report.documents == 3 and report.embedded == 1
