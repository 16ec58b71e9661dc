"""The consumer set's naive peer: whole QA pairs as units, BM25 and dense fused by RRF with k=60."""

import json

import pytest

from assistant.index import SearchIndex
from evals.runner import run_evaluation
from evals.variants import VARIANTS, NaiveRRF, rrf
from indexer.build import build_index
from indexer.settings import ChunkSettings, Settings

PAIRS = {
    "0000001": (
        "Warfarin",
        [
            ("What is (are) Warfarin ?", "Warfarin is a blood thinner that stops clots from growing."),
            (
                "How to take Warfarin ?",
                "Take the tablet once a day at the same time. Your clinic checks the INR and changes the dose.",
            ),
        ],
    ),
    "0000002": (
        "Glaucoma",
        [
            ("What is (are) Glaucoma ?", "Glaucoma is a group of eye diseases that damage the optic nerve."),
            ("What are the treatments for Glaucoma ?", "Eye drops lower the pressure inside the eye; laser helps."),
        ],
    ),
    "0000003": (
        "Gout",
        [("What causes Gout ?", "Uric acid crystals build up in a joint, often the big toe, after rich meals.")],
    ),
}


def _xml(doc_id: str, focus: str, pairs: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<QAPair pid="{n}"><Question qid="{doc_id}-{n}">{q}</Question><Answer>{a}</Answer></QAPair>'
        for n, (q, a) in enumerate(pairs, start=1)
    )
    return f'<Document id="{doc_id}" source="TINY"><Focus>{focus}</Focus><QAPairs>{body}</QAPairs></Document>'


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, embedder):
    """A three-document MedQuAD-style corpus indexed without headings, as the MedQuAD evaluations are."""
    tmp = tmp_path_factory.mktemp("naive")
    files = []
    for doc_id, (focus, pairs) in PAIRS.items():
        path = tmp / "corpus" / f"{doc_id}.xml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(_xml(doc_id, focus, pairs), encoding="utf-8")
        files.append(path)
    settings = Settings(corpus=tuple(files), index=tmp / "index", chunk=ChunkSettings(include_headings=False))
    build_index(settings, embedder=embedder)
    return tmp, SearchIndex(tmp / "index", embedder=embedder)


@pytest.fixture(scope="module")
def peer(tiny):
    return NaiveRRF(tiny[1])


def test_every_qa_pair_is_one_unit_with_its_question(peer):
    assert peer.ids == [
        "TINY_0000001_Sec1",
        "TINY_0000001_Sec2",
        "TINY_0000002_Sec1",
        "TINY_0000002_Sec2",
        "TINY_0000003_Sec1",
    ]
    assert peer.vectors.shape == (5, 384)
    # The question heading is part of the unit even though the index left headings out: "causes" is only
    # in Gout's question, so BM25 finds that pair by it.
    assert peer._bm25("causes", 10) == [4]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("my dad takes his blood thinner warfarin, how does he take the tablets and who checks the dose", 1),
        ("what eye drops or laser treatment is there for glaucoma pressure", 3),
        ("why does my big toe hurt so much after a rich dinner, is it uric acid", 4),
    ],
)
def test_peer_ranks_the_matching_pair_first(peer, question, expected):
    vector = peer.embed_queries([question])[0]
    ranking = peer.rank(question, vector, 10)
    assert ranking.sections[0] == peer.ids[expected]
    assert len(ranking.sections) == len(set(ranking.sections)) == 5  # every unit, each once
    assert ranking.retrieve_ms > 0


def test_rrf_sums_one_over_60_plus_rank():
    fused = rrf([[10, 11, 12], [12, 10, 13]], k=60)
    assert [item for item, _ in fused] == [10, 12, 11, 13]
    assert [score for _, score in fused] == pytest.approx([1 / 61 + 1 / 62, 1 / 63 + 1 / 61, 1 / 62, 1 / 63])


def test_rrf_k_decides_between_one_first_place_and_two_fiftieth_places():
    # 1 is 50th in both lists, 0 first in one: 2/110 beats 1/61 with k=60; with k=40, 1/41 beats 2/90.
    first = [0, *range(100, 148), 1]
    second = [*range(200, 249), 1]
    assert [item for item, _ in rrf([first, second], k=60)][:2] == [1, 0]
    assert dict(rrf([first, second], k=60))[1] == pytest.approx(2 / 110)
    order = [item for item, _ in rrf([first, second], k=40)]
    assert order.index(0) < order.index(1)


def test_peer_fuses_its_two_lists_with_k_60(peer, monkeypatch):
    """Fixed BM25 and dense rankings give the hand-computed RRF order with k=60, equal weights."""
    # k=60: unit 2 (third in both) 2/63; 0 and 3 (first in one) 1/61, tie to the lower; 1 and 4 1/62.
    # With k=1, unit 0 would tie unit 2 at 1/2 and come first.
    monkeypatch.setattr(peer, "_bm25", lambda query, n: [0, 1, 2])
    monkeypatch.setattr(peer, "_dense", lambda vector, n: [3, 4, 2])
    ranking = peer.rank("anything", peer.vectors[0], 5)
    assert ranking.sections == [peer.ids[i] for i in (2, 0, 3, 1, 4)]
    assert peer.rank("anything", peer.vectors[0], 2).sections == [peer.ids[2], peer.ids[0]]


def test_naive_rrf_is_in_metrics_json_with_the_same_keys(tiny, embedder, tmp_path):
    tmp, _ = tiny
    dataset = tmp_path / "dataset"
    (dataset / "qrels").mkdir(parents=True)
    questions = {
        "q1": ("does warfarin need blood tests for the dose", "TINY_0000001_Sec2"),
        "q2": ("gout toe pain cause", "TINY_0000003_Sec1"),
    }
    (dataset / "queries.jsonl").write_text(
        "".join(json.dumps({"_id": q, "text": t}) + "\n" for q, (t, _) in questions.items())
    )
    (dataset / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{s}\t1\n" for q, (_, s) in questions.items())
    )
    assert "naive-rrf" in VARIANTS
    run_evaluation(tmp / "index", dataset, tmp_path / "run", ["hybrid", "naive-rrf"], embedder=embedder)
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    hybrid, naive = metrics["variants"]["hybrid"], metrics["variants"]["naive-rrf"]
    for level in ("section", "document"):
        assert set(naive[level]) == set(hybrid[level]) and "ndcg@10" in naive[level]
    assert set(naive["latency_ms"]) == set(hybrid["latency_ms"])
    assert naive["units"] == 5 and naive["section"]["recall@10"] == 1.0
    assert "Naive RRF built its in-memory index of 5 units" in (tmp_path / "run" / "report.md").read_text()
