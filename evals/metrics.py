"""Metrics: retrieval through ir-measures (trec_eval), answers through rouge-score and plain counting.

Runs and qrels use BEIR's shapes: run = {query id: {corpus id: score}}, qrels = {query id: {corpus id:
grade}}; a grade above 0 is relevant and nDCG uses the grades.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import ir_measures
from ir_measures import AP, RR, R, nDCG

RETRIEVAL_MEASURES = {
    "recall@1": R @ 1,
    "recall@5": R @ 5,
    "recall@10": R @ 10,
    "mrr@10": RR @ 10,
    "ndcg@10": nDCG @ 10,
    "map@10": AP @ 10,
}

Run = Mapping[str, Mapping[str, float]]
Qrels = Mapping[str, Mapping[str, int]]


def retrieval_metrics(run: Run, qrels: Qrels) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Mean of each measure over the judged queries, and each query's values.

    Judged queries with no retrieved result count as zero (trec_eval would drop them and flatter the run).
    """
    judged = {q: {d: int(g) for d, g in rels.items()} for q, rels in qrels.items() if any(g > 0 for g in rels.values())}
    if not judged:
        return {}, {}
    full_run = {q: dict(run.get(q) or {}) for q in judged}
    per_query: dict[str, dict[str, float]] = {q: {name: 0.0 for name in RETRIEVAL_MEASURES} for q in judged}
    names = {m: name for name, m in RETRIEVAL_MEASURES.items()}
    scored = {q: r for q, r in full_run.items() if r}
    if scored:
        for metric in ir_measures.iter_calc(list(RETRIEVAL_MEASURES.values()), judged, scored):
            per_query[metric.query_id][names[metric.measure]] = float(metric.value)
    means = {name: statistics.fmean(v[name] for v in per_query.values()) for name in RETRIEVAL_MEASURES}
    return means, per_query


def ranking_to_run(ranked: Sequence[str]) -> dict[str, float]:
    """A ranked list of ids (repeats allowed: several chunks of one section) as a run, first rank kept."""
    out: dict[str, float] = {}
    for rank, corpus_id in enumerate(ranked):
        out.setdefault(corpus_id, float(len(ranked) - rank))
    return out


_TOKEN = re.compile(r"\w+(?:[./-]\w+)*")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD-style token overlap F1."""
    pred, ref = tokens(prediction), tokens(reference)
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


_ROUGE = None


def rouge_l(prediction: str, reference: str) -> float:
    global _ROUGE
    if _ROUGE is None:
        from rouge_score import rouge_scorer

        _ROUGE = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    return float(_ROUGE.score(reference, prediction)["rougeL"].fmeasure)


def facts_found(text: str, must: Sequence[Sequence[str]]) -> bool:
    """Every key fact present verbatim (any one of its accepted alternatives)."""
    return all(any(alt in text for alt in alternatives) for alternatives in must)


def first_sentence(answer: str) -> str:
    """An answer's first sentence: up to its first citation marker (every quoted sentence ends with one)."""
    cut = answer.find("]")
    return answer[: cut + 1] if cut >= 0 else answer


def set_precision_recall(predicted: Iterable[str], relevant: Iterable[str]) -> tuple[float | None, float | None]:
    predicted, relevant = set(predicted), set(relevant)
    precision = len(predicted & relevant) / len(predicted) if predicted else None
    recall = len(predicted & relevant) / len(relevant) if relevant else None
    return precision, recall


def abstention_scores(pairs: Iterable[tuple[bool, bool]]) -> dict[str, float | None]:
    """(should abstain, did abstain) pairs -> precision and recall of abstaining."""
    pairs = list(pairs)
    did = [p for p in pairs if p[1]]
    should = [p for p in pairs if p[0]]
    hits = sum(1 for p in pairs if p[0] and p[1])
    return {
        "abstention_precision": hits / len(did) if did else None,
        "abstention_recall": hits / len(should) if should else None,
    }


def mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
