"""Run a dataset through the assistant and every retrieval variant; write metrics, per-question rows,
the report and the plots."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from assistant.pipeline import Assistant
from assistant.verify import normalise, quantities
from indexer.errors import GuidelineQAError
from indexer.settings import Settings

from . import metrics as m
from .dataset import Dataset, load_dataset, select_split
from .variants import OUR_MODES, VARIANTS, DefaultLangChain, NaiveRRF, OurRetriever, Ranking

K = 10
EMBED_SAMPLE = 30  # questions embedded one at a time to measure real per-question embedding latency


def run_evaluation(
    index: Path,
    dataset_dir: Path,
    out: Path,
    variants: Sequence[str] = VARIANTS,
    *,
    split: str = "all",
    settings: Settings | None = None,
    progress: bool = False,
    embedder=None,
    composer: str | None = None,
) -> dict:
    """Evaluate `dataset_dir` (its `split`) on `index` with `settings` (default: from the environment);
    `composer` names the answers' composer (default: the settings')."""
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        raise GuidelineQAError(f"unknown variant(s) {', '.join(unknown)}; choose from {', '.join(VARIANTS)}")
    started = time.perf_counter()
    if composer:
        base = settings or Settings.from_env()
        settings = base.replace(answer=dataclasses.replace(base.answer, composer=composer))
    assistant, dataset, queries, articles = prepare(index, dataset_dir, split, settings, embedder)
    manifest = _manifest_record(assistant.index)
    include_headings = bool(assistant.index.manifest.chunker.get("include_headings", True))
    section_doc = _section_to_document(assistant)

    t = time.perf_counter()
    vectors = assistant.index.embedder.encode(queries, progress=progress)
    batch_embed_ms = (time.perf_counter() - t) * 1000 / len(queries)
    single_embed = []
    for query in queries[:EMBED_SAMPLE]:
        t = time.perf_counter()
        assistant.index.embedder.encode([query])
        single_embed.append((time.perf_counter() - t) * 1000)

    rows = [{"id": q.id, "text": q.text, "query": query} for q, query in zip(dataset.queries, queries, strict=True)]
    results: dict[str, dict] = {}
    for variant in variants:
        rankings, notes = _rank_all(variant, assistant, dataset, queries, vectors, articles, include_headings, progress)
        doc_run = {
            q.id: m.ranking_to_run([section_doc.get(s, s) for s in r.sections])
            for q, r in zip(dataset.queries, rankings, strict=True)
        }
        section_means, section_per_q = section_metrics(dataset, rankings)
        doc_means, _ = m.retrieval_metrics(doc_run, _to_documents(dataset.qrels, section_doc))
        retrieve = [r.retrieve_ms for r in rankings]
        results[variant] = {
            "section": section_means,
            "document": doc_means,
            "latency_ms": {
                "retrieve_p50": m.percentile(retrieve, 0.5),
                "retrieve_p95": m.percentile(retrieve, 0.95),
            },
            **notes,
        }
        for row, q, r in zip(rows, dataset.queries, rankings, strict=True):
            row[variant] = {
                "top": list(dict.fromkeys(r.sections))[:K],
                "retrieve_ms": round(r.retrieve_ms, 3),
                **section_per_q.get(q.id, {}),
            }

    answers = _answers(assistant, dataset, vectors, articles, rows, progress)
    result = {
        "dataset": str(dataset_dir),
        "dataset_name": dataset.name,
        "split": split,
        "index": str(index),
        "questions": len(dataset.queries),
        "judged": sum(1 for q in dataset.queries if dataset.qrels.get(q.id)),
        "headings_indexed": include_headings,
        "model": assistant.index.manifest.model.id,
        "variants": results,
        "answers": answers,
        "latency_ms": {
            "embed_single_p50": m.percentile(single_embed, 0.5),
            "embed_single_p95": m.percentile(single_embed, 0.95),
            "embed_batched_mean": batch_embed_ms,
            **answers.pop("latency_ms"),
        },
        "settings": _settings_record(assistant.settings),
        "index_manifest": manifest,
        "wall_s": round(time.perf_counter() - started, 1),
        "run_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    with (out / "per_question.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    from .report import write_plots, write_report

    write_plots(result, rows, out)
    write_report(result, out)
    return result


def prepare(
    index: Path, dataset_dir: Path, split: str, settings: Settings | None, embedder
) -> tuple[Assistant, Dataset, list[str], list[str | None]]:
    """The assistant, the dataset's split, each question's retrieval query and the article in scope.

    The settings' index is set to `index`, so what a run records is what it used.
    """
    dataset = select_split(load_dataset(dataset_dir), split)
    if not dataset.queries:
        where = "" if split == "all" else f" in the {split} split"
        raise GuidelineQAError(f"{dataset_dir}/queries.jsonl has no questions{where}")
    settings = (settings or Settings.from_env()).replace(index=Path(index))
    assistant = Assistant(index, settings, embedder=embedder)
    known_articles = {d for d, doc in assistant.index.documents.items() if doc["kind"] == "article"}
    queries = [assistant.query_for(q.text, q.history) for q in dataset.queries]
    articles = [q.article if q.article in known_articles else None for q in dataset.queries]
    return assistant, dataset, queries, articles


def section_metrics(dataset: Dataset, rankings: Sequence[Ranking]) -> tuple[dict[str, float], dict[str, dict]]:
    """Section-level retrieval metrics of one ranking per question (means, and each question's values)."""
    run = {q.id: m.ranking_to_run(r.sections) for q, r in zip(dataset.queries, rankings, strict=True)}
    return m.retrieval_metrics(run, dataset.qrels)


def _settings_record(settings: Settings) -> dict:
    """The full settings as JSON values (paths as strings, the LLM key never), for metrics.json and sweep.json."""
    return settings.record()


def _manifest_record(index) -> dict:
    """The index's manifest as recorded in a run (the typed manifest, as the JSON it was read from)."""
    return index.manifest.as_dict()


def _rank_all(variant, assistant, dataset: Dataset, queries, vectors, articles, include_headings, progress):
    if variant in OUR_MODES:
        ranker = OurRetriever(assistant.retriever, variant)
        items = _progress(range(len(queries)), progress, variant)
        return [ranker.rank(queries[i], vectors[i], articles[i], K) for i in items], {}
    if variant == "naive-rrf":
        peer = NaiveRRF(assistant.index, progress=progress)
        texts = [q.text for q in dataset.queries]  # the message as typed: a naive pipeline rewrites nothing
        t = time.perf_counter()
        peer_vectors = peer.embed_queries(texts)
        embed_ms = (time.perf_counter() - t) * 1000 / len(texts)
        items = _progress(range(len(texts)), progress, variant)
        rankings = [peer.rank(texts[i], peer_vectors[i], K) for i in items]
        return rankings, {"build_s": round(peer.build_s, 1), "units": len(peer.ids), "embed_batched_mean_ms": embed_ms}
    lc = DefaultLangChain(assistant.index, include_headings=include_headings)
    t = time.perf_counter()
    lc_vectors = lc.embed_queries(queries)
    embed_ms = (time.perf_counter() - t) * 1000 / len(queries)
    items = _progress(range(len(queries)), progress, variant)
    rankings = [lc.rank(lc_vectors[i], K) for i in items]
    return rankings, {"build_s": round(lc.build_s, 1), "splits": lc.splits, "embed_batched_mean_ms": embed_ms}


def _answers(assistant, dataset: Dataset, vectors, articles, rows, progress) -> dict:
    facts, cite_p, cite_r, rouge, f1, disclaimer, abstain_pairs = [], [], [], [], [], [], []
    clean: list[float] = []
    named: list[float] = []
    stages: dict[str, list[float]] = {"retrieve": [], "compose": []}
    llm = LLMTally()
    for i in _progress(range(len(dataset.queries)), progress, "answers"):
        q = dataset.queries[i]
        answer = assistant.ask(q.text, q.history, articles[i], query_vector=vectors[i])
        for stage in stages:
            stages[stage].append(answer.timings_ms[stage])
        llm.add(answer)
        cited = [c.passage.section_id for c in answer.citations]
        relevant = [s for s, g in dataset.qrels.get(q.id, {}).items() if g > 0]
        cited_text = " ".join(c.passage.text for c in answer.citations)
        row = {
            "answer": answer.text,
            "abstained": answer.abstained,
            "should_abstain": q.abstain,
            "cited": cited,
            "category": q.category,
        }
        if q.must and not q.abstain:
            row["facts"] = m.facts_found(answer.text, q.must) and m.facts_found(cited_text, q.must)
            if q.lead:
                row["facts"] = row["facts"] and m.facts_found(m.first_sentence(answer.text), [q.lead])
            facts.append(float(row["facts"]))
        if q.exclude and not answer.abstained:
            row["subgroup_clean"] = not any(x in answer.text for x in q.exclude)
            clean.append(float(row["subgroup_clean"]))
        if q.missing and (q.abstain or answer.missing):
            row["missing_named"] = all(x.lower() in answer.text.lower() for x in q.missing)
            named.append(float(row["missing_named"]))
        if relevant and not q.abstain:
            p, r = m.set_precision_recall(cited, relevant)
            row["citation_precision"], row["citation_recall"] = p, r
            cite_p.append(p if p is not None else 0.0)
            cite_r.append(r)
        if q.reference_answer:
            row["rouge_l"] = m.rouge_l(answer.text, q.reference_answer) if not answer.abstained else 0.0
            row["token_f1"] = m.token_f1(answer.text, q.reference_answer) if not answer.abstained else 0.0
            rouge.append(row["rouge_l"])
            f1.append(row["token_f1"])
        disclaimer.append(float(bool(answer.disclaimer)))
        abstain_pairs.append((q.abstain, answer.abstained))
        rows[i]["answer"] = row
    answerable = [a for (s, a) in abstain_pairs if not s]
    return {
        "key_fact_recall": m.mean(facts),
        "citation_precision": m.mean(cite_p),
        "citation_recall": m.mean(cite_r),
        "rouge_l": m.mean(rouge),
        "token_f1": m.mean(f1),
        **m.abstention_scores(abstain_pairs),
        "answered_rate": 1 - m.mean(answerable) if answerable else None,
        "subgroup_clean_rate": m.mean(clean),
        "missing_named_rate": m.mean(named),
        "disclaimer_rate": m.mean(disclaimer),
        "by_category": _by_category(dataset, rows),
        "composer": assistant.settings.answer.composer,
        **({"llm": llm.summary()} if llm.asked else {}),
        "latency_ms": {
            f"{stage}_{name}": m.percentile(values, q)
            for stage, values in stages.items()
            for name, q in (("p50", 0.5), ("p95", 0.95))
        },
    }


class LLMTally:
    """What the LLM composer did over a run: claims written and dropped (by reason), numbers shown that
    their cited passage lacks (must stay 0), fallbacks (by note) and each stage's latency."""

    def __init__(self) -> None:
        self.asked = 0
        self.claims = self.kept = self.fallbacks = self.numbers_not_found = 0
        self.dropped: Counter[str] = Counter()
        self.notes: Counter[str] = Counter()
        self.stages: dict[str, list[float]] = {"extractive_ms": [], "generate_ms": [], "verify_ms": []}

    def add(self, answer) -> None:
        self.numbers_not_found += _numbers_not_found(answer)
        v = answer.verification
        if not v or "skipped" in v:
            return
        self.asked += 1
        self.claims += v.get("claims", 0)
        self.kept += v.get("kept", 0)
        self.dropped.update({r: n for r, n in v.get("dropped_by_reason", {}).items() if n})
        if v.get("fallback"):
            self.fallbacks += 1
            self.notes[answer.note.split(" The answer below")[0]] += 1
        for stage, values in self.stages.items():
            if stage in v.get("timings_ms", {}):
                values.append(v["timings_ms"][stage])

    def summary(self) -> dict:
        return {
            "questions_asked": self.asked,
            "claims_generated": self.claims,
            "claims_shown": self.kept,
            "claims_dropped_by_reason": dict(self.dropped),
            "numbers_not_found_in_shown": self.numbers_not_found,
            "fallbacks": self.fallbacks,
            "fallback_notes": dict(self.notes),
            "latency_ms": {
                f"{stage[:-3]}_{name}": m.percentile(values, q)
                for stage, values in self.stages.items()
                for name, q in (("p50", 0.5), ("p95", 0.95))
                if values
            },
        }


def _numbers_not_found(answer) -> int:
    """Numbers (with units) of the claims shown that the passage each cites does not hold."""
    passages = {c.n: {(q.value, q.unit) for q in quantities(normalise(c.passage.text))} for c in answer.citations}
    return sum(
        (q.value, q.unit) not in passages.get(n, set())
        for text, n in answer.claims
        if n is not None
        for q in quantities(normalise(text))
    )


def _by_category(dataset: Dataset, rows: list[dict]) -> dict[str, dict]:
    """Answer metrics per question category (datasets that name categories)."""
    out: dict[str, dict] = {}
    for q, row in zip(dataset.queries, rows, strict=True):
        if not q.category:
            continue
        a = row["answer"]
        c = out.setdefault(q.category, {"questions": 0, "facts": [], "abstain": []})
        c["questions"] += 1
        if "facts" in a:
            c["facts"].append(float(a["facts"]))
        c["abstain"].append((q.abstain, a["abstained"]))
    return {
        name: {
            "questions": c["questions"],
            "answered_with_facts": m.mean(c["facts"]),
            **m.abstention_scores(c["abstain"]),
        }
        for name, c in sorted(out.items())
    }


def _section_to_document(assistant) -> dict[str, str]:
    return assistant.index.reader.section_documents()


def _to_documents(qrels, section_doc: dict[str, str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for q, rels in qrels.items():
        for corpus_id, grade in rels.items():
            doc = section_doc.get(corpus_id, corpus_id)
            out.setdefault(q, {})[doc] = max(grade, out.get(q, {}).get(doc, 0))
    return out


def _progress(items, enabled: bool, desc: str):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, file=sys.stderr, leave=False)
