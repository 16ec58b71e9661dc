"""Metric values computed by hand on tiny runs."""

import math

import pytest

from evals import metrics as m

QRELS = {
    "q1": {"a": 1},  # one relevant
    "q2": {"b": 2, "c": 1},  # graded, two relevant
    "q3": {"d": 1},  # judged, nothing retrieved
    "q4": {"x": 0},  # judged but nothing relevant: not counted
}
RUN = {
    "q1": m.ranking_to_run(["z", "a", "a", "y"]),  # relevant at rank 2 (the repeat is ignored)
    "q2": m.ranking_to_run(["c", "y", "b"]),  # relevant at ranks 1 (grade 1) and 3 (grade 2)
}


def test_retrieval_metrics_match_hand_computation():
    means, per_query = m.retrieval_metrics(RUN, QRELS)
    assert set(per_query) == {"q1", "q2", "q3"}
    assert per_query["q1"]["recall@1"] == 0 and per_query["q1"]["recall@5"] == 1
    assert per_query["q1"]["mrr@10"] == pytest.approx(0.5)
    assert per_query["q2"]["recall@1"] == pytest.approx(0.5) and per_query["q2"]["mrr@10"] == 1
    # MAP@10 for q2: precision at rank 1 = 1, at rank 3 = 2/3; averaged over 2 relevant.
    assert per_query["q2"]["map@10"] == pytest.approx((1 + 2 / 3) / 2)
    # nDCG@10 for q2 with trec_eval's linear gains: DCG = 1/log2(2) + 2/log2(4); ideal = 2/log2(2) + 1/log2(3).
    assert per_query["q2"]["ndcg@10"] == pytest.approx((1 + 2 / 2) / (2 + 1 / math.log2(3)))
    assert per_query["q3"] == {name: 0.0 for name in m.RETRIEVAL_MEASURES}
    assert means["mrr@10"] == pytest.approx((0.5 + 1 + 0) / 3)
    assert means["recall@5"] == pytest.approx((1 + 1 + 0) / 3)


def test_answer_metrics_by_hand():
    assert m.token_f1("give 4 mg/kg IV", "4 mg/kg IV weekly") == pytest.approx(2 * (3 / 4) * (3 / 4) / 1.5)
    assert m.token_f1("nothing shared", "other words") == 0.0
    assert m.rouge_l("a b c d", "a c d e") == pytest.approx(0.75)
    assert m.facts_found("4 mg/kg then 2 mg/kg", [["4 mg/kg"], ["2 mg/kg", "6 mg/kg"]])
    assert not m.facts_found("4 mg/kg", [["4 mg/kg"], ["2 mg/kg"]])
    assert m.set_precision_recall(["s1", "s2"], ["s2", "s3", "s4"]) == (0.5, pytest.approx(1 / 3))
    assert m.set_precision_recall([], ["s1"]) == (None, 0.0)
    scores = m.abstention_scores([(True, True), (True, False), (False, True), (False, False)])
    assert scores == {"abstention_precision": 0.5, "abstention_recall": 0.5}
    assert m.percentile([5, 1, 3, 2, 4], 0.5) == 3 and m.percentile([], 0.5) is None
