"""Cut documents into passages: whole sentences of one section, within the embedding model's token budget."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

from .model import Chunk, Document, Heading, Section, Sentence
from .settings import ChunkSettings
from .text import normalize_space, split_sentences, strip_markers

# Counts word pieces for a batch of texts, special tokens excluded.
TokenCounter = Callable[[Sequence[str]], list[int]]
SPECIAL_TOKENS = 2  # [CLS] and [SEP]
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^)]+)\)")


def plain(text: str) -> str:
    """What the model and the keyword index read: markers, emphasis and link targets removed."""
    return normalize_space(_EMPHASIS.sub("", _LINK.sub(r"\1", strip_markers(text))))


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def heading_context(doc: Document, section: Section, settings: ChunkSettings) -> str:
    parts = section.path if settings.include_headings else section.path[:1]
    return " > ".join(p for p in parts if p)


def section_headings(documents: Sequence[Document], chunks: Sequence[Chunk]) -> list[Heading]:
    """The heading path of every section that has passages, in passage order.

    A heading asks or names what its section answers (MedQuAD's are the questions themselves), so the
    heading channel matches a question to it directly, whatever the passages' wording.
    """
    with_chunks = dict.fromkeys(c.section_id for c in chunks)
    sections = {s.id: s for d in documents for s in d.sections}
    return [Heading(sid, " > ".join(p for p in sections[sid].path if p)) for sid in with_chunks]


def chunk_document(doc: Document, count_tokens: TokenCounter, settings: ChunkSettings) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in doc.sections:
        if section.blocks:
            chunks.extend(_chunk_section(doc, section, count_tokens, settings))
    return chunks


def _chunk_section(doc: Document, section: Section, count_tokens: TokenCounter, settings: ChunkSettings) -> list[Chunk]:
    context = heading_context(doc, section, settings)
    sentences = [s for b in section.blocks for s in split_sentences(doc.text, b.start, b.end)]
    counts = count_tokens([context] + [plain(doc.text[s.start : s.end]) for s in sentences])
    context_tokens, counts = counts[0], counts[1:]
    if context_tokens > settings.max_tokens // 2:
        # A pathological heading path must not starve the passage itself; keep the document title only.
        context = section.path[0][:200]
        context_tokens = count_tokens([context])[0]
    budget = settings.max_tokens - SPECIAL_TOKENS - context_tokens
    units: list[tuple[Sentence, int]] = []
    for sentence, n in zip(sentences, counts, strict=True):
        if n <= budget:
            units.append((sentence, n))
        else:
            units.extend(_split_long(doc.text, sentence, count_tokens, budget))

    groups: list[list[tuple[Sentence, int]]] = []
    current: list[tuple[Sentence, int]] = []
    used = 0
    for unit in units:
        if current and used + unit[1] > budget:
            groups.append(current)
            carried = current[-settings.overlap_sentences :] if settings.overlap_sentences else []
            carried_tokens = sum(n for _, n in carried)
            if carried_tokens + unit[1] > budget or carried_tokens > budget // 2:
                carried, carried_tokens = [], 0
            current, used = list(carried), carried_tokens
        current.append(unit)
        used += unit[1]
    if current:
        groups.append(current)

    chunks = []
    for k, group in enumerate(groups):
        spans = tuple((s.start, s.end) for s, _ in group)
        text = " ".join(normalize_space(doc.text[a:b]) for a, b in spans)
        citations: dict[int, None] = {}
        for s, _ in group:
            for n in s.citations:
                citations.setdefault(n, None)
        chunks.append(
            Chunk(
                id=f"{section.id}#{k}",
                doc_id=doc.id,
                section_id=section.id,
                ord=k,
                text=text,
                embed_text=f"{context}\n{plain(text)}",
                start=spans[0][0],
                end=spans[-1][1],
                sentences=spans,
                citations=tuple(citations),
                n_tokens=context_tokens + sum(n for _, n in group) + SPECIAL_TOKENS,
            )
        )
    return chunks


def _split_long(text: str, sentence: Sentence, count_tokens: TokenCounter, budget: int) -> list[tuple[Sentence, int]]:
    """A sentence longer than the whole budget, cut at word boundaries: the one case a sentence splits."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[sentence.start : sentence.end])]
    counts = count_tokens([plain(text[sentence.start + a : sentence.start + b]) or "x" for a, b in words])
    pieces: list[tuple[Sentence, int]] = []
    first, used = 0, 0
    for i, n in enumerate(counts):
        if i > first and used + n > budget:
            pieces.append(_piece(sentence, words, first, i - 1, used))
            first, used = i, 0
        used += n
    pieces.append(_piece(sentence, words, first, len(words) - 1, used))
    return pieces


def _piece(sentence: Sentence, words: list[tuple[int, int]], i: int, j: int, n: int) -> tuple[Sentence, int]:
    return Sentence(sentence.start + words[i][0], sentence.start + words[j][1], sentence.citations), n
