"""Claim-level verification of generated text against the passages it cites (docs/llm.md).

A claim is kept only when every check passes; otherwise it is dropped with the first failing reason:

- `uncited`: it names no passage, or only labels that were not given;
- `number`: a number (with its unit) is not in the cited passages, or stands where they give another value
  of the same unit ("a loading dose of 6 mg/kg" where the passage loads with 4 mg/kg and gives 6 mg/kg
  later): compared after unicode and spacing normalisation, never by value;
- `drug`: a drug name (by the query vocabulary or its ending) the cited passages do not hold;
- `negation`: a part of the claim says the opposite of the part of a cited sentence it matches
  ("combine" against "do not combine");
- `unsupported`: its best cited sentence is too far from it, in meaning (embedding cosine) or in words
  (idf-weighted share of the claim's terms that sentence holds); thresholds in `LLMSettings`,
  calibrated on evals/datasets/claims.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from indexer.settings import LLMSettings
from indexer.terms import TermWeights, content_terms, matches
from indexer.text import normalize_space, strip_markers

from .compose import drug_like
from .types import Passage

if TYPE_CHECKING:
    from .index import SearchIndex

REASONS = ("uncited", "number", "drug", "negation", "unsupported")

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_UNITS = {
    "mg/kg": "mg/kg", "mg/m2": "mg/m2", "mg/m²": "mg/m2", "mcg": "mcg", "µg": "mcg", "μg": "mcg", "mg": "mg",
    "g": "g", "ml": "ml", "%": "%", "percent": "%", "per cent": "%", "iu": "iu", "units": "unit", "unit": "unit",
    "gy": "gy", "weeks": "week", "week": "week", "days": "day", "day": "day", "hours": "hour", "hour": "hour",
    "h": "hour", "minutes": "minute", "minute": "minute", "min": "minute", "months": "month", "month": "month",
    "years": "year", "year": "year", "cycles": "cycle", "cycle": "cycle", "times": "time",
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
# A number, or a range of two, with an optional unit right after it ("4 mg/kg", "20-40%", "every 3 weeks").
QUANTITY_RE = re.compile(
    rf"(?<![\w.])(\d+(?:\.\d+)?(?:\s*(?:-|to)\s*\d+(?:\.\d+)?)?)(?:\s*({_UNIT_RE})(?![\w/]))?", re.I
)
# Words that turn a statement into its opposite; "not" and "no" are stopwords of content_terms, so they are
# looked for in the words themselves.
NEGATIONS = frozenset(
    """not no never without avoid avoided avoids avoiding contraindicated cannot can't don't doesn't isn't
    aren't shouldn't won't nor neither none unsafe""".split()
)
_CLAUSE_RE = re.compile(r"[,;:()]|\b(?:but|whereas|although|though|because|while|since|unless|so that)\b", re.I)
_PRONOUN_RE = re.compile(r"(?:it|its|they|their|them|this|these|that|those|she|he|her|his)\b", re.I)
_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9'’]*")


def normalise(text: str) -> str:
    """Unicode compatibility forms, one kind of dash, single spaces, lower case, number words as digits."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).replace("’", "'")
    return _NUMBER_WORD_RE.sub(lambda m: _NUMBER_WORDS[m.group().lower()], normalize_space(text).lower())


@dataclass(frozen=True)
class Quantity:
    value: str  # "4", "20-40" (a range written "20 to 40" reads "20-40")
    unit: str  # canonical unit, "" when none
    start: int  # offsets in the normalised text
    end: int

    def __str__(self) -> str:
        return f"{self.value} {self.unit}".strip()


def quantities(text: str) -> list[Quantity]:
    """Every number with its unit in `text` (already `normalise`d)."""
    out = []
    for m in QUANTITY_RE.finditer(text):
        value = re.sub(r"\s*(?:-|to)\s*", "-", m.group(1))
        out.append(Quantity(value, _UNITS.get((m.group(2) or "").lower(), ""), m.start(), m.end()))
    return out


def _neighbours(text: str, q: Quantity, width: int = 2) -> set[str]:
    """Content terms (numbers aside) next to a quantity: what it is the quantity of."""
    before = [t for t in content_terms(text[: q.start]) if not t[0].isdigit()][-width:]
    after = [t for t in content_terms(text[q.end :]) if not t[0].isdigit() and t not in _UNITS][:width]
    return set(before) | set(after)


def _in_sequence(asked: list[Quantity], sources: list[str]) -> bool:
    """Whether one cited sentence gives the claim's numbers (two or more) one after another, as the claim does."""
    if len(asked) < 2:
        return False
    want = [(q.value, q.unit) for q in asked]
    for s in sources:
        got = [(o.value, o.unit) for o in quantities(s)]
        if any(got[i : i + len(want)] == want for i in range(len(got) - len(want) + 1)):
            return True
    return False


