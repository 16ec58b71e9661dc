"""Command line: `python -m assistant ask --index DIR [--article ID] [--composer llm] [--json] QUESTION`,
or a batch with `--questions FILE.jsonl --json` (one JSON object per line in, one per line out, in order,
a bad line answered by {"id", "error"}; model and index load once)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from indexer.errors import GuidelineQAError
from indexer.settings import Settings
from indexer.text import terminal_safe

USAGE_ERROR = 2
# json.dumps escapes C0 controls but passes DEL and C1 (U+0080-U+009F, where U+009B opens a terminal
# escape sequence) through as they are: escape those too, as JSON allows.
_JSON_C1_ESCAPES = {c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)}


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
    a.add_argument(
        "--composer",
        choices=("extractive", "llm"),
        help="extractive (quoted sentences) or llm (the configured model, every claim verified); "
        "default: GUIDELINE_QA_COMPOSER, else extractive",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    try:
        settings = Settings.from_env().replace(index=args.index)
        if args.composer:
            settings = settings.replace(answer=dataclasses.replace(settings.answer, composer=args.composer))
        from .compose import check_composer

        check_composer(settings)  # an llm composer without an endpoint fails before the model loads
        if (args.question is None) == (args.questions is None):
            raise GuidelineQAError("give either a QUESTION or --questions FILE.jsonl")
        lines = _read_lines(args.questions) if args.questions else None
        if lines is None:
            from .pipeline import check_question

            check_question(args.question, settings.answer.max_question_chars)  # before loading anything
        from .pipeline import Assistant

        assistant = Assistant(settings.index, settings)
        if lines is None:
            answer = assistant.ask(args.question, article=args.article)
            if args.json:
                _print_json_line(answer.as_dict())
            else:
                print(terminal_safe(_render(answer)))
            return 0
        return _answer_batch(assistant, args.questions, lines)
    except GuidelineQAError as exc:
        print(f"error: {terminal_safe(str(exc))}", file=sys.stderr)
        return USAGE_ERROR


def _answer_batch(assistant, path: Path, lines: list[bytes]) -> int:
    """One JSON line out per question line in, in order: the answer, or {"id", "error"}; 1 if any failed.

    A bad line (not UTF-8, not JSON, wrong types, a question the assistant rejects, an unknown article)
    costs that line only. Blank lines are not questions and get no output.
    """
    failures = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        item_id = str(number)
        try:
            item_id, question, history, article = _batch_item(path, number, raw)
            out = {"id": item_id, **assistant.ask(question, history, article).as_dict()}
        except _BadLine as exc:
            out = {"id": exc.item_id, "error": str(exc)}
        except GuidelineQAError as exc:
            out = {"id": item_id, "error": str(exc)}
        except Exception as exc:  # a bug must cost one line, not the rest of the batch
            out = {"id": item_id, "error": f"could not answer this line ({type(exc).__name__}: {exc})"}
        failures += "error" in out
        _print_json_line(out)
    return 1 if failures else 0


def _read_lines(path: Path) -> list[bytes]:
    try:
        return path.read_bytes().split(b"\n")
    except OSError as exc:
        raise GuidelineQAError(f"{path}: cannot read questions ({exc.strerror or exc})") from None


class _BadLine(GuidelineQAError):
    """A batch line that cannot be asked; `item_id` is its own id where it has a usable one, else its number."""

    def __init__(self, item_id: str, message: str) -> None:
        super().__init__(message)
        self.item_id = item_id


def _batch_item(path: Path, number: int, raw: bytes) -> tuple[str, str, list[str], str | None]:
    """(id, question, history, article) of one batch line; _BadLine naming the file and line otherwise."""
    where = f"{path}:{number}"
    try:
        item = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _BadLine(str(number), f"{where}: not UTF-8 text (byte 0x{raw[exc.start]:02x})") from None
    except json.JSONDecodeError as exc:
        raise _BadLine(str(number), f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(item, dict) or "question" not in item:
        raise _BadLine(str(number), f'{where}: each line needs at least {{"id", "question"}}')
    item_id = item.get("id", number)
    if isinstance(item_id, bool) or not isinstance(item_id, str | int):
        raise _BadLine(str(number), f"{where}: 'id' must be a string or a whole number")
    item_id = str(item_id)
    if not isinstance(item["question"], str):
        raise _BadLine(item_id, f"{where}: 'question' must be a string")
    history = item.get("history") or []
    if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
        raise _BadLine(item_id, f"{where}: 'history' must be a list of earlier questions")
    article = item.get("article")
    if article is not None and not isinstance(article, str):
        raise _BadLine(item_id, f"{where}: 'article' must be an article id (a string)")
    return item_id, item["question"], history, article


def _print_json_line(out: dict) -> None:
    """`out` as one line of JSON that carries no terminal control character raw."""
    text = json.dumps(out, ensure_ascii=False).translate(_JSON_C1_ESCAPES)
    try:
        sys.stdout.write(text + "\n")
    except UnicodeEncodeError:  # a lone surrogate from the input cannot be encoded: escape it as JSON may
        sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()


def _render(answer) -> str:
    lines = [answer.text]
    if answer.note:
        lines.insert(0, f"Note: {answer.note}")
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
