"""The claim verifier measured on a labelled set: `python -m evals claims --index DIR --dataset DIR`.

Each line of the dataset's `claims.jsonl` is a claim, the passage it cites (named by a snippet of its
text), and whether it is faithful to that passage or perturbed (a changed number, a swapped drug, a flipped
negation, a wrong citation). A perturbed claim the verifier drops is a true positive; a faithful claim it
drops is a false positive. Also reported: what each perturbation type lost, and the verifier's time per claim.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from indexer.errors import GuidelineQAError
from indexer.settings import Settings

PERTURBATIONS = ("number", "drug", "negation", "citation")


def load_claims(dataset: Path) -> list[dict]:
    path = dataset / "claims.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GuidelineQAError(f"{path}: cannot read the labelled claims ({exc.strerror or exc})") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GuidelineQAError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not {"id", "claim", "cites", "label"} <= set(item):
            raise GuidelineQAError(f'{path}:{number}: each line needs {{"id", "claim", "cites", "label"}}')
        items.append(item)
    return items


def evaluate_claims(
    index: Path, dataset: Path, settings: Settings | None = None, *, embedder=None, grid: bool = False
) -> dict:
    """Precision and recall of the verifier (positive: a perturbed claim, dropped) at the settings'
    thresholds, counts by perturbation and drop reason, and the verifier's time per claim. With `grid`, the
    same over a grid of thresholds (how the defaults were chosen)."""
    from assistant.pipeline import Assistant

    settings = (settings or Settings.from_env()).replace(index=Path(index))
    assistant = Assistant(index, settings, embedder=embedder)
    items = load_claims(dataset)
    passages = {}
    for item in items:
        for snippet in {item["cites"], item.get("source", item["cites"])}:
            if snippet not in passages:
                passages[snippet] = _passage(assistant, snippet)
        if item["label"] == "perturbed" and item.get("perturbation") == "citation":
            if item["source"] in passages[item["cites"]].text:
                raise GuidelineQAError(f"{item['id']}: the wrongly cited passage holds the claim's source")
    cases = [(item, passages[item["cites"]]) for item in items]

    verifier = assistant.verifier(settings.llm)

    def measure(min_similarity: float, min_coverage: float) -> dict:
        # One verifier for the grid, its embeddings kept: only the thresholds change between runs.
        verifier.min_similarity, verifier.min_coverage = min_similarity, min_coverage
        started = time.perf_counter()
        verdicts = [verifier.verify([(item["claim"], (1,))], [p])[0] for item, p in cases]
        per_claim_ms = (time.perf_counter() - started) * 1000 / len(cases)
        return _score(items, verdicts) | {"ms_per_claim": round(per_claim_ms, 2)}

    s = settings.llm
    result = {"claims": len(items), "min_similarity": s.min_similarity, "min_coverage": s.min_coverage}
    result |= measure(s.min_similarity, s.min_coverage)
    if grid:
        result["grid"] = [
            {"min_similarity": sim, "min_coverage": cov, **measure(sim, cov)}
            for sim in (0.4, 0.5, 0.6, 0.7, 0.8)
            for cov in (0.3, 0.4, 0.5, 0.6, 0.7)
        ]
    return result


def _passage(assistant, snippet: str):
    """The passage whose text holds `snippet` (the first a search for it returns)."""
    for p in assistant.retriever.search(snippet, top_k=20).passages:
        if snippet in " ".join(p.text.split()):
            return p
    raise GuidelineQAError(f"no passage of {assistant.index.path} holds {snippet!r}")


def _score(items: list[dict], verdicts: list) -> dict:
    tp = fp = fn = 0
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    wrongly_dropped = []
    for item, v in zip(items, verdicts, strict=True):
        perturbed = item["label"] == "perturbed"
        kind = item.get("perturbation", "none") if perturbed else "faithful"
        total[kind] += 1
        if not v.kept:
            reasons[v.reasons[0]] += 1
        if perturbed and not v.kept:
            tp += 1
            caught[kind] += 1
        elif perturbed:
            fn += 1
        elif not v.kept:
            fp += 1
            wrongly_dropped.append({"id": item["id"], "reason": v.reasons[0], "detail": v.detail})
        else:
            caught["faithful"] += 1  # kept
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
        "by_kind": {k: {"caught" if k != "faithful" else "kept": caught[k], "of": total[k]} for k in total},
        "dropped_by_reason": dict(reasons),
        "faithful_dropped": wrongly_dropped,
    }


def claims_table(result: dict) -> str:
    lines = [
        f"{result['claims']} claims; thresholds: similarity {result['min_similarity']}, "
        f"coverage {result['min_coverage']}",
        f"precision {result['precision']:.3f}, recall {result['recall']:.3f} (positive: a perturbed claim dropped); "
        f"{result['ms_per_claim']} ms per claim",
    ]
    for kind, c in result["by_kind"].items():
        verb = "kept" if kind == "faithful" else "caught"
        lines.append(f"  {kind:<9} {verb} {c.get(verb, 0)} of {c['of']}")
    for row in result.get("grid", []):
        lines.append(
            f"  grid similarity {row['min_similarity']:.2f} coverage {row['min_coverage']:.2f}: "
            f"precision {row['precision']:.3f} recall {row['recall']:.3f}"
        )
    return "\n".join(lines)
