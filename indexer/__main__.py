"""Command line: `python -m indexer build | import-page | info | verify`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from .errors import GuidelineQAError
from .settings import Settings
from .text import terminal_safe

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and option; docs/cli.md documents them (tests/test_docs.py checks)."""
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build or refresh an index from corpus folders or files")
    b.add_argument(
        "--corpus",
        type=Path,
        action="append",
        help="corpus folder or file; repeat for several (default: corpus/)",
    )
    b.add_argument("--index", type=Path, help="index folder to write (default: index/)")
    b.add_argument("--model", help="sentence-transformers model name or local path")
    b.add_argument("--strict", action="store_true", help="exit with code 2 on any corpus problem")
    b.add_argument(
        "--if-stale",
        action="store_true",
        help="do nothing when the index was built from this corpus with these settings",
    )
    b.add_argument(
        "--exclude-headings",
        action="store_true",
        help="leave section headings (MedQuAD: the questions) out of the indexed text",
    )
    b.add_argument(
        "--no-heading-channel",
        action="store_true",
        help="index no heading vectors (the heading channel); with --exclude-headings, no heading is indexed",
    )
    b.add_argument("--max-tokens", type=int, help="word pieces per chunk, special tokens included")
    b.add_argument(
        "--follow-external-links",
        action="store_true",
        help="read files that symlinks in the corpus point to outside it (default: skipped with a warning)",
    )

    i = sub.add_parser("import-page", help="convert copied web pages into corpus Markdown articles")
    i.add_argument("files", type=Path, nargs="+")
    i.add_argument("--out", type=Path, required=True, help="folder for the .md files (e.g. corpus/articles)")
    i.add_argument("--force", action="store_true", help="overwrite existing files")

    n = sub.add_parser("info", help="verify an index's files and summarise it, without loading the model")
    n.add_argument("--index", type=Path, help="index folder (default: index/)")
    n.add_argument("--json", action="store_true", help="print the manifest summary as JSON")

    v = sub.add_parser("verify", help="full check of an index: checksums, row counts, SQLite integrity")
    v.add_argument("--index", type=Path, help="index folder (default: index/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.command == "build":
            return _build(settings, args)
        if args.command == "import-page":
            return _import_page(settings, args)
        if args.command == "verify":
            return _verify(settings, args)
        return _info(settings, args)
    except GuidelineQAError as exc:
        print(f"error: {terminal_safe(str(exc))}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("interrupted; the previous index is unchanged", file=sys.stderr)
        return 130


def _build(settings: Settings, args) -> int:
    chunk = settings.chunk
    if args.exclude_headings:
        chunk = dataclasses.replace(chunk, include_headings=False)
    if args.no_heading_channel:
        chunk = dataclasses.replace(chunk, heading_channel=False)
    if args.max_tokens is not None:
        chunk = dataclasses.replace(chunk, max_tokens=args.max_tokens)
    ingest = settings.ingest
    if args.follow_external_links:
        ingest = dataclasses.replace(ingest, follow_external_links=True)
    settings = settings.replace(
        corpus=tuple(args.corpus) if args.corpus else None,
        index=args.index,
        model=args.model,
        chunk=chunk,
        ingest=ingest,
    )
    from .build import build_index, is_stale

    if args.if_stale and not is_stale(settings):
        print(f"index {settings.index} is up to date")
        return 0
    report = build_index(
        settings,
        strict=args.strict,
        progress=sys.stderr.isatty(),
        on_warning=lambda w: print(f"warning: {terminal_safe(w)}", file=sys.stderr),
    )
    print(report.summary())
    return 0


def _import_page(settings: Settings, args) -> int:
    from .corpus import check_lines, decode, read_file
    from .markdown import parse_markdown
    from .webpage import page_to_markdown

    ingest = settings.ingest
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.files:
        text = decode(path, read_file(path, ingest.max_file_bytes, ingest.limit("max_file_bytes")))
        check_lines(path, text, ingest.max_line_chars, ingest.limit("max_line_chars"))
        markdown = page_to_markdown(path, text)
        doc, warnings = parse_markdown(path, markdown, ingest=ingest)  # proves the output reads back as an article
        for w in warnings:
            print(f"warning: {terminal_safe(f'{path}: {w.reason}')}", file=sys.stderr)
        out = args.out / f"{doc.id}.md"
        if out.exists() and not args.force:
            raise GuidelineQAError(f"{out} exists; pass --force to overwrite it")
        out.write_text(markdown, encoding="utf-8")
        print(terminal_safe(f"{path} -> {out} ({len(doc.sections)} sections, {len(doc.references)} references)"))
    return 0


def _info(settings: Settings, args) -> int:
    from .store import IndexReader

    index = args.index or settings.index
    reader = IndexReader(index)  # verifies checksums and row counts: damage is an error, not a summary
    reader.close()
    m = reader.manifest
    summary = {
        "index": str(index),
        "built_at": m.built_at,
        "model": m.model.id,
        "dimension": m.model.dimension,
        "precision": m.model.precision,
        "vector_store": m.vector_store,
        "vector_params": m.vector_params,
        "documents": m.counts.documents,
        "sections": m.counts.sections,
        "chunks": m.counts.chunks,
        "references": m.counts.references,
        "unresolved_citations": m.counts.unresolved_citations,
        "warnings": len(m.warnings),
        "corpus": list(m.corpus.paths),
        "chunker": m.chunker,
        "verified": True,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    width = max(len(k) for k in summary)
    for key, value in summary.items():
        print(terminal_safe(f"{key:<{width}}  {value}"))
    for w in m.warnings[:20]:
        print(f"  warning: {terminal_safe(w)}")
    return 0


def _verify(settings: Settings, args) -> int:
    import time

    from .errors import IndexDamaged
    from .store import IndexReader

    index = args.index or settings.index
    started = time.perf_counter()
    reader = IndexReader(index)
    try:
        problems = reader.integrity_check()
    finally:
        reader.close()
    if problems:
        raise IndexDamaged(
            Path(index) / "store.sqlite", f"fails its integrity check ({problems[0]})", reader.rebuild
        )
    m = reader.manifest
    print(
        f"{index}: ok ({m.counts.documents} documents, {m.counts.chunks} passages, "
        f"{len(m.files)} files checked in {time.perf_counter() - started:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
