"""Compare two runs: per-metric deltas and the questions whose outcome changed."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.errors import GuidelineQAError


def _load(run: Path) -> tuple[dict, dict[str, dict]]:
    try:
        metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
        rows = {}
        for line in (run / "per_question.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows[row["id"]] = row
    except (OSError, ValueError) as exc:
        raise GuidelineQAError(f"{run} is not a readable evaluation run ({exc})") from None
    return metrics, rows


def _flatten(metrics: dict) -> dict[str, float]:
    flat = {}
    for variant, r in metrics["variants"].items():
        for level in ("section", "document"):
            for name, value in r[level].items():
                flat[f"{variant}.{level}.{name}"] = value
    for name, value in metrics["answers"].items():
        if isinstance(value, int | float):
            flat[f"answers.{name}"] = value
    return flat


def outcome(row: dict) -> str:
    a = row.get("answer", {})
    if a.get("abstained"):
        return "abstained"
    if "facts" in a:
        return "facts found" if a["facts"] else "facts missing"
    hybrid = row.get("hybrid", {})
    if "recall@10" in hybrid:
        return "found@10" if hybrid["recall@10"] > 0 else "missed@10"
    return "answered"


def compare(run_a: Path, run_b: Path) -> str:
    ma, ra = _load(run_a)
    mb, rb = _load(run_b)
    fa, fb = _flatten(ma), _flatten(mb)
    lines = [f"{'metric':<40} {'A':>8} {'B':>8} {'B-A':>8}"]
    for key in sorted(set(fa) | set(fb)):
        a, b = fa.get(key), fb.get(key)
        delta = f"{b - a:+.3f}" if a is not None and b is not None else "n/a"
        lines.append(f"{key:<40} {_num(a):>8} {_num(b):>8} {delta:>8}")
    changed = [
        (q, outcome(ra[q]), outcome(rb[q])) for q in sorted(set(ra) & set(rb)) if outcome(ra[q]) != outcome(rb[q])
    ]
    lines.append("")
    lines.append(f"{len(changed)} question(s) changed outcome:")
    lines += [f"  {q}: {a} -> {b}" for q, a, b in changed]
    return "\n".join(lines)


def _num(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"
