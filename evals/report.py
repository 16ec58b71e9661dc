"""report.md and the PNG plots of a run."""

from __future__ import annotations

from pathlib import Path

from .metrics import RETRIEVAL_MEASURES

ANSWER_METRICS = (
    "key_fact_recall",
    "citation_precision",
    "citation_recall",
    "rouge_l",
    "token_f1",
    "abstention_precision",
    "abstention_recall",
    "answered_rate",
    "disclaimer_rate",
)


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def write_report(result: dict, out: Path) -> None:
    variants = result["variants"]
    lines = [
        f"# Evaluation: {result['dataset_name']}",
        "",
        f"- dataset: `{result['dataset']}` ({result['questions']} questions, {result['judged']} with qrels)"
        + (f", {result['split']} split" if result.get("split", "all") != "all" else ""),
        f"- index: `{result['index']}`, model `{result['model']}`",
        f"- section headings in the indexed text: **{'yes' if result['headings_indexed'] else 'no'}**"
        + (
            ""
            if result["headings_indexed"]
            else " (MedQuAD questions left out, so self-retrieval is not string matching)"
        ),
        *(
            ["- retrieval settings: " + ", ".join(f"{k} {v}" for k, v in result["settings"]["retrieval"].items())]
            if "settings" in result
            else []
        ),
        f"- wall time: {result['wall_s']} s",
        "",
    ]
    for level in ("section", "document"):
        lines += [f"## Retrieval, {level} level", "", "Each cell: value (ratio to the best variant).", ""]
        names = list(RETRIEVAL_MEASURES)
        lines.append("| variant | " + " | ".join(names) + " |")
        lines.append("|---" * (len(names) + 1) + "|")
        for v, r in variants.items():
            cells = []
            for name in names:
                value = r[level].get(name)
                best = max((x[level].get(name) or 0.0) for x in variants.values())
                cells.append(f"{_fmt(value)} ({value / best:.2f}x)" if value is not None and best else _fmt(value))
            lines.append(f"| {v} | " + " | ".join(cells) + " |")
        lines.append("")
    a = result["answers"]
    composer = a.get("composer", "extractive")
    lines += [f"## Answers (hybrid retrieval, {composer} composer)", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {_fmt(a.get(k))} |" for k in ANSWER_METRICS]
    llm = a.get("llm")
    if llm:
        dropped = ", ".join(f"{r} {n}" for r, n in llm["claims_dropped_by_reason"].items()) or "none"
        notes = "; ".join(f"{n}x {note}" for note, n in llm["fallback_notes"].items()) or "none"
        lines += [
            "",
            "## LLM composer",
            "",
            "| | |",
            "|---|---|",
            f"| questions the model was asked | {llm['questions_asked']} |",
            f"| claims generated / shown | {llm['claims_generated']} / {llm['claims_shown']} |",
            f"| claims dropped, by reason | {dropped} |",
            f"| numbers shown that their cited passage lacks | {llm['numbers_not_found_in_shown']} |",
            f"| fallbacks to the extractive answer | {llm['fallbacks']} ({notes}) |",
        ]
        lines += [f"| latency {k} (ms) | {_fmt(v)} |" for k, v in llm["latency_ms"].items()]
    lat = result["latency_ms"]
    lines += [
        "",
        "## Latency (ms)",
        "",
        "| stage | p50 | p95 |",
        "|---|---|---|",
        f"| embed (one question) | {_fmt(lat['embed_single_p50'])} | {_fmt(lat['embed_single_p95'])} |",
        f"| retrieve + fuse (hybrid, in ask) | {_fmt(lat['retrieve_p50'])} | {_fmt(lat['retrieve_p95'])} |",
        f"| compose | {_fmt(lat['compose_p50'])} | {_fmt(lat['compose_p95'])} |",
    ]
    for v, r in variants.items():
        lines.append(
            f"| retrieve ({v}) | {_fmt(r['latency_ms']['retrieve_p50'])} | {_fmt(r['latency_ms']['retrieve_p95'])} |"
        )
    lc = variants.get("langchain")
    if lc:
        lines += ["", f"Default LangChain built its in-memory index of {lc['splits']} splits in {lc['build_s']} s."]
    naive = variants.get("naive-rrf")
    if naive:
        lines += ["", f"Naive RRF built its in-memory index of {naive['units']} units in {naive['build_s']} s."]
    lines += ["", "Plots: `recall_at_k.png`, `latency.png`. Per question: `per_question.jsonl`.", ""]
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")


def write_plots(result: dict, rows: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    variants = list(result["variants"])
    ks = ["recall@1", "recall@5", "recall@10"]
    fig, ax = plt.subplots(figsize=(7, 4))
    width = 0.8 / max(len(variants), 1)
    for i, v in enumerate(variants):
        values = [result["variants"][v]["section"].get(k) or 0.0 for k in ks]
        ax.bar([x + i * width for x in range(len(ks))], values, width, label=v)
    ax.set_xticks([x + width * (len(variants) - 1) / 2 for x in range(len(ks))], ks)
    ax.set_ylim(0, 1)
    ax.set_ylabel("section-level recall")
    ax.set_title(f"Recall@k, {result['dataset_name']}")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "recall_at_k.png", dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 4))
    for v in variants:
        values = [r[v]["retrieve_ms"] for r in rows if v in r]
        if values:
            ax.hist(values, bins=40, alpha=0.5, label=v)
    ax.set_xlabel("retrieval latency per question (ms, query embedding excluded)")
    ax.set_ylabel("questions")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=100)
    plt.close(fig)
