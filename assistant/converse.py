"""Follow-up questions without an LLM: borrow from earlier turns what the new question leaves implicit.

A question needs context when it opens with a continuation cue ("And for ...?", "What about ...?"),
refers back with a pronoun ("Is it safe?"), or has three content terms or fewer ("What loading dose is
used?"). It then borrows the content terms of the previous turn's retrieval query, except the terms
the new question replaces: a carried term that shares a long stem with a new term ("postmenopausal"
when the new question says "premenopausal") is dropped, because the question is contrasting them.
docs/retrieval.md explains the method and its limits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.terms import content_terms

_CUE = re.compile(r"^\s*(and|but|also|so|or|then|what about|how about|same for|what if)\b", re.I)
_BACK_REFERENCE = re.compile(
    r"\b(it|its|this|that|these|those|they|them|their|there|such|same|the drug|the dose|the regimen)\b", re.I
)
MIN_SELF_CONTAINED_TERMS = 4


def needs_context(question: str) -> bool:
    return (
        bool(_CUE.search(question))
        or bool(_BACK_REFERENCE.search(question))
        or len(content_terms(question)) < MIN_SELF_CONTAINED_TERMS
    )


def _replaced(carried: str, new_terms: Sequence[str]) -> bool:
    for t in new_terms:
        if t != carried and min(len(t), len(carried)) >= 6:
            common_suffix = len(_common_prefix(t[::-1], carried[::-1]))
            common_prefix = len(_common_prefix(t, carried))
            if common_suffix >= 6 or common_prefix >= 6:
                return True
    return False


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def resolve(question: str, previous_query: str | None) -> str:
    """The retrieval query for `question`, given the retrieval query of the turn before it."""
    if not previous_query or not needs_context(question):
        return question
    new_terms = content_terms(question)
    carried = [t for t in content_terms(previous_query) if t not in new_terms and not _replaced(t, new_terms)]
    return f"{question} {' '.join(carried)}".strip() if carried else question


def retrieval_query(question: str, history: Sequence[str], turns: int = 2) -> str:
    """Resolve each of the last `turns` earlier questions in order, then the current one."""
    query: str | None = None
    for earlier in list(history)[-turns:] if turns else []:
        query = resolve(earlier, query)
    return resolve(question, query)