NEGATION_SCOPE = 1  # content terms after "not", "no", "avoid", ... that it negates: the verb or noun it
# turns ("do not combine", "not given during the first 3 months" ~ "avoided during the first 3 months")


def _polarity(text: str) -> dict[str, set[bool]]:
    """Each content term of `text` with how it occurs: True where it is among the NEGATION_SCOPE content
    terms after a negation word; a term written with "un" or "non" ("unreliable") is its stem negated.
    "with or without" negates nothing."""
    words = _TOKEN_RE.findall(re.sub(r"\bwith or without\b", "with", text))
    out: dict[str, set[bool]] = {}
    left = 0  # content terms the latest negation word still negates
    for w in words:
        if w in NEGATIONS:
            left = NEGATION_SCOPE
            continue
        for term in _terms(w):
            bare = re.sub(r"^(?:un|non-?)(?=[a-z]{4})", "", term)
            if bare != term:
                out.setdefault(bare, set()).add(not left)  # "unreliable": "reliable", negated unless negated again
            out.setdefault(term, set()).add(left > 0)
            left = max(left - 1, 0)
    return out


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_RE.split(text) if len(_terms(c)) >= 2]


def _terms(text: str) -> list[str]:
    return [t for t in content_terms(text) if t not in NEGATIONS]


@dataclass
class Verdict:
    """What the verifier found for one claim."""

    text: str
    sources: tuple[int, ...]  # 1-based labels the claim cites ([S1, S3] -> (1, 3))
    reasons: list[str] = field(default_factory=list)  # empty: kept
    detail: str = ""  # the first failure in words
    passage: int | None = None  # 0-based index of the passage holding the best cited sentence
    sentence: int | None = None  # that sentence's index in the passage
    similarity: float = 0.0
    coverage: float = 0.0

    @property
    def kept(self) -> bool:
        return not self.reasons

    def as_dict(self) -> dict:
        return {
            "claim": self.text,
            "cites": [f"S{n}" for n in self.sources],
            "reason": self.reasons[0] if self.reasons else None,
            "detail": self.detail,
            "similarity": round(self.similarity, 3),
            "coverage": round(self.coverage, 3),
        }


