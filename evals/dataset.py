"""Evaluation datasets in BEIR's shape: queries.jsonl plus an optional qrels TSV (see evals/README.md)."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field, replace
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
    lead: list[str] = field(default_factory=list)  # the key fact (alternatives) the first sentence must hold
    exclude: list[str] = field(default_factory=list)  # strings (a wrong subgroup's) the answer must not hold
    missing: list[str] = field(default_factory=list)  # what an abstention or partial answer must name
    category: str | None = None
    split: str | None = None  # "tune", "test" or "dev" to "dev6" when the dataset assigns it (whole chains)


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
                    lead=list(raw.get("lead") or []),
                    exclude=list(raw.get("exclude") or []),
                    missing=list(raw.get("missing") or []),
                    category=raw.get("category"),
                    split=raw.get("split"),
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


SPLITS = ("all", "tune", "test", "dev", "dev2", "dev3", "dev4", "dev5", "dev6")
# Splits a dataset may assign that belong to neither "tune" nor "test": only selected by their own name.
APART = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6")


def in_tuning_split(query: Query | str) -> bool:
    """The split the retrieval defaults were tuned on: the id's SHA-1, read as a number, is 0 mod 10.

    About 10% of questions, spread across collections (MedQuAD is ordered by file, so every tenth
    question would not be); every other question is held out as the test split.
    """
    if isinstance(query, Query):
        if query.split in ("tune", "test", *APART):
            return query.split == "tune"  # the dataset's own split keeps a conversation's turns together
        query = query.id
    return int(hashlib.sha1(query.encode("utf-8")).hexdigest(), 16) % 10 == 0


def select_split(dataset: Dataset, split: str) -> Dataset:
    """The dataset's questions (and their qrels) in `split`: "tune", "test" (the rest), "dev" to "dev6" or "all".

    "dev" to "dev6" are only the questions the dataset itself assigns to that split (none otherwise);
    they belong to neither "tune" nor "test".
    """
    if split not in SPLITS:
        raise GuidelineQAError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    if split == "all":
        return dataset
    if split in APART:
        keep = {q.id for q in dataset.queries if q.split == split}
    else:
        keep = {q.id for q in dataset.queries if q.split not in APART and in_tuning_split(q) == (split == "tune")}
    return replace(
        dataset,
        queries=[q for q in dataset.queries if q.id in keep],
        qrels={q: rels for q, rels in dataset.qrels.items() if q in keep},
    )
