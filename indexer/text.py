"""Text primitives shared by the parsers and the chunker: sentence spans, citation markers, slugs."""

from __future__ import annotations

import re
import unicodedata

from .model import Sentence

# [1], [1, 2], [3-5], [3–5]
MARKER_RE = re.compile(r"\[(\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\]")
_MARKER_WITH_SPACE_RE = re.compile(r"\s*" + MARKER_RE.pattern)
# A sentence ends at . ! or ?, optionally followed by closing quotes or brackets and by citation
# markers, then whitespace and a plausible sentence start.
_BOUNDARY_RE = re.compile(r"[.!?][\"'”’)\]]*(?:\s*\[\d[\d,;\s–-]*\])*\s+(?!\[\d[\d,;\s–-]*\])(?=[\"“(\[]?[A-Z0-9≥≤<>])")
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "vs",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "fig",
    "figs",
    "al",
    "approx",
    "no",
    "nos",
    "st",
    "etc",
    "cf",
    "ref",
    "refs",
    "vol",
    "p",
    "pp",
    "ca",
    "inc",
    "ltd",
    "co",
    "jr",
    "sr",
    "u.s",
    "dept",
    "min",
    "max",
    "mg",
    "mcg",
    "kg",
    "ml",
    "iv",
    "im",
    "sc",
    "po",
    "bid",
    "tid",
    "qid",
}


def parse_markers(text: str) -> tuple[int, ...]:
    """All citation numbers in the markers of `text`, in order of first appearance, ranges expanded."""
    seen: dict[int, None] = {}
    for m in MARKER_RE.finditer(text):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2 and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 50:
                numbers = range(int(bounds[0]), int(bounds[1]) + 1)
            else:
                numbers = [int(b) for b in bounds]
            for n in numbers:
                seen.setdefault(n, None)
    return tuple(seen)


def strip_markers(text: str) -> str:
    return re.sub(r"\s{2,}", " ", _MARKER_WITH_SPACE_RE.sub("", text)).strip()


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Sentence spans of text[start:end]; citation markers stay with the sentence they follow."""
    end = len(text) if end is None else end
    spans: list[Sentence] = []
    cursor = start
    for m in _BOUNDARY_RE.finditer(text, start, end):
        word = re.search(r"([\w.]+)$", text[cursor : m.start()])
        if word:
            token = word.group(1).lower()
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        stop = m.end() - (len(m.group(0)) - len(m.group(0).rstrip()))
        spans.append(_sentence(text, cursor, stop))
        cursor = m.end()
    if text[cursor:end].strip():
        spans.append(_sentence(text, cursor, end))
    return spans


def _sentence(text: str, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, parse_markers(text[start:end]))


def slug(text: str, max_len: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(s) > max_len:
        cut = s[: max_len + 1].rsplit("-", 1)[0]
        s = cut if len(cut) >= max_len // 2 else s[:max_len]
    return s.strip("-") or "untitled"
