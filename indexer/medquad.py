"""Read MedQuAD XML (NIH question-answer pairs) as source documents, one section per QA pair.

Three schemas occur: `<Document id source>` (most collections), `<DiseaseFile fid source>` (CDC) and
the older `<doc docid corpus>` with `<pair>` elements (a few NINDS files). Section ids follow MedQuAD's
own relevance judgements: `<Source>_<DocId>_Sec<N>`, N the 1-based position of the pair in the file,
DocId the document's id attribute (or its file name, where several files share one id).
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .errors import CorpusError
from .model import Block, Document, Section
from .text import DOCUMENT_ID_RULE, valid_document_id

# Only the first space of a run may start a match: tried from every space, `\s{2,}` is quadratic in the run.
_INLINE_BULLET = re.compile(r"(?:^|(?<!\s)\s{2,})-\s+")


def parse_medquad(path: Path, data: bytes, *, collection: str | None = None) -> Document:
    try:
        root = fromstring(data)
    except DefusedXmlException as exc:
        raise CorpusError(
            path, f"refused unsafe XML ({type(exc).__name__}): entity or DTD declarations are not allowed"
        ) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise CorpusError(path, f"not well-formed XML: {exc.msg if hasattr(exc, 'msg') else exc}", line=line) from None
    except LookupError as exc:  # <?xml encoding="..."?> naming no codec Python knows
        raise CorpusError(path, f"not readable XML: {exc}", line=1) from None
    doc_key = root.get("id") or root.get("fid") or root.get("docid")
    source = root.get("source") or root.get("corpus")
    if not doc_key or not source:
        raise CorpusError(path, f"<{root.tag}> is not a MedQuAD document (needs an id and a source attribute)", line=1)
    if path.stem != doc_key and path.stem.startswith(doc_key + "_"):
        # A few CancerGov files (0000013_2_1.xml ...) repeat their parent's id for a different disease;
        # the file name is the id that tells them apart.
        doc_key = path.stem
    title = _text(_first(root, "Focus", "doctitle-focus")) or doc_key
    pairs = root.findall(".//QAPair") or root.findall(".//pair")
    if not pairs:
        raise CorpusError(path, "MedQuAD document has no QA pairs")
    doc_id = f"{source}_{doc_key}"
    if not valid_document_id(doc_id):
        raise CorpusError(path, f"document id {doc_id!r} (source '_' id) {DOCUMENT_ID_RULE}", line=1)
    parts: list[str] = [title, "\n\n"]
    offset = len(title) + 2
    sections: list[Section] = []
    for n, pair in enumerate(pairs, start=1):
        question = _text(_first(pair, "Question", "question"))
        answer = _first(pair, "Answer", "answer")
        section = Section(
            id=f"{doc_id}_Sec{n}",
            heading=question or f"Question {n}",
            path=(title, question or f"Question {n}"),
            level=2,
        )
        heading_line = section.heading + "\n"
        parts.append(heading_line)
        offset += len(heading_line)
        for kind, piece in _answer_blocks(answer.text if answer is not None else None):
            prefix = "- " if kind == "bullet" else ""
            section.blocks.append(Block(offset + len(prefix), offset + len(prefix) + len(piece), kind))
            parts.append(f"{prefix}{piece}\n")
            offset += len(prefix) + len(piece) + 1
        parts.append("\n")
        offset += 1
        sections.append(section)
    if not any(s.blocks for s in sections):
        raise CorpusError(path, "MedQuAD document has no answer text (answers may have been removed)")
    return Document(
        id=doc_id,
        title=title,
        kind="medquad",
        path=str(path),
        text="".join(parts),
        sections=sections,
        url=root.get("url"),
        collection=collection or source,
        meta={"source": source},
    )


def _first(node: Element, *names: str) -> Element | None:
    for name in names:
        found = node.find(name)
        if found is not None:
            return found
    return None


def _text(node: Element | None) -> str:
    return " ".join((node.text or "").split()) if node is not None else ""


def _answer_blocks(raw: str | None) -> list[tuple[str, str]]:
    """Paragraphs and bullets of an answer, whitespace collapsed; MedQuAD inlines bullets as '  - '."""
    blocks: list[tuple[str, str]] = []
    for line in (raw or "").splitlines():
        if not line.strip():
            continue
        pieces = _INLINE_BULLET.split(line)
        head, bullets = pieces[0], pieces[1:]
        if " ".join(head.split()):
            blocks.append(("paragraph", " ".join(head.split())))
        blocks.extend(("bullet", " ".join(b.split())) for b in bullets if b.strip())
    return blocks
