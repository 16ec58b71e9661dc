"""Parse our Markdown corpus format: YAML front matter, then headed sections of cited claims."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from . import safeyaml
from .errors import CorpusError, UnresolvedCitation
from .model import Block, Document, Reference, Section
from .settings import IngestSettings
from .text import DOCUMENT_ID_RULE, parse_markers, slug, valid_document_id

# The heading's text is group 2 less its trailing spaces and closing '#'s, trimmed in code: a pattern that
# trimmed them itself (`(.+?)\s*#*\s*$`) backtracks cubically on a heading line padded with spaces.
_HEADING_RE = re.compile(r"(#{1,6})\s(.+)")
_FRONT_MATTER_END_RE = re.compile(r"^---[ \t]*$", re.M)
_BULLET_RE = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+")
REFERENCE_FIELDS = {"n", "type", "title", "source", "year", "url", "source_file"}


def parse_markdown(
    path: Path, text: str, *, kind: str = "article", ingest: IngestSettings | None = None
) -> tuple[Document, list[CorpusError]]:
    """A Document and its non-fatal problems; raises CorpusError when the file cannot be used at all.

    Articles need front matter with `id` and `title`; reference texts (kind="source") may omit it and
    take their id from the file name and their title from the first heading. `ingest` bounds the
    front matter (size, YAML nesting and aliases).
    """
    meta, body_offset = _front_matter(path, text, required=kind == "article", ingest=ingest or IngestSettings())
    doc_id = str(meta.get("id") or slug(path.stem))
    if not valid_document_id(doc_id):
        raise CorpusError(path, f"id {doc_id!r} {DOCUMENT_ID_RULE}", line=2)
    references = _references(path, meta.get("references") or [])
    title = meta.get("title")
    doc = Document(
        id=doc_id,
        title="",
        kind=kind,
        path=str(path),
        text=text,
        references=references,
        url=meta.get("url"),
        meta=_plain_meta(meta),
    )
    _sections(doc, body_offset)
    if title is None:
        title = next((s.heading for s in doc.sections if s.level == 1), None) or path.stem
    doc.title = " ".join(str(title).split())
    if not doc.title:
        raise CorpusError(path, "front matter 'title' is empty", line=2)
    _root_paths(doc)
    if not any(s.blocks for s in doc.sections):
        raise CorpusError(path, "has no text to index (no paragraphs or bullets after the front matter)")
    return doc, _unresolved(path, doc)


def _front_matter(path: Path, text: str, *, required: bool, ingest: IngestSettings) -> tuple[dict, int]:
    if not text.startswith("---"):
        if required:
            raise CorpusError(path, "missing front matter: the file must start with a '---' line", line=1)
        return {}, 0
    close = _FRONT_MATTER_END_RE.search(text, 3)
    first_newline = text.find("\n")
    if close is None or first_newline < 0:
        raise CorpusError(path, "front matter is not closed by a '---' line", line=1)
    raw = text[first_newline + 1 : close.start()]
    size = len(raw.encode("utf-8", "surrogatepass"))
    if size > ingest.max_front_matter_bytes:
        limit = ingest.limit("max_front_matter_bytes")
        raise CorpusError(path, f"front matter is {size:,} bytes; {limit}", line=2)
    try:
        meta = safeyaml.load(raw, max_alias_nodes=ingest.max_yaml_alias_nodes, max_nesting=ingest.max_yaml_nesting)
    except yaml.YAMLError as exc:
        line, problem = safeyaml.describe(exc, first_line=2)  # the front matter starts on the file's line 2
        raise CorpusError(path, f"malformed front matter: {problem}", line=line or 1) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise CorpusError(path, "front matter must be a mapping of fields (id, title, ...)", line=2)
    if required:
        for name in ("id", "title"):
            if not meta.get(name):
                raise CorpusError(path, f"front matter lacks '{name}'", line=2)
    return meta, close.end()


def _references(path: Path, raw: object) -> list[Reference]:
    if not isinstance(raw, list):
        raise CorpusError(path, "front matter 'references' must be a list", line=2)
    refs: dict[int, Reference] = {}
    for i, entry in enumerate(raw, start=1):
        where = f"reference #{i}"
        if not isinstance(entry, dict):
            raise CorpusError(path, f"{where} must be a mapping with n, type, title, source, year")
        unknown = set(entry) - REFERENCE_FIELDS
        if unknown:
            raise CorpusError(path, f"{where} has unknown field(s): {', '.join(sorted(unknown))}")
        try:
            n = int(entry.get("n", i))
            year = int(entry["year"]) if entry.get("year") not in (None, "") else None
        except (TypeError, ValueError, OverflowError):  # OverflowError: `.inf`
            raise CorpusError(path, f"{where}: 'n' and 'year' must be whole numbers") from None
        for name in ("url", "source_file"):
            if not isinstance(entry.get(name), str | None):
                raise CorpusError(path, f"{where}: '{name}' must be text")
        if not entry.get("title"):
            raise CorpusError(path, f"{where} (n={n}) lacks a title")
        if n in refs:
            raise CorpusError(path, f"reference number {n} is listed twice")
        refs[n] = Reference(
            n=n,
            type=str(entry.get("type") or "Reference"),
            title=" ".join(str(entry["title"]).split()),
            source=str(entry.get("source") or ""),
            year=year,
            url=entry.get("url"),
            source_file=entry.get("source_file"),
        )
    return sorted(refs.values(), key=lambda r: r.n)


def _plain_meta(meta: dict) -> dict:
    out = {}
    for key in ("updated", "review_status", "tags", "sample", "note", "collection"):
        value = meta.get(key)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if key == "tags" and value is not None:
            value = [str(t) for t in (value if isinstance(value, list) else [value])]
        if value is not None:
            out[key] = value
    return out


def _sections(doc: Document, body_offset: int) -> None:
    """Walk the body line by line, opening a section per heading and a block per paragraph or bullet."""
    text = doc.text
    stack: list[tuple[int, str]] = []  # (level, heading) of the open headings
    used_ids: set[str] = set()
    next_suffix: dict[str, int] = {}  # per base id, the suffix to try first: repeated headings stay linear
    section: Section | None = None
    block_start: int | None = None
    block_kind = "paragraph"
    block_end = 0
    in_fence = False

    def close_block() -> None:
        nonlocal block_start
        if block_start is not None and section is not None:
            section.blocks.append(Block(block_start, block_end, block_kind))
        block_start = None

    def open_section(level: int, heading: str, line_no: int) -> Section:
        sid = base = f"{doc.id}/{slug(heading, 60)}"
        k = next_suffix.get(base, 2)
        while sid in used_ids:
            sid, k = f"{base}-{k}", k + 1
        next_suffix[base] = k
        used_ids.add(sid)
        new = Section(id=sid, heading=heading, path=tuple(h for _, h in stack), level=level, line=line_no)
        doc.sections.append(new)
        return new

    offset = body_offset
    line_no = text.count("\n", 0, body_offset) + 1
    for raw_line in text[body_offset:].splitlines(keepends=True):
        line = raw_line.rstrip("\r\n")
        line_start = offset
        offset += len(raw_line)
        if line.strip().startswith("```"):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING_RE.match(line)
        if heading:
            close_block()
            level = len(heading.group(1))
            title = _heading_text(heading.group(2))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            section = open_section(level, title, line_no)
        elif not line.strip():
            close_block()
        else:
            bullet = _BULLET_RE.match(line)
            indented = line.startswith((" ", "\t"))
            if bullet:
                close_block()
                block_kind, block_start = "bullet", line_start + bullet.end()
            elif block_start is None or (block_kind == "bullet" and not indented):
                close_block()
                block_kind = "paragraph"
                block_start = line_start + (len(line) - len(line.lstrip()))
            if section is None:
                section = open_section(1, "", line_no)
            block_end = line_start + len(line.rstrip())
        line_no += 1
    close_block()


def _heading_text(rest: str) -> str:
    """A heading's text from what follows its '#'s and one space: spaces and closing '#'s trimmed."""
    text = rest.strip()
    return text.rstrip("#").rstrip() or text[:1]


def _root_paths(doc: Document) -> None:
    """Prefix each section path with the document title; a body '# Title' equal to it is not repeated."""
    for s in doc.sections:
        path = [h for h in (*s.path,) if h]
        if path and path[0] == doc.title:
            path = path[1:]
        s.path = (doc.title, *path)
        if not s.heading:
            s.heading = doc.title


def _unresolved(path: Path, doc: Document) -> list[CorpusError]:
    known = {r.n for r in doc.references}
    problems: list[CorpusError] = []
    reported: set[int] = set()
    for s in doc.sections:
        for b in s.blocks:
            for n in parse_markers(doc.text[b.start : b.end]):
                if n not in known and n not in reported:
                    reported.add(n)
                    listed = f"only {len(known)} are listed" if known else "none are listed"
                    problems.append(
                        UnresolvedCitation(
                            path,
                            f"reference [{n}] is cited but not listed under references ({listed})",
                            line=doc.line_of(b.start),
                        )
                    )
    return problems
