"""Fluent answers from an OpenAI-compatible chat model, each claim verified against its cited passage.

The model sees the evidence passages labelled [S1], [S2], ... (prompts/answer.md, versioned) and writes
short sentences ending with those labels. Its reply is split into claims (our sentence splitter); each is
checked by `Verifier` and dropped, with its reason, when a check fails. What remains is the answer when it
still answers the question (the coverage test the extractive composer applies to evidence); otherwise,
and whenever the endpoint is slow, failing, unreachable or its reply malformed, the extractive answer is
shown with a one-line note. Nothing the model wrote reaches the answer unverified. docs/llm.md.

LangChain's `ChatOpenAI` is the edge to the endpoint (no tokenizer is loaded: nothing here counts tokens).
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.settings import LLMSettings
from indexer.terms import content_terms, matches
from indexer.text import normalize_space, split_sentences, strip_markers

from .compose import ExtractiveComposer, _words_for
from .types import Answer, Citation, Passage, Request, UsedSentence
from .verify import REASONS, Verdict, Verifier

PROMPT_FILE = Path(__file__).with_name("prompts") / "answer.md"
REWRITE_FILE = Path(__file__).with_name("prompts") / "rewrite.md"
NO_ANSWER = "NO_ANSWER"
# "[S1]", "[S1, S3]", "[S1][S3]" -> the article-marker form the sentence splitter keeps with its sentence.
_LABELS_RE = re.compile(r"\[\s*S(\d{1,3})((?:\s*[,;]\s*S?\d{1,3})*)\s*\]", re.I)
_BULLET_RE = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+", re.M)


@dataclass(frozen=True)
class Prompt:
    version: str
    system: str
    user: str  # with {question}, {query} and {passages}


def load_prompt(path: Path = PROMPT_FILE) -> Prompt:
    """A prompt file: its `version:` line, its `## system` and `## user` sections (the user template's
    {placeholders} filled by the caller)."""
    text = path.read_text(encoding="utf-8")
    version = re.search(r"^version:\s*(\S+)", text, re.M)
    parts = re.split(r"^## (system|user)\s*$", text, flags=re.M)
    sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
    if version is None or set(sections) != {"system", "user"}:
        raise ValueError(f"{path}: needs a 'version:' line and '## system' and '## user' sections")
    return Prompt(version.group(1), sections["system"], sections["user"])


def passage_block(passages: Sequence[Passage]) -> str:
    """The passages as the model sees them: label, section path, text without the article's own markers."""
    return "\n\n".join(
        f"[S{i}] {' > '.join(p.section)}\n{normalize_space(strip_markers(p.text))}" for i, p in enumerate(passages, 1)
    )


