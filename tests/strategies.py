"""Hypothesis strategies the property tests share: text built from the pieces a parser reacts to."""

from __future__ import annotations

from hypothesis import strategies as st


def corpus_text(pieces: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.sampled_from(pieces),
        st.text(max_size=20),
        st.integers(0, 4_000).map(lambda n: " " * n),  # the padding that made regexes backtrack
        st.integers(0, 300).map(lambda n: "## Dose\n\n" * n),  # repeated headings
    )
    return st.lists(piece, max_size=40).map("".join)


def as_bytes(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    return st.one_of(text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200))
