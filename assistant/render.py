"""Text for the surfaces, without importing any UI library: escaped Markdown, highlighted sources,
suggested questions and the Markdown export of a conversation."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from itertools import pairwise

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


def reference_anchor(n: int) -> str:
    """The id of reference entry n in the article view, which the article's markers link to."""
    return f"ref-{n}"


def cited_text(raw: str, listed: Collection[int] | None, *, link: bool = False) -> str:
    """Corpus text as escaped Markdown, its citation markers kept and each number missing from the
    reference list (`listed`) flagged where it stands; `listed=None` flags nothing (no reference list).
    With `link`, each listed number links to its entry (`#ref-n`) in the article view."""
    out, pos = [], 0
    for m in _MARKER.finditer(raw):
        out.append(md_escape(raw[pos : m.start()]))
        shown = []
        for n in (int(x) for x in re.findall(r"\d+", m.group(1))):
            if listed is not None and n not in listed:
                shown.append(f"**{n}: not in the reference list**")
            elif link and listed is not None:
                shown.append(f'[{n}](#{reference_anchor(n)} "Reference {n}")')
            else:
                shown.append(str(n))
        out.append("\\[" + ", ".join(shown) + "\\]")
        pos = m.end()
    out.append(md_escape(raw[pos:]))
    return "".join(out)


def article_markdown(
    text: str, start: int, end: int, listed: Collection[int], marked: Sequence[tuple[int, int]] = ()
) -> str:
    """Part of an article's text (`text[start:end]`) as escaped Markdown, paragraphs and bullets kept:
    citation markers link to their reference entries, unresolved ones flagged, and the character spans
    `marked` (document offsets: the sentences an answer used) highlighted, nothing else."""
    out, pos = [], start
    for line in text[start:end].split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not stripped:
            out.append("")
            continue
        lead = line_start + len(line) - len(line.lstrip())
        bullet = stripped[:2] in ("- ", "* ", "+ ")
        body = lead + (2 if bullet else 0)
        out.append(("- " if bullet else "") + _marked(text, body, line_start + len(line.rstrip()), listed, marked))
    return "\n".join(out)


def _marked(text: str, start: int, end: int, listed: Collection[int], marked: Sequence[tuple[int, int]]) -> str:
    """One line of article text, the parts inside `marked` spans highlighted. A cut never falls inside a
    citation marker: the marker goes with the text before it."""
    markers = [(m.start(), m.end()) for m in _MARKER.finditer(text, start, end)]

    def outside(c: int) -> int:
        return next((me for ms, me in markers if ms < c < me), c)

    spans = [(outside(a), outside(b)) for a, b in marked]
    cuts = {c for span in spans for c in span if start < c < end}
    parts = []
    for a, b in pairwise([start, *sorted(cuts), end]):
        piece = text[a:b]
        if not any(sa <= a and b <= sb for sa, sb in spans) or not piece.strip():
            parts.append(cited_text(piece, listed, link=True))
            continue
        lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
        parts.append(" " * lead + f":orange-background[{cited_text(piece.strip(), listed, link=True)}]" + " " * trail)
    return "".join(parts)


def article_pages(sections: Sequence[dict], text: str, limit: int) -> list[list[tuple[dict, int | None, int | None]]]:
    """An article cut into pages of at most about `limit` characters, for a browser that must not be sent
    a whole 10 MB article at once: each page a list of (section, start, end) pieces in reading order, a
    section longer than a page cut at line ends (the heading shown with its first piece only)."""
    pages: list[list[tuple[dict, int | None, int | None]]] = []
    page: list[tuple[dict, int | None, int | None]] = []
    size = 0
    for section in sections:
        pieces: list[tuple[dict, int | None, int | None]] = []
        start, end = section["start"], section["end"]
        if start is None:
            pieces.append((section, None, None))
        else:
            while end - start > limit:
                cut = text.rfind("\n", start + 1, start + limit) + 1 or start + limit
                pieces.append((section, start, cut))
                start = cut
            pieces.append((section, start, end))
        for piece in pieces:
            _, a, b = piece
            length = b - a if a is not None and b is not None else 0
            if page and size + length > limit:
                pages.append(page)
                page, size = [], 0
            page.append(piece)
            size += length
    return [*pages, page] if page or not pages else pages


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


