"""Extractive, cited answers: the passages' own sentences, verbatim, each marked with its citation.

No sentence is written by us: the answer is chosen sentences of retrieved passages, whitespace
normalised and stripped of the article's own citation markers (whose numbers are replaced by ours,
with the article's reference entries carried inside each citation). When the best evidence is weak
the composer abstains and says so.

`Composer` is the seam: the assistant is given one (`Assistant(..., composer=...)`) or builds the one
`AnswerSettings.composer` names from `COMPOSERS`. Another composer (an LLM behind claim verification)
is a class with the same `compose` plus one line in `COMPOSERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from indexer.errors import SettingsError
from indexer.settings import AnswerSettings, Settings
from indexer.terms import TermWeights, content_terms, matches
from indexer.text import normalize_space, strip_markers

from .types import Answer, Citation, Passage, UsedSentence

if TYPE_CHECKING:
    from .index import SearchIndex

NOT_COVERED = "The indexed guidelines do not cover this question."


class Composer(Protocol):
    def compose(self, question: str, query: str, passages: list[Passage], disclaimer: str) -> Answer:
        """An answer to `question` from `passages` (retrieved for `query`), citing them, or an abstention."""
        ...


def relevant(p: Passage, s: AnswerSettings) -> bool:
    """Whether a passage is evidence for the question, not just the nearest thing in the index."""
    return (
        (p.dense >= s.min_dense and p.overlap >= s.min_overlap)
        or p.dense >= s.strong_dense
        or p.overlap >= s.strong_overlap
    )


class ExtractiveComposer:
    def __init__(self, weights: TermWeights, settings: AnswerSettings | None = None) -> None:
        self.weights = weights
        self.settings = settings or AnswerSettings()

    def compose(self, question: str, query: str, passages: list[Passage], disclaimer: str) -> Answer:
        s = self.settings
        evidence = [p for p in passages if relevant(p, s)][: s.max_passages]
        if not evidence:
            return self._abstain(question, query, passages, disclaimer)

        chosen = self._choose(question, query, evidence)
        numbers: dict[str, int] = {}
        used: dict[str, list[UsedSentence]] = {}
        parts = []
        for *_, p, (a, b), text in chosen:
            n = numbers.setdefault(p.chunk_id, len(numbers) + 1)
            used.setdefault(p.chunk_id, []).append(UsedSentence(a, b, text))
            parts.append(f"{text} [{n}]")
        by_id = {p.chunk_id: p for p in evidence}
        citations = [Citation(n, by_id[cid], tuple(used[cid])) for cid, n in numbers.items()]
        return Answer(
            question=question,
            text=" ".join(parts),
            abstained=False,
            disclaimer=disclaimer,
            citations=citations,
            retrieved=passages,
            query=query,
        )

    def _choose(self, question: str, query: str, evidence: list[Passage]) -> list[tuple]:
        """Sentences that answer: all the top passage's pertinent ones, others' only when as pertinent.

        A sentence scores the idf of the question's terms it holds (its section heading counts as part of
        it), plus half that for terms borrowed from earlier turns. When some sentence holds a term of the
        question itself, sentences holding only borrowed terms are out: "And for premenopausal patients?"
        wants the premenopausal sentence, not every sentence about the earlier topic.
        """
        s = self.settings
        weights = self.weights
        asked = content_terms(question)
        borrowed = [t for t in content_terms(query) if t not in asked]
        candidates = []  # (score, holds an asked term, passage rank, position, passage, span, text)
        for rank, p in enumerate(evidence):
            heading = content_terms(" ".join(p.section[1:]))
            for pos, ((a, b), raw) in enumerate(zip(p.sentences, p.sentence_texts, strict=True)):
                text = normalize_space(strip_markers(raw))
                if len(text) < 3:
                    continue
                have = content_terms(text) + heading
                own = sum(weights.idf(t) for t in asked if matches(t, have))
                score = own + 0.5 * sum(weights.idf(t) for t in borrowed if matches(t, have))
                candidates.append((score, own > 0, rank, pos, p, (a, b), text))
        if any(c[1] for c in candidates):
            candidates = [c for c in candidates if c[1]]
        best = max((c[0] for c in candidates), default=0.0)
        if best <= 0:
            # Relevant passages whose sentences share no term with the question: lead with the best one.
            return [c for c in candidates if c[2] == 0][:1]
        keep = [c for c in candidates if c[0] >= (s.min_sentence_share if c[2] == 0 else s.other_passage_share) * best]
        chosen: list[tuple] = []
        for cand in sorted(keep, key=lambda c: (-c[0], c[2], c[3])):
            if len(chosen) == s.max_sentences:
                break
            if not any(_near_duplicate(cand[6], c[6]) for c in chosen):
                chosen.append(cand)
        # Readable order: by passage rank, then as the sentences stand in their passage.
        return sorted(chosen, key=lambda c: (c[2], c[3]))

    def _abstain(self, question: str, query: str, passages: list[Passage], disclaimer: str) -> Answer:
        s = self.settings
        if passages:
            best = max(passages, key=lambda p: p.dense)
            reason = (
                f"the closest passage (similarity {best.dense:.2f}, {best.overlap:.0%} of the question's terms) "
                f"is below the evidence threshold (similarity {s.min_dense:.2f} with {s.min_overlap:.0%} of the "
                f"terms, similarity {s.strong_dense:.2f} alone, or {s.strong_overlap:.0%} of the terms alone)"
            )
        else:
            reason = "no passage in the index matched the question"
        return Answer(
            question=question,
            text=NOT_COVERED,
            abstained=True,
            disclaimer=disclaimer,
            retrieved=passages,
            reason=reason,
            query=query,
        )


def _near_duplicate(a: str, b: str, threshold: float = 0.8) -> bool:
    ta, tb = set(content_terms(a)), set(content_terms(b))
    if not ta or not tb:
        return a == b
    return len(ta & tb) / len(ta | tb) >= threshold


COMPOSERS: dict[str, Callable[[SearchIndex, Settings], Composer]] = {
    "extractive": lambda index, settings: ExtractiveComposer(index.weights, settings.answer),
}


def make_composer(index: SearchIndex, settings: Settings) -> Composer:
    name = settings.answer.composer
    try:
        factory = COMPOSERS[name]
    except KeyError:
        raise SettingsError(f"unknown composer {name!r}; choose from {', '.join(sorted(COMPOSERS))}") from None
    return factory(index, settings)
