"""Our hybrid retriever as a LangChain `BaseRetriever`, so the index plugs into LangChain pipelines.

LangChain types stay here, at the edge; the core works in Passage records.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .retrieve import Retriever
from .types import Passage


def to_document(p: Passage) -> Document:
    return Document(
        page_content=p.text,
        id=p.chunk_id,
        metadata={
            "chunk_id": p.chunk_id,
            "doc_id": p.doc_id,
            "section_id": p.section_id,
            "title": p.title,
            "section": " > ".join(p.section),
            "start": p.start,
            "end": p.end,
            "sentences": [list(s) for s in p.sentences],
            "citations": list(p.citations),
            "references": [r.as_dict() for r in p.references],
            "url": p.url,
            "kind": p.kind,
            "score": p.score,
            "dense": p.dense,
            "in_scope": p.in_scope,
        },
    )


class GuidelineRetriever(BaseRetriever):
    """Hybrid (dense + BM25, RRF) retrieval over a guideline-qa index; `article` puts one article in scope."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    article: str | None = None
    mode: str = "hybrid"
    k: int | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        found = self.retriever.search(query, article=self.article, mode=self.mode, top_k=self.k)
        return [to_document(p) for p in found.passages]
