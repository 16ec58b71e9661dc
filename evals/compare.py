"""Compare two runs: what differed (settings, index), per-metric deltas, the questions whose outcome changed."""

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


# Manifest entries that change what a run measures (not when or how fast the index was built).
MANIFEST_KEYS = (
    "schema_version",
    "model.id",
    "model.precision",
    "vector_store",
    "vector_params",
    "chunker",
    "corpus.fingerprint",
    "corpus.parser_version",
    "counts",
)


def compare(run_a: Path, run_b: Path) -> str:
    ma, ra = _load(run_a)
    mb, rb = _load(run_b)
    lines = _differences("settings", ma.get("settings"), mb.get("settings"))
    lines += _differences("index manifest", ma.get("index_manifest"), mb.get("index_manifest"), MANIFEST_KEYS)
    lines.append("")
    fa, fb = _flatten(ma), _flatten(mb)
    lines.append(f"{'metric':<40} {'A':>8} {'B':>8} {'B-A':>8}")
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


def _differences(what: str, a: dict | None, b: dict | None, keys: tuple[str, ...] = ()) -> list[str]:
    """Each dotted path whose value differs between A and B (under `keys` when given), with both values."""
    missing = [name for name, record in (("A", a), ("B", b)) if record is None]
    if missing:
        return [f"{what} not recorded in {' and '.join(missing)} (a run from before runs recorded them)"]
    fa, fb = _dotted(a), _dotted(b)
    paths = [p for p in sorted(set(fa) | set(fb)) if not keys or any(p == k or p.startswith(k + ".") for k in keys)]
    changed = [(p, fa.get(p, _ABSENT), fb.get(p, _ABSENT)) for p in paths if fa.get(p, _ABSENT) != fb.get(p, _ABSENT)]
    if not changed:
        return [f"{what}: same in A and B"]
    width = max(len(p) for p, _, _ in changed)
    return [f"{what} that differ (A -> B):"] + [f"  {p:<{width}}  {_show(va)} -> {_show(vb)}" for p, va, vb in changed]


_ABSENT = object()


def _show(value) -> str:
    return "(absent)" if value is _ABSENT else json.dumps(value, ensure_ascii=False)


def _dotted(record: dict, prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in record.items():
        if isinstance(value, dict) and value:
            flat.update(_dotted(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _num(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"
