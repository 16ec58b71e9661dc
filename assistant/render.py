"""Text for the surfaces, without importing any UI library: escaped Markdown, highlighted sources,
suggested questions and the Markdown export of a conversation."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from indexer.text import normalize_space

from .types import Answer, Citation, Passage

# Everything Markdown (and Streamlit's directives, LaTeX and HTML) could read as syntax.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:&])")


def md_escape(text: str) -> str:
    """Corpus or user text as literal Markdown: shown as written, never interpreted (no HTML, links, math)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


# An article's citation marker: "[6]", "[1, 2]", "[7, 6]".
_MARKER = re.compile(r"\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]")


def source_label(n: int) -> str:
    """An answer's marker for its n-th source: "S1", never "[1]", which the article's references use."""
    return f"S{n}"


def cited_numbers(raw: str) -> set[int]:
    """Every reference number the text's citation markers name."""
    return {int(n) for m in _MARKER.finditer(raw) for n in re.findall(r"\d+", m.group(1))}


def unresolved_numbers(passage: Passage) -> list[int]:
    """Reference numbers the passage cites that the article's reference list does not hold."""
    listed = {r.n for r in passage.references}
    return sorted(n for n in set(passage.citations) if n not in listed)


def cited_text(raw: str, listed: Collection[int] | None) -> str:
    """Corpus text as escaped Markdown, its citation markers kept and each number missing from the
    reference list (`listed`) flagged where it stands; `listed=None` flags nothing (no reference list)."""
    out, pos = [], 0
    for m in _MARKER.finditer(raw):
        out.append(md_escape(raw[pos : m.start()]))
        numbers = [int(x) for x in re.findall(r"\d+", m.group(1))]
        shown = [str(n) if listed is None or n in listed else f"**{n}: not in the reference list**" for n in numbers]
        out.append("\\[" + ", ".join(shown) + "\\]")
        pos = m.end()
    out.append(md_escape(raw[pos:]))
    return "".join(out)


def highlighted_passage(citation: Citation) -> str:
    """The cited passage as escaped Markdown: only the sentences used in the answer highlighted, the rest
    plain, unresolved reference numbers flagged."""
    used = {(s.start, s.end) for s in citation.sentences}
    p = citation.passage
    listed = {r.n for r in p.references} if p.kind == "article" else None
    parts = []
    for span, raw in zip(p.sentences, p.sentence_texts, strict=True):
        text = cited_text(normalize_space(raw), listed)
        parts.append(f":orange-background[{text}]" if span in used else text)
    return " ".join(parts)


def answer_claims(answer: Answer) -> list[tuple[str, int | None]]:
    """The answer's claims in order, each with the number of its source; notes without a source ("The
    indexed guidelines do not mention ...") with None. An answer without claims is one claim, its text."""
    text = answer.text.strip()
    return list(answer.claims) or ([(text, None)] if text else [])


def claims_markdown(answer: Answer) -> str:
    """One bullet per claim, its source marker after it."""
    return "\n".join(
        "- " + md_escape(text) + (f" \\[{source_label(n)}\\]" if n else "") for text, n in answer_claims(answer)
    )


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


def conversation_markdown(
    title: str,
    turns: Sequence[tuple[str, Answer]],
    *,
    exported: str = "",
    about: Sequence[str] = (),
) -> str:
    """The conversation as Markdown: when and from what it was exported, each question, its answer one claim
    a line with its source marker, each source with the quoted sentences and its reference entries
    (unresolved ones flagged), and the disclaimer."""
    lines = [f"# Questions about: {title}", ""]
    lines += [f"- {line}" for line in ([f"Exported {exported}"] if exported else []) + list(about)]
    lines.append("")
    for question, answer in turns:
        lines += [f"## Q: {question}", ""]
        if answer.composer == "llm":
            lines += ["_Written by the model; each statement checked against the source it cites._", ""]
        elif answer.note:
            lines += [f"_{answer.note}_", ""]
        lines += [f"- {text}" + (f" [{source_label(n)}]" if n else "") for text, n in answer_claims(answer)]
        lines.append("")
        if answer.dropped:  # counted, never quoted: an unverified statement does not travel in a shared file
            reasons = ", ".join(sorted({str(d.get("reason")) for d in answer.dropped}))
            lines += [f"_{len(answer.dropped)} statement(s) of the model left out by verification ({reasons})._", ""]
        if answer.abstained and answer.reason:
            lines += [f"_Why: {answer.reason}._", ""]
        if answer.citations:
            lines += ["Sources:", ""]
        for c in answer.citations:
            p = c.passage
            lines.append(f"- {source_label(c.n)}: {' > '.join(p.section)}")
            for s in c.sentences:
                lines.append(f'  - "{s.text}"')
            for r in p.references:
                src = ", ".join(str(x) for x in (r.source, r.year) if x)
                lines.append(f"  - cites [{r.n}] {r.type}: {r.title}" + (f" ({src})" if src else ""))
            for n in unresolved_numbers(p) if p.kind == "article" else []:
                lines.append(f"  - cites [{n}]: UNRESOLVED, not in the article's reference list")
        lines += ["", f"> {answer.disclaimer}", ""]
    return "\n".join(lines)
