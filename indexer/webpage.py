"""Import guideline-summary pages as copied from the web (plain text) into our Markdown article format.

Such a page is: a question as its first line, site chrome (review banners, personalisation prompts,
the follow-up box), headings, paragraphs and bullets whose sentences end in bare citation numbers
(`... liver (6%). 1, 2`), and a References block of entries written as type / title / "source, year".
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from .errors import CorpusError
from .text import slug

# Lines that belong to the site, not to the article.
_CHROME = [
    re.compile(p, re.I)
    for p in (
        r"^medical advisory board",
        r"^all articles are reviewed",
        r"^educational purpose only",
        r"^article review status$",
        r"^(submitted|under review|approved|draft|published|in review)$",
        r"^last updated:",
        r"^view editorial policy$",
        r"^personali[sz]e$",
        r"^help us tailor your experience$",
        r"^which best describes you\?",
        r"^(share|print|cite|copy link|save|bookmark)$",
    )
]
# Lines after which nothing belongs to the article any more.
_END = re.compile(r"^(professional medical disclaimer|have a follow-up question\?|disclaimer)$", re.I)
_REFERENCES = re.compile(r"^references?$", re.I)
_BULLET = re.compile(r"^\s*[•\-*–·]\s+")
_REFERENCE_TYPES = re.compile(
    r"^(guideline|guidelines|research|review|systematic review|meta-analysis|drug label|"
    r"clinical trial|textbook|consensus statement|position statement|practice advisory|"
    r"expert opinion|case report|book|website|other)$",
    re.I,
)
_NUMS = r"\d{1,2}(?:,\s*\d{1,2})*"
# Bare citation numbers at the end of a line, or just before a full stop inside one.
_TRAILING_NUMBERS = re.compile(rf"(?<=[^\d\s,])\s+({_NUMS})\s*$")
_NUMBERS_BEFORE_STOP = re.compile(rf"(?<=[A-Za-z)%])\s+({_NUMS})(?=\.(?:\s|$))")
# Words after which a number is part of the claim, not a citation ("grade 2.", "stage 4").
_COUNTED = re.compile(
    r"\b(grade|stage|type|phase|class|level|step|day|days|week|weeks|month|months|year|years|cycle|"
    r"cycles|version|tier|category|group|arm|dose|doses|line|lines|figure|table|and|or|of|to)$",
    re.I,
)
_REVIEW_PENDING = re.compile(r"pending (human )?review", re.I)
# The date is what follows, trimmed in code (see _updated): a lazy `(.+?)\s*...$` backtracks quadratically
# on a line padded with spaces.
_UPDATED = re.compile(r"last updated:(.+)", re.I)
_EDITORIAL_POLICY = "view editorial policy"
# How far before a citation number _cite looks for a word that counts it: the longest such word, and a space.
_COUNTED_WINDOW = 12
_YEAR_AT_END = re.compile(r"(?:19|20)\d{2}")


def page_to_markdown(path: Path, text: str) -> str:
    """Our Markdown article (front matter and body) for a copied web page; CorpusError if it is not one."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    numbered = [(i + 1, ln) for i, ln in enumerate(lines) if ln.strip()]
    if not numbered:
        raise CorpusError(path, "page is empty")
    title_line, title = numbered[0]
    title = " ".join(title.split())
    meta: dict = {"id": slug(title), "title": title}
    body: list[tuple[int, str]] = []
    ref_lines: list[tuple[int, str]] = []
    target = body
    for line_no, line in numbered[1:]:
        stripped = line.strip()
        if _END.match(stripped):
            break
        if _REFERENCES.match(stripped):
            target = ref_lines
            continue
        if m := _UPDATED.match(stripped):
            updated = _updated(m.group(1))
            meta["updated"] = _date(updated) or updated
            continue
        if _REVIEW_PENDING.search(stripped):
            meta["review_status"] = "pending review"
        if any(p.search(stripped) for p in _CHROME):
            continue
        target.append((line_no, line))
    if not body:
        raise CorpusError(path, "page has a title but no article text", line=title_line)
    meta.setdefault("review_status", "unknown")
    meta["source_page"] = path.name
    meta["references"] = _references(path, ref_lines)
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{front}---\n\n" + "\n\n".join(_body(body)) + "\n"


