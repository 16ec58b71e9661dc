"""Claim-level verification of generated text against the passages it cites (docs/llm.md).

A claim is checked against the sentences it rests on: of the runs of one cited passage's sentences (one
sentence, up to WINDOW adjacent ones, or a list with its lead-in), read under the passage's title and headings,
the fewest that are close to it in meaning and hold its words, and each of its parts' (clauses), nearly as well
as the best run. Each part is then checked against the sentence of that run it restates. A claim is kept only
when every check passes; otherwise it is dropped with the first failing reason:

- `uncited`: it names no passage, or only labels that were not given;
- `number`: a number (with its unit) is not in the cited passage or not in the sentences the claim rests on,
  is bounded the other way ("over 60" against "younger than 60"), a schedule ("every 3 weeks", "twice a week",
  "daily") is not the passage's or not the one it gives that dose, or a number or schedule stands where a cited
  sentence gives another of its kind: compared as written after unicode, spelling and unit normalisation,
  never by value;
- `drug`: a drug name (by the vocabulary, whole, or by its INN/USAN stem) the cited passage does not hold, or
  that a part names where the sentence it restates names other drugs only;
- `population`: a part names one side of a subgroup pair (compose.SUBGROUPS: premenopausal, HER2-negative,
  children, men, stage I-II, mild, ...) where the sentence it restates names the other, an opening phrase ("In
  men, ...") counting for every part; or two groups are compared the other way round;
- `negation`: a part and the clause it restates disagree in negation (counted, not placed: "causes no
  symptoms" agrees with "does not cause signs or symptoms"), in the direction of a change ("lowers" against
  "increases"), or by an opposite word ("gain" against "loss");
- `certainty`: a part says "must", "always", "will", "required", ... where the sentences it rests on use no such
  word, or the claim hedges nowhere while a clause it restates hedges ("may", "can", "some", "suggests");
- `unsupported`: no run of cited sentences is close enough in meaning (embedding cosine) and in words
  (idf-weighted share of its terms, and of each part's, that the run holds); thresholds in `LLMSettings`,
  calibrated on evals/datasets/claims.
"""

from __future__ import annotations

import functools
import operator
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from indexer.settings import LLMSettings
from indexer.terms import STOPWORDS, TermWeights, content_terms, matches, stem, term_sequence, words, zipf
from indexer.text import normalize_space, strip_markers
from indexer.vocabulary import Entry

from .compose import SUBGROUPS, drug_like, embed_into
from .types import Passage
from .understand import COMMON_ZIPF

if TYPE_CHECKING:
    from .index import SearchIndex

REASONS = ("uncited", "number", "drug", "population", "negation", "certainty", "unsupported")

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}
# not the end of a hyphenated name ("HbS-beta-zero"), and not "one" as a pronoun: "one of", "no one", "one
# option ...; another ...", "one or the other"
_NUMBER_WORD_RE = re.compile(
    r"(?<![\w-])(?:(?<!\bno )(?<!\bany )(?<!\beach )one(?! of\b)(?![^.]{0,200}?\b(?:another|the other)\b)|"
    + "|".join(w for w in _NUMBER_WORDS if w != "one")
    + r")\b",
    re.I,
)
# "thirties" is "30s": an age in decades as the digits a model may write
_DECADES = re.compile(r"\b(twent|thirt|fort|fift|sixt|sevent|eight|ninet)ies\b")
_DECADE = {"twent": "20", "thirt": "30", "fort": "40", "fift": "50", "sixt": "60", "sevent": "70", "eight": "80",
           "ninet": "90"}  # fmt: skip
# British spellings as American ones, in claim and passage alike ("tumour" is "tumor", "oestrogen" is
# "estrogen", "normalise" is "normalize"): a model may write either against either.
_SPELLING = (
    (re.compile(r"(?<=[a-z]{3})our(?=s?\b)"), "or"),
    (re.compile(r"(?<=[a-z])ae(?=[a-z])"), "e"),
    (re.compile(r"\boe(?=[sd])"), "e"),
    (re.compile(r"\bfoet"), "fet"),
    (re.compile(r"(?<=[a-z]{3})is(?=(?:e|es|ed|ing|ation|ations)\b)"), "iz"),
    (re.compile(r"(?<=[a-z])ys(?=(?:e|es|ed|ing)\b)"), "yz"),
    (re.compile(r"(?<=[a-z]{3})tre(?=s?\b)"), "ter"),
)
# Units written out after a number, as patient-facing text writes them ("2.5 milligram (mg)", "600 international
# units (IU)", "800 IUs", "250 micrograms").
_N = r"(?<=\d)(\s?)"
_UNIT_WORDS = (
    (re.compile(_N + r"milligrams?\b"), r"\1mg"),
    (re.compile(_N + r"(?:micrograms?\b|[µμ]g\b|ug\b)"), r"\1mcg"),
    (re.compile(_N + r"nanograms?\b"), r"\1ng"),
    (re.compile(_N + r"kilograms?\b"), r"\1kg"),
    (re.compile(_N + r"grams?\b"), r"\1g"),
    (re.compile(_N + r"millilit(?:er|re)s?\b"), r"\1ml"),
    (re.compile(_N + r"lit(?:er|re)s?\b"), r"\1l"),
    (re.compile(_N + r"(?:international units?|ius)\b"), r"\1iu"),
    # "mg (mg)": the abbreviation repeated
    (re.compile(r"\b(mg|mcg|ng|kg|g|ml|iu|mg/kg|ng/ml|g/dl|mg/dl|ng/l|mmol/l)\s*\(\1\)"), r"\1"),
    (re.compile(r"\bper kilograms?\b"), "per kg"),
    (re.compile(r"\bper millilit(?:er|re)s?\b"), "per ml"),
    (re.compile(r"\bper decilit(?:er|re)s?\b"), "per dl"),
    (re.compile(r"\bper lit(?:er|re)s?\b"), "per l"),
    (re.compile(r"\b(mg|mcg|ng|g|mmol) per (kg|ml|m2|dl|l)\b"), r"\1/\2"),
    (re.compile(r"(?<=[a-z])/(day|week|month|year|hour)\b"), r" per \1"),  # "mg/day" is "mg per day"
)
_ALIASES = ((re.compile(r"\bher2/neu\b|\berbb2\b"), "her2"),)
_UNITS = {
    "mg/kg": "mg/kg", "mg/m2": "mg/m2", "mg/m²": "mg/m2", "mcg": "mcg", "µg": "mcg", "μg": "mcg", "mg": "mg",
    "ng/ml": "ng/ml", "ng": "ng", "kg": "kg", "g": "g", "ml": "ml", "%": "%", "percent": "%", "per cent": "%",
    "iu": "iu", "l": "l", "units": "unit", "unit": "unit", "gy": "gy", "weeks": "week", "week": "week", "days": "day",
    "day": "day", "hours": "hour", "hour": "hour", "h": "hour", "minutes": "minute", "minute": "minute",
    "min": "minute", "months": "month", "month": "month", "years": "year", "year": "year", "cycles": "cycle",
    "cycle": "cycle", "times": "time", "time": "time",
}
DOSE_UNITS = frozenset("mg/kg mg/m2 mcg mg ng g ml iu unit gy".split())  # gy: a radiation dose
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
# A number, or a range of two, with an optional unit right after it ("4 mg/kg", "20-40%", "every 3 weeks"); not
# part of a name ("CDK4/6").
# A unit the table lacks is kept as written when it has the shape of one ("mmol/l", "mg/dl", "mcg/kg/min"):
# read as no unit, "7.0 mg/dl" would pass against "7.0 mmol/l".
_OTHER_UNIT = r"[a-zµμ]{1,5}(?:/[a-z0-9]{1,5})+"
QUANTITY_RE = re.compile(
    rf"(?<![\w./])(\d+(?:\.\d+)?(?:\s*(?:-|to)\s*\d+(?:\.\d+)?)?)(?:\s*({_UNIT_RE}|{_OTHER_UNIT})(?![\w/]))?", re.I
)
# A bound before or after a number: "under 60", "younger than 60 years", "60 or older", "at least 600 IU".
_AGE = r"(?:(?:the )?ages? (?:of )?|aged )?"
_BELOW_BEFORE = re.compile(
    rf"(?:\bunder|\bbelow|\bless than|\bfewer than|\byounger than|\bup to|\bat most|\bno more than|"
    rf"\bnot more than|<=?|≤)\s*{_AGE}$"
)
_ABOVE_BEFORE = re.compile(
    rf"(?:\bover|\babove|\bmore than|\bgreater than|\bolder than|\bat least|\bno less than|\bnot less than|"
    rf"\bexceeding|>=?|≥)\s*{_AGE}$"
)
_AFTER = r"^\s*(?:(?:years?(?: old)?|a day|per day|each day|daily)\s*)?(?:or|and) "
# "60 or older", but not "over 15 and below 12 g/dl": there "below" bounds the next number
_BELOW_AFTER = re.compile(_AFTER + r"(?:younger|less|fewer|under|below|lower)\b(?!\s*(?:than\s*)?\d)")
_ABOVE_AFTER = re.compile(_AFTER + r"(?:older|more|over|above|greater|higher)\b(?!\s*(?:than\s*)?\d)|^\+")

