"""Follow-up questions without an LLM: each turn either continues the conversation or starts a new topic.

A question **continues** the conversation when it opens with a continuation cue ("And for ...?", "What
about ...?"), refers back with a pronoun ("Is it safe?"), or is short and names no topic of its own
("What loading dose is used?"). It then borrows the content terms of the previous turn's retrieval
query, except the terms it replaces (a carried term sharing a long stem with a new one: "postmenopausal"
when the new question says "premenopausal").

A question **starts a new topic** when it names a topic of its own (a condition, drug, population or
procedure the corpus knows: a word of a document title, an article's section heading or tag, or the
vocabulary) that the conversation so far has not, and neither a cue nor a pronoun ties it back. It is
then searched as asked, never diluted by earlier turns. docs/retrieval.md gives the method and its data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from indexer.terms import content_terms

_CUE = re.compile(
    r"^\s*(and|but|also|so|or|then|what about|how about|same for|what if|ok and|and what)\b"
    r"|\b(instead|as well|else|otherwise|in that case)\b",
    re.I,
)
# Explicit markers of a new topic ("different pt, ...", "separate question: ..."): no borrowing.
_NEW_TOPIC = re.compile(
    r"^\s*(different|diff|another|new|separate|unrelated|other|next)\s+(pt|patient|question|q|case|topic|query|one)\b"
    r"|^\s*(unrelated|separately|new question|changing the subject|on another note)\b"
    r"|^\s*(switching|switch|moving on|moving|turning|changing)( over| now)? to\b"
    r"|^\s*(switching|switch)\s+(pts?|patients?|cases?|topics?|subjects?|gears)\b",
    re.I,
)


# The part of those markers that leaves the patient, not only the topic ("switching to an AI" does not).
_OTHER_PATIENT = re.compile(
    r"^\s*(different|diff|another|new|separate|unrelated|other|next)\s+(pt|patient|question|q|case)\b"
    r"|^\s*(unrelated|separately|new question|changing the subject|on another note)\b"
    r"|^\s*(switching|switch)\s+(pts?|patients?|cases?)\b",
    re.I,
)


def moves_on(question: str) -> bool:
    """The question says it leaves the conversation's patient ("different pt, ...", "unrelated - ...")."""
    return bool(_OTHER_PATIENT.search(question))


_BACK_REFERENCE = re.compile(
    r"\b(it|its|this|that|these|those|they|them|their|there|such|same|the drug|the dose|the regimen|"
    r"the same)\b",
    re.I,
)


def names_before_pointing(question: str, named: Callable[[str], bool]) -> bool:
    """The question names what its pronoun points at before it ("on the OCP since 16, does that add
    anything?"): a term `named` says is a subject (the pipeline's: a topic, or a word the vocabulary
    expands)."""
    m = _BACK_REFERENCE.search(question)
    return m is not None and any(named(t) for t in content_terms(question[: m.start()]))


# "she", "her", "he", "his" point at the patient, not at what was discussed: a question that names a topic
# of its own ("is thermography an alternative for her?") starts it; one that does not continues.
_PATIENT = re.compile(r"\b(she|he|her|him|his|hers|she's|he's)\b", re.I)
MIN_SELF_CONTAINED_TERMS = 4

# Words that name an aspect of a topic, not a topic: a question made of these and nothing else is about
# the topic already under discussion ("What dose?", "How long is treatment?", "Any side effects?").
ASPECTS = frozenset(
    content_terms(
        """dose doses dosing dosage loading maintenance schedule weekly daily duration long length frequency
        interval often side effects effect adverse toxicity toxicities risk risks benefit benefits safe safety
        monitoring monitor contraindication contraindications interaction interactions evidence option options
        alternative alternatives first second line lines treatment treatments therapy therapies treat treated
        management manage recommended recommendation guideline guidelines start stop continue combine
        combined combination response outcome outcomes survival prognosis data trial trials study studies
        test testing tests indication indications use used given give route oral intravenous type types
        stage stages best preferred standard approach next later earlier before after during time"""
    )
)


def topic_vocabulary(phrases: Iterable[str]) -> frozenset[str]:
    """Topic terms from names the corpus gives its subjects (titles, headings, tags, vocabulary)."""
    return frozenset(t for p in phrases for t in content_terms(p) if t not in ASPECTS and not t.isdigit())


@dataclass(frozen=True)
class Resolution:
    """How one turn was read: the retrieval query, and whether (and from what) it borrowed context."""

    query: str
    followup: bool
    reason: str  # cue | pronoun | patient | short | new-topic | self-contained | first
    borrowed: tuple[str, ...] = ()
    of: str | None = None  # the earlier question whose context was borrowed
    topics: tuple[str, ...] = field(default=())  # the question's own topic terms
    # For a follow-up, what the conversation is about: the topic terms (with their vocabulary expansions) of
    # the latest earlier turn that named any. What "it" points at; what "anything else?" asks beyond.
    subject: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "followup": self.followup,
            "reason": self.reason,
            "of": self.of,
            "borrowed": list(self.borrowed),
            "topics": list(self.topics),
            "subject": list(self.subject),
        }