def claim_unresolved(answer: Answer) -> list[list[int]]:
    """For each claim (as `answer_claims`), the reference numbers its own sentence cites that the article's
    reference list lacks: a dose quoted from a sentence citing a missing [6] is flagged on its line."""
    out = []
    for text, n in answer_claims(answer):
        found: set[int] = set()
        c = next((c for c in answer.citations if c.n == n), None) if n else None
        if c is not None and c.passage.kind == "article":
            p = c.passage
            listed = {r.n for r in p.references}
            for s in c.sentences:
                if s.text and s.text in text and (s.start, s.end) in p.sentences:
                    found |= cited_numbers(p.sentence_texts[p.sentences.index((s.start, s.end))]) - listed
        out.append(sorted(found))
    return out


def unresolved_note(numbers: Sequence[int]) -> str:
    """What a claim line says of references its sentence cites that the list lacks ("" when none)."""
    if not numbers:
        return ""
    cited = ", ".join(f"[{n}]" for n in numbers)
    return f" (cites {cited}: not in the article's reference list)"


def claims_markdown(answer: Answer) -> str:
    """One bullet per claim, its source marker after it, and a flag when the sentence quoted cites a
    reference the article's list lacks."""
    return "\n".join(
        "- "
        + md_escape(text)
        + (f" \\[{source_label(n)}\\]" if n else "")
        + (f" **{md_escape(unresolved_note(missing).strip())}**" if missing else "")
        for (text, n), missing in zip(answer_claims(answer), claim_unresolved(answer), strict=True)
    )


def reference_line(ref) -> str:
    bits = [f"[{ref.n}]", ref.type + ":", ref.title]
    tail = ", ".join(str(x) for x in (ref.source, ref.year) if x)
    line = md_escape(" ".join(bits) + (f" ({tail})" if tail else ""))
    if ref.url and re.match(r"^https?://[^\s)]+$", ref.url):
        line += f" [{md_escape('open the source: ' + ref.title)}]({ref.url})"
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
        lines += [
            f"- {text}" + (f" [{source_label(n)}]" if n else "") + unresolved_note(missing)
            for (text, n), missing in zip(answer_claims(answer), claim_unresolved(answer), strict=True)
        ]
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


_KINDS = {"article": ("guideline article", "guideline articles"), "source": ("reference text", "reference texts"),
          "medquad": ("question-answer page", "question-answer pages")}


def _count(n: int, kind: str) -> str:
    one, many = _KINDS.get(kind, (kind, kind))
    return f"{n:,} {one if n == 1 else many}"


def coverage_lines(documents: Iterable[dict]) -> list[str]:
    """What the library covers, in a few lines: documents by kind (and by collection), the span of the
    articles' update dates and their review status counts."""
    docs = list(documents)
    kinds = Counter(d["kind"] for d in docs)
    lines = [" · ".join(_count(n, k) for k, n in sorted(kinds.items(), key=lambda kv: kv[0] != "article"))]
    collections = Counter(d["collection"] for d in docs if d.get("collection"))
    if collections:
        top = collections.most_common(4)
        rest = sum(collections.values()) - sum(n for _, n in top)
        named = ", ".join(f"{name} ({n:,})" for name, n in top)
        lines.append(f"From {named}" + (f" and {rest:,} more" if rest else ""))
    articles = [d.get("meta") or {} for d in docs if d["kind"] == "article"]
    dates = sorted(str(m["updated"]) for m in articles if m.get("updated"))
    if dates:
        span = dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
        undated = len(articles) - len(dates)
        lines.append(f"Articles updated {span}" + (f" ({undated} without a date)" if undated else ""))
    status = Counter(str(m.get("review_status") or "unknown") for m in articles)
    if status:
        lines.append("Review status: " + ", ".join(f"{name} {n}" for name, n in status.most_common()))
    return lines
