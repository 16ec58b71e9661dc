"""The systems an evaluation compares: our retriever in its three modes, and the pipeline a team would
otherwise ship ("default LangChain": RecursiveCharacterTextSplitter 1000/200, langchain_community FAISS,
the same embedding model), built in memory from the same index's documents."""

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
VARIANTS = (*OUR_MODES, "langchain")


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