def classify(
    question: str, previous_query: str | None, topics: frozenset[str], expanded: str | None = None
) -> tuple[bool, str, tuple[str, ...]]:
    """(continues the conversation?, why, the question's own new topic terms).

    `expanded` is the question with its vocabulary expansions: a topic may be named in another form of its
    word ("a pregnant pt" names pregnancy), though not by a synonym the vocabulary adds ("family
    history?" after a question on risk factors asks for more of that topic, not a new one)."""
    terms = content_terms(question)
    before = set(content_terms(previous_query or ""))
    forms = [t for t in dict.fromkeys(content_terms(expanded or question)) if t in topics and t not in before]
    own = tuple(t for t in forms if any(t == w or len(_common_prefix(t, w)) >= 6 for w in terms))
    if previous_query is None:
        return False, "first", own
    if _NEW_TOPIC.search(question):
        return False, "new-topic", own
    if _CUE.search(question):
        return True, "cue", own
    if _BACK_REFERENCE.search(question):
        return True, "pronoun", own
    if own:
        return False, "new-topic", own
    if _PATIENT.search(question):
        return True, "patient", own
    if len(terms) < MIN_SELF_CONTAINED_TERMS:
        return True, "short", own
    return False, "self-contained", own


def _replaced(carried: str, new_terms: Sequence[str]) -> bool:
    for t in new_terms:
        if t != carried and min(len(t), len(carried)) >= 6:
            common_suffix = len(_common_prefix(t[::-1], carried[::-1]))
            common_prefix = len(_common_prefix(t, carried))
            if common_suffix >= 6 or common_prefix >= 6:
                return True
    return False


# The two sides of a subgroup, as terms: a follow-up naming one side ("what about women?") carries none of
# the other side's words from the turn before ("... in men?"), which would pull its sentences back.
_SIDES = tuple(
    (frozenset(content_terms(a)), frozenset(content_terms(b)))
    for a, b in (
        ("men man male males boy boys", "women woman female females girl girls"),
        ("positive", "negative"),
        ("early", "late advanced"),
    )
)


def _contrasted(carried: str, new_terms: Sequence[str]) -> bool:
    """`carried` is one side of a subgroup whose other side the follow-up names."""
    for a, b in _SIDES:
        for side, other in ((a, b), (b, a)):
            if carried in other and any(t in side for t in new_terms):
                return True
    return False


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def resolve(
    question: str,
    previous_query: str | None,
    topics: frozenset[str] = frozenset(),
    of: str | None = None,
    asked: str | None = None,
) -> Resolution:
    """The retrieval query for `question`, given the retrieval query of the turn before it.

    `asked` is the question as the clinician wrote it (spelling corrected, nothing appended), which decides
    follow-up or new topic; `question` (with vocabulary expansions) is what the query is built from.
    """
    followup, reason, own = classify(asked or question, previous_query, topics, expanded=question)
    if not followup or not previous_query:
        return Resolution(question, False, reason, topics=own)
    new_terms = content_terms(question)
    carried = tuple(
        t
        for t in content_terms(previous_query)
        if t not in new_terms and not _replaced(t, new_terms) and not _contrasted(t, new_terms)
    )
    query = f"{question} {' '.join(carried)}".strip() if carried else question
    return Resolution(query, True, reason, carried, of, own)


Turn = str | tuple[str, str]  # a question, or (as asked, with expansions)


def resolve_conversation(
    question: Turn, history: Sequence[Turn], turns: int = 2, topics: frozenset[str] = frozenset()
) -> Resolution:
    """Resolve each of the last `turns` earlier questions in order, then the current one.

    A new topic anywhere in the window resets the context: what came before it is not carried on.
    """
    query: str | None = None
    subject: tuple[str, ...] = ()
    window = list(history)[-turns:] if turns else []
    for earlier in window:
        asked, text = _turn(earlier)
        before = set(content_terms(query or ""))
        resolution = resolve(text, query, topics, asked=asked)
        named = tuple(t for t in content_terms(text) if t in topics and t not in before)
        if named:
            subject = named
        elif not resolution.followup:
            subject = ()
        query = resolution.query
    asked, text = _turn(question)
    resolution = resolve(text, query, topics, of=_turn(window[-1])[0] if window else None, asked=asked)
    if resolution.followup:
        resolution = replace(resolution, subject=subject)
    return resolution


def _turn(turn: Turn) -> tuple[str, str]:
    return (turn, turn) if isinstance(turn, str) else turn


def retrieval_query(question: str, history: Sequence[str], turns: int = 2, topics: frozenset[str] = frozenset()) -> str:
    return resolve_conversation(question, history, turns, topics).query
