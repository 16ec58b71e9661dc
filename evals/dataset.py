"""Evaluation datasets in BEIR's shape: queries.jsonl plus an optional qrels TSV (see evals/README.md)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from indexer.errors import GuidelineQAError


@dataclass
class Query:
    id: str
    text: str
    history: list[str] = field(default_factory=list)
    article: str | None = None
    must: list[list[str]] = field(default_factory=list)  # key facts, each a list of accepted alternatives
    reference_answer: str | None = None
    abstain: bool = False


@dataclass
class Dataset:
    name: str
    queries: list[Query]
    qrels: dict[str, dict[str, int]]  # query id -> {section or document id: grade}


def load_dataset(folder: Path) -> Dataset:
    queries_path = folder / "queries.jsonl"
    if not queries_path.is_file():
        raise GuidelineQAError(f"{folder}: no queries.jsonl (a dataset folder holds queries.jsonl and qrels/*.tsv)")
    queries = []
    for number, line in enumerate(queries_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            queries.append(
                Query(
                    id=str(raw["_id"]),
                    text=raw["text"],
                    history=list(raw.get("history") or []),
                    article=raw.get("article"),
                    must=[[m] if isinstance(m, str) else list(m) for m in raw.get("must") or []],
                    reference_answer=raw.get("reference_answer"),
                    abstain=bool(raw.get("abstain", False)),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise GuidelineQAError(f"{queries_path}:{number}: not a query line ({exc})") from None
    qrels: dict[str, dict[str, int]] = {}
    for tsv in sorted((folder / "qrels").glob("*.tsv")) if (folder / "qrels").is_dir() else []:
        with tsv.open(encoding="utf-8", newline="") as f:
            for number, row in enumerate(csv.reader(f, delimiter="\t"), start=1):
                if number == 1 and row and row[0] == "query-id":
                    continue
                if len(row) != 3:
                    raise GuidelineQAError(f"{tsv}:{number}: expected query-id, corpus-id, score")
                qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    return Dataset(folder.name, queries, qrels)
