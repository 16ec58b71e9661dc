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
# How far before a full stop the splitter looks for the word that decides it: a fixed window keeps
# splitting linear however long a run of non-splitting stops ("A. B. C. ...") gets.
_LOOKBACK = 40
# Matched against the look-back window reversed, so it anchors at the full stop instead of trying every start
# position: the word before the stop (group 1) and, when only whitespace separates them, the word before it.
_REVERSED_TAIL_RE = re.compile(r"([\w.]+)(?:\s+([\w.]+))?")
# Never end a sentence: titles before a name, Latin connectives, "et al.", "U.S.".
_NEVER_FINAL = {"e.g", "i.e", "vs", "cf", "al", "dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "u.s", "dept"}
# Introduce a number ("Fig. 2", "No. 3", "approx. 5", "p. 12"): they end a sentence unless a number follows,
# so "Is surgery needed? No. The risk ..." still splits.
_BEFORE_NUMBER = {"fig", "figs", "no", "nos", "ref", "refs", "vol", "p", "pp", "approx", "ca", "max"}
_NUMBER_NEXT_RE = re.compile(r"[\"“(\[]?[A-Z]?\d")
# Nouns that take a single-letter label: "vitamin D", "hepatitis B", "type A", "phase I".
_LABELLED_NOUNS = {
    "vitamin",
    "hepatitis",
    "type",
    "subtype",
    "serotype",
    "strain",
    "group",
    "stage",
    "grade",
    "factor",
    "class",
    "phase",
    "category",
    "protein",
    "schedule",
    "arm",
    "cohort",
    "level",
    "step",
    "part",
    "appendix",
    "table",
    "figure",
    "lead",
    "zone",
    "tier",
    "option",
    "regimen",
    "drug",
    "patient",
    "influenza",
    "haemophilia",
    "hemophilia",
    "immunoglobulin",
}


def parse_markers(text: str) -> tuple[int, ...]:
    """All citation numbers in the markers of `text`, in order of first appearance, ranges expanded."""
    seen: dict[int, None] = {}
    for m in MARKER_RE.finditer(text):
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2 and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 50:
                numbers: list[int] = list(range(int(bounds[0]), int(bounds[1]) + 1))
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
        if text[m.start()] == "." and not _full_stop_ends_sentence(text, max(cursor, m.start() - _LOOKBACK), m):
            continue
        stop = m.end() - (len(m.group(0)) - len(m.group(0).rstrip()))
        spans.append(_sentence(text, cursor, stop))
        cursor = m.end()
    if text[cursor:end].strip():
        spans.append(_sentence(text, cursor, end))
    return spans


def _full_stop_ends_sentence(text: str, lookback: int, boundary: re.Match[str]) -> bool:
    """Whether the full stop that `boundary` starts at ends a sentence rather than an abbreviation or an initial.

    A single capital letter ends a sentence after a labelled noun or a number ("vitamin D. Supplement",
    "stage 2 B. The") and is an initial anywhere else ("J. Smith", "A. B. Jones et al."). Every other word
    ends a sentence as an ordinary word does: units, routes and dosing frequencies ("Give 4 mg/kg IV. Then",
    "every 8 h. Check", "5 mg q.d. Monitor"), and words that often close one ("fever, rash, etc. Then").
    """
    tail = _REVERSED_TAIL_RE.match(text[lookback : boundary.start()][::-1])
    if tail is None:  # a closing bracket or quote before the stop: "orally (PO). Check"
        return True
    word = tail.group(1)[::-1]
    low = word.lower()
    if low in _NEVER_FINAL:
        return False
    if low in _BEFORE_NUMBER:
        return not _NUMBER_NEXT_RE.match(text, boundary.end())
    if len(word) == 1 and word.isalpha() and word.isupper():
        before = (tail.group(2) or "")[::-1]
        return before.lower() in _LABELLED_NOUNS or before.isdigit()
    return True


def _sentence(text: str, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end, parse_markers(text[start:end]))


# Document ids become file-like keys, URL fragments, citation and qrels ids: one rule for every format.
DOCUMENT_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
DOCUMENT_ID_RULE = "must be letters, digits, '-', '_' or '.' (at most 128, starting with a letter or digit)"


def valid_document_id(doc_id: str) -> bool:
    return DOCUMENT_ID_RE.fullmatch(doc_id) is not None


# C0 and C1 control characters but newline and tab: in a terminal they begin escape sequences (colours,
# cursor moves, window titles, hyperlinks, a cleared screen) that corpus text or a file name must not send.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """`text` with its control characters written out as escapes (`\\x1b`): safe to print to a terminal."""
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def slug(text: str, max_len: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(s) > max_len:
        cut = s[: max_len + 1].rsplit("-", 1)[0]
        s = cut if len(cut) >= max_len // 2 else s[:max_len]
    return s.strip("-") or "untitled"