def parse_claims(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """The model's reply as claims: each sentence without its labels, and the labels it ends with."""
    text = _BULLET_RE.sub("", text)
    text = _LABELS_RE.sub(lambda m: "[" + ", ".join(re.findall(r"\d+", m.group(0))) + "]", text)
    text = normalize_space(text)
    # A label after the full stop ("... weekly. [S1]") belongs to the sentence before it.
    out = []
    for s in split_sentences(text):
        claim = strip_markers(text[s.start : s.end])
        if claim.strip(" .") and re.search(r"[A-Za-z]", claim):
            out.append((claim, s.citations))
    return out


class Unusable(Exception):
    """The endpoint gave no usable reply; the message says why, in a few words."""


class LLMComposer:
    """The `Composer` for an OpenAI-compatible endpoint; the extractive composer is its fallback."""

    writes = True  # it streams text of its own while composing (Assistant.ask's `on_text`)

    def __init__(
        self,
        extractive: ExtractiveComposer,
        verifier: Verifier,
        settings: LLMSettings,
        max_passages: int,
        *,
        chat: Any = None,
        prompt: Prompt | None = None,
    ) -> None:
        if not settings.url or not settings.model:
            raise ValueError("the llm composer needs GUIDELINE_QA_LLM_URL and GUIDELINE_QA_LLM_MODEL")
        self.extractive = extractive
        self.verifier = verifier
        self.settings = settings
        self.max_passages = max_passages
        self.prompt = prompt or load_prompt()
        self.chat = chat if chat is not None else chat_model(settings)

    def compose(
        self,
        request: Request,
        passages: list[Passage],
        disclaimer: str,
        on_text: Callable[[str], None] | None = None,
    ) -> Answer:
        """The verified answer, or the extractive one with a note; `on_text`, when given, is called with the
        model's text so far while it writes (for progress only: it is not the answer)."""
        timings: dict[str, float] = {}
        t = time.perf_counter()
        fallback = self.extractive.compose(request, passages, disclaimer)
        timings["extractive_ms"] = _ms(t)
        stats: dict[str, Any] = {"prompt_version": self.prompt.version, "model": self.settings.model}
        if fallback.abstained:  # no evidence: nothing for the model to say that we could verify
            fallback.verification = stats | {"skipped": "no passage is evidence", "timings_ms": timings}
            return fallback
        given = _evidence(fallback, passages, self.max_passages)
        messages = [
            ("system", self.prompt.system),
            (
                "human",
                self.prompt.user.format(question=request.question, query=request.query, passages=passage_block(given)),
            ),
        ]
        t = time.perf_counter()
        try:
            reply = complete(self.chat, messages, self.settings, on_text)
        except Unusable as exc:
            timings["generate_ms"] = _ms(t)
            return _fall_back(fallback, f"The model's answer is not shown ({exc}).", stats, timings)
        timings["generate_ms"] = _ms(t)
        if reply.strip().strip(".").upper() == NO_ANSWER:
            return _fall_back(fallback, "The model found no answer in the passages.", stats, timings)
        claims = parse_claims(reply)
        if not claims or not any(sources for _, sources in claims):
            why = "it was empty" if not claims else "no sentence of it cited a passage"
            return _fall_back(fallback, f"The model's answer is not shown ({why}).", stats, timings)
        t = time.perf_counter()
        verdicts = self.verifier.verify(claims, given)
        timings["verify_ms"] = _ms(t)
        kept = [v for v in verdicts if v.kept]
        stats |= {
            "claims": len(verdicts),
            "kept": len(kept),
            "dropped_by_reason": {r: sum(v.reasons[:1] == [r] for v in verdicts) for r in REASONS},
        }
        dropped = [v.as_dict() for v in verdicts if not v.kept]
        texts = [v.text for v in kept] + [" ".join(given[v.passage].section) for v in kept if v.passage is not None]
        if not kept or not self.extractive.answers(request, texts):
            note = (
                f"None of the model's {len(verdicts)} statements could be verified against the passages."
                if not kept
                else "What the model wrote that could be verified does not answer the question."
            )
            answer = _fall_back(fallback, note, stats, timings)
            answer.dropped = dropped
            return answer
        answer = _verified_answer(request, passages, given, kept, disclaimer)
        answer.composer = "llm"
        answer.dropped = dropped
        answer.verification = stats | {"timings_ms": timings}
        return answer


def complete(
    chat: Any, messages: list[tuple[str, str]], settings: LLMSettings, on_text: Callable[[str], None] | None = None
) -> str:
    """The model's reply within `settings.timeout`; `Unusable` otherwise. The call runs in a worker thread
    so that a stalled endpoint costs at most the timeout; `on_text` (streaming) is called on this thread."""
    timeout = settings.timeout
    deadline = time.monotonic() + timeout
    out: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        try:
            if on_text is None:
                out.put(("done", chat.invoke(messages).content))
                return
            for chunk in chat.stream(messages):
                out.put(("chunk", chunk.content))
            out.put(("done", None))
        except Exception as exc:  # reported on the caller's thread, as a reason
            out.put(("error", exc))

    threading.Thread(target=work, name="llm-call", daemon=True).start()
    parts: list[str] = []
    while True:
        try:
            kind, value = out.get(timeout=max(deadline - time.monotonic(), 0.0))
        except queue.Empty:
            raise Unusable(_too_slow(timeout)) from None
        if kind == "error":
            raise Unusable(_why(value, settings)) from None
        if value is not None and not isinstance(value, str):
            raise Unusable("the reply was not text")
        if kind == "chunk":
            parts.append(value or "")
            if on_text is not None:
                on_text("".join(parts))
            continue
        return value if value is not None else "".join(parts)


class QueryRewriter:
    """Rewrites an elliptical follow-up into a standalone query with the model (prompts/rewrite.md). A
    rewrite that drops a term of the question, runs long or spans lines is refused; so is any failure of the
    endpoint. Either way the conversation's own reading (converse.py) stands."""

    def __init__(self, settings: LLMSettings, *, chat: Any = None, prompt: Prompt | None = None) -> None:
        self.settings = settings
        self.prompt = prompt or load_prompt(REWRITE_FILE)
        self.chat = chat if chat is not None else chat_model(settings)

    def rewrite(self, question: str, earlier: Sequence[str]) -> tuple[str | None, str]:
        """(the standalone query, "") or (None, why it is not used)."""
        history = "\n".join(f"- {q}" for q in earlier)
        user = self.prompt.user.format(history=history, question=question)
        messages = [("system", self.prompt.system), ("human", user)]
        try:
            text = complete(self.chat, messages, self.settings).strip().strip('"“”')
        except Unusable as exc:
            return None, str(exc)
        if not text or "\n" in text or len(text) > 3 * len(question) + 200:
            return None, "the rewrite was not one short line"
        have = content_terms(text)
        lost = [t for t in content_terms(question) if not matches(t, have)]
        if lost:
            return None, f"the rewrite dropped the question's own words ({', '.join(_words_for(question, lost))})"
        return text, ""


def chat_model(settings: LLMSettings):
    """LangChain's ChatOpenAI on the configured endpoint: no retries (the timeout bounds the whole wait),
    temperature 0, the key only when one is set (local servers ask for none)."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.model or "",
        base_url=settings.url,
        api_key=settings.api_key or "none",  # type: ignore[arg-type]  # a str is wrapped in SecretStr
        timeout=settings.timeout,
        max_retries=0,
        temperature=0,
        max_tokens=settings.max_tokens,  # type: ignore[call-arg]
    )


def _too_slow(timeout: float) -> str:
    return f"no complete answer within {timeout:g} s"


def _why(exc: BaseException, settings: LLMSettings) -> str:
    """A few words on an endpoint failure; never the key, never a traceback. The client's own timeout
    (set to the same limit) and the caller's deadline race: either way the reason reads the same."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return _too_slow(settings.timeout)
    if isinstance(exc, openai.APIConnectionError):
        return f"the endpoint {settings.url or ''} cannot be reached"
    if isinstance(exc, openai.APIStatusError):
        return f"the endpoint answered HTTP {exc.status_code}"
    return f"the endpoint's reply was not a chat completion ({type(exc).__name__})"


def _evidence(fallback: Answer, passages: list[Passage], limit: int) -> list[Passage]:
    """The passages the model is given: those the extractive answer cites, then the rest in retrieval order."""
    seen: dict[str, Passage] = {c.passage.chunk_id: c.passage for c in fallback.citations}
    for p in passages:
        seen.setdefault(p.chunk_id, p)
    return list(seen.values())[: max(limit, len(fallback.citations))]


def _verified_answer(
    request: Request, passages: list[Passage], given: list[Passage], kept: list[Verdict], disclaimer: str
) -> Answer:
    """The kept claims, each cited by the passage of its best sentence (numbered in order of first use),
    each citation showing the sentences the claims were checked against."""
    numbers: dict[int, int] = {}
    used: dict[int, list[UsedSentence]] = {}
    claims: list[tuple[str, int | None]] = []
    for v in kept:
        assert v.passage is not None and v.sentence is not None  # a kept claim was checked against one
        p = given[v.passage]
        n = numbers.setdefault(v.passage, len(numbers) + 1)
        start, end = p.sentences[v.sentence]
        sentence = UsedSentence(start, end, normalize_space(strip_markers(p.sentence_texts[v.sentence])))
        if sentence not in used.setdefault(v.passage, []):
            used[v.passage].append(sentence)
        claims.append((v.text, n))
    return Answer(
        question=request.question,
        text=" ".join(f"{t} [{n}]" for t, n in claims),
        claims=claims,
        abstained=False,
        disclaimer=disclaimer,
        citations=[Citation(n, given[i], tuple(used[i])) for i, n in numbers.items()],
        retrieved=passages,
        query=request.query,
    )


def _fall_back(answer: Answer, note: str, stats: dict, timings: dict[str, float]) -> Answer:
    answer.note = f"{note} The answer below is quoted from the guidelines."
    answer.verification = stats | {"fallback": True, "timings_ms": timings}
    return answer


def _ms(t: float) -> float:
    return round((time.perf_counter() - t) * 1000, 2)
