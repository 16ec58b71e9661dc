"""The query vocabulary: abbreviations, synonyms and drug classes, from `vocabulary.yaml` at a corpus root
plus class patterns found in the corpus itself. Built into the index, used by the assistant to expand
questions (assistant/understand.py); the format is in corpus/README.md."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import safeyaml
from .errors import VocabularyError
from .model import Document

FILENAME = "vocabulary.yaml"
MAX_BYTES = 1_000_000  # a vocabulary is a hand-kept list; anything bigger is not one
MAX_NESTING = 5  # sections, then lists or mappings of words: no vocabulary nests deeper
MAX_ENTRY_CHARS = 200  # a term or expansion is a word or phrase
SECTIONS = ("abbreviations", "lay", "synonyms", "classes")
KINDS = ("abbreviation", "lay", "synonym", "class", "member")


@dataclass(frozen=True)
class Entry:
    """`term` (lower-case, as a clinician may type it) also means `expansion`."""

    term: str
    expansion: str
    # abbreviation: term stands for expansion; lay: a lay word for the corpus's clinical one; synonym: same
    # meaning; class: expansion is one of its members; member: expansion is its class
    kind: str
    source: str  # "vocabulary.yaml" or the document id a pattern was found in


def vocabulary_files(roots: Sequence[Path]) -> list[Path]:
    """Whatever stands at each root's vocabulary.yaml, file or not: a FIFO, a directory or a dangling link
    there is reported (and stops the build), never taken for "no vocabulary"."""
    return [root / FILENAME for root in roots if root.is_dir() and os.path.lexists(root / FILENAME)]


def load_vocabulary(path: Path, data: bytes) -> list[Entry]:
    """Entries of one vocabulary file; VocabularyError naming the file (and line) when it is not one."""
    if len(data) > MAX_BYTES:
        raise VocabularyError(path, f"vocabulary is {len(data):,} bytes, the limit is {MAX_BYTES:,}")
    try:
        text = data.decode("utf-8")
        raw = safeyaml.load(text, max_alias_nodes=0, max_nesting=MAX_NESTING) or {}
    except UnicodeDecodeError as exc:
        at = data.count(b"\n", 0, exc.start) + 1
        raise VocabularyError(path, f"not UTF-8 ({exc.reason} at byte {exc.start})", at) from None
    except yaml.YAMLError as exc:
        line, problem = safeyaml.describe(exc)
        raise VocabularyError(path, f"not valid YAML ({problem})", line) from None
    unknown = sorted(set(raw) - set(SECTIONS), key=str) if isinstance(raw, dict) else [raw]
    if unknown or not isinstance(raw, dict):
        raise VocabularyError(
            path,
            f"expected the sections {', '.join(SECTIONS)} (see corpus/README.md), found {_shown(unknown[0])}",
            _line(unknown[0]),
        )
    entries: list[Entry] = []
    source = FILENAME
    for section, kind in (("abbreviations", "abbreviation"), ("lay", "lay")):
        mapping = raw.get(section) or {}
        if not isinstance(mapping, dict):
            raise VocabularyError(path, f"{section} must map each term to what it stands for", _line(mapping))
        for term, expansion in mapping.items():
            # one wording, or a list of them when the corpus says it in several ways ("ef": "left ventricular
            # ejection fraction" or "LVEF"): each alone says the term
            wordings = (
                _texts(path, expansion, f"{section} {str(term)!r}", near=term)
                if isinstance(expansion, list)
                else [expansion]
            )
            entries.extend(Entry(_key(path, term), _text(path, w), kind, source) for w in wordings)
    groups = raw.get("synonyms") or []
    if not isinstance(groups, list):
        raise VocabularyError(path, "synonyms must be a list of groups of words", _line(groups))
    for group in groups:
        words = _texts(path, group, "each synonym group")
        for word in words:
            entries.extend(Entry(word.lower(), other, "synonym", source) for other in words if other != word)
    classes = raw.get("classes") or {}
    if not isinstance(classes, dict):
        raise VocabularyError(path, "classes must map each class to a list of its members", _line(classes))
    for name, members in classes.items():
        entries.extend(
            _class_entries(_text(path, name), _texts(path, members, f"class {str(name)!r}", near=name), source)
        )
    return entries + _first_word_aliases(entries)


def _first_word_aliases(entries: Sequence[Entry]) -> list[Entry]:
    """ "sacituzumab" for the member "sacituzumab govitecan", where the first word names nothing else."""
    terms = {e.term for e in entries}
    out = []
    for e in entries:
        head = e.term.split(" ")[0]
        if e.kind == "member" and " " in e.term and len(head) >= 8 and head not in terms:
            out.append(Entry(head, e.expansion, "member", e.source))
            terms.add(head)
    return out


# "a third-generation aromatase inhibitor (anastrozole, letrozole or exemestane)": a class named by one or
# two words, then at least two one-word members in brackets, listed with commas and a final or/and.
_PATTERN = re.compile(
    r"\b([A-Za-z][\w/-]*(?: [A-Za-z][\w/-]*)?) \(((?:[a-z][\w-]+, )+[a-z][\w-]+,? (?:or|and) [a-z][\w-]+)\)"
)


def corpus_patterns(documents: Iterable[Document]) -> list[Entry]:
    """Class/member pairs the corpus states itself, so a question naming a member finds the class."""
    entries: list[Entry] = []
    for doc in documents:
        for m in _PATTERN.finditer(doc.text):
            name = m.group(1)
            members = [w for w in re.split(r",\s*|,?\s+(?:or|and)\s+", m.group(2)) if w]
            entries.extend(_class_entries(name, members, doc.id))
    return entries


def _class_entries(name: str, members: Sequence[str], source: str) -> list[Entry]:
    out = []
    for member in members:
        out.append(Entry(member.lower(), name, "member", source))
        out.append(Entry(name.lower(), member, "class", source))
    return out


def _key(path: Path, value: object) -> str:
    return _text(path, value).lower()


def _text(path: Path, value: object) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value).strip():
        raise VocabularyError(path, f"expected a word or phrase, found {_shown(value)}", _line(value))
    text = " ".join(str(value).split())
    if len(text) > MAX_ENTRY_CHARS:
        raise VocabularyError(
            path, f"entry {text[:40]!r}... is longer than {MAX_ENTRY_CHARS} characters", safeyaml.line_of(value)
        )
    return text


def _texts(path: Path, value: object, what: str, near: object = None) -> list[str]:
    """The words of a list; `near` is the key the list belongs to, whose line is reported for an empty one."""
    if not isinstance(value, list) or not value:
        line = _line(value) or safeyaml.line_of(near)
        raise VocabularyError(path, f"{what} must be a non-empty list, found {_shown(value)}", line)
    return [_text(path, v) for v in value]


def _line(value: object) -> int | None:
    """The line of a value, or of the first string inside it (a list or mapping where a word belongs)."""
    if isinstance(value, dict):
        value = [x for pair in value.items() for x in pair]
    if isinstance(value, list):
        return next((line for v in value if (line := _line(v)) is not None), None)
    return safeyaml.line_of(value)


def _shown(value: object) -> str:
    text = repr(value if not isinstance(value, str) else str(value))
    return text if len(text) <= 60 else text[:57] + "..."
