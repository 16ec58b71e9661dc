"""Query understanding without an LLM: spelling against the corpus's own words, then the vocabulary's
abbreviations, synonyms and drug classes.

The clinician's words are never removed: a misspelling is replaced by the corpus word it most likely
means, and every expansion is appended, so retrieval sees both. Each change is listed (`Understood.
expansions`) and shown in the JSON output. Expansions that add no word the corpus contains are dropped:
they could not help retrieval and would only blur the query (unless they say in the corpus's words a term
it lacks: then they tell what covers it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from indexer.terms import STOPWORDS, TermWeights, content_terms, stem, words, zipf
from indexer.vocabulary import Entry

# Words in messages that carry no clinical meaning and must not be "corrected" into corpus words.
_LEAVE_ALONE = STOPWORDS | {
    "hi", "hello", "thanks", "thank", "doc", "doctor", "question", "wondering", "guys", "ok", "okay", "yes",
    "anything", "something", "know", "need", "want", "like", "think", "thing", "things", "best", "good",
}  # fmt: skip


# Clinical notations no vocabulary can list: a gestation written as weeks over 40 ("14/40") and a stage's
# substage ("IIIB", "stage IIa": the corpus speaks of stage III, stage II).
_NOTATIONS = (
    (re.compile(r"(?<![\w/.])([1-9]|[1-3]\d|4[0-2])/40(?![\w/])"), lambda m: "pregnancy"),
    (
        re.compile(r"(?i)\bstage ?(i{1,3}|iv)([abc])\b|\b(ii{1,2})([abc])\b"),
        lambda m: f"stage {(m.group(1) or m.group(3)).upper()}",
    ),
)


# What a question word asks for, in the words a guideline answers it with: "where does it spread?" is
# answered by "the commonest site of spread", not by every sentence on metastases.
_ANSWER_TYPES = (
    (
        # not "where can I ...", "where do we refer": those ask for a service, not a site of the disease
        # and only of spread ("where does it spread / go / metastasise?"): "where to biopsy?" wants a lesion
        re.compile(
            r"(?i)\bwhere\b(?=\s+(?:do|does|did|is|are|will|would|else)\s+(?!i\b|we\b|you\b|one\b)"
            r"(?:\S+\s+){0,5}?(?:usually\s+|most\s+|often\s+|commonly\s+|first\s+)*"
            r"(?:spread|spreads|go|goes|travel|travels|metastasi[sz]e|metastasi[sz]es|end\s+up|seed|land)\b)"
        ),
        "site sites organ organs bone lung liver brain skin",
    ),
)
ASKS_FOR = "where"  # the key under which `Understood.alternatives` holds what the question word asks for


@dataclass(frozen=True)
class Expansion:
    term: str  # what the question says (for spelling: the word as typed)
    adds: str  # what retrieval also searches for (for spelling: the word it replaces it with)
    kind: str  # spelling | form | abbreviation | synonym | class | member | question
    source: str  # "corpus" for spelling, else vocabulary.yaml or the document a pattern came from
    via: str = ""  # for a class reached through an abbreviation: the name in between ("pembrolizumab")

    def as_dict(self) -> dict[str, str]:
        out = {"term": self.term, "adds": self.adds, "kind": self.kind, "source": self.source}
        if self.via:
            out["via"] = self.via
        return out


@dataclass
class Understood:
    question: str
    text: str  # what retrieval searches for: corrected question, then expansions
    expansions: list[Expansion] = field(default_factory=list)

    @property
    def corrected(self) -> str:
        """The question with spelling corrected but nothing appended."""
        text = self.question
        for e in self.expansions:
            if e.kind == "spelling":
                text = re.sub(rf"\b{re.escape(e.term)}\b", e.adds, text, count=1)
        return text

    def alternatives(self) -> dict[str, list[tuple[str, ...]]]:
        """For each term of the corrected question, the term sets that also count as saying it."""
        out: dict[str, list[tuple[str, ...]]] = {}
        for e in self.expansions:
            if e.kind == "spelling":
                continue
            extra = tuple(content_terms(e.adds))
            for t in content_terms(e.term) or [e.term]:
                if extra:
                    out.setdefault(t, []).append(extra)
        return out

    def as_dict(self) -> dict:
        return {"text": self.text, "expansions": [e.as_dict() for e in self.expansions]}


class Understanding:
    """Built once per index from its vocabulary and its term statistics."""

    def __init__(self, vocabulary: Sequence[Entry], weights: TermWeights) -> None:
        from rapidfuzz.distance import DamerauLevenshtein

        self._distance = DamerauLevenshtein.distance
        self.weights = weights
        self.known = weights.df
        self.entries: dict[str, list[Entry]] = {}
        for e in vocabulary:
            self.entries.setdefault(_norm(e.term), []).append(e)
        keys = sorted(self.entries, key=len, reverse=True)  # longest first: "zoledronic acid" before "acid"
        self._pattern = (
            re.compile(r"(?<![\w/+-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w/+])") if keys else None
        )
        self._by_initial: dict[str, list[str]] = {}
        for term in weights.df:
            if term.isalpha() and len(term) >= 4:
                self._by_initial.setdefault(term[0], []).append(term)
        self._vocabulary_words = {w for k in self.entries for w in words(k)}

    def __call__(self, question: str) -> Understood:
        expansions = self._spelling(question)
        expansions += self._forms(question, {e.term for e in expansions})
        understood = Understood(question, question, expansions)
        corrected = understood.corrected
        seen: set[tuple[str, str]] = set()
        if self._pattern is not None:
            for m in self._pattern.finditer(corrected.lower()):
                if _CODE.match(corrected, m.end()) and m.group(1).isalpha() and len(m.group(1)) <= 3:
                    continue  # a short abbreviation before a number is part of a code name ("CA 15-3")
                for e, via in self._entries_for(m.group(1)):
                    key = (m.group(1), e.expansion.lower())
                    if key in seen or not self._useful(m.group(1), e.expansion, corrected):
                        continue
                    seen.add(key)
                    expansions.append(Expansion(m.group(1), e.expansion, e.kind, e.source, via))
        for pattern, say in _NOTATIONS:  # "14/40" (weeks of pregnancy), "IIIB" (a stage's substage)
            for m in pattern.finditer(corrected):
                expansions.append(Expansion(m.group(0), say(m), "abbreviation", "notation"))
        for pattern, answer in _ANSWER_TYPES:  # "where does it spread?" is answered by a site
            asked = pattern.search(corrected)
            adds = " ".join(w for w in answer.split() if self.weights.knows(stem(w)) and w not in corrected.lower())
            if asked and adds:
                expansions.append(Expansion(asked.group(0).lower(), adds, "question", "question word"))
        added = " ".join(e.adds for e in expansions if e.kind != "spelling")
        understood.text = f"{corrected} {added}".strip() if added else corrected
        return understood

    def _entries_for(self, key: str) -> list[tuple[Entry, str]]:
        """The entries of a matched term, then, for an abbreviation or brand ("pembro", "Keytruda"), the class
        of what it stands for ("pembrolizumab" -> "immune checkpoint inhibitor"), which is how a guideline
        often names it: (entry, the name in between or "")."""
        out = [(e, "") for e in self.entries[key]]
        for e in self.entries[key]:
            if e.kind in ("abbreviation", "lay"):
                out += [(c, e.expansion) for c in self.entries.get(_norm(e.expansion), []) if c.kind == "member"]
        return out

    def _useful(self, term: str, expansion: str, question: str) -> bool:
        """The expansion adds a word the corpus has, or says in the corpus's words a term the corpus lacks
        ("contralateral" = "other breast": nothing new to search for, but the term is covered)."""
        have = set(content_terms(question))
        adds = content_terms(expansion)
        if any(t not in have and self.weights.knows(t) for t in adds):
            return True
        n = max(self.weights.n, 1)
        specific = any(self.weights.df.get(t, 0) / n <= UBIQUITOUS for t in adds)  # not "breast" alone
        return (
            bool(adds)
            and specific
            and all(self.weights.knows(t) for t in adds)
            and not any(self.weights.knows(t) for t in content_terms(term))
        )

    def _spelling(self, question: str) -> list[Expansion]:
        out = []
        for word in dict.fromkeys(re.findall(r"[A-Za-z]+", question)):
            low = word.lower()
            if len(low) < 4 or low in _LEAVE_ALONE or low in self._vocabulary_words:
                continue
            if word.isupper() or not word[0].isupper() and any(c.isupper() for c in word):
                continue  # an acronym as written ("ECOG", "ctDNA"): a name, not a misspelt word
            if self.known.get(stem(low), 0) > 0 or _common_english(low):
                continue  # a real word ("live") is not a misspelling of a corpus word ("line")
            base = stem(low)
            if len(base) >= 5 and any(t.startswith(base) for t in self._by_initial.get(low[0], ())):
                continue  # another form of a corpus word ("resecting" of "resection"), not "resulting" misspelt
            rests = [low[len(p) :] for p in _PREFIXES if low.startswith(p) and len(low) - len(p) >= 4]
            if any(self.known.get(stem(rest), 0) > 0 for rest in rests):
                continue  # a prefix and a corpus word ("restage", "nonsmoker"): a word, not "restate" misspelt
            best = self._closest(low)
            # A much shorter match is a stem ("noticed" is indexed as "notic"): not a word to show or search.
            if best is not None and len(best) >= len(low) - 1:
                out.append(Expansion(word, best, "spelling", "corpus"))
            elif zipf(low) < RARE_ZIPF and not self._shortens(low):
                english = _english_neighbour(low)  # "bigest", "immunotherpy": a word, not a subject
                # ten times commoner than what was typed, or it is another rare word ("lupron" -> "lupton")
                if english is not None and zipf(english) >= zipf(low) + 1:
                    out.append(Expansion(word, english, "spelling", "english"))
        return out

    def _forms(self, question: str, done: set[str]) -> list[Expansion]:
        """A word the corpus lacks whose base form it has: "risky" -> "risk", "lumpy" -> "lump", "tenderness"
        -> "tender", "rarely" -> "rare". The word is kept (it is no misspelling); the base is searched too
        and counts as saying it."""
        out = []
        for word in dict.fromkeys(re.findall(r"[A-Za-z]+", question)):
            low = word.lower()
            if word in done or len(low) < 5 or low in _LEAVE_ALONE or self.weights.knows(stem(low)):
                continue
            base = next((b for b in _bases(low) if len(b) >= 4 and self.known.get(stem(b), 0) > 0), None)
            if base is not None:
                out.append(Expansion(word, base, "form", "corpus"))
        return out

    def _shortens(self, word: str) -> bool:
        """A clipped form of a corpus word ("postmeno" of "postmenopausal"): shorthand, not a misspelt
        English word ("postman")."""
        return len(word) >= 5 and any(t.startswith(word) for t in self._by_initial.get(word[0], ()))

    def _closest(self, word: str) -> str | None:
        """The corpus term within 1 edit (2 for words of 8 letters or more), most frequent on ties."""
        limit = 1 if len(word) < 8 else 2
        target = stem(word)
        best: tuple[int, int, str] | None = None
        for term in self._by_initial.get(word[0], ()):
            if abs(len(term) - len(target)) > limit:
                continue
            d = self._distance(target, term, score_cutoff=limit)
            if d <= limit:
                candidate = (d, -self.known[term], term)
                if best is None or candidate < best:
                    best = candidate
        return best[2] if best else None


UBIQUITOUS = 0.5  # a term in more than this share of the passages says nothing about which one answers
COMMON_ZIPF = 3.0  # wordfreq's Zipf scale: a word used at least once per million words is not a typo
RARE_ZIPF = 2.0  # below this a word is too rare to be meant ("bigest" 1.9): a common word it is a typo of is looked for
ENGLISH_WORDS = 100_000  # the commonest English words a typo may be of


# Prefixes that make a word of another ("restage" of "stage"), each before at least four letters of it.
_PREFIXES = ("re", "pre", "post", "non", "un", "anti", "over", "under", "co")


def _common_english(word: str) -> bool:
    return zipf(word) >= COMMON_ZIPF


_ENGLISH: dict[str, list[str]] = {}  # first letter -> English words, loaded on the first unknown word


def _english_neighbour(word: str) -> str | None:
    """The commonest English word within one edit (two for words of eight letters or more), same first
    letter and length within the edit budget: "bigest" -> "biggest", "immunotherpy" -> "immunotherapy"."""
    from rapidfuzz.distance import DamerauLevenshtein
    from wordfreq import top_n_list

    if not _ENGLISH:
        for w in top_n_list("en", ENGLISH_WORDS):
            if w.isalpha() and len(w) >= 4:
                _ENGLISH.setdefault(w[0], []).append(w)  # commonest first
    limit = 1 if len(word) < 8 else 2
    for candidate in _ENGLISH.get(word[0], ()):
        if abs(len(candidate) - len(word)) > limit:
            continue
        if DamerauLevenshtein.distance(word, candidate, score_cutoff=limit) <= limit:
            return candidate
    return None


_CODE = re.compile(r"[- ]?(?:\d+[-.]\d+|\d{3})\b")  # "15-3", "27.29", "125": not "2" of "AI 2 yrs"


def _bases(word: str) -> list[str]:
    """Base forms a derived word may come from, most likely first (English derivational suffixes)."""
    out = []
    if word.endswith("ness"):
        out.append(word[:-4])
    if word.endswith("ily"):
        out.append(word[:-3] + "y")
    elif word.endswith("ly"):
        out.append(word[:-2])
    elif word.endswith("y"):
        out.append(word[:-1])  # "risky" -> "risk"
        if len(word) > 3 and word[-2] == word[-3]:
            out.append(word[:-2])  # a doubled consonant: "chatty" -> "chat"
    return out


def _norm(term: str) -> str:
    return " ".join(term.lower().split())


def describe(expansions: Iterable[Mapping[str, str]], limit: int = 6) -> str:
    """One line for people, from `Understood.as_dict()["expansions"]`: `tretment → treatment; TNBC = ...`."""
    parts = []
    # synonyms, and the words a question word adds ("where" = site, organ, ...), would be noise to a reader
    for e in [e for e in expansions if e["kind"] not in ("synonym", "question")][:limit]:
        parts.append(f"{e['term']} → {e['adds']}" if e["kind"] == "spelling" else f"{e['term']} = {e['adds']}")
    return "; ".join(parts)
