"""Hybrid retrieval: dense search over passages (the index's vector store), FTS5 BM25, and dense search
over section headings (the heading channel) fused by reciprocal rank, article scope first, then the
reranker over an over-fetched list."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from indexer.settings import RetrievalSettings
from indexer.terms import content_terms, keyword_query

from .index import SearchIndex
from .rerank import NoReranker, Reranker, make_reranker
from .types import Passage

MODES = ("hybrid", "dense", "bm25")


@dataclass
class Retrieval:
    passages: list[Passage]
    query_vector: np.ndarray
    timings_ms: dict[str, float] = field(default_factory=dict)


class Retriever:
    def __init__(
        self, index: SearchIndex, settings: RetrievalSettings | None = None, *, reranker: Reranker | None = None
    ) -> None:
        self.index = index
        self.settings = settings or RetrievalSettings()
        self.reranker = reranker if reranker is not None else make_reranker(self.settings.reranker)

    def search(
        self,
        query: str,
        *,
        article: str | None = None,
        mode: str = "hybrid",
        top_k: int | None = None,
        query_vector: np.ndarray | None = None,
    ) -> Retrieval:
        """The fused top-k passages for `query`, best first, with article scope applied.

        `query_vector` skips embedding, for callers that embed many queries in one batch.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        s = self.settings
        k = top_k or s.top_k
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        qv = self.index.embedder.encode([query])[0] if query_vector is None else query_vector
        t1 = time.perf_counter()
        timings["embed"] = (t1 - t0) * 1000

        scope = self.index.scope(article)
        # (ranks best first, weight); each rank is the chunk rows that share it and its own factor
        lists: list[tuple[list[tuple[list[int], float]], float]] = []
        if mode in ("hybrid", "dense"):
            dense = self._with_scope(self._dense(qv, s.candidates), self._dense_in_scope(qv, scope, s.candidates))
            lists.append(([([r], 1.0) for r in dense], s.dense_weight))
        if mode in ("hybrid", "bm25"):
            keyword = self._with_scope(self._keyword(query, s.candidates), self._keyword(query, s.candidates, scope))
            lists.append(([([r], 1.0) for r in keyword], 1.0))
        if mode == "hybrid" and s.heading_weight > 0 and self.index.heading_vectors.ntotal:
            lists.append((self._headings(qv, scope, s.candidates), s.heading_weight))
        fused: dict[int, float] = {}
        for ranks, weight in lists:
            for rank, (rows, factor) in enumerate(ranks, start=1):
                for row in rows:
                    fused[row] = fused.get(row, 0.0) + weight * factor / (s.rrf_k + rank)
        if scope:
            in_scope = self._rows_in_scope(scope)
            for row in fused:
                if row in in_scope:
                    fused[row] *= s.scope_weight
        ranked = sorted(fused, key=lambda r: (-fused[r], r))
        if isinstance(self.reranker, NoReranker):
            passages = self._passages(ranked[:k], fused, qv, scope, query)
        else:
            pool = self._passages(ranked[: max(k, s.rerank_depth)], fused, qv, scope, query)
            passages = self.reranker.rerank(query, pool)[:k]
        timings["retrieve"] = (time.perf_counter() - t1) * 1000
        return Retrieval(passages, qv, timings)

    @staticmethod
    def _with_scope(global_rows: list[int], scope_rows: list[int]) -> list[int]:
        """The global ranking, then in-scope passages it missed (a large corpus can crowd them out)."""
        seen = set(global_rows)
        return global_rows + [r for r in scope_rows if r not in seen]

    def _rows_in_scope(self, scope: frozenset[str]) -> set[int]:
        return set(self.index.scope_rows(scope)[0].tolist())

    def _dense(self, qv: np.ndarray, n: int) -> list[int]:
        _, ids = self.index.vectors.search(qv.reshape(1, -1), n)
        return [int(i) for i in ids[0] if i >= 0]

    def _dense_in_scope(self, qv: np.ndarray, scope: frozenset[str], n: int) -> list[int]:
        if not scope:
            return []
        rows, vectors = self.index.scope_rows(scope)
        if not len(rows):
            return []
        order = np.argsort(-(vectors @ qv), kind="stable")[:n]
        return [int(rows[i]) for i in order]

    def _headings(self, qv: np.ndarray, scope: frozenset[str], n: int) -> list[tuple[list[int], float]]:
        """The heading channel: the `n` section headings nearest the question, then in-scope ones it missed.

        Each rank holds the chunk rows of that heading's section (a heading speaks for all its passages) and
        votes in proportion to its cosine with the question: a heading that asks the question (MedQuAD's,
        about 0.7 for a consumer's message) weighs fully, headings that only label a topic (an article's
        "Treatment > Surgery", about 0.3) little, so the channel cannot outvote the passages where headings
        say little.
        """
        _, ids = self.index.heading_vectors.search(qv.reshape(1, -1), n)
        order = [int(i) for i in ids[0] if i >= 0]
        if scope:
            rows, vectors = self.index.scope_headings(scope)
            if len(rows):
                nearest = np.argsort(-(vectors @ qv), kind="stable")[:n]
                order = self._with_scope(order, [int(rows[i]) for i in nearest])
        if not order:
            return []
        cosines = self.index.heading_vectors.reconstruct(np.array(order, dtype="int64")) @ qv
        chunks = self.index.heading_chunks
        return [(chunks[h].tolist(), max(float(c), 0.0)) for h, c in zip(order, cosines, strict=True)]

    def _keyword(self, query: str, n: int, scope: frozenset[str] | None = None) -> list[int]:
        match = keyword_query(query)
        if match is None or scope == frozenset():
            return []
        return self.index.reader.keyword_search(match, n, scope)

    def _passages(
        self, rows: list[int], fused: dict[int, float], qv: np.ndarray, scope: frozenset[str], query: str
    ) -> list[Passage]:
        data = self.index.chunks(rows)
        vectors = self.index.vectors.reconstruct(np.array(rows, dtype="int64"))
        wanted = content_terms(query)
        passages = []
        for i, row in enumerate(rows):
            c = data[row]
            doc = self.index.documents[c.doc_id]
            refs = self.index.references.get(c.doc_id, {})
            passages.append(
                Passage(
                    row=row,
                    chunk_id=c.id,
                    doc_id=c.doc_id,
                    section_id=c.section_id,
                    title=doc["title"],
                    section=c.section_path,
                    text=c.text,
                    start=c.start,
                    end=c.end,
                    sentences=c.sentences,
                    sentence_texts=c.sentence_texts,
                    citations=c.citations,
                    references=tuple(refs[n] for n in c.citations if n in refs),
                    url=doc["url"],
                    kind=doc["kind"],
                    score=fused[row],
                    dense=float(vectors[i] @ qv),
                    overlap=self.index.weights.coverage(wanted, content_terms(c.embed_text)),
                    in_scope=c.doc_id in scope,
                )
            )
        return passages
