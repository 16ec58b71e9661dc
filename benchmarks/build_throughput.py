"""Build throughput against the model's own floor, and the cost of an incremental rebuild.

1. A full build of a MedQuAD collection through the CLI, as a user runs it (wall time, imports included).
2. A bare SentenceTransformer.encode of the very texts that build embedded, in this process.
3. One document edited, then the same build command again: only the changed passages are embedded.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "medquad" / "1_CancerGov_QA"


def timed_build(corpus: Path, index: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "indexer", "build", "--corpus", str(corpus), "--index", str(index)],
        cwd=ROOT, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"build failed: {done.stderr.strip()}")
    return elapsed, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"benchmark corpus {args.corpus} not found (it reads ../shared/medquad)")

    with tempfile.TemporaryDirectory(prefix="gqa-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(args.corpus, corpus)
        index = Path(tmp) / "index"

        full_s, full_line = timed_build(corpus, index)
        print(f"full build         {full_s:8.1f} s   {full_line}")

        from indexer import store
        from indexer.embed import Embedder

        reader = store.IndexReader(index)
        texts = [r["embed_text"] for r in reader.all_chunks()]
        reader.close()
        embedder = Embedder()
        embedder.encode(texts[:8])  # load and warm the model outside the timed region
        started = time.perf_counter()
        embedder.encode(texts)
        encode_s = time.perf_counter() - started
        print(f"bare encode        {encode_s:8.1f} s   {len(texts)} texts, model already loaded")
        print(f"build throughput   {len(texts) / full_s:8.1f} chunks/s (bare encode {len(texts) / encode_s:.1f}/s)")
        print(f"build / encode     {full_s / encode_s:8.3f} x   (aim: at most 1.15 x)")

        victim = sorted(corpus.glob("*.xml"))[len(texts) % 7]
        xml = victim.read_text(encoding="utf-8")
        victim.write_text(xml.replace("</Answer>", " This sentence was added by the benchmark.</Answer>", 1))
        inc_s, inc_line = timed_build(corpus, index)
        print(f"incremental build  {inc_s:8.1f} s   {inc_line}  (edited {victim.name})")
        print(f"incremental / full {inc_s / full_s:8.3f} x   (aim: under 0.05 x)")


if __name__ == "__main__":
    main()
