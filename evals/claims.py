"""The claim verifier measured on a labelled set: `python -m evals claims --index DIR --dataset DIR`.

Each line of the dataset's `claims.jsonl` is a claim, the passage it cites (named by a snippet of its
text, or null: it cites nothing), and whether it is faithful to that passage or perturbed (a changed number,
a swapped drug, a flipped negation, a wrong citation, ...: PERTURBATIONS). A perturbed claim the verifier
drops is a true positive; a faithful claim it drops is a false positive. Also reported: what each
perturbation type lost, which perturbed claims were kept, and the verifier's time per claim.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from indexer.errors import GuidelineQAError
from indexer.settings import Settings

# How a perturbed claim differs from the faithful one it was made from: the in-sample set (evals/datasets/claims)
# uses the first four, the development set (evals/datasets/claims-heldout, held out for one run) all ten.
PERTURBATIONS = tuple("number drug negation citation unit frequency population hedging added uncited".split())
LABELS = ("faithful", "perturbed")


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
        if item["label"] not in LABELS:
            raise GuidelineQAError(f"{path}:{number}: label must be one of {', '.join(LABELS)}, got {item['label']!r}")
        kind = item.get("perturbation", "none")
        if item["label"] == "perturbed" and kind not in PERTURBATIONS:
            raise GuidelineQAError(
                f"{path}:{number}: a perturbed claim's perturbation must be one of {', '.join(PERTURBATIONS)}, "
                f"got {kind!r}"
            )
        if item["cites"] is None and not item.get("source"):
            raise GuidelineQAError(f"{path}:{number}: a claim that cites nothing needs the source it was written from")
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
        for snippet in {item["cites"], item.get("source", item["cites"])} - {None}:
            if snippet not in passages:
                passages[snippet] = _passage(assistant, snippet)
        if item["label"] == "perturbed" and item.get("perturbation") == "citation":
            if item["source"] in passages[item["cites"]].text:
                raise GuidelineQAError(f"{item['id']}: the wrongly cited passage holds the claim's source")
    # A claim citing nothing is verified with its source passage given (the model had it) but not cited.
    cases = [
        (item, passages[item["source"]], ()) if item["cites"] is None else (item, passages[item["cites"]], (1,))
        for item in items
    ]

    verifier = assistant.verifier(settings.llm)

    def measure(min_similarity: float, min_coverage: float) -> dict:
        # One verifier for the grid, its embeddings kept: only the thresholds change between runs.
        verifier.min_similarity, verifier.min_coverage = min_similarity, min_coverage
        started = time.perf_counter()
        verdicts = [verifier.verify([(item["claim"], cited)], [p])[0] for item, p, cited in cases]
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
    missed = []
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
            missed.append({"id": item["id"], "kind": kind, "similarity": round(v.similarity, 3)})
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
        "perturbed_kept": missed,
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
        lines.append(f"  {kind:<10} {verb} {c.get(verb, 0)} of {c['of']}")
    if result["perturbed_kept"]:
        lines.append("  perturbed claims kept: " + ", ".join(m["id"] for m in result["perturbed_kept"]))
    for row in result.get("grid", []):
        lines.append(
            f"  grid similarity {row['min_similarity']:.2f} coverage {row['min_coverage']:.2f}: "
            f"precision {row['precision']:.3f} recall {row['recall']:.3f}"
        )
    return "\n".join(lines)
