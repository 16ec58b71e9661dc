"""The tuned knobs are pinned: each test fails when its knob is ignored.

Fusion and composition logic is exercised with fixed rankings and hand-made passages (deterministic, no
claim about quality); quality claims stay with the real-model tests and the evaluation.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.compose import ExtractiveComposer
from assistant.retrieve import Retriever
from assistant.types import Passage
from indexer.settings import AnswerSettings
from indexer.terms import TermWeights


def fixed_rankings(retriever: Retriever, dense: list[int], keyword: list[int]) -> Retriever:
    retriever._dense = lambda qv, n: list(dense)  # type: ignore[method-assign]
    retriever._keyword = lambda query, n, scope=None: list(keyword) if scope is None else []  # type: ignore[method-assign]
    return retriever


def test_dense_weight_decides_between_two_rankings_that_disagree(assistant):
    # Dense prefers row 5, keyword prefers row 1; with equal weights they would tie and the lower row wins.
    settings = assistant.settings.retrieval

    def rows(weight: float) -> list[int]:
        retriever = Retriever(assistant.index, replace(settings, dense_weight=weight))
        fixed_rankings(retriever, [5, 2, 1], [1, 2, 5])
        return [p.row for p in retriever.search("anything", top_k=3).passages]

    assert rows(4.0)[0] == 5
    assert rows(1.0)[0] == 1  # the tie
    assert rows(0.5)[0] == 1
    # The fused score is the weighted reciprocal rank: dense 4/(20+1) + keyword 1/(20+3) for row 5.
    top = fixed_rankings(Retriever(assistant.index, settings), [5, 2, 1], [1, 2, 5]).search("x", top_k=1).passages[0]
    assert top.score == 4.0 / (settings.rrf_k + 1) + 1.0 / (settings.rrf_k + 3)


def test_scope_back_fill_keeps_the_article_in_play_when_the_corpus_crowds_it_out(assistant):
    scope = assistant.index.scope("male-breast-cancer")
    in_scope = set(assistant.index.scope_rows(scope)[0].tolist())
    outside = [r for r in range(assistant.index.vectors.ntotal) if r not in in_scope][:2]
    settings = replace(assistant.settings.retrieval, top_k=4, candidates=4)
    retriever = Retriever(assistant.index, settings)
    retriever._dense = lambda qv, n: list(outside)  # type: ignore[method-assign]
    found = retriever.search("Which surgery is most common?", article="male-breast-cancer", mode="dense").passages
    assert any(p.in_scope for p in found), "in-scope passages missing from the global list must be back-filled"
    assert found[0].section_id == "male-breast-cancer/surgery"


def test_scope_weight_lifts_in_scope_passages(assistant):
    scope = assistant.index.scope("male-breast-cancer")
    in_scope = assistant.index.scope_rows(scope)[0].tolist()
    inside = in_scope[0]
    outside = next(r for r in range(assistant.index.vectors.ntotal) if r not in in_scope)
    for weight, first in ((1.0, outside), (2.0, inside)):
        retriever = Retriever(assistant.index, replace(assistant.settings.retrieval, scope_weight=weight))
        fixed_rankings(retriever, [outside, inside], [outside, inside])
        retriever._dense_in_scope = lambda qv, s, n: []  # type: ignore[method-assign]
        found = retriever.search("x", article="male-breast-cancer", top_k=2).passages
        assert found[0].row == first


def passage(i: int, sentences: list[str], dense: float = 0.9) -> Passage:
    spans, offset = [], 0
    for s in sentences:
        spans.append((offset, offset + len(s)))
        offset += len(s) + 1
    return Passage(
        row=i,
        chunk_id=f"doc{i}/dosing#0",
        doc_id=f"doc{i}",
        section_id=f"doc{i}/dosing",
        title=f"Article {i}",
        section=(f"Article {i}", "Dosing"),
        text=" ".join(sentences),
        start=0,
        end=offset,
        sentences=tuple(spans),
        sentence_texts=tuple(sentences),
        citations=(),
        dense=dense,
        overlap=0.9,
    )


WEIGHTS = TermWeights({}, 100)  # every term equally rare: sentence scores count the question's terms


def test_near_duplicate_sentences_are_quoted_once():
    shared = "Trastuzumab is then given at 2 mg/kg weekly."
    passages = [
        passage(0, ["Trastuzumab loading dose is 4 mg/kg.", shared]),
        passage(1, [shared, "Trastuzumab continues for a year."]),  # the overlapping next chunk
    ]
    answer = ExtractiveComposer(WEIGHTS, AnswerSettings(max_sentences=6)).compose(
        "trastuzumab dose weekly", "trastuzumab dose weekly", passages, "disclaimer"
    )
    assert answer.text.count("2 mg/kg weekly") == 1


def test_max_passages_caps_the_passages_an_answer_draws_from():
    passages = [passage(i, [f"Trastuzumab dose guidance number {i} applies."]) for i in range(6)]
    for cap in (1, 2, 4):
        answer = ExtractiveComposer(WEIGHTS, AnswerSettings(max_sentences=10, max_passages=cap)).compose(
            "trastuzumab dose guidance", "trastuzumab dose guidance", passages, "disclaimer"
        )
        assert len(answer.citations) == cap
        assert {c.passage.row for c in answer.citations} == set(range(cap))


def test_max_sentences_caps_the_answer():
    passages = [passage(0, [f"Trastuzumab dose guidance point {i} applies." for i in range(8)])]
    answer = ExtractiveComposer(WEIGHTS, AnswerSettings(max_sentences=3)).compose(
        "trastuzumab dose guidance", "trastuzumab dose guidance", passages, "disclaimer"
    )
    assert sum(len(c.sentences) for c in answer.citations) == 3


def test_weak_evidence_abstains_and_the_thresholds_decide():
    weak = [passage(0, ["Trastuzumab dose guidance applies."], dense=0.2)]
    weak[0].overlap = 0.1
    s = AnswerSettings()
    assert ExtractiveComposer(WEIGHTS, s).compose("q dose", "q dose", weak, "d").abstained
    lenient = replace(s, min_dense=0.1, min_overlap=0.05)
    assert not ExtractiveComposer(WEIGHTS, lenient).compose("trastuzumab dose", "trastuzumab dose", weak, "d").abstained
