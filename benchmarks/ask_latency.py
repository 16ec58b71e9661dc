"""Latency of one `ask` after load, split into embed, retrieve and compose, on one or more indexes.

Questions: the sample question set (evals/datasets/sample), asked twice over (the first pass warms
caches); the figures are from the second pass. Aim: median under 50 ms beyond the query embedding.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(index: Path) -> None:
    from assistant.pipeline import Assistant
    from evals.dataset import load_dataset

    started = time.perf_counter()
    assistant = Assistant(index)
    load_s = time.perf_counter() - started
    queries = load_dataset(ROOT / "evals" / "datasets" / "sample").queries
    known = set(assistant.index.documents)
    stages: dict[str, list[float]] = {"embed": [], "retrieve": [], "compose": [], "beyond_embed": [], "total": []}
    for round_ in range(2):
        for q in queries:
            article = q.article if q.article in known else None
            t = assistant.ask(q.text, q.history, article).timings_ms
            if round_ == 1:
                for key in ("embed", "retrieve", "compose", "total"):
                    stages[key].append(t[key])
                stages["beyond_embed"].append(t["total"] - t["embed"])
    chunks = assistant.index.manifest.counts.chunks
    print(f"{index}: {chunks} chunks, loaded in {load_s:.1f} s, {len(queries)} questions")
    for key, values in stages.items():
        print(f"  {key:<13} median {statistics.median(values):7.1f} ms   p95 {percentile(values, 0.95):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("indexes", type=Path, nargs="+", help="index folders to measure")
    args = parser.parse_args()
    for index in args.indexes:
        if not index.exists():
            sys.exit(f"{index}: no index; build it first (see README, Benchmarks)")
        measure(index)


if __name__ == "__main__":
    main()