class Verifier:
    """Checks claims against given passages; `encode` embeds texts as unit vectors (the index's model)."""

    def __init__(
        self,
        weights: TermWeights,
        encode: Callable[[Sequence[str]], np.ndarray],
        *,
        min_similarity: float,
        min_coverage: float,
        vocabulary_terms: frozenset[str] = frozenset(),
        vectors: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.weights = weights
        self.encode = encode
        self.min_similarity = min_similarity
        self.min_coverage = min_coverage
        self.vocabulary_terms = vocabulary_terms
        # text -> unit vector; shared with the extractive composer, which has embedded the evidence's sentences
        self._vectors: dict[str, np.ndarray] = {} if vectors is None else vectors

    @classmethod
    def for_index(
        cls, index: SearchIndex, settings: LLMSettings, vectors: dict[str, np.ndarray] | None = None
    ) -> Verifier:
        """A verifier on the index's term statistics, model and drug vocabulary, with `settings`' thresholds."""
        return cls(
            index.weights,
            lambda texts: index.embedder.encode(list(texts)),
            min_similarity=settings.min_similarity,
            min_coverage=settings.min_coverage,
            vocabulary_terms=index.drug_terms(),
            vectors=vectors,
        )

    def verify(self, claims: Sequence[tuple[str, tuple[int, ...]]], passages: Sequence[Passage]) -> list[Verdict]:
        """One verdict per (claim text, cited labels), in order; `passages[i]` is label i + 1."""
        sentences = [[normalize_space(strip_markers(s)) for s in p.sentence_texts] for p in passages]
        # "It then continues at 2 mg/kg weekly": a claim that opens with a pronoun means what it says after
        # the claim before it, and is compared in meaning as such (its words and numbers are its own).
        texts = [text for text, _ in claims]
        meant = [f"{texts[i - 1]} {x}" if i and _PRONOUN_RE.match(x) else x for i, x in enumerate(texts)]
        cited = {n - 1 for _, sources in claims for n in sources if 1 <= n <= len(passages)}
        self._embed(meant + [s for i in sorted(cited) for s in sentences[i]])  # only what is compared
        return [
            self._check(text, sources, passages, sentences, self._vectors[m])
            for (text, sources), m in zip(claims, meant, strict=True)
        ]

    def _check(
        self,
        text: str,
        sources: tuple[int, ...],
        passages: Sequence[Passage],
        sentences: list[list[str]],
        cv: np.ndarray,
    ) -> Verdict:
        v = Verdict(text, sources)
        given = [n for n in sources if 1 <= n <= len(passages)]
        if not given:
            named = ", ".join(f"S{n}" for n in sources)
            return self._fail(v, "uncited", f"cites {named}, which was not given" if sources else "cites no passage")
        cited = [(i - 1, j) for i in given for j in range(len(sentences[i - 1]))]
        if not cited:
            return self._fail(v, "unsupported", "the cited passages have no sentences")
        claim = normalise(text)
        source_texts = [normalise(sentences[i][j]) for i, j in cited]
        passage_text = " ".join(source_texts)
        # Meaning and words against each cited sentence; the best is the one the claim is checked against.
        sims = [float(cv @ self._vectors[sentences[i][j]]) for i, j in cited]
        best = int(np.argmax(sims))
        v.passage, v.sentence = cited[best]
        v.similarity = sims[best]
        v.coverage = self.weights.coverage(_terms(text), content_terms(source_texts[best]))

        problem = self._numbers(claim, source_texts)
        if problem:
            return self._fail(v, "number", problem)
        have = content_terms(passage_text)
        drugs = [t for t in content_terms(claim) if drug_like(t, self.vocabulary_terms) and not matches(t, have)]
        if drugs:
            return self._fail(v, "drug", f"{', '.join(drugs)} is not in the cited passage")
        problem = self._negation(claim, source_texts)
        if problem:
            return self._fail(v, "negation", problem)
        if v.similarity < self.min_similarity or v.coverage < self.min_coverage:
            return self._fail(
                v,
                "unsupported",
                f"best cited sentence: similarity {v.similarity:.2f} (at least {self.min_similarity:.2f}), "
                f"terms held {v.coverage:.0%} (at least {self.min_coverage:.0%})",
            )
        return v

    @staticmethod
    def _fail(v: Verdict, reason: str, detail: str) -> Verdict:
        v.reasons.append(reason)
        v.detail = detail
        return v

    @staticmethod
    def _numbers(claim: str, sources: list[str]) -> str:
        """Why a number of the claim is not the cited passage's, or "" when each is."""
        found = [(s, q) for s in sources for q in quantities(s)]
        asked = quantities(claim)
        for q in asked:
            if not any(o.value == q.value and (o.unit == q.unit or not q.unit) for _, o in found):
                return f"{q} is not in the cited passage"
        if _in_sequence(asked, sources):
            return ""  # a sentence gives these very values, in this order: "lung (17%), brain (16%)"
        for q in asked:
            same = [(s, o) for s, o in found if o.value == q.value and (o.unit == q.unit or not q.unit)]
            # In its place: no other value of the unit stands where the claim puts this one.
            near = _neighbours(claim, q)
            if not near:
                continue
            fit = max(len(near & _neighbours(s, o)) for s, o in same)
            rivals = [(len(near & _neighbours(s, o)), o) for s, o in found if o.unit == q.unit and o.value != q.value]
            if rivals and max(r[0] for r in rivals) > fit:
                other = max(rivals, key=lambda r: r[0])[1]
                return f"{q} where the cited passage gives {other}"
        return ""

    def _negation(self, claim: str, sources: list[str]) -> str:
        """A word that the claim negates where the cited sentence closest to it only asserts it, or the other
        way round ("combine" against "do not combine", "reliable" against "unreliable"); "" when none."""
        for part in _clauses(claim):
            terms = _terms(part)
            share, match = max(((self.weights.coverage(terms, _terms(s)), s) for s in sources), key=lambda x: x[0])
            if share < 0.5:
                continue
            theirs = _polarity(match)
            for term, negative in ((t, n) for t, ns in _polarity(part).items() for n in sorted(ns)):
                same = [ns for t, ns in theirs.items() if matches(term, [t])]  # "combined" ~ "combine"
                if same and all(negative not in ns for ns in same):
                    said = "negates" if negative else "drops the negation of"
                    return f"“{part.strip()}” {said} “{term}” (cited: “{match.strip()}”)"
        return ""

    def _embed(self, texts: Sequence[str]) -> None:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            if len(self._vectors) > 20_000:
                self._vectors.clear()
            self._vectors.update(zip(missing, self.encode(missing), strict=True))
