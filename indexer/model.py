"""The typed records that flow through the indexer: documents, sections, blocks, references, chunks, headings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reference:
    """One numbered entry of an article's reference list."""

    n: int
    type: str
    title: str
    source: str = ""
    year: int | None = None
    url: str | None = None
    source_file: str | None = None  # a full text under corpus/sources/, relative to the corpus root

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "type": self.type,
            "title": self.title,
            "source": self.source,
            "year": self.year,
            "url": self.url,
        }


@dataclass(frozen=True)
class Block:
    """A paragraph or bullet of a section, as a span of the document text."""

    start: int
    end: int
    kind: str = "paragraph"  # paragraph | bullet


@dataclass
class Section:
    id: str
    heading: str
    path: tuple[str, ...]  # document title > section > subsection
    level: int
    line: int | None = None  # 1-based line of the heading in the source file, where there is a file
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    """A parsed corpus file: its canonical text and the structure laid over it as spans."""

    id: str
    title: str
    kind: str  # article | source | medquad
    path: str  # where it came from, as given to the build
    text: str  # canonical text; every span in sections and chunks indexes into it
    sections: list[Section] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    url: str | None = None
    collection: str | None = None
    meta: dict = field(default_factory=dict)  # updated, review_status, tags, sample, ...

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    citations: tuple[int, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: whole sentences of one section, within the model's token budget."""

    id: str
    doc_id: str
    section_id: str
    ord: int  # position within the section
    text: str  # the sentences as they stand in the document (markers included)
    embed_text: str  # what the model and the keyword index see: heading path + text without markers
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]
    citations: tuple[int, ...]
    n_tokens: int


@dataclass(frozen=True)
class Heading:
    """A section's heading path as one text ("Glaucoma > What are the treatments for Glaucoma ?"): the unit
    of the heading channel, one per section that has passages."""

    section_id: str
    text: str
