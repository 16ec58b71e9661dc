"""One question in, one cited answer out: validate, resolve follow-ups, retrieve, compose."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from indexer.settings import LLMSettings, Settings
from indexer.terms import content_terms

from .compose import Composer, make_composer
from .converse import Resolution, names_before_pointing, resolve_conversation, topic_vocabulary
from .errors import QuestionRejected, UnknownArticle
from .index import SearchIndex
from .render import section_question
from .rerank import Reranker
from .retrieve import Retriever
from .types import Answer, Request
from .understand import Understanding, Understood
from .verify import Verifier

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_question(question: object, max_chars: int) -> str:
    """The question, stripped; QuestionRejected with the reason otherwise."""
    if not isinstance(question, str) or not question.strip():
        raise QuestionRejected("the question is empty; type a question about the guidelines")
    if len(question) > max_chars:
        raise QuestionRejected(
            f"the question is {len(question):,} characters long; the limit is {max_chars:,}. Ask about one point."
        )
    try:
        question.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QuestionRejected(
            f"the question contains a character that is not valid text (U+{ord(question[exc.start]):04X}) "
            f"at position {exc.start + 1}"
        ) from None
    bad = _CONTROL.search(question)
    if bad:
        raise QuestionRejected(
            f"the question contains a control character (U+{ord(bad.group()):04X}) at position {bad.start() + 1}"
        )
    return question.strip()


class Assistant:
    """Model and index loaded once; `ask` is safe to call from several threads.

    The vector store comes with the index (its manifest names it); the reranker and the composer are
    injected, or built from the names in the settings.
    """

    def __init__(
        self,
        index_dir: Path | None = None,
        settings: Settings | None = None,
        *,
        embedder=None,
        reranker: Reranker | None = None,
        composer: Composer | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.index = SearchIndex(index_dir or self.settings.index, embedder=embedder, precision=self.settings.precision)
        self.retriever = Retriever(self.index, self.settings.retrieval, reranker=reranker)
        self.composer = composer if composer is not None else make_composer(self.index, self.settings)
        self.rewriter = None
        if self.settings.llm.rewrite_followups and not self.settings.llm.problem():
            from .llm import QueryRewriter

            self.rewriter = QueryRewriter(self.settings.llm)
        self.understanding = Understanding(self.index.vocabulary, self.index.weights)
        self.topics = topic_vocabulary(self.index.topic_names())
        # What makes a question self-contained: a topic, or any word of the corpus rare in general English.
        self.subjects = self.topics | frozenset(self.index.domain_words())
        self._suggested: dict[tuple[str, int], list[str]] = {}
        self._rephrased: dict[tuple[str, str | None], str | None] = {}
        self.vocabulary_terms = self.index.drug_terms()

    def verifier(self, llm: LLMSettings | None = None) -> Verifier:
        """A claim verifier on this index's terms and model, with `llm`'s thresholds (default: the settings')."""
        return Verifier.for_index(self.index, llm or self.settings.llm)

    def resolve(
        self,
        question: str,
        history: Sequence[str] = (),
        understood: Understood | None = None,
        earlier: Sequence[Understood] | None = None,
    ) -> Resolution:
        """How `question` is read after `history`: spelling and vocabulary first, then follow-up or new topic.

        `understood` and `earlier`, when given, are `self.understanding` of the question and of each earlier
        turn, already computed by the caller.
        """

        def turn(u: Understood) -> tuple[str, str]:
            return u.corrected, u.text

        current = understood or self.understanding(question.strip())
        if earlier is None:
            earlier = [self.understanding(h.strip()) for h in history]
        resolution = resolve_conversation(
            turn(current), [turn(u) for u in earlier], self.settings.retrieval.history_turns, self.subjects
        )
        if resolution.of is not None and history:
            resolution = replace(resolution, of=history[-1].strip())  # as the clinician typed it
        return resolution

    def query_for(self, question: str, history: Sequence[str] = ()) -> str:
        return self.resolve(question, history).query

    def suggested_questions(self, article: str, limit: int = 4) -> list[str]:
        """Questions on the article's sections that this assistant answers from that very section, in the
        article's order: a suggestion is never refused or answered from elsewhere. Checked on first use
        per article (one `ask` per section until `limit` pass) and kept."""
        key = (article, limit)
        if key not in self._suggested:
            out = []
            for section in self.index.sections(article):
                question = section_question(section)
                if question is None:
                    continue
                answer = self.ask(question, [], article)
                if not answer.abstained and answer.citations[0].passage.section_id == section["id"]:
                    out.append(question)
                    if len(out) == limit:
                        break
            self._suggested[key] = out
        return self._suggested[key]

    def rephrasing(self, question: str, answer: Answer, article: str | None) -> str | None:
        """For a question refused because it names terms no indexed passage holds ("... with denosumab"): the
        question without them, when this assistant answers that (the part the guidelines cover); else None.
        The clinician sees which terms were left out and chooses whether to ask it. A term the corpus does
        hold ("trastuzumab in pregnancy": nothing says both) is never left out: the question without it
        would be another question, answered as if it were this one."""
        words = [w for term in answer.missing for w in content_terms(term)]
        if not answer.abstained or not words or any(self.index.weights.knows(w) for w in words):
            return None
        key = (question, article)
        if key not in self._rephrased:
            shorter = without_terms(question, answer.missing)
            if shorter is not None and self.ask(shorter, [], article).abstained:
                shorter = None
            self._rephrased[key] = shorter
        return self._rephrased[key]

    def check_article(self, article: str | None) -> None:
        if article is not None and self.index.documents.get(article, {}).get("kind") != "article":
            known = ", ".join(d["id"] for d in self.index.articles[:10])
            raise UnknownArticle(f"no article with id {article!r} in {self.index.path} (articles: {known})")

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        article: str | None = None,
        *,
        query_vector=None,
        composer: Composer | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer `question`; `query_vector`, when given, must embed `self.query_for(question, history)`.

        `composer` replaces the assistant's own for this question (the app's choice of answers). `on_text`,
        for a composer that writes (the LLM composer), is called with its unverified text so far, for
        progress only; the answer returned is what passed verification."""
        started = time.perf_counter()
        question = check_question(question, self.settings.answer.max_question_chars)
        history = [check_question(h, self.settings.answer.max_question_chars) for h in history]
        self.check_article(article)
        understood = self.understanding(question)
        earlier = [self.understanding(h) for h in history]
        resolution = self.resolve(question, history, understood, earlier)
        turns = self.settings.retrieval.history_turns
        rewritten: dict[str, str] = {}
        if self.rewriter is not None and resolution.followup and history:
            text, why = self.rewriter.rewrite(question, history[-turns:] if turns else history[-1:])
            rewritten = {"rewritten": text} if text else {"rewrite_refused": why}
            if text:
                resolution = replace(resolution, query=text)
                query_vector = None  # the caller's vector embeds the query before rewriting
        found = self.retriever.search(resolution.query, article=article, query_vector=query_vector)
        t = time.perf_counter()
        alternatives = understood.alternatives()
        request = Request(
            question=question,
            corrected=understood.corrected,
            text=understood.text,
            query=resolution.query,
            alternatives=alternatives,
            borrowed_topics=tuple(b for b in resolution.borrowed if b in self.topics),
            # "does that add anything?" points back, unless the question named "that" itself first
            refers_back=resolution.reason == "pronoun"
            and not names_before_pointing(understood.corrected, lambda t: t in self.topics or t in alternatives),
            subject=resolution.subject,
            context=tuple(u.text for u in earlier[-turns:]) if resolution.followup and turns else (),
            topics=self.topics,
            vocabulary_terms=self.vocabulary_terms,
            article=article,
            # Sentences are ranked against the question itself: a follow-up's borrowed words would pull
            # the earlier topic's sentences ahead of the one that answers it.
            vector=self.index.embedder.encode([understood.text])[0] if resolution.followup else found.query_vector,
            query_vector=found.query_vector if resolution.followup else None,
        )
        chosen: Any = composer or self.composer
        if on_text is not None and getattr(chosen, "writes", False):
            answer = chosen.compose(request, found.passages, self.settings.disclaimer, on_text=on_text)
        else:
            answer = chosen.compose(request, found.passages, self.settings.disclaimer)
        answer.understood = understood.as_dict()
        answer.conversation = resolution.as_dict() | rewritten
        answer.timings_ms = {
            **found.timings_ms,
            "compose": (time.perf_counter() - t) * 1000,
            "total": (time.perf_counter() - started) * 1000,
        }
        return answer


_JOINS = "with|without|and|or|plus|vs|versus"
# Words that cannot begin or end a question once a term is taken out ("... treatment with" -> "... treatment").
_DANGLING = frozenset("a an and or of for with without on in about to the by plus than vs versus".split())


def without_terms(question: str, terms: Sequence[str]) -> str | None:
    """The question with each term (a word or phrase, any case) taken out and the words left dangling at
    its ends dropped; None when nothing was taken out or fewer than two content words would remain."""
    text = question
    for term in terms:
        # with the word joining it to the rest: "trastuzumab with pertuzumab for ..." -> "trastuzumab for ..."
        word = re.escape(term)
        joined = rf"(?i)\b(?:{_JOINS})\s+(?:the\s+)?{word}(?!\w)|(?<!\w){word}\s+(?:{_JOINS})\b"
        text = re.sub(joined, " ", text, count=1)
        text = re.sub(rf"(?i)(?<!\w){re.escape(term)}(?!\w)", " ", text)
    words = text.replace("?", " ").split()
    while words and words[-1].lower().strip(",;:") in _DANGLING:
        words.pop()
    while words and words[0].lower() in _DANGLING:
        words.pop(0)
    shorter = " ".join(words).strip(" ,;:")
    if text == question or len(content_terms(shorter)) < 2:
        return None
    return shorter + ("?" if question.rstrip().endswith("?") else "")
