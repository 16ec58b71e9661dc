"""Converters into our dataset shape (see evals/README.md): MedQuAD questions to their answer sections."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from indexer.corpus import corpus_files
from indexer.errors import CorpusError
from indexer.medquad import parse_medquad


def medquad_dataset(sources: Sequence[Path], out: Path, *, limit: int | None = None) -> tuple[int, list[str]]:
    """Write queries.jsonl and qrels/test.tsv: each QA pair's question, judged relevant to its own section.

    The reference answer is the pair's answer text, so answer metrics (ROUGE-L, token F1) apply; pairs
    whose answer was removed from MedQuAD are left out. Returns (questions written, problems).
    """
    files, problems = corpus_files(sources)
    out.mkdir(parents=True, exist_ok=True)
    (out / "qrels").mkdir(exist_ok=True)
    written = 0
    messages = [str(p) for p in problems]
    with (
        (out / "queries.jsonl").open("w", encoding="utf-8") as queries,
        (out / "qrels" / "test.tsv").open("w", encoding="utf-8") as qrels,
    ):
        qrels.write("query-id\tcorpus-id\tscore\n")
        for _, path in files:
            if path.suffix.lower() != ".xml":
                continue
            try:
                doc = parse_medquad(path, path.read_bytes(), collection=path.parent.name)
            except (CorpusError, OSError) as exc:
                messages.append(str(exc))
                continue
            for section in doc.sections:
                if not section.blocks:
                    continue
                answer = " ".join(doc.text[b.start : b.end] for b in section.blocks)
                record = {
                    "_id": section.id,
                    "text": section.heading,
                    "reference_answer": answer,
                    "collection": doc.collection,
                }
                queries.write(json.dumps(record, ensure_ascii=False) + "\n")
                qrels.write(f"{section.id}\t{section.id}\t1\n")
                written += 1
                if limit and written >= limit:
                    return written, messages
    return written, messages
