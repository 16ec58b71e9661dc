"""Text for the surfaces, without importing any UI library: escaped Markdown, highlighted sources,
suggested questions and the Markdown export of a conversation."""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.text import normalize_space

from .types import Answer, Citation

# Everything Markdown (and Streamlit's directives, LaTeX and HTML) could read as syntax.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&])")


def md_escape(text: str) -> str:
    """Corpus or user text as literal Markdown: shown as written, never interpreted (no HTML, links, math)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def highlighted_passage(citation: Citation) -> str:
    """The cited passage as escaped Markdown with the sentences used in the answer in bold."""
    used = {(s.start, s.end) for s in citation.sentences}
    parts = []
    for span, raw in zip(citation.passage.sentences, citation.passage.sentence_texts, strict=True):
        text = md_escape(normalize_space(raw))
        parts.append(f"**{text}**" if span in used else text)
    return " ".join(parts)


def reference_line(ref) -> str:
    bits = [f"[{ref.n}]", ref.type + ":", ref.title]
    tail = ", ".join(str(x) for x in (ref.source, ref.year) if x)
    line = md_escape(" ".join(bits) + (f" ({tail})" if tail else ""))
    if ref.url and re.match(r"^https?://[^\s)]+$", ref.url):
        line += f" [{md_escape('link')}]({ref.url})"
    return line


def section_question(section: dict) -> str | None:
    """The question a section's heading asks ("What does the guideline say about surgery?"), or None for
    the title and for headings with no text under them."""
    heading = section["heading"]
    if section.get("start") is None or not heading or heading == section["path"][0]:
        return None
    lead = heading[0].lower() if heading[1:2].islower() else heading[0]
    return f"What does the guideline say about {lead + heading[1:]}?"


def conversation_markdown(title: str, turns: Sequence[tuple[str, Answer]]) -> str:
    """The conversation as Markdown: each question, its answer, its sources, and the disclaimer."""
    lines = [f"# Follow-up questions: {title}", ""]
    for question, answer in turns:
        lines += [f"## Q: {question}", "", answer.text, ""]
        if answer.abstained and answer.reason:
            lines += [f"_Why: {answer.reason}._", ""]
        for c in answer.citations:
            p = c.passage
            lines.append(f"- [{c.n}] {' > '.join(p.section)} (`{p.chunk_id}`)")
            for s in c.sentences:
                lines.append(f'  - "{s.text}" (characters {s.start}-{s.end})')
            for r in p.references:
                src = ", ".join(str(x) for x in (r.source, r.year) if x)
                lines.append(f"  - cites [{r.n}] {r.type}: {r.title}" + (f" ({src})" if src else ""))
        lines += ["", f"> {answer.disclaimer}", ""]
    return "\n".join(lines)
