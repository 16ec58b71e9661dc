"""Command line: `python -m evals run | sweep | claims | compare | convert-medquad`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from indexer.errors import GuidelineQAError
from indexer.settings import Settings

from .dataset import SPLITS
from .variants import VARIANTS

USAGE_ERROR = 2
# What `sweep` varies unless told: the fusion knobs the defaults were chosen from.
DEFAULT_GRID: dict[str, tuple[float, ...]] = {"dense_weight": (1, 2, 4, 8), "rrf_k": (10, 20, 60)}
SPLIT_HELP = (
    "questions to evaluate: tune (SHA-1 of the id = 0 mod 10), test (the rest), all, or dev to dev6"
    " (only questions the dataset assigns to that split: dev, dev2, ..., dev6)"
)


def _values(kind: type):
    def parse(text: str) -> tuple:
        try:
            return tuple(kind(v) for v in text.split(",") if v.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected comma-separated {kind.__name__} values, got {text!r}") from None

    return parse



def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and option; docs/cli.md documents them (tests/test_docs.py checks)."""
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="evaluate a dataset against an index")
    r.add_argument("--index", type=Path, required=True)
    r.add_argument("--dataset", type=Path, required=True, help="folder with queries.jsonl and qrels/*.tsv")
    r.add_argument("--out", type=Path, required=True, help="folder for metrics.json, report.md, plots")
    r.add_argument("--variants", default=",".join(VARIANTS), help=f"comma-separated, from {','.join(VARIANTS)}")
    r.add_argument("--split", choices=SPLITS, default="all", help=SPLIT_HELP)
    r.add_argument(
        "--composer",
        choices=("extractive", "llm"),
        help="composer of the answers (default: GUIDELINE_QA_COMPOSER, else extractive); llm adds its counts",
    )
    w = sub.add_parser("sweep", help="hybrid retrieval metrics over a grid of fusion settings (sweep.json)")
    w.add_argument("--index", type=Path, required=True)
    w.add_argument("--dataset", type=Path, required=True, help="folder with queries.jsonl and qrels/*.tsv")
    w.add_argument("--out", type=Path, required=True, help="folder for sweep.json")
    w.add_argument("--split", choices=SPLITS, default="tune", help=SPLIT_HELP + " (default: tune)")
    for knob, kind in (("dense_weight", float), ("rrf_k", int), ("scope_weight", float), ("candidates", int)):
        swept = ",".join(f"{v:g}" for v in DEFAULT_GRID.get(knob, ())) or "the current setting"
        w.add_argument("--" + knob.replace("_", "-"), type=_values(kind), help=f"comma-separated (default: {swept})")
    c = sub.add_parser("compare", help="per-metric deltas and changed questions between two runs")
    c.add_argument("run_a", type=Path)
    c.add_argument("run_b", type=Path)
    v = sub.add_parser("claims", help="the claim verifier's precision and recall on a labelled set of claims")
    v.add_argument("--index", type=Path, required=True)
    v.add_argument("--dataset", type=Path, required=True, help="folder with claims.jsonl")
    v.add_argument("--grid", action="store_true", help="also over a grid of verifier thresholds")
    v.add_argument("--out", type=Path, help="write the figures to this JSON file")
    m = sub.add_parser("convert-medquad", help="MedQuAD XML -> dataset (each question to its answer section)")
    m.add_argument("sources", type=Path, nargs="+", help="MedQuAD collection folders or files")
    m.add_argument("--out", type=Path, required=True)
    m.add_argument("--limit", type=int, help="stop after this many questions")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            settings = Settings.from_env()  # a bad GUIDELINE_QA_* value fails here, before the model loads
            if args.composer:
                settings = settings.replace(answer=dataclasses.replace(settings.answer, composer=args.composer))
            from assistant.compose import check_composer

            check_composer(settings)  # the llm composer without an endpoint, before the model loads
            from .runner import run_evaluation

            variants = [v.strip() for v in args.variants.split(",") if v.strip()]
            result = run_evaluation(
                args.index, args.dataset, args.out, variants, split=args.split, progress=sys.stderr.isatty(),
                settings=settings,
            )
            hybrid = result["variants"].get("hybrid", next(iter(result["variants"].values())))["section"]
            print(
                f"{result['questions']} questions in {result['wall_s']} s; "
                + ", ".join(f"{k} {v:.3f}" for k, v in hybrid.items() if k in ("recall@10", "mrr@10", "ndcg@10"))
                + f"; report: {args.out / 'report.md'}"
            )
            llm = result["answers"].get("llm")
            if llm:
                print(
                    f"llm: {llm['claims_generated']} claims, {llm['claims_shown']} shown, dropped "
                    f"{llm['claims_dropped_by_reason'] or 'none'}, {llm['fallbacks']} fallbacks, "
                    f"{llm['numbers_not_found_in_shown']} numbers shown that their source lacks"
                )
        elif args.command == "sweep":
            from .sweep import KNOBS, sweep, sweep_table

            grid = {**DEFAULT_GRID, **{k: getattr(args, k) for k in KNOBS if getattr(args, k)}}
            result = sweep(args.index, args.dataset, args.out, grid, split=args.split, progress=sys.stderr.isatty())
            print(sweep_table(result))
            print(f"{len(result['rows'])} combinations in {result['wall_s']} s; {args.out / 'sweep.json'}")
        elif args.command == "claims":
            from .claims import claims_table, evaluate_claims

            result = evaluate_claims(args.index, args.dataset, Settings.from_env(), grid=args.grid)
            if args.out:
                args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
            print(claims_table(result))
        elif args.command == "compare":
            from .compare import compare

            print(compare(args.run_a, args.run_b))
        else:
            from .convert import medquad_dataset

            written, problems = medquad_dataset(args.sources, args.out, limit=args.limit)
            for p in problems:
                print(f"warning: {p}", file=sys.stderr)
            print(f"wrote {written} questions to {args.out}")
        return 0
    except GuidelineQAError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
