"""Rerankers: reorder the fused candidates inside `Retriever.search`, so answers, the evaluation and the
LangChain adapter all see the same order.

A reranker receives the query and an over-fetched list of fused passages (`RetrievalSettings.rerank_depth`)
and returns them best first; the retriever keeps the top k. Adding one is a class here (or in its own
module) plus a line in `RERANKERS`; `GUIDELINE_QA_RERANKER` picks it by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from indexer.errors import SettingsError

from .types import Passage


class Reranker(Protocol):
    def rerank(self, query: str, passages: list[Passage]) -> list[Passage]: ...


class NoReranker:
    """The default: fusion order stands."""

    def rerank(self, query: str, passages: list[Passage]) -> list[Passage]:
        return passages


RERANKERS: dict[str, Callable[[], Reranker]] = {"none": NoReranker}


def make_reranker(name: str) -> Reranker:
    try:
        return RERANKERS[name]()
    except KeyError:
        raise SettingsError(
            f"GUIDELINE_QA_RERANKER: unknown reranker {name!r}; choose from {', '.join(sorted(RERANKERS))}"
        ) from None
