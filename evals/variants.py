"""The systems an evaluation compares: our retriever in its three modes, the pipeline a team would
otherwise ship ("default LangChain": RecursiveCharacterTextSplitter 1000/200, langchain_community FAISS,
the same embedding model), and the consumer set's naive baseline (reciprocal-rank fusion, k=60, of BM25
and dense retrieval over whole sections), both built in memory from the same index's documents."""

from __future__ import annotations

import bisect
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.index import SearchIndex
from assistant.retrieve import Retriever
from indexer.embed import resolve_model

OUR_MODES = ("hybrid", "dense", "bm25")
VARIANTS = (*OUR_MODES, "langchain", "naive-rrf")


@dataclass
class Ranking:
    sections: list[str]  # section ids, best first (repeats when several passages of a section rank)
    retrieve_ms: float


class OurRetriever:
    def __init__(self, retriever: Retriever, mode: str) -> None:
        self.retriever = retriever
        self.mode = mode

    def rank(self, query: str, vector: np.ndarray, article: str | None, k: int) -> Ranking:
        found = self.retriever.search(query, article=article, mode=self.mode, top_k=k, query_vector=vector)
        return Ranking([p.section_id for p in found.passages], found.timings_ms["retrieve"])


class DefaultLangChain:
    """What a team gets from the LangChain quick-start: split, embed, FAISS, similarity search."""

    def __init__(self, index: SearchIndex, *, include_headings: bool) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from langchain_community.embeddings import HuggingFaceEmbeddings
            from langchain_community.vectorstores import FAISS

        started = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        self._offsets: dict[str, tuple[list[int], list[str]]] = {}
        texts, metadatas = [], []
        for doc_id in index.documents:
            body, starts, ids = self._body(index, doc_id, include_headings)
            if not body:
                continue
            self._offsets[doc_id] = (starts, ids)
            texts.append(body)
            metadatas.append({"doc_id": doc_id})
        documents = splitter.create_documents(texts, metadatas=metadatas)
        _, location = resolve_model(index.manifest.model.requested)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.embeddings = HuggingFaceEmbeddings(model_name=location)
            self.store = FAISS.from_documents(documents, self.embeddings)
        self.splits = len(documents)
        self.build_s = time.perf_counter() - started

    @staticmethod
    def _body(index: SearchIndex, doc_id: str, include_headings: bool) -> tuple[str, list[int], list[str]]:
        """The document's section texts joined, with where each section starts in the joined text."""
        text = index.document_text(doc_id)
        parts, starts, ids, offset = [], [], [], 0
        for s in index.sections(doc_id):
            if s["start"] is None:
                continue
            piece = text[s["start"] : s["end"]]
            if include_headings and s["heading"]:
                piece = f"{s['heading']}\n{piece}"
            starts.append(offset)
            ids.append(s["id"])
            parts.append(piece)
            offset += len(piece) + 2
        return "\n\n".join(parts), starts, ids

    def embed_queries(self, queries: Sequence[str]) -> list[list[float]]:
        return self.embeddings.embed_documents(list(queries))

    def rank(self, vector: Sequence[float], k: int) -> Ranking:
        started = time.perf_counter()
        hits = self.store.similarity_search_by_vector(list(vector), k=k)
        sections = []
        for d in hits:
            # A split may span sections: it retrieves every section it holds text of, in order.
            starts, ids = self._offsets[d.metadata["doc_id"]]
            first = max(0, bisect.bisect_right(starts, d.metadata["start_index"]) - 1)
            last = max(0, bisect.bisect_left(starts, d.metadata["start_index"] + len(d.page_content)) - 1)
            sections.extend(ids[first : last + 1])
        return Ranking(sections, (time.perf_counter() - started) * 1000)


def rrf(rankings: Sequence[Sequence[int]], k: int) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion with equal weights: each item scores the sum of 1 / (k + rank) over the
    rankings it appears in (ranks from 1); best first, ties to the lower item as our retriever does."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


class NaiveRRF:
    """The baseline the consumer set is measured against: every section (a MedQuAD QA pair: its question
    heading and its answer) is one unit, ranked by BM25 (bm25s; lower-cased words, English stopwords, no
    stemming) and by the cosine of the whole unit's embedding with the index's own model (which truncates
    at its 256 word pieces, as a naive pipeline does), fused by reciprocal rank with k=60, equal weights.

    It reads the user's message as typed: none of our spelling, vocabulary or follow-up handling.
    """

    RRF_K = 60
    CANDIDATES = 100  # from each list before fusion; deeper than our hybrid's default, so never the limit

    def __init__(self, index: SearchIndex, *, progress: bool = False) -> None:
        import bm25s
        from bm25s.tokenization import Tokenizer

        started = time.perf_counter()
        self.ids: list[str] = []
        texts: list[str] = []
        for doc_id in index.documents:
            text = index.document_text(doc_id)
            for s in index.sections(doc_id):
                if s["start"] is None:
                    continue
                body = text[s["start"] : s["end"]].strip()
                unit = f"{s['heading']}\n{body}".strip() if s["heading"] else body
                if unit:
                    self.ids.append(s["id"])
                    texts.append(unit)
        self.embedder = index.embedder
        self.tokenizer = Tokenizer(lower=True, stopwords="en")
        corpus = self.tokenizer.tokenize(texts, update_vocab=True, return_as="tuple", show_progress=False)
        self.bm25 = bm25s.BM25()
        self.bm25.index(corpus, show_progress=False)
        self.vectors = self.embedder.encode(texts, progress=progress)
        self.build_s = time.perf_counter() - started

    def embed_queries(self, queries: Sequence[str]) -> np.ndarray:
        return self.embedder.encode(list(queries))

    def rank(self, query: str, vector: np.ndarray, k: int) -> Ranking:
        started = time.perf_counter()
        fused = rrf([self._bm25(query, self.CANDIDATES), self._dense(vector, self.CANDIDATES)], self.RRF_K)
        sections = [self.ids[unit] for unit, _ in fused[:k]]
        return Ranking(sections, (time.perf_counter() - started) * 1000)

    def _bm25(self, query: str, n: int) -> list[int]:
        """Units that share a word with the query, best first (a query of stopwords or unseen words: none)."""
        (ids,) = self.tokenizer.tokenize(
            [query], update_vocab=False, return_as="ids", show_progress=False, allow_empty=False
        )
        if not ids:
            return []
        scores = self.bm25.get_scores_from_ids(ids)
        return _top(scores, n, positive=True)

    def _dense(self, vector: np.ndarray, n: int) -> list[int]:
        return _top(self.vectors @ np.asarray(vector, dtype="float32"), n, positive=False)


def _top(scores: np.ndarray, n: int, *, positive: bool) -> list[int]:
    """Indexes of the n highest scores, best first, ties to the lower index."""
    top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
    order = sorted(top.tolist(), key=lambda i: (-float(scores[i]), i))
    return [i for i in order if scores[i] > 0] if positive else order