_PERIOD = r"(?:hour|day|week|month|year)"
_LY = {"hourly": "hour", "daily": "day", "nightly": "day", "weekly": "week", "monthly": "month",
       "yearly": "year", "annually": "year", "annual": "year"}  # fmt: skip
_DURATION = "".join(f"(?<!{w} )" for w in "within in for after than about over under only".split())
# How often: "every 3 weeks", "every other day", "twice a week", "2 times daily", "weekly", "7.5 mg a day"
# (not "within a year" or "for a week": durations).
SCHEDULE_RE = re.compile(
    rf"(?:(?<![\d.])(?P<times>\d+(?:-\d+)?) times? |(?P<word>once|twice|thrice) )?(?:"
    rf"every (?P<n>\d+(?:\.\d+)?(?:(?:-| to )\d+)?) (?P<nu>{_PERIOD})s?"
    rf"|every (?P<other1>other )?(?P<u1>{_PERIOD})"
    rf"|(?:{_DURATION}(?:a|an)|per|each) (?P<u2>{_PERIOD})"
    rf"|(?<![\w-])(?P<ly>{'|'.join(sorted(_LY, key=len, reverse=True))}))\b"
)
_TIMES_WORDS = {"once": "1", "twice": "2", "thrice": "3"}


_FRACTIONS = {"12": "0.5", "14": "0.25", "34": "0.75"}
_ORDINALS = {"second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6"}
# "third trimester", "second cycle", "every third week" (not "second dose": "a second dose" restates "again")
_ORDINAL_RE = re.compile(
    r"\b(second|third|fourth|fifth|sixth)(?=[- ](?:trimester|cycle|course|week|day|month|year|generation|degree)\b)"
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_STAGE_RE = re.compile(r"\bstages? (?:iv|i{1,3})\b(?:(?:,| or| and| to|-) ?(?:iv|i{1,3})\b)*")
# How often, as prescriptions abbreviate it
_SCHEDULE_WORDS = (
    (re.compile(r"\b(?:bid|b\.i\.d\.|bd|b\.d\.)(?![\w.])"), "twice a day"),
    (re.compile(r"\b(?:tid|tds|t\.i\.d\.)(?![\w.])"), "3 times a day"),
    (re.compile(r"\b(?:qid|qds|q\.i\.d\.)(?![\w.])"), "4 times a day"),
    (re.compile(r"\bq ?(\d+) ?h(?:ours?|rs?)?\b"), r"every \1 hours"),
    (re.compile(r"\b(\d+)-hourly\b"), r"every \1 hours"),
    (re.compile(r"\b(?:fortnightly|bi-?weekly)\b"), "every 2 weeks"),
    (re.compile(r"\bbi-?monthly\b"), "every 2 months"),
    (re.compile(r"\b(?:bi-?annually|semi-?annually|bi-?annual|semi-?annual|twice-yearly)\b"), "twice a year"),
)


@functools.lru_cache(maxsize=8192)  # the same passage sentences are checked for every claim that cites them
def normalise(text: str) -> str:
    """Unicode compatibility forms, one kind of dash, single spaces, lower case, American spelling, number
    words as digits, "2,300" as "2300" and ".25" as "0.25", units written out as their abbreviations."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).replace("’", "'")
    text = normalize_space(text).lower()
    for pattern, repl in _SPELLING + _ALIASES:
        text = pattern.sub(repl, text)
    text = _NUMBER_WORD_RE.sub(lambda m: _NUMBER_WORDS[m.group().lower()], text)
    text = _DECADES.sub(lambda m: _DECADE[m.group(1)] + "s", text)
    # "1/2 tablet" and "½ tablet" (NFKC: "1⁄2") are half of one, not 1 and 2; "2,5 mg" is 2.5 mg
    text = re.sub(
        r"(?<![\w/.,])([13])[/\u2044]([24])(?= (?:of|an?|the|tablets?|pills?|capsules?|doses?|cups?|teaspoons?)\b)",
        lambda m: _FRACTIONS[m.group(1) + m.group(2)],
        text,
    )
    text = re.sub(rf"(?<![\d,.])(\d+),(\d{{1,2}})(?=\s?(?:{_UNIT_RE})(?![\w/]))", r"\1.\2", text)
    # an ordinal that counts ("the second dose", "third trimester", "every third week") is a number too
    text = _ORDINAL_RE.sub(lambda m: _ORDINALS[m.group(1)], text)
    text = _STAGE_RE.sub(lambda m: re.sub(r"\b(?:iv|i{1,3})\b", lambda r: _ROMAN[r.group()], m.group()), text)
    for pattern, repl in _SCHEDULE_WORDS:
        text = pattern.sub(repl, text)
    text = re.sub(r"\ba single (?=[a-z])", "1 ", text)  # "a single application" is one application
    text = re.sub(r"(?<=\d)-to (?=\d)", " to ", text)  # "60-to 80-year-olds"
    text = re.sub(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+)(?![\d,]|\.\d)", lambda m: m.group(1).replace(",", ""), text)
    text = re.sub(r"(?<![\w.])\.(\d)", r"0.\1", text)
    for pattern, repl in _UNIT_WORDS:
        text = pattern.sub(repl, text)
    text = re.sub(r"\bbetween ((?:the )?(?:ages? (?:of )?)?)(\d+(?:\.\d+)?) and (\d+(?:\.\d+)?)\b", r"\1\2 to \3", text)
    # "5% to 10%" is "5-10%"; "about a month" is "about 1 month"
    text = re.sub(rf"\b(\d+(?:\.\d+)?) ?({_UNIT_RE}) ?(?:-|to) ?(\d+(?:\.\d+)?) ?\2(?![\w/])", r"\1-\3 \2", text)
    text = re.sub(
        r"\b(about|around|approximately|roughly|nearly|almost|only|within|for|after|in|than|over|under) an? "
        r"(hour|day|week|month|year)\b",
        r"\1 1 \2",
        text,
    )
    text = re.sub(r"\ban? (hour|day|week|month|year) or (more|longer|less|fewer)\b", r"1 \1 or \2", text)
    text = re.sub(r"\b(\d+)[- ](week|month)ly\b", r"every \1 \2s", text)  # "3-weekly"
    # "2 or 3 times", "twice or 3 times", "once or twice": one range of times
    times = r"(once|twice|thrice|\d+(?= (?:times? )?(?:or|to) ))(?: times?)?"
    return re.sub(
        rf"\b{times} (?:or|to) (once|twice|thrice|\d+ times?)\b",
        lambda m: f"{_count(m.group(1))}-{_count(m.group(2))} times",
        text,
    )


def _count(word: str) -> str:
    return _TIMES_WORDS.get(word, word.split()[0])


@dataclass(frozen=True)
class Quantity:
    value: str  # "4", "20-40" (a range written "20 to 40" reads "20-40")
    unit: str  # canonical unit, "" when none
    start: int  # offsets in the normalised text
    end: int
    bound: str = ""  # "<" ("under 60", "up to 20%"), ">" ("over 65", "at least 600 IU") or ""

    def __str__(self) -> str:
        return {"<": "under ", ">": "over ", "": ""}[self.bound] + f"{self.value} {self.unit}".strip()


def quantities(text: str) -> list[Quantity]:
    """Every number with its unit in `text` (already `normalise`d)."""
    out = []
    for m in QUANTITY_RE.finditer(text):
        value = re.sub(r"\s*(?:-|to)\s*", "-", m.group(1))
        before, after = text[max(m.start() - 40, 0) : m.start()], text[m.end() :][:40]
        bound = (
            "<" if _BELOW_BEFORE.search(before) or _BELOW_AFTER.search(after)
            else ">" if _ABOVE_BEFORE.search(before) or _ABOVE_AFTER.search(after)
            else ""
        )  # fmt: skip
        unit = (m.group(2) or "").lower()
        out.append(Quantity(value, _UNITS.get(unit, unit), m.start(), m.end(), bound))
    return out


@dataclass(frozen=True)
class Schedule:
    """How often: `times` in every `every` `unit`s ("2", "1", "week": twice a week)."""

    times: str
    every: str
    unit: str
    start: int
    end: int

    def __str__(self) -> str:
        each = f"{self.unit}" if self.every == "1" else f"{self.every} {self.unit}s"
        if self.times == "1":
            return f"every {each}"
        return f"{self.times} times every {each}" if self.every != "1" else f"{self.times} times a {each}"

    @property
    def key(self) -> tuple[str, str, str]:
        return self.times, self.every, self.unit


def schedules(text: str) -> list[Schedule]:
    """Every schedule in `text` (already `normalise`d): "every 3 weeks", "weekly", "twice a year", ..."""
    out = []
    for m in SCHEDULE_RE.finditer(text):
        times = m.group("times") or _TIMES_WORDS.get(m.group("word") or "", "1")
        if m.group("n"):
            every, unit = m.group("n").replace(" to ", "-"), m.group("nu")
        elif m.group("u1"):
            every, unit = ("2" if m.group("other1") else "1"), m.group("u1")
        elif m.group("u2"):
            every, unit = "1", m.group("u2")
        else:
            every, unit = "1", _LY[m.group("ly")]
        out.append(Schedule(times, every, unit, m.start(), m.end()))
    return out


def _doses_with_schedules(text: str) -> list[tuple[Quantity, Schedule]]:
    """Each dose followed closely by its schedule ("2 mg/kg weekly", "1200 mg of calcium a day"): at most four
    words between them, no other number, and no clause break."""
    found = quantities(text)
    out = []
    for q in found:
        if q.unit not in DOSE_UNITS:
            continue
        for s in schedules(text):
            if s.start < q.end:
                continue
            gap = text[q.end : s.start]
            if len(gap.split()) <= 4 and not re.search(r"[;,:.]|\bthen\b", gap):
                if not any(q.end <= o.start < s.start and o is not q for o in found if o.unit in DOSE_UNITS):
                    out.append((q, s))
            break
    return out


@dataclass(frozen=True)
class _Figure:
    """A number with its unit, or a schedule, where it stands in a text: what the placement rule compares."""

    kind: str  # the unit ("mg/kg", "" for none) or "schedule"
    key: str  # the value ("4", "20-40") or the schedule ("every 3 weeks")
    start: int
    end: int
    shown: str


@functools.lru_cache(maxsize=1024)  # a cited sentence is read for each figure of each claim that cites it
def _figures(text: str) -> tuple[tuple[_Figure, frozenset[str]], ...]:
    """The numbers and schedules of `text` (already `normalise`d), each with its neighbours: the content terms
    (numbers and units aside) next to it, what it is the number of. A number inside a schedule is the
    schedule's."""
    timed = schedules(text)
    out = [_Figure("schedule", str(s), s.start, s.end, str(s)) for s in timed]
    out += [
        _Figure(q.unit, q.value, q.start, q.end, str(q))
        for q in quantities(text)
        if not any(s.start <= q.start < s.end for s in timed)
    ]
    return tuple((f, _neighbours(text, f)) for f in sorted(out, key=lambda f: f.start))


def _neighbours(text: str, f: _Figure, width: int = 2) -> frozenset[str]:
    before = [t for t in content_terms(text[: f.start]) if not t[0].isdigit() and t not in _UNITS][-width:]
    after = [t for t in content_terms(text[f.end :]) if not t[0].isdigit() and t not in _UNITS][:width]
    return frozenset(before) | frozenset(after)


# Where a figure's clause ends: "... 13 g/dl in males and in females ... 12 g/dl", "...; ...", "..., whereas ..."
_FIGURE_CLAUSE = re.compile(r"[;,.]\s+|\s+(?:and|but|whereas|while|compared with|versus|vs)\s+")


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


# Words that turn a statement into its opposite ("not" and "no" are stopwords of content_terms, so they are
# looked for in the words themselves); "nor" only continues a "neither" or "not".
NEGATIONS = frozenset(
    """not no never without avoid avoided avoids avoiding contraindicated cannot can't don't doesn't isn't
    aren't shouldn't won't didn't wasn't weren't neither none unsafe""".split()
)
# Not negations: bounds and emphasis ("no more than 1500 mg", "not only ... but also").
_NOT_NEGATION = re.compile(r"\b(?:no|not) (?:more|less|fewer|longer|later|earlier|greater) than\b|\bnot only\b|"
                           r"\bwith or without\b|\bwhether or not\b|\bif not\b")  # fmt: skip
# Which way a change goes: "raises the risk" against "lowers the risk". Comparatives count only outside a
# comparison ("less precise than MRI" is "MRI is more precise than CT" turned round, not its opposite).
_UP = frozenset("increase increases increased increasing raise raises raised raising rise rises elevated".split())
_DOWN = frozenset("decrease decreases decreased decreasing reduce reduces reduced reducing lowers lowered".split())
_COMPARATIVES = {"higher": True, "greater": True, "more": True, "lower": False, "less": False, "fewer": False}
# Words whose opposite says the contrary of a clinical statement ("weight loss" against "weight gain", "levels
# are low" against "high"), and "hyper-" against "hypo-" ("hyperthyroidism", "hypoglycemia"). Not
# "before"/"after": a claim may turn an order round.
OPPOSITES = (
    ("high", "low"), ("gain", "loss"), ("gains", "losses"), ("acute", "chronic"), ("benign", "malignant"),
    ("left", "right"), ("maximum", "minimum"), ("common", "rare"), ("inside", "outside"), ("safe", "harmful"),
    ("effective", "ineffective"), ("stop", "continue"), ("stopped", "continued"), ("stops", "continues"),
    ("halve", "double"), ("halved", "doubled"), ("worsen", "improve"), ("worsens", "improves"),
    ("worsened", "improved"), ("rarely", "commonly"), ("rarely", "often"), ("rarely", "frequently"),
    ("tachycardia", "bradycardia"), ("subcutaneous", "intravenous"), ("subcutaneously", "intravenously"),
    ("intramuscular", "intravenous"), ("intramuscularly", "intravenously"), ("oral", "intravenous"),
    ("orally", "intravenously"), ("morning", "evening"), ("renal", "hepatic"), ("minor", "major"),
)  # fmt: skip
# Hedges: the source says something may, can, often or in some people happen, or is being studied.
HEDGES = frozenset(
    """may might could can possibly perhaps probably likely unlikely sometimes some often usually generally
    typically occasionally suggest suggests suggested studied investigational experimental appear appears
    seem seems option options tend tends potentially frequently""".split()
)
# Certainty: the claim says something must, always or will happen, or is required or established.
CERTAIN = frozenset(
    """must always invariably required require requires mandatory necessary will definitely certainly
    guaranteed established proven""".split()
)
# Said of a condition, a comparison or a degree, not of certainty: "if necessary", "more often in women",
# "the most sensitive", "a well-established record".
_NOT_MODAL = re.compile(
    r"\b(?:if|as|when|where) (?:necessary|required|needed|possible)\b|\b(?:more|less) (?:often|frequently|likely)\b"
    r"|\bthe most\b|\bwell[- ]established\b"
)
_PASSAGE_CERTAIN = CERTAIN | {"need", "needs", "needed", "should", "well-established"}
# Where a sentence divides into parts: punctuation, a conjunction, or "or" opening another statement ("when there
# was no earlier tamoxifen or it was stopped >12 months ago": two alternatives).
_ALTERNATIVE = re.compile(r"\bor (?=(?:it|they|there|he|she|if|when)\b)", re.I)
_CLAUSE_RE = re.compile(
    r"[,;:()]|\b(?:but|whereas|although|though|because|while|since|unless|so that)\b|" + _ALTERNATIVE.pattern,
    re.I,
)
_PRONOUN_RE = re.compile(r"(?:it|its|they|their|them|this|these|that|those|she|he|her|his)\b", re.I)
_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9'’-]*")
_SETTING = re.compile(r"(?:in|with|for|among|during|after|before)\b")
_SUBGROUP_RES = [(re.compile(a, re.I), re.compile(b, re.I)) for a, b in SUBGROUPS]
# A list: a sentence that leads in to it ("... may include the following:", "other symptoms may include"), then
# items of at most LIST_ITEM_WORDS words, one a sentence ("Phlebotomy.").
_LEAD_IN = re.compile(r"(?::|\binclud(?:e|es|ing)|\bfollowing|\bsuch as)\W*$", re.I)
LIST_ITEM_WORDS = 10
WINDOW = 4  # the most adjacent sentences a claim may rest on, lists aside
NEAR_BEST = 0.05  # a run of sentences holding the claim's words this nearly as well as the best one will do
PART_TERMS = 3  # a part of a claim with fewer terms is too short to judge by its words ("a mixed response")
PART_SIMILARITY = 0.5  # ... and one whose words are paraphrased must be this close in meaning to a sentence
NEGATION_SCOPE = 4  # words after "not", "no", "without", ... that it can negate


def _words(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


# Words a negation can be about although term statistics leave them out as too common ("not recommended").
_NEGATABLE = frozenset("recommended recommend given give used use done get gets getting should".split())


def _negatable(text: str) -> list[str]:
    """The words of `text` a negation can be about: its content terms and the few common verbs above."""
    return [stem(w) if w not in STOPWORDS else w for w in words(text) if w not in STOPWORDS or w in _NEGATABLE]


def _negations(text: str) -> list[set[str]]:
    """The negations of `text`, each as the words it can negate (the NEGATION_SCOPE words after it, in its
    clause); a word negated by "un-" or "non-" ("unreliable") is a negation of its stem."""
    out = []
    for clause in _CLAUSE_RE.split(_NOT_NEGATION.sub(" ", text)):
        tokens = _words(clause or "")
        for i, w in enumerate(tokens):
            if w in NEGATIONS:
                out.append(set(_negatable(" ".join(tokens[i + 1 : i + 1 + NEGATION_SCOPE]))))
            elif re.match(r"(?:un|non-?)[a-z]{4}", w):
                bare = _negatable(re.sub(r"^(?:un|non-?)", "", w))
                if bare:
                    out.append(set(bare))
    return out


def _about(negation: set[str], terms: Sequence[str]) -> bool:
    return any(matches(t, terms) for t in negation)


def _direction(text: str) -> bool | None:
    """True when `text` says something goes up, False down, None when it says neither or both."""
    tokens = _words(text)
    comparing = "than" in tokens
    ways = {True for w in tokens if w in _UP} | {False for w in tokens if w in _DOWN}
    if not comparing:
        ways |= {_COMPARATIVES[w] for w in tokens if w in _COMPARATIVES}
    return next(iter(ways)) if len(ways) == 1 else None


def _comparison(text: str) -> tuple[bool, str] | None:
    """("less major bleeding than warfarin"): which way the comparison goes and what it is made with, the
    first content word after "than"; None when `text` compares nothing or says both ways."""
    tokens = _words(text)
    if "than" not in tokens:
        return None
    at = tokens.index("than")
    ways = {_COMPARATIVES[w] for w in tokens[:at] if w in _COMPARATIVES}
    against = next((t for w in tokens[at + 1 :] for t in content_terms(w)), "")
    return (ways.pop(), against) if len(ways) == 1 and against else None


def _other_ending(a: str, b: str) -> bool:
    """Whether two words sharing their start end in ways of their own ("-urea" and "-chloroquine"), rather
    than as forms of one word ("metastases" and "metastatic")."""
    return min(len(a), len(b)) - len(os.path.commonprefix([a, b])) >= 4


def _hedged(text: str) -> bool:
    return any(w in HEDGES for w in _words(_NOT_MODAL.sub(" ", text)))


def _certain(text: str, vocabulary: frozenset[str] = CERTAIN) -> bool:
    return any(w in vocabulary for w in _words(_NOT_MODAL.sub(" ", text)))


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_RE.split(text) if len(_terms(c)) >= 2]


def _terms(text: str) -> list[str]:
    return [t for t in content_terms(text) if t not in NEGATIONS]


def _sides(text: str) -> list[tuple[bool, bool]]:
    """For each subgroup pair, whether `text` names its first side and its second."""
    return [(bool(a.search(text)), bool(b.search(text))) for a, b in _SUBGROUP_RES]


def _group_terms(text: str) -> set[str]:
    """The terms of the subgroups `text` names ("postmenopausal", "her2 negative", "stage iii")."""
    return {t for pair in _SUBGROUP_RES for side in pair for m in side.finditer(text) for t in content_terms(m.group())}


def _compared(text: str) -> set[tuple[int, int]]:
    """Subgroup pairs `text` compares, and which way: (pair, 0) for "more often in <first> than <second>"."""
    out = set()
    for i, (a, b) in enumerate(_SUBGROUP_RES):
        for first, second, way in ((a, b, 0), (b, a, 1)):
            for m in first.finditer(text):
                rest = text[m.end() : m.end() + 60]
                than = re.match(r"[^.;,]*?\bthan (?:in |for |among )?(?:the )?", rest)
                if than and second.match(rest, than.end()):
                    out.add((i, way))
    return out


def drug_names(vocabulary: Iterable[Entry]) -> frozenset[str]:
    """Names of drugs and drug classes: every class vocabulary.yaml lists, with its members, and a class the
    corpus states itself ("aromatase inhibitor (anastrozole, letrozole or exemestane)") when one of its
    members is a drug by its name's ending (not "first-degree relative (mother, sister or daughter)")."""
    members: dict[str, set[str]] = {}
    listed = set()
    for e in vocabulary:
        if e.kind == "class":
            members.setdefault(e.term, set()).add(e.expansion.lower())
            if e.source == "vocabulary.yaml":
                listed.add(e.term)
    names = set()
    for name, of in members.items():
        if name in listed or any(drug_like(t) for m in of for t in content_terms(m)):
            names |= {name, *of}
    return frozenset(n for n in names if content_terms(n))


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


@dataclass
class _Unit:
    """Adjacent sentences `first`..`last` of cited passage `passage`, as one text."""

    passage: int
    first: int
    last: int
    text: str  # normalised
    terms: list[str]
    similarity: float
    coverage: float

    @property
    def size(self) -> int:
        return self.last - self.first + 1


class Verifier:
    """Checks claims against given passages; `encode` embeds texts as unit vectors (the index's model)."""

    def __init__(
        self,
        weights: TermWeights,
        encode: Callable[[Sequence[str]], np.ndarray],
        *,
        min_similarity: float,
        min_coverage: float,
        drug_names: Iterable[str] = (),
        vectors: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.weights = weights
        self.encode = encode
        self.min_similarity = min_similarity
        self.min_coverage = min_coverage
        # each vocabulary drug name as its terms: a name of several words is named only by all of them in a row
        self.drug_names = tuple(sorted({tuple(term_sequence(n)) for n in drug_names} - {()}))
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
            drug_names=drug_names(index.vocabulary),
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
        # Only what is compared, in one call: the claims, the cited sentences, and each part of a claim long
        # enough to be judged alone (`_holds` needs it when its words are paraphrased).
        parts = [p for text in texts for p in _clauses(normalise(text)) if len(_terms(p)) >= PART_TERMS]
        self._embed(meant + [s for i in sorted(cited) for s in sentences[i]] + parts)
        return [
            self._check(text, sources, passages, sentences, self._vectors[m])
            for (text, sources), m in zip(claims, meant, strict=True)
        ]

    def _units(
        self,
        given: list[int],
        passages: Sequence[Passage],
        sentences: list[list[str]],
        cv: np.ndarray,
        terms: list[str],
    ) -> list[_Unit]:
        """Every run of sentences a claim may rest on: each sentence, up to WINDOW adjacent ones, and a list with
        its lead-in. Each is read under its passage's title and headings ("Treatment may include the following:"
        under "Polycythemia Vera")."""
        units = []
        for i in given:
            texts = sentences[i]
            n = len(texts)
            spans = {(j, min(j + k, n - 1)) for j in range(n) for k in range(WINDOW)}
            for j in range(n - 1):  # a list: its lead-in, then one short item a sentence
                if _LEAD_IN.search(texts[j]):
                    k = j
                    while k + 1 < n and len(texts[k + 1].split()) <= LIST_ITEM_WORDS:
                        k += 1
                    spans.add((j, k))
            vectors = np.stack([self._vectors[t] for t in texts])
            norm = [normalise(t) for t in texts]
            sentence_terms = [content_terms(t) for t in norm]
            heading = content_terms(normalise(" ".join(dict.fromkeys((passages[i].title, *passages[i].section)))))
            for a, b in sorted(spans):
                v = vectors[a : b + 1].sum(axis=0)
                have = list(dict.fromkeys(t for ts in (*sentence_terms[a : b + 1], heading) for t in ts))
                units.append(
                    _Unit(
                        i, a, b, " ".join(norm[a : b + 1]), have,
                        float(cv @ v / (np.linalg.norm(v) or 1.0)), self.weights.coverage(terms, have),
                    )
                )  # fmt: skip
        return units

    def _check(
        self,
        text: str,
        sources: tuple[int, ...],
        passages: Sequence[Passage],
        sentences: list[list[str]],
        cv: np.ndarray,
    ) -> Verdict:
        v = Verdict(text, sources)
        given = [n - 1 for n in dict.fromkeys(sources) if 1 <= n <= len(passages)]
        if not given:
            named = ", ".join(f"S{n}" for n in sources)
            return self._fail(v, "uncited", f"cites {named}, which was not given" if sources else "cites no passage")
        given = [i for i in given if sentences[i]]
        if not given:
            return self._fail(v, "unsupported", "the cited passages have no sentences")
        claim = normalise(text)
        parts = _clauses(claim) or [claim]
        units = self._units(given, passages, sentences, cv, _terms(claim))
        # An opening phrase without a verb ("In polycythemia vera, ...") sets the scene: it is held with the
        # whole claim, not alone.
        opening = _CLAUSE_RE.split(claim, maxsplit=1)
        setting = opening[0].strip() if len(opening) > 1 and _SETTING.match(opening[0].strip()) else ""
        held = [p for p in parts if len(parts) == 1 or p.strip() != setting]
        # What the claim rests on: of the runs of sentences close to it in meaning that hold its words and each
        # part's, the fewest sentences holding its words nearly as well as the best; failing that, its closest
        # sentence, against which the other checks still run.
        qualified, missing = [], None
        for u in units:
            if u.similarity < self.min_similarity or u.coverage < self.min_coverage:
                continue
            lacking = [p for p in held if not self._holds(p, u, sentences)]
            if lacking:
                missing = missing or lacking[0]
            else:
                qualified.append(u)
        rest = None
        if qualified:
            best = max(u.coverage for u in qualified)
            near = [u for u in qualified if u.coverage >= best - NEAR_BEST]
            rest = min(near, key=lambda u: (u.size, -u.similarity))
        unit = rest or max((u for u in units if u.size == 1), key=lambda u: u.similarity)
        v.passage, v.similarity, v.coverage = unit.passage, unit.similarity, unit.coverage
        # the sentence it is cited by: of those it rests on, the closest in meaning
        v.sentence = max(
            range(unit.first, unit.last + 1), key=lambda j: float(cv @ self._vectors[sentences[unit.passage][j]])
        )
        anchors = [self._anchor(p, unit, sentences) for p in parts]
        # The sentence a part restates is found by what it says, not by the group or drug it names: a claim that
        # swaps "premenopausal" for "postmenopausal" is still held against the sentence it restates. An opening
        # phrase ("In postmenopausal women, ...") names the group of every part after it.
        scoped = [p if not setting or p.strip() == setting else f"{setting} {p}" for p in parts]
        of_group = [self._anchor(p, unit, sentences, leave_out=_group_terms(p)) for p in scoped]
        of_drug = [self._anchor(p, unit, sentences, leave_out=self._drug_terms(p)) for p in parts]

        passage_texts = [normalise(s) for i in given for s in sentences[i]]
        problem = self._numbers(claim, passage_texts, unit.text if rest else None)
        if problem:
            return self._fail(v, "number", problem)
        problem = self._drugs(parts, of_drug, claim, " ".join(passage_texts))
        if problem:
            return self._fail(v, "drug", problem)
        problem = self._population(scoped, of_group, unit.text)
        if problem:
            return self._fail(v, "population", problem)
        # the clause of its anchor each part restates, read by both checks below
        restated = [self._clause_of(p, a) for p, a in zip(parts, anchors, strict=True)]
        problem = self._negation(parts, anchors, restated)
        if problem:
            return self._fail(v, "negation", problem)
        problem = self._certainty(claim, parts, restated, unit.text)
        if problem:
            return self._fail(v, "certainty", problem)
        if rest is None:
            if missing:
                return self._fail(v, "unsupported", f"“{missing.strip(' ,.;')}” is not in the cited passage")
            return self._fail(
                v,
                "unsupported",
                f"best cited sentences: similarity {v.similarity:.2f} (at least {self.min_similarity:.2f}), "
                f"terms held {v.coverage:.0%} (at least {self.min_coverage:.0%})",
            )
        return v

    def _holds(self, part: str, unit: _Unit, sentences: list[list[str]]) -> bool:
        """Whether `unit` says this part of a claim: holds its words or, where they are paraphrased, is close to
        it in meaning. A part of fewer than PART_TERMS terms is too short to judge alone."""
        terms = _terms(part)
        if len(terms) < PART_TERMS or self.weights.coverage(terms, unit.terms) >= self.min_coverage:
            return True
        self._embed([part])  # embedded with the claims already; here only when called on its own
        pv = self._vectors[part]
        texts = sentences[unit.passage][unit.first : unit.last + 1]
        return max(float(pv @ self._vectors[t]) for t in texts) >= PART_SIMILARITY

    def _anchor(self, part: str, unit: _Unit, sentences: list[list[str]], leave_out: Iterable[str] = ()) -> str:
        """The sentence of `unit` a part of the claim restates: the one holding most of its terms (but
        `leave_out`)."""
        out = set(leave_out)
        terms = [t for t in _terms(part) if t not in out] or _terms(part)
        texts = [normalise(sentences[unit.passage][j]) for j in range(unit.first, unit.last + 1)]
        return max(texts, key=lambda s: self.weights.coverage(terms, content_terms(s)))

    @staticmethod
    def _fail(v: Verdict, reason: str, detail: str) -> Verdict:
        v.reasons.append(reason)
        v.detail = detail
        return v

    @staticmethod
    def _numbers(claim: str, sources: list[str], rests_on: str | None) -> str:
        """Why a number or schedule of the claim is not the cited passage's, or "" when each is."""
        timed = schedules(claim)
        asked = [q for q in quantities(claim) if not any(s.start <= q.start < s.end for s in timed)]
        found = [(s, q) for s in sources for q in quantities(s)]

        def same(q: Quantity, o: Quantity) -> bool:
            return o.value == q.value and (o.unit == q.unit or not q.unit)

        for q in asked:
            if not any(same(q, o) for _, o in found):
                return f"{q} is not in the cited passage"
            if q.bound and not any(same(q, o) and o.bound in ("", q.bound) for _, o in found):
                other = next(o for _, o in found if same(q, o))
                return f"{q} where the cited passage gives {other}"
        given = {s.key for t in sources for s in schedules(t)}
        for s in timed:
            if s.key not in given:
                return f"{s} is not in the cited passage"
        pairs = {(q.value, q.unit, s.key) for t in sources for q, s in _doses_with_schedules(t)}
        for q, s in _doses_with_schedules(claim):
            if (q.value, q.unit, s.key) not in pairs:
                gives = sorted({str(o) for t in sources for o, x in _doses_with_schedules(t) if x.key == s.key})
                where = f" (it gives {s} for {', '.join(gives)})" if gives else ""
                return f"{q} {s} is not in the cited passage{where}"
        if rests_on is not None:
            held = quantities(rests_on)
            for q in asked:
                if not any(same(q, o) for o in held):
                    return f"{q} is not in the sentences the claim rests on"
            for s in timed:
                if s.key not in {x.key for x in schedules(rests_on)}:
                    return f"{s} is not in the sentences the claim rests on"
        if _in_sequence(asked, sources):
            return ""  # a sentence gives these very values, in this order: "lung (17%), brain (16%)"
        # In its place: in a cited sentence that gives this value (or schedule), no other value of the unit stands
        # where the claim puts this one ("a loading dose of 6 mg/kg" where the passage loads with 4 mg/kg and
        # continues with 6 mg/kg; "checked twice a year" where twice a year is for another group).
        for f, near in _figures(claim):
            if not near:
                continue
            best_rival: tuple[int, _Figure | None] = (-1, None)
            for sentence in sources:
                theirs = [(g, around) for g, around in _figures(sentence) if g.kind == f.kind]
                mine = [around for g, around in theirs if g.key == f.key]
                if not mine:
                    continue
                fit = max(len(near & around) for around in mine)
                rivals = [(len(near & around), g) for g, around in theirs if g.key != f.key]
                top = max(rivals, key=lambda r: r[0], default=(-1, None))
                if top[0] <= fit:
                    break
                best_rival = max(best_rival, top, key=lambda r: r[0])
            else:
                if best_rival[1] is not None:
                    return f"{f.shown} where the cited passage gives {best_rival[1].shown}"
        return ""

    def _drugs(self, parts: list[str], anchors: list[str], claim: str, passage: str) -> str:
        """A drug the claim names that the cited passage does not, or that a part of the claim names where the
        sentence it restates names other drugs only ("only cabergoline is approved" against "bromocriptine is
        the only ... approved"; a sentence that names no drug, "these drugs", is read with the passage)."""
        # a drug's name is matched whole, not by a shared prefix ("hydroxyurea" is not "hydroxychloroquine")
        have = set(content_terms(passage))
        named = self._named_drugs(claim)
        absent = [d for d in named if not all(t in have for t in d.split())]
        if absent:
            return f"{', '.join(absent)} is not in the cited passage"
        # nor a rare name the passage gives another ending: "hydroxyurea" for "hydroxychloroquine",
        # "chlorambucil" for "chloramphenicol" (a shared first seven letters is not the same name)
        for t in content_terms(claim):
            if t in have or len(t) < 8 or zipf(t) >= COMMON_ZIPF:  # a rarer word is a name (a drug, a disease)
                continue
            like = next((h for h in have if h[:7] == t[:7] and len(h) >= 8 and _other_ending(t, h)), None)
            if like is not None:
                return f"{t} is not in the cited passage (it names {like})"
        # nor inside a longer name the passage gives: "trastuzumab" where it says only "trastuzumab emtansine"
        theirs = self._named_drugs(passage) if named else []
        for d in (d for d in named if d not in theirs):
            longer = next((m for m in theirs if f" {d} " in f" {m} "), None)
            if longer is not None:
                return f"{d} is named in the cited passage only as part of {longer}"
        for part, anchor in zip(parts, anchors, strict=True):
            theirs = self._named_drugs(anchor)
            if not theirs:
                continue
            terms = content_terms(anchor)
            elsewhere = [d for d in self._named_drugs(part) if not all(matches(t, terms) for t in d.split())]
            if elsewhere:
                return (
                    f"{', '.join(elsewhere)} is not named where the cited passage says this "
                    f"(it names {', '.join(theirs)})"
                )
        return ""

    def _drug_terms(self, part: str) -> set[str]:
        return {t for name in self._named_drugs(part) for t in name.split()}

    def _named_drugs(self, text: str) -> list[str]:
        seq = term_sequence(text)
        named = [t for t in dict.fromkeys(seq) if drug_like(t)]
        at: dict[str, list[int]] = {}
        for i, t in enumerate(seq):
            at.setdefault(t, []).append(i)
        for name in self.drug_names:
            if any(tuple(seq[i : i + len(name)]) == name for i in at.get(name[0], ())):
                named.append(" ".join(name))
        # a name inside a longer one named too ("trastuzumab" in "trastuzumab deruxtecan") is not named again
        return [n for n in dict.fromkeys(named) if not any(n != m and f" {n} " in f" {m} " for m in named)]

    @staticmethod
    def _population(parts: list[str], anchors: list[str], rests_on: str) -> str:
        """A subgroup a part of the claim names where the sentence it restates, or all the sentences the claim
        rests on, name the other side of the pair only; or two groups compared the other way round."""
        theirs = _sides(rests_on)
        for part, anchor in zip(parts, anchors, strict=True):
            for (a, b), whole, sentence in zip(_sides(part), theirs, _sides(anchor), strict=True):
                if a != b and (whole == (b, a) or sentence == (b, a)):
                    return f"“{part.strip(' ,.;')}” is about another group than the cited sentence"
        ours, passage = _compared(" ".join(parts)), _compared(rests_on)
        for i, way in ours:
            if (i, 1 - way) in passage and (i, way) not in passage:
                return "the claim compares the two groups the other way round from the cited sentence"
        # Each figure with its group: "below 13 g/dl in females ... and below 12 g/dl in males" where the
        # passage gives 13 for males and 12 for females names both groups and both figures, swapped.
        given = [({q.value for q in quantities(c)}, _sides(c)) for c in _FIGURE_CLAUSE.split(rests_on)]
        for clause in _FIGURE_CLAUSE.split(" ".join(parts)):
            for value in {q.value for q in quantities(clause)}:
                holding = [sides for values, sides in given if value in values]
                for i, (a, b) in enumerate(_sides(clause)):
                    if a != b and holding and all(h[i] == (b, a) for h in holding):
                        return f"“{clause.strip(' ,.;')}” gives the figure of another group than the cited sentence"
        return ""

    def _negation(self, parts: list[str], anchors: list[str], restated: list[str | None]) -> str:
        """A part of the claim negated where the clause it restates is not, or the reverse. Negations are
        counted, not placed ("causes no early symptoms" and "does not cause early signs or symptoms" agree):
        each side's negations of something the other side mentions, less those both make of the same thing
        ("no visceral involvement" in both), must be both even or both odd."""
        for part, anchor, match in zip(parts, anchors, restated, strict=True):
            if match is None:
                continue
            part_terms, anchor_terms = _negatable(part), _negatable(anchor)
            ours = [n for n in _negations(part) if _about(n, anchor_terms)]
            theirs = [n for n in _negations(match) if _about(n, part_terms)]
            said = _negations(anchor)
            for n in list(ours):
                same = next((m for m in said if any(matches(t, m) for t in n)), None)
                if same is not None:
                    ours.remove(n)
                    if same in theirs:
                        theirs.remove(same)
            if len(ours) % 2 != len(theirs) % 2 and not self._restates_alternative(part, anchor, len(ours) % 2 == 1):
                what = "negates what" if len(ours) % 2 else "drops the negation of what"
                return f"“{part.strip(' ,.;')}” {what} the cited sentence says (“{match.strip(' ,.;')}”)"
            way, said_way = _direction(part), _direction(match)
            if way is not None and said_way is not None and way != said_way:
                return f"“{part.strip(' ,.;')}” goes the other way from the cited sentence (“{match.strip(' ,.;')}”)"
            ours_c, theirs_c = _comparison(part), _comparison(match)
            if ours_c and theirs_c and ours_c[1] == theirs_c[1] and ours_c[0] != theirs_c[0]:
                stated = match.strip(" ,.;")
                return f"“{part.strip(' ,.;')}” compares the other way from the cited sentence (“{stated}”)"
            ours_w, theirs_w = set(re.findall(r"[a-z]+", part)), set(re.findall(r"[a-z]+", match))
            prefixed = [(w, re.sub(r"^hyper", "hypo", w)) for w in ours_w | theirs_w if w.startswith("hyper")]
            for a, b in (*OPPOSITES, *prefixed):
                for x, y in ((a, b), (b, a)):
                    if x in ours_w and y not in ours_w and y in theirs_w and x not in theirs_w:
                        return f"“{part.strip(' ,.;')}” says “{x}” where the cited sentence says “{y}”"
        return ""

    def _restates_alternative(self, part: str, sentence: str, odd: bool) -> bool:
        """Whether the part restates, with the same polarity, an alternative the sentence offers after "or" ("when
        there was no earlier tamoxifen or it was stopped >12 months ago": "when earlier tamoxifen was stopped
        more than 12 months ago" restates the second)."""
        part_terms = _terms(part)
        for group in _ALTERNATIVE.split(sentence)[1:]:
            first = _CLAUSE_RE.split(group)[0] or group
            if self.weights.coverage(_terms(first), part_terms) >= 0.5 and (len(_negations(first)) % 2 == 1) == odd:
                return True
        return False

    def _certainty(self, claim: str, parts: list[str], restated: list[str | None], rests_on: str) -> str:
        """A claim more certain than its source: a word of certainty ("must", "always", "will", "required")
        where the sentences it rests on use none, or no hedge at all where a clause it restates hedges
        ("may", "can", "often", "some", "is being studied")."""
        for part, match in zip(parts, restated, strict=True):
            if _certain(part) and not _certain(rests_on, _PASSAGE_CERTAIN):
                return f"“{part.strip(' ,.;')}” is stated more firmly than the cited sentences state it"
            if match is not None and _hedged(match) and not _hedged(claim):
                return f"“{part.strip(' ,.;')}” drops the hedge of “{match.strip(' ,.;')}”"
        return ""

    def _clause_of(self, part: str, sentence: str) -> str | None:
        """The clause of `sentence` (or the fewest adjacent clauses) holding at least half of the part's terms,
        the most of them; None when no run of clauses does."""
        terms = _terms(part)
        total = sum(self.weights.idf(t) for t in terms)
        if not total:
            return None
        # alternatives ("no earlier tamoxifen or it was stopped") are never joined: a claim may restate one
        groups = [[c for c in _CLAUSE_RE.split(g) if c and c.strip()] or [g] for g in _ALTERNATIVE.split(sentence)]
        # Each clause as the set of the part's terms it holds, a bit each: a run holds their union, grown a
        # clause at a time and never longer than the shortest run found, so a sentence of hundreds of clauses
        # is not a hang.
        bits = [[sum(1 << k for k, t in enumerate(terms) if matches(t, _terms(c))) for c in g] for g in groups]
        weight: dict[int, float] = {}

        def share(mask: int) -> float:
            if mask not in weight:
                weight[mask] = sum(self.weights.idf(t) for k, t in enumerate(terms) if mask >> k & 1) / total
            return weight[mask]

        found: tuple[int, float, str] | None = None  # (clauses, share, text) of the best run so far
        for g, b in zip(groups, bits, strict=True):
            if share(functools.reduce(operator.or_, b, 0)) < 0.5:  # no run of this group reaches half
                continue
            for i in range(len(b)):
                mask = 0
                for j in range(i, min(len(b), i + (found[0] if found else len(b)))):
                    mask |= b[j]
                    s = share(mask)
                    if s >= 0.5:
                        if found is None or j - i + 1 < found[0] or s > found[1]:
                            found = (j - i + 1, s, " ".join(g[i : j + 1]))
                        break
        return found[2] if found else None

    def _embed(self, texts: Sequence[str]) -> None:
        embed_into(self._vectors, texts, self.encode)
