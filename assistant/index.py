"""An index opened for answering: the verified reader, the index's own model, and what retrieval looks up."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from indexer.errors import BuildError, IndexMismatch
from indexer.model import Reference
from indexer.store import IndexReader, StoredChunk
from indexer.terms import TermWeights, content_terms, zipf

TOPIC_ZIPF = 3.5  # wordfreq's Zipf scale: rarer than about one use in 300,000 words of general English


def _domain_word(term: str) -> bool:
    """A stemmed corpus term rare in general English in every form it may stand for ("notic" is "notice")."""
    if len(term) < 4 or not term.isalpha():
        return False
    return all(zipf(term + end) < TOPIC_ZIPF for end in ("", "s", "e", "es", "ed", "ing", "y"))


class SearchIndex:
    """One verified index and the embedder that matches it; read-only and safe to share between threads.

    Caches live on the instance, so dropping the index frees them (the app replaces it on every rebuild).
    """

    def __init__(self, index_dir: Path, *, embedder=None, precision: str = "auto") -> None:
        """`precision` is the settings' (GUIDELINE_QA_PRECISION): `auto` embeds questions in the index's own
        precision; a forced one that differs from the index's is refused, as is an embedder in another."""
        self.reader = IndexReader(Path(index_dir))
        self.path = self.reader.path
        self.manifest = self.reader.manifest
        model = self.manifest.model
        if precision != "auto" and precision != model.precision:
            raise IndexMismatch(
                f"{self.path} holds passages embedded in {model.precision}, but GUIDELINE_QA_PRECISION asks for "
                f"{precision}: unset it (questions follow the index) or rebuild with "
                f"'GUIDELINE_QA_PRECISION={precision} {self.reader.rebuild}'"
            )
        if embedder is None:
            from indexer.embed import Embedder

            try:
                embedder = Embedder(model.requested or model.id, precision=model.precision)
            except BuildError as exc:
                raise IndexMismatch(f"{self.path} was built with a model this machine cannot load: {exc}") from None
        if embedder.model_id != model.id:
            raise IndexMismatch(
                f"{self.path} was built with {model.id} but the loaded model is {embedder.model_id}; "
                f"rebuild with '{self.reader.rebuild}'"
            )
        if embedder.precision != model.precision:
            raise IndexMismatch(
                f"{self.path} holds passages embedded in {model.precision}, but questions would be embedded in "
                f"{embedder.precision}; load the model in {model.precision} or rebuild with '{self.reader.rebuild}'"
            )
        self.embedder = embedder
        self.vectors = self.reader.vectors
        self.heading_vectors = self.reader.heading_vectors
        self.heading_chunks = self.reader.heading_chunk_rows()  # heading row -> its section's chunk rows
        self.documents = self.reader.documents()
        self.weights = TermWeights(self.reader.term_df(), self.vectors.ntotal)
        self.references: dict[str, dict[int, Reference]]
        self.references, self.linked_sources = self.reader.references()
        self.vocabulary = self.reader.vocabulary()
        self._scopes: dict[tuple[str, frozenset[str]], tuple[np.ndarray, np.ndarray]] = {}

    def topic_names(self) -> list[str]:
        """What the corpus names its subjects: article tags, drugs and classes of the vocabulary, the titles
        of documents other than articles (MedQuAD's are conditions), and the words of article titles and
        headings that are rare in general English (a heading's "develops" or "choosing" names no topic)."""
        names = [d["title"] for d in self.documents.values() if d["kind"] != "article"]
        for d in self.articles:
            names += [str(t) for t in d["meta"].get("tags", []) if isinstance(t, str)]
            for text in [d["title"], *(s["heading"] for s in self.sections(d["id"]))]:
                # Each part of a compound on its own: "receptor-positive" names receptors, not "positive".
                parts = re.findall(r"[\w/+]+", text)
                names += [w for w in parts if zipf(w.lower()) < TOPIC_ZIPF]
        for e in self.vocabulary:
            if e.kind in ("class", "member"):  # drugs and their classes; abbreviations may name aspects
                names += [e.term, e.expansion]
        return names

    def drug_terms(self) -> frozenset[str]:
        """The terms of the drugs and drug classes the query vocabulary names."""
        return frozenset(
            t for e in self.vocabulary if e.kind in ("class", "member") for t in content_terms(e.term)
        )

    def domain_words(self) -> list[str]:
        """The corpus's own terms that are rare in general English ("thermography", "orchiectomy"): a question
        naming one names a subject of its own, whether or not a title or heading does."""
        return [t for t in self.weights.df if _domain_word(t)]

    @property
    def articles(self) -> list[dict]:
        return sorted((d for d in self.documents.values() if d["kind"] == "article"), key=lambda d: d["title"])

    def find_articles(self, query: str, limit: int = 20) -> list[tuple[dict, str]]:
        """Articles holding every word of `query` (stemmed, stopwords aside), for the library search: those
        whose title or tags hold them first, then by their best-matching passage (BM25), each with a
        snippet of that passage (empty for a title or tag match)."""
        terms = content_terms(query)
        if not terms:
            return []
        articles = {a["id"]: a for a in self.articles}
        found: dict[str, str] = {}
        for a in articles.values():
            named = set(content_terms(" ".join([a["title"], *(str(t) for t in a["meta"].get("tags", []))])))
            if named.issuperset(terms):
                found[a["id"]] = ""
        rows = self.reader.keyword_search(" AND ".join(f'"{t}"' for t in terms), 200, scope=articles)
        chunks = self.reader.chunks(rows)
        for row in rows:
            chunk = chunks[row]
            if chunk.doc_id not in found:
                found[chunk.doc_id] = snippet(chunk.text, terms)
        return [(articles[doc], text) for doc, text in list(found.items())[:limit]]

    def scope(self, article: str | None) -> frozenset[str]:
        """The documents a question about `article` should look at first: it and its linked references."""
        if article is None:
            return frozenset()
        return frozenset({article} | self.linked_sources.get(article, set()))

    def scope_rows(self, scope: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows and vectors of every chunk in scope, for exact in-scope dense search."""
        return self._scoped("chunks", scope)

    def scope_headings(self, scope: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
        """Heading rows and vectors of every section in scope, for the heading channel's in-scope search."""
        return self._scoped("headings", scope)

    def _scoped(self, kind: str, scope: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
        cached = self._scopes.get((kind, scope))
        if cached is None:
            if kind == "chunks":
                rows = self.reader.rows_of(scope)
                cached = (rows, self.vectors.reconstruct(rows))
            else:
                rows = self.reader.heading_rows_of(scope)
                cached = (rows, self.heading_vectors.reconstruct(rows))
            if len(self._scopes) >= 64:
                self._scopes.pop(next(iter(self._scopes)))
            self._scopes[(kind, scope)] = cached
        return cached

    def chunks(self, rows: list[int]) -> dict[int, StoredChunk]:
        return self.reader.chunks(rows)

    def document_text(self, doc_id: str) -> str:
        return self.reader.document_text(doc_id)

    def sections(self, doc_id: str) -> list[dict]:
        return self.reader.sections(doc_id)


def snippet(text: str, terms: list[str], width: int = 160) -> str:
    """About `width` characters of `text` around the first place a term (a stem, so a prefix of the word)
    occurs, cut at word boundaries, with an ellipsis where text was left out."""
    lower = text.lower()
    hits = [m.start() for t in terms if (m := re.search(rf"\b{re.escape(t)}", lower))]
    at = min(hits, default=0)
    start = max(0, at - width // 3)
    end = min(len(text), start + width)
    if start > 0:
        start = text.find(" ", start, at) + 1 if " " in text[start:at] else start
    if end < len(text) and " " in text[at:end]:
        end = text.rfind(" ", at, end)
    return ("... " if start > 0 else "") + " ".join(text[start:end].split()) + (" ..." if end < len(text) else "")
