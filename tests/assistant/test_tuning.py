"""The tuned knobs are pinned: each test fails when its knob is ignored.

Fusion and composition logic is exercised with fixed rankings and hand-made passages (deterministic, no
claim about quality); quality claims stay with the real-model tests and the evaluation.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assistant.compose import ExtractiveComposer
from assistant.retrieve import Retriever
from assistant.types import Passage, Request
from indexer.settings import AnswerSettings
from indexer.terms import TermWeights, content_terms


def fixed_rankings(
    retriever: Retriever, dense: list[int], keyword: list[int], headings: list[tuple[list[int], float]] = ()
) -> Retriever:
    """The retriever with its channels' rankings fixed; the heading channel returns `headings`: (the rows of
    a section's passages, the heading's cosine) best first, none unless given."""
    retriever._dense = lambda qv, n: list(dense)  # type: ignore[method-assign]
    retriever._keyword = lambda query, n, scope=None: list(keyword) if scope is None else []  # type: ignore[method-assign]
    retriever._headings = lambda qv, scope, n: list(headings)  # type: ignore[method-assign]
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


def test_heading_weight_and_cosine_decide_what_the_heading_channel_adds(assistant):
    # Dense and keyword both prefer row 5; the heading channel finds only the section of rows 1 and 2.
    settings = assistant.settings.retrieval

    def rows(weight: float, cosine: float) -> list[int]:
        retriever = Retriever(assistant.index, replace(settings, heading_weight=weight))
        fixed_rankings(retriever, [5, 2, 1], [5, 2, 1], headings=[([1, 2], cosine)])
        return [p.row for p in retriever.search("anything", top_k=3).passages]

    assert rows(settings.heading_weight, 0.8)[0] == 2  # a heading that asks the question lifts its section
    assert rows(settings.heading_weight, 0.02)[0] == 5  # one that barely matches does not outvote the passages
    assert rows(0.0, 0.8)[0] == 5  # weight 0: the channel is off
    retriever = fixed_rankings(Retriever(assistant.index, settings), [5, 2, 1], [5, 2, 1], headings=[([1, 2], 0.8)])
    top = retriever.search("x", top_k=1).passages[0]
    k, w = settings.rrf_k, settings.heading_weight
    assert top.row == 2 and top.score == pytest.approx(4.0 / (k + 2) + 1.0 / (k + 2) + w * 0.8 / (k + 1))


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


# Every word of these tests equally rare (df 5 of 100 passages): sentence scores count the question's terms.
WEIGHTS = TermWeights(
    dict.fromkeys(
        content_terms(
            "trastuzumab loading dose weekly guidance number point applies continues year given then mg kg "
            "pregnancy chemotherapy first months her2 positive negative aromatase inhibitor postmenopausal"
        ),
        5,
    ),
    100,
)


def request(question: str, **kw) -> Request:
    return Request(question=question, corrected=question, text=question, query=question, **kw)


def test_near_duplicate_sentences_are_quoted_once():
    shared = "Trastuzumab is then given at 2 mg/kg weekly."
    passages = [
        passage(0, ["Trastuzumab loading dose is 4 mg/kg.", shared]),
        passage(1, [shared, "Trastuzumab continues for a year."]),  # the overlapping next chunk
    ]
    answer = ExtractiveComposer(WEIGHTS, AnswerSettings(max_sentences=6)).compose(
        request("trastuzumab dose weekly"), passages, "disclaimer"
    )
    assert answer.text.count("2 mg/kg weekly") == 1


def test_max_passages_caps_the_passages_an_answer_draws_from():
    passages = [passage(i, [f"Trastuzumab cardiac guidance number {i} applies."]) for i in range(6)]
    for cap in (1, 2, 4):
        answer = ExtractiveComposer(WEIGHTS, AnswerSettings(max_sentences=10, max_passages=cap)).compose(
            request("trastuzumab cardiac guidance"), passages, "disclaimer"
        )
        assert len(answer.citations) == cap
        assert {c.passage.row for c in answer.citations} == set(range(cap))


def test_max_sentences_caps_the_answer():
    passages = [passage(0, [f"Trastuzumab dose guidance point {i} gives {i + 1} mg/kg." for i in range(8)])]
    answer = ExtractiveComposer(WEIGHTS, AnswerSettings(max_sentences=3)).compose(
        request("trastuzumab dose guidance"), passages, "disclaimer"
    )
    assert sum(len(c.sentences) for c in answer.citations) == 3


def test_weak_evidence_abstains_and_the_thresholds_decide():
    weak = [passage(0, ["Trastuzumab dose guidance gives 2 mg/kg."], dense=0.1)]
    s = AnswerSettings()
    assert ExtractiveComposer(WEIGHTS, s).compose(request("trastuzumab dose"), weak, "d").abstained
    lenient = replace(s, min_dense=0.05)
    assert not ExtractiveComposer(WEIGHTS, lenient).compose(request("trastuzumab dose"), weak, "d").abstained


def test_a_passage_holding_every_word_of_the_question_is_evidence_at_a_lower_similarity():
    """ "what about exercise?" is far in meaning from a long list ending "... and enough exercise", yet the
    list answers it; with a word the corpus lacks ("night shift"), the lower bar does not apply."""
    listing = [passage(0, ["Protective factors include less estrogen exposure and enough exercise."], dense=0.2)]
    weights = TermWeights(
        dict.fromkeys(content_terms("protective factors include less estrogen exposure enough exercise risk"), 5), 100
    )
    s = AnswerSettings()
    assert s.min_dense_whole < 0.2 < s.min_dense
    assert not ExtractiveComposer(weights, s).compose(request("what about exercise"), listing, "d").abstained
    assert ExtractiveComposer(weights, s).compose(request("night shift exercise"), listing, "d").abstained
    strict = replace(s, min_dense_whole=0.3)
    assert ExtractiveComposer(weights, strict).compose(request("what about exercise"), listing, "d").abstained


def test_every_topic_must_be_held_together_unless_min_topics_allows_less():
    """ "trastuzumab in pregnancy": a trastuzumab passage without pregnancy does not answer it."""
    her2 = [passage(0, ["Trastuzumab loading dose is 4 mg/kg."])]
    asked = request("trastuzumab in pregnancy", topics=frozenset({"trastuzumab", "pregnancy"}))
    refused = ExtractiveComposer(WEIGHTS, AnswerSettings()).compose(asked, her2, "d")
    assert refused.abstained
    assert refused.text == (
        "The indexed guidelines do not cover this question: no passage addresses pregnancy together with trastuzumab."
    )
    assert not ExtractiveComposer(WEIGHTS, AnswerSettings(min_topics=0.5)).compose(asked, her2, "d").abstained


def test_a_subject_the_corpus_never_mentions_is_named_and_max_unknown_decides():
    her2 = [passage(0, ["Trastuzumab loading dose is 4 mg/kg."])]
    asked = request("trastuzumab dose in gynecomastia")  # "gynecomastia" is no word of WEIGHTS
    answer = ExtractiveComposer(WEIGHTS, AnswerSettings()).compose(asked, her2, "d")
    assert answer.abstained and answer.text == "The indexed guidelines do not mention gynecomastia."
    assert answer.missing == ["gynecomastia"]
    tolerant = ExtractiveComposer(WEIGHTS, AnswerSettings(max_unknown=1.0)).compose(asked, her2, "d")
    assert not tolerant.text.startswith("The indexed guidelines do not mention")


def test_a_drug_the_corpus_never_names_is_named_whatever_max_unknown_says():
    her2 = [passage(0, ["Trastuzumab loading dose is 4 mg/kg."])]
    asked = request("pembrolizumab with trastuzumab loading dose")  # pembrolizumab: a drug by its ending
    for max_unknown in (0.3, 1.0):
        answer = ExtractiveComposer(WEIGHTS, AnswerSettings(max_unknown=max_unknown)).compose(asked, her2, "d")
        assert answer.abstained and answer.text == "The indexed guidelines do not mention pembrolizumab."


def test_a_specific_aspect_asked_must_be_in_the_passage():
    """ "What is the dose?" is not answered by a sentence about the drug without a dose."""
    no_dose = [passage(0, ["Trastuzumab continues for a year."])]
    composer = ExtractiveComposer(WEIGHTS, AnswerSettings())
    assert composer.compose(request("trastuzumab dose"), no_dose, "d").abstained
    with_dose = [passage(0, ["Trastuzumab loading dose is 4 mg/kg."])]
    assert not composer.compose(request("trastuzumab dose"), with_dose, "d").abstained


def test_sentences_about_the_other_subgroup_are_left_out():
    mixed = [
        passage(
            0,
            [
                "Postmenopausal HER2-negative disease starts with an aromatase inhibitor.",
                "HER2-positive disease starts with trastuzumab given with chemotherapy.",
            ],
        )
    ]
    answer = ExtractiveComposer(WEIGHTS, AnswerSettings()).compose(request("first treatment HER2-positive"), mixed, "d")
    assert "trastuzumab" in answer.text and "aromatase" not in answer.text
    other = ExtractiveComposer(WEIGHTS, AnswerSettings()).compose(request("first treatment HER2-negative"), mixed, "d")
    assert "aromatase" in other.text and "trastuzumab" not in other.text


class Meaning:
    """A fake encoder for ranking logic: each sentence's vector says how well it answers (a fixed table)."""

    def __init__(self, table: dict[str, float]) -> None:
        self.table = table

    def __call__(self, texts):
        return np.array([[self.table.get(t, 0.0), np.sqrt(1 - self.table.get(t, 0.0) ** 2)] for t in texts])


def test_semantic_weight_lets_the_sentence_that_means_the_answer_lead():
    first, second = "Trastuzumab is given weekly.", "Trastuzumab loading dose is 4 mg/kg given weekly."
    passages = [passage(0, [first, second])]
    meaning = Meaning({first: 0.1, second: 0.95})
    asked = request("trastuzumab weekly", vector=np.array([1.0, 0.0]))
    led = ExtractiveComposer(WEIGHTS, AnswerSettings(semantic_weight=0.9), meaning).compose(asked, passages, "d")
    assert led.text.startswith(second)
    lexical = ExtractiveComposer(WEIGHTS, AnswerSettings(semantic_weight=0.0), meaning).compose(asked, passages, "d")
    assert lexical.text.startswith(first)  # equal term scores: the sentence standing first leads


def test_evidence_only_about_the_other_subgroup_is_an_abstention_not_an_empty_answer():
    other = [passage(0, ["Postmenopausal HER2-negative disease starts with an aromatase inhibitor."])]
    answer = ExtractiveComposer(WEIGHTS, AnswerSettings()).compose(request("first treatment HER2-positive"), other, "d")
    assert answer.abstained and answer.text == "The indexed guidelines do not cover this question."
