"""Content terms of a question or passage: the one tokenizer that term statistics, the FTS5 keyword index
(which stores these terms, not raw text), the keyword query, follow-ups and the composer share, so what
counts as a matching word is decided once. `KEYWORDS` describes it; the manifest records it and a reader
refuses an index whose keyword table was built with another definition."""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+(?:[./][a-z0-9]+)*")
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves also used use using may might must shall should whether
    tell explain describe please recommended recommend recommendation recommendations given give
    patient patients people person someone anyone done get gets getting much many often
    though although don didn doesn isn aren wasn weren won wouldn shouldn couldn hasn haven hadn mustn
    needn
    """.split()
)


@lru_cache(maxsize=65536)  # the same words recur across every chunk of a build
def stem(word: str) -> str:
    """A deliberately light stem: plural and verb endings only, so drug names and units survive."""
    if len(word) > 4 and word.endswith(("ies", "ied")):  # "biopsies", "biopsied" -> "biopsy"
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return _verb_base(word[:-3])
    if len(word) > 5 and word.endswith("sses"):  # "masses", "classes" -> "mass", "class"
        return word[:-2]
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return _verb_base(word[:-2])
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_VOWELS = "aeiou"


def _verb_base(rest: str) -> str:
    """What is left of a verb once "-ing" or "-ed" is taken off, as its base form (Porter's step 1b): a
    doubled last consonant is one ("stopping" -> "stop"), and a short stem ending consonant-vowel-consonant
    had a final "e" ("staging" -> "stage", "dosed" -> "dose"; not "opened", whose stem is longer)."""
    if len(rest) >= 3 and rest[-1] == rest[-2] and rest[-1] not in _VOWELS + "lsz":
        return rest[:-1]
    pattern = "".join(
        "v" if c in _VOWELS or (c == "y" and i and rest[i - 1] not in _VOWELS) else "c" for i, c in enumerate(rest)
    )
    measure = pattern.lstrip("c").rstrip("v").count("vc")
    if measure == 1 and pattern.endswith("cvc") and rest[-1] not in "wxy":
        return rest + "e"
    return rest


# Bump when words(), STOPWORDS' role or stem() change what a term is: indexes built before are refused.
TERMS_VERSION = 5
# What the FTS5 table is told: terms are already lowercased and stemmed, so it only splits on spaces
# ('.' and '/' are part of terms such as "2.5" and "mg/kg").
FTS_TOKENIZER = "unicode61 tokenchars './'"


def keyword_spec() -> dict[str, object]:
    """What a keyword index depends on; recorded in the manifest and compared on load and by --if-stale."""
    return {
        "terms_version": TERMS_VERSION,
        "stemmer": "guideline-qa-light",
        "stopwords_sha256": hashlib.sha256(" ".join(sorted(STOPWORDS)).encode()).hexdigest(),
        "fts_tokenizer": FTS_TOKENIZER,
    }


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def term_sequence(text: str) -> list[str]:
    """Every stemmed non-stopword term in order, repeats kept: what the keyword index stores (BM25 counts)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def content_terms(text: str) -> list[str]:
    """Stemmed non-stopword terms, first occurrence order, no repeats."""
    return list(dict.fromkeys(term_sequence(text)))


def keyword_document(text: str) -> str:
    """The text the FTS5 table indexes for a passage: its terms, space-separated."""
    return " ".join(term_sequence(text))


def keyword_query(text: str) -> str | None:
    """An FTS5 MATCH expression: any of the content terms, each a quoted string so nothing is an operator.

    Terms hold only [a-z0-9./] (see _WORD), so no term can contain a double quote.
    """
    return " OR ".join(f'"{t}"' for t in content_terms(text)) or None


def matches(term: str, have: Iterable[str]) -> bool:
    """Equal, or one a prefix of the other when both are long ("protect" ~ "protective") and the rest is not
    a word of its own ("breast" is not "breastfeed"), or sharing their first seven letters ("metastases" ~
    "metastatic", which the light stemmer leaves apart)."""
    for h in have:
        if h == term:
            return True
        if min(len(h), len(term)) >= 5 and (h.startswith(term) or term.startswith(h)):
            if not _word_of_its_own(max(h, term, key=len)[min(len(h), len(term)) :]):
                return True
        if min(len(h), len(term)) >= 8 and h[:7] == term[:7]:
            return True
    return False


def zipf(word: str) -> float:
    """How common `word` is in general English (wordfreq's Zipf scale: 3 is once per million words, 0 is
    unknown). wordfreq's list loads on the first call, not at import."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


@lru_cache(maxsize=4096)
def _word_of_its_own(rest: str) -> bool:
    """What a compound adds to its first word ("feed" in "breastfeed"), not a suffix ("ive", "ion")."""
    return len(rest) >= 4 and zipf(rest) >= 3.5


class TermWeights:
    """Inverse document frequency over the index's chunks, from the table the build writes."""

    def __init__(self, df: Mapping[str, int], n_chunks: int) -> None:
        self.df = df
        self.n = max(n_chunks, 1)
        self._long: list[str] | None = None  # terms of 5+ letters, sorted, for prefix matches

    def knows(self, term: str) -> bool:
        """The corpus has the term, or a term it `matches` ("progression" ~ "progress")."""
        if self.df.get(term, 0) > 0:
            return True
        if len(term) < 5:
            return False
        if self._long is None:
            self._long = sorted(t for t in self.df if len(t) >= 5)
        i = bisect.bisect_left(self._long, term[:5])
        while i < len(self._long) and self._long[i].startswith(term[:5]):
            if matches(term, [self._long[i]]):
                return True
            i += 1
        return False

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))

    def coverage(self, wanted: Iterable[str], have: Iterable[str]) -> float:
        """The idf-weighted share of `wanted` terms found in `have`: 1.0 when every rare word is there."""
        wanted = list(wanted)
        have = set(have)
        total = sum(self.idf(t) for t in wanted)
        if not total:
            return 0.0
        return sum(self.idf(t) for t in wanted if matches(t, have)) / total
