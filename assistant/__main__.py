"""Command line: `python -m assistant ask --index DIR [--article ID] [--json] QUESTION`, or a batch with
`--questions FILE.jsonl --json` (one JSON object per line in, one per line out; model and index load once)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from indexer.errors import GuidelineQAError
from indexer.settings import Settings

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and option; docs/cli.md documents them (tests/test_docs.py checks)."""
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("ask", help="answer a question, or a batch of questions, from the index")
    a.add_argument("question", nargs="?", help="the question (omit with --questions)")
    a.add_argument("--index", type=Path, help="index folder (default: index/ or GUIDELINE_QA_INDEX)")
    a.add_argument("--article", help="article id in scope: its passages and references come first")
    a.add_argument("--questions", type=Path, help="JSONL file: {id, question, history?, article?} per line")
    a.add_argument("--json", action="store_true", help="print JSON (one object per line in batch mode)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    try:
        settings = Settings.from_env().replace(index=args.index)
        if (args.question is None) == (args.questions is None):
            raise GuidelineQAError("give either a QUESTION or --questions FILE.jsonl")
        batch = _read_batch(args.questions) if args.questions else None
        if batch is None:
            from .pipeline import check_question

            check_question(args.question, settings.answer.max_question_chars)  # before loading anything
        from .pipeline import Assistant

        assistant = Assistant(settings.index, settings)
        if batch is None:
            answer = assistant.ask(args.question, article=args.article)
            print(json.dumps(answer.as_dict(), ensure_ascii=False) if args.json else _render(answer))
            return 0
        failures = 0
        for item in batch:
            try:
                answer = assistant.ask(item["question"], item.get("history") or [], item.get("article"))
                out = {"id": item["id"], **answer.as_dict()}
            except GuidelineQAError as exc:
                failures += 1
                out = {"id": item["id"], "error": str(exc)}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return 1 if failures else 0
    except GuidelineQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR


def _read_batch(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GuidelineQAError(f"{path}: cannot read questions ({exc})") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GuidelineQAError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(item, dict) or "question" not in item:
            raise GuidelineQAError(f'{path}:{number}: each line needs at least {{"id", "question"}}')
        history = item.get("history", [])
        if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
            raise GuidelineQAError(f"{path}:{number}: 'history' must be a list of earlier questions")
        item.setdefault("id", str(number))
        items.append(item)
    return items


def _render(answer) -> str:
    lines = [answer.text]
    if answer.abstained:
        lines.append(f"Why: {answer.reason}.")
        if answer.retrieved:
            lines.append("Nearest passages:")
            lines += [f"  - {p.title} > {' > '.join(p.section[1:])}: {p.text[:160]}" for p in answer.retrieved[:3]]
    for c in answer.citations:
        refs = "; ".join(
            f"[{r.n}] {r.type}: {r.title}" + (f", {r.source}" if r.source else "") + (f", {r.year}" if r.year else "")
            for r in c.passage.references
        )
        lines.append(f"[{c.n}] {' > '.join(c.passage.section)}" + (f"  (cites {refs})" if refs else ""))
    lines.append("")
    lines.append(answer.disclaimer)
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