def _body(lines: list[tuple[int, str]]) -> list[str]:
    kinds = [_kind(line) for _, line in lines]
    out: list[str] = []
    in_group = False
    for i, ((_, line), kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind == "heading":
            followed_by_heading = i + 1 < len(kinds) and kinds[i + 1] == "heading"
            if followed_by_heading:
                in_group = True
                out.append(f"## {line.strip()}")
            else:
                out.append(f"{'###' if in_group else '##'} {line.strip()}")
        elif kind == "bullet":
            out.append("- " + _cite(_BULLET.sub("", line).strip()))
        else:
            out.append(_cite(line.strip()))
    # Bullets of one list belong together: Markdown needs no blank line between them.
    joined: list[str] = []
    for piece in out:
        if joined and piece.startswith("- ") and joined[-1].startswith("- "):
            joined[-1] += "\n" + piece
        else:
            joined.append(piece)
    return joined


def _kind(line: str) -> str:
    if _BULLET.match(line):
        return "bullet"
    s = line.strip()
    words = s.split()
    if len(words) <= 14 and not re.search(r"[.:;,?!]$", s) and not (_TRAILING_NUMBERS.search(s) and len(words) > 10):
        return "heading"
    return "paragraph"


def _cite(line: str) -> str:
    """Turn bare trailing citation numbers into our [n, m] markers."""

    def keep_or_mark(m: re.Match) -> str:
        # A window, not the whole line before the match: a line of many numbers stays linear.
        before = line[max(0, m.start() - _COUNTED_WINDOW) : m.start()].rstrip()
        if _COUNTED.search(before):
            return m.group(0)
        return f" [{', '.join(n.strip() for n in m.group(1).split(','))}]"

    line = _NUMBERS_BEFORE_STOP.sub(keep_or_mark, line)
    return _TRAILING_NUMBERS.sub(keep_or_mark, line)


def _references(path: Path, lines: list[tuple[int, str]]) -> list[dict]:
    entries: list[list[tuple[int, str]]] = []
    for line_no, line in lines:
        if _REFERENCE_TYPES.match(line.strip()) or not entries:
            entries.append([])
        entries[-1].append((line_no, line.strip()))
    refs = []
    for n, entry in enumerate(entries, start=1):
        first_line = entry[0][0]
        texts = [t for _, t in entry]
        if _REFERENCE_TYPES.match(texts[0]):
            ref_type, texts = texts[0], texts[1:]
        else:
            ref_type = "Reference"
        if not texts:
            raise CorpusError(path, f"reference {n} has a type but no title", line=first_line)
        ref: dict = {"n": n, "type": ref_type, "title": texts[0]}
        url = next((t for t in texts[1:] if re.match(r"^https?://", t)), None)
        rest = [t for t in texts[1:] if t != url]
        if rest:
            source, year = _source_and_year(rest[0])
            ref["source"] = source
            if year:
                ref["year"] = year
        if url:
            ref["url"] = url
        refs.append(ref)
    return refs


def _updated(text: str) -> str:
    """The date of a 'Last updated:' line, without the 'View editorial policy' link the site appends."""
    text = text.strip()
    if text.lower().endswith(_EDITORIAL_POLICY):
        return text[: -len(_EDITORIAL_POLICY)].rstrip() or text
    return text


def _source_and_year(text: str) -> tuple[str, int | None]:
    r"""'Journal of X, 2021.' -> ('Journal of X', 2021); without a year at the end, (text, None).

    Trimmed in code: a pattern like `(.*?),?\s*(year)\s*\.?$` backtracks quadratically on a run of spaces.
    """
    body = text.removesuffix(".").rstrip()
    if len(body) < 4 or not _YEAR_AT_END.fullmatch(body[-4:]):
        return text, None
    return body[:-4].rstrip().removesuffix(",").strip(), int(body[-4:])


def _date(text: str) -> str | None:
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None
