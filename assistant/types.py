"""The records the assistant's stages pass along: passages, citations and answers."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from indexer.model import Reference


@dataclass
class Request:
    """One turn as the composer sees it: what was asked, how it was understood, what was retrieved for."""

    question: str  # as asked
    corrected: str  # spelling corrected, nothing added
    text: str  # corrected, with vocabulary expansions appended
    query: str  # the retrieval query (text, plus what a follow-up borrowed)
    alternatives: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # term -> terms meaning it too
    borrowed_topics: tuple[str, ...] = ()  # topic terms a follow-up took from earlier turns
    refers_back: bool = False  # the question points back with a pronoun ("Is it safe?")
    subject: tuple[str, ...] = ()  # a follow-up's subject: the latest earlier topic terms (converse.py)
    context: tuple[str, ...] = ()  # a follow-up's earlier turns as understood, latest last
    topics: frozenset[str] = frozenset()  # the corpus's topic vocabulary (converse.topic_vocabulary)
    vocabulary_terms: frozenset[str] = frozenset()  # drugs and classes the query vocabulary names
    article: str | None = None  # the article open, if any
    vector: np.ndarray | None = None  # what sentences are ranked against: the question's (a follow-up's own) embedding
    query_vector: np.ndarray | None = None  # a follow-up's: the retrieval query's embedding, history included


@dataclass
class Passage:
    """A retrieved chunk with everything needed to show and cite it."""

    row: int
    chunk_id: str
    doc_id: str
    section_id: str
    title: str  # the document's title (for articles: the clinical question)
    section: tuple[str, ...]  # title > section > subsection
    text: str
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]  # character spans in the document text
    sentence_texts: tuple[str, ...]  # each sentence as it stands there (markers included), for display
    citations: tuple[int, ...]  # reference numbers cited in the passage
    references: tuple[Reference, ...] = ()  # those numbers resolved to the article's reference entries
    url: str | None = None
    kind: str = "article"
    score: float = 0.0  # fused score
    dense: float = 0.0  # cosine similarity to the query
    overlap: float = 0.0  # share of the question's content terms the passage contains
    in_scope: bool = False

    def brief(self) -> dict:
        return {
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "section_id": self.section_id,
            "score": round(self.score, 6),
        }


@dataclass(frozen=True)
class UsedSentence:
    start: int  # offsets in the document text
    end: int
    text: str  # as shown in the answer: whitespace normalised, the article's own markers removed


@dataclass
class Citation:
    n: int
    passage: Passage
    sentences: tuple[UsedSentence, ...]

    def as_dict(self) -> dict:
        p = self.passage
        return {
            "n": self.n,
            "chunk_id": p.chunk_id,
            "doc_id": p.doc_id,
            "section_id": p.section_id,
            "title": p.title,
            "section": " > ".join(p.section),
            "text": p.text,
            "sentences": [{"start": s.start, "end": s.end, "text": s.text} for s in self.sentences],
            "references": [r.as_dict() for r in p.references],
            "url": p.url,
        }


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    disclaimer: str
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Passage] = field(default_factory=list)
    reason: str = ""  # why the assistant abstained
    query: str = ""  # the retrieval query, after follow-up resolution
    understood: dict = field(default_factory=dict)  # spelling corrections and vocabulary expansions
    missing: list[str] = field(default_factory=list)  # words of the question the evidence does not cover
    conversation: dict = field(default_factory=dict)  # follow-up or new topic, and what was borrowed
    timings_ms: dict[str, float] = field(default_factory=dict)
    # The answer's statements in order, each with the number of its citation; None for a note of the
    # composer's own ("The indexed guidelines do not mention ..."). Empty: the whole text is one statement.
    claims: list[tuple[str, int | None]] = field(default_factory=list)
    composer: str = "extractive"  # what wrote the answer shown: "llm" (verified claims) or "extractive"
    note: str = ""  # one line on why the model's answer is not shown (the extractive one is)
    dropped: list[dict] = field(default_factory=list)  # the model's claims that failed verification, with why
    verification: dict = field(default_factory=dict)  # the LLM composer's counts and timings; empty without it

    def as_dict(self) -> dict:
        return {
            "answer": self.text,
            "abstained": self.abstained,
            "reason": self.reason,
            "query": self.query,
            "understood": self.understood,
            "missing": self.missing,
            "conversation": self.conversation,
            "citations": [c.as_dict() for c in self.citations],
            "retrieved": [p.brief() for p in self.retrieved],
            "disclaimer": self.disclaimer,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "composer": self.composer,
            "note": self.note,
            **({"dropped": self.dropped, "verification": self.verification} if self.verification else {}),
        }
