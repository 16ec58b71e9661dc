"""The query vocabulary: abbreviations, synonyms and drug classes, from `vocabulary.yaml` at a corpus root
plus class patterns found in the corpus itself. Built into the index, used by the assistant to expand
questions (assistant/understand.py); the format is in corpus/README.md."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import safeyaml
from .errors import CorpusError
from .model import Document

FILENAME = "vocabulary.yaml"
MAX_BYTES = 1_000_000  # a vocabulary is a hand-kept list; anything bigger is not one
MAX_NESTING = 5  # sections, then lists or mappings of words: no vocabulary nests deeper
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
    return [root / FILENAME for root in roots if root.is_dir() and (root / FILENAME).is_file()]


def load_vocabulary(path: Path, data: bytes) -> list[Entry]:
    """Entries of one vocabulary file; CorpusError naming the file (and line) when it is not one."""
    if len(data) > MAX_BYTES:
        raise CorpusError(path, f"vocabulary is {len(data):,} bytes, the limit is {MAX_BYTES:,}")
    try:
        text = data.decode("utf-8")
        raw = safeyaml.load(text, max_alias_nodes=0, max_nesting=MAX_NESTING) or {}
    except UnicodeDecodeError as exc:
        raise CorpusError(path, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise CorpusError(path, f"not valid YAML ({problem})", mark.line + 1 if mark else None) from None
    if not isinstance(raw, dict) or set(raw) - {"abbreviations", "lay", "synonyms", "classes"}:
        raise CorpusError(
            path, "expected the sections abbreviations, lay, synonyms and classes (see corpus/README.md)"
        )
    entries: list[Entry] = []
    source = FILENAME
    for section, kind in (("abbreviations", "abbreviation"), ("lay", "lay")):
        mapping = raw.get(section) or {}
        if not isinstance(mapping, dict):
            raise CorpusError(path, f"{section} must map each term to what it stands for")
        for term, expansion in mapping.items():
            # one wording, or a list of them when the corpus says it in several ways ("ef": "left ventricular
            # ejection fraction" or "LVEF"): each alone says the term
            wordings = _texts(path, expansion, f"{section} {term!r}") if isinstance(expansion, list) else [expansion]
            entries.extend(Entry(_key(path, term), _text(path, w), kind, source) for w in wordings)
    groups = raw.get("synonyms") or []
    if not isinstance(groups, list):
        raise CorpusError(path, "synonyms must be a list of groups of words")
    for group in groups:
        words = _texts(path, group, "each synonym group")
        for word in words:
            entries.extend(Entry(word.lower(), other, "synonym", source) for other in words if other != word)
    classes = raw.get("classes") or {}
    if not isinstance(classes, dict):
        raise CorpusError(path, "classes must map each class to a list of its members")
    for name, members in classes.items():
        entries.extend(_class_entries(_text(path, name), _texts(path, members, f"class {name!r}"), source))
    return entries + _first_word_aliases(entries)


def _first_word_aliases(entries: Sequence[Entry]) -> list[Entry]:
    """"sacituzumab" for the member "sacituzumab govitecan", where the first word names nothing else."""
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
        raise CorpusError(path, f"expected a word or phrase, found {value!r}")
    text = " ".join(str(value).split())
    if len(text) > 200:
        raise CorpusError(path, f"entry {text[:40]!r}... is longer than 200 characters")
    return text


def _texts(path: Path, value: object, what: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise CorpusError(path, f"{what} must be a non-empty list")
    return [_text(path, v) for v in value]
