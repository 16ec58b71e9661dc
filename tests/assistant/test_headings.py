"""The heading channel: each section's heading path is embedded on its own and searched as a third ranking,
so a question finds the section whose heading asks it even when the passages never use its words.

A small MedQuAD-style corpus, indexed as the MedQuAD evaluations index it (headings out of the passages),
with the real model: the answers hold the facts but not the question type, as MedQuAD's do.
"""

from __future__ import annotations

import pytest

from assistant.index import SearchIndex
from assistant.retrieve import Retriever
from indexer.build import build_index
from indexer.settings import ChunkSettings, RetrievalSettings, Settings
from indexer.store import IndexReader

FOCUS = "Gout"
PAIRS = [
    (
        "What is (are) Gout ?",
        "Gout is a form of arthritis that flares up in sudden attacks of pain and swelling, most often in the "
        "big toe, and may come back every few months.",
    ),
    ("What causes Gout ?", "Uric acid builds up in the blood and forms sharp crystals inside the joint."),
    (
        "What are the treatments for Gout ?",
        "Colchicine, NSAIDs or corticosteroids shorten an attack; allopurinol or febuxostat lowers uric acid "
        "over months.",
    ),
    ("Who is at risk for Gout ?", "Men, people who are overweight and people who drink alcohol or eat much red meat."),
]
# A message as people type it: the condition, a story, and the question type in lay words.
MESSAGE = "my husband gets gout in his big toe every few months, what can he take for it when it flares up?"
TARGET = "TINY_0000001_Sec3"


def _xml(pairs: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<QAPair pid="{n}"><Question qid="1-{n}">{q}</Question><Answer>{a}</Answer></QAPair>'
        for n, (q, a) in enumerate(pairs, start=1)
    )
    return f'<Document id="0000001" source="TINY"><Focus>{FOCUS}</Focus><QAPairs>{body}</QAPairs></Document>'


def _build(tmp, embedder, *, heading_channel: bool) -> SearchIndex:
    path = tmp / "corpus" / "0000001.xml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(_xml(PAIRS), encoding="utf-8")
    chunk = ChunkSettings(include_headings=False, heading_channel=heading_channel)
    build_index(Settings(corpus=(path,), index=tmp / "index", chunk=chunk), embedder=embedder)
    return SearchIndex(tmp / "index", embedder=embedder)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, embedder) -> SearchIndex:
    return _build(tmp_path_factory.mktemp("headings"), embedder, heading_channel=True)


def _sections(index: SearchIndex, settings: RetrievalSettings) -> list[str]:
    found = Retriever(index, settings).search(MESSAGE)
    return list(dict.fromkeys(p.section_id for p in found.passages))


def test_the_heading_channel_finds_the_section_whose_question_the_message_asks(tiny):
    with_channel = _sections(tiny, RetrievalSettings())
    without = _sections(tiny, RetrievalSettings(heading_weight=0))
    assert with_channel[0] == TARGET
    # Passages alone rank another pair first: the answer never says "treatment".
    assert without[0] != TARGET and TARGET in without


def test_each_section_with_passages_has_one_heading_vector(tiny):
    reader = IndexReader(tiny.path)
    texts = [r[0] for r in reader.query("SELECT text FROM headings ORDER BY row")]
    assert texts == [f"{FOCUS} > {q}" for q, _ in PAIRS]
    assert reader.manifest.counts.headings == tiny.heading_vectors.ntotal == len(PAIRS)
    assert sorted(reader.manifest.files) == ["headings.faiss", "store.sqlite", "vectors.faiss"]
    # A heading's vector is the model's vector of its text, so the channel compares like with like.
    stored = tiny.heading_vectors.reconstruct(tiny.reader.heading_rows_of(["TINY_0000001"]))
    assert float(stored[2] @ tiny.embedder.encode([texts[2]])[0]) == pytest.approx(1.0, abs=1e-4)


def test_the_heading_channel_only_reorders_hybrid(tiny):
    """Dense and keyword modes stay what they say, so the evaluation can show what each channel adds."""
    for mode in ("dense", "bm25"):
        a = Retriever(tiny, RetrievalSettings()).search(MESSAGE, mode=mode).passages
        b = Retriever(tiny, RetrievalSettings(heading_weight=0)).search(MESSAGE, mode=mode).passages
        assert [p.row for p in a] == [p.row for p in b]


def test_an_index_built_without_the_channel_has_no_headings_and_still_answers(tmp_path, embedder):
    index = _build(tmp_path, embedder, heading_channel=False)
    assert index.manifest.counts.headings == 0 and index.heading_vectors.ntotal == 0
    assert index.manifest.chunker["heading_channel"] is False
    found = Retriever(index, RetrievalSettings()).search(MESSAGE)
    assert found.passages  # the channel is skipped, not an error
    assert _sections(index, RetrievalSettings()) == _sections(index, RetrievalSettings(heading_weight=0))


def test_headings_are_reused_by_a_rebuild(tmp_path, embedder):
    _build(tmp_path, embedder, heading_channel=True)
    before = embedder.texts_embedded
    report = build_index(
        Settings(
            corpus=(tmp_path / "corpus" / "0000001.xml",),
            index=tmp_path / "index",
            chunk=ChunkSettings(include_headings=False, heading_channel=True),
        ),
        embedder=embedder,
    )
    assert embedder.texts_embedded == before and report.embedded == 0
    assert report.reused == report.chunks + len(PAIRS)
