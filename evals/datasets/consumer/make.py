"""Build and check the consumer-style MedQuAD retrieval set (see README.md in this folder).

Targets are drawn from MedQuAD with a fixed seed; the messages are hand-written (messages.py) and keyed by
the target's section id. MedQuAD is read only to draw the targets and to check them: every target must be a
section the indexer yields, with a non-empty answer, and no message may copy MedQuAD's question or a run of
its answer. Run from the repository root:

    .venv/bin/python evals/datasets/consumer/make.py --medquad ../shared/medquad          # write
    .venv/bin/python evals/datasets/consumer/make.py --medquad ../shared/medquad --check  # verify only
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from defusedxml.ElementTree import fromstring  # noqa: E402
from messages import MESSAGES  # noqa: E402

from indexer.corpus import load_corpus  # noqa: E402

SEED = 20250607
TOTAL = 225
MIN_PER_COLLECTION = 10
TUNE_EVERY = 3  # every third query of each collection (positions 3, 6, 9, ...) is in the tune split
LONG_WORDS = 25  # a message over this many words counts as "long"
DUPLICATE_OVERLAP = 0.4
COPY_WORDS = 8  # no run of this many words may be shared with the target's answer
# MedQuAD pairs (or whole documents) whose answer does not answer their own question: a message written from the
# question would be judged against the wrong text, so the draw passes over them (the next pair of that type instead).
EXCLUDE = {
    "NINDS_0000187": "every answer of this Machado-Joseph disease document is about Lyme disease",
    "NIHSeniorHealth_0000009_Sec14": "who is at risk for cataract, but the answer is about the risks of cataract "
    "surgery",
    "NHLBI_0000096_Sec2": "outlook for oxygen therapy, but the answer is about the tests that decide whether one "
    "needs it",
}


@dataclass
class Pair:
    section_id: str
    collection: str
    doc_id: str
    focus: str
    qtype: str
    question: str
    answer: str


def read_pairs(medquad: Path) -> dict[str, list[Pair]]:
    """Answered QA pairs per collection, exactly as the indexer sees them (load_corpus: same ids, same skips)."""
    corpus = load_corpus([medquad])
    by_collection: dict[str, list[Pair]] = defaultdict(list)
    for doc in corpus.documents:
        if doc.kind != "medquad":
            continue
        root = fromstring(Path(doc.path).read_bytes())
        raw_pairs = root.findall(".//QAPair") or root.findall(".//pair")
        assert len(raw_pairs) == len(doc.sections), doc.path
        for section, raw in zip(doc.sections, raw_pairs, strict=True):
            if not section.blocks:  # answer removed or empty: the indexer gives it no text, nor do we a query
                continue
            question = raw.find("Question")
            if question is None:
                question = raw.find("question")
            answer = " ".join(doc.text[b.start : b.end] for b in section.blocks)
            by_collection[doc.collection].append(
                Pair(
                    section.id,
                    doc.collection,
                    doc.id,
                    doc.title,
                    (question.get("qtype") if question is not None else None) or "information",
                    section.heading,
                    answer,
                )
            )
    return dict(sorted(by_collection.items()))


def quotas(sizes: dict[str, int]) -> dict[str, int]:
    """Proportional to answered pairs, at least MIN_PER_COLLECTION each, largest remainder for the rest."""
    fixed = {c: MIN_PER_COLLECTION for c, n in sizes.items() if n * TOTAL / sum(sizes.values()) < MIN_PER_COLLECTION}
    rest = {c: n for c, n in sizes.items() if c not in fixed}
    left = TOTAL - sum(fixed.values())
    exact = {c: n * left / sum(rest.values()) for c, n in rest.items()}
    out = {c: int(x) for c, x in exact.items()}
    for c in sorted(exact, key=lambda c: (-(exact[c] - out[c]), c))[: left - sum(out.values())]:
        out[c] += 1
    return dict(sorted({**fixed, **out}.items()))


def sample_targets(pairs: dict[str, list[Pair]]) -> list[Pair]:
    """Per collection: shuffle with SEED, then take question types in turn (commonest first), each document once,
    passing over EXCLUDE."""
    rng = random.Random(SEED)
    chosen: list[Pair] = []
    for collection, quota in quotas({c: len(p) for c, p in pairs.items()}).items():
        by_type: dict[str, list[Pair]] = defaultdict(list)
        shuffled = list(pairs[collection])
        rng.shuffle(shuffled)
        for pair in shuffled:
            by_type[pair.qtype].append(pair)
        order = sorted(by_type, key=lambda t: (-len(by_type[t]), t))
        used_docs: set[str] = set()
        taken: list[Pair] = []
        while len(taken) < quota:
            progressed = False
            for qtype in order:
                if len(taken) == quota:
                    break
                queue = by_type[qtype]
                while queue and (
                    queue[0].doc_id in used_docs or {queue[0].section_id, queue[0].doc_id} & EXCLUDE.keys()
                ):
                    queue.pop(0)
                if queue:
                    pair = queue.pop(0)
                    used_docs.add(pair.doc_id)
                    taken.append(pair)
                    progressed = True
            if not progressed:
                raise SystemExit(f"{collection}: not enough documents for {quota} targets")
        chosen.extend(taken)
    return chosen


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def duplicates(target: Pair, pairs: list[Pair]) -> list[str]:
    """Other sections of the target's document that repeat it: the same answer, or the same question type and
    wording with a near-identical answer (word sets overlapping by DUPLICATE_OVERLAP or more). NIHSeniorHealth
    repeats some pairs across its pages; sections that merely share a heading answer other facets and are not
    judged."""
    words = set(_norm(target.answer).split())
    found = []
    for p in pairs:
        if p.doc_id != target.doc_id or p.section_id == target.section_id:
            continue
        other = set(_norm(p.answer).split())
        same_question = p.qtype == target.qtype and _norm(p.question) == _norm(target.question)
        if words == other or (same_question and len(words & other) / len(words | other) >= DUPLICATE_OVERLAP):
            found.append(p.section_id)
    return found


def noise_tags(text: str, tags: str, typos: tuple[str, ...]) -> list[str]:
    hand = tags.split()
    found = []
    if len(text.split()) > LONG_WORDS:
        found.append("long")
    if typos:
        found.append("typo")
    found += [t for t in ("context", "lay") if t in hand]
    if text == text.lower():
        found.append("lowercase")
    return found


def check(targets: list[Pair], pairs: dict[str, list[Pair]]) -> list[str]:
    problems: list[str] = []
    wanted = {t.section_id for t in targets}
    have = set(MESSAGES)
    for sid in sorted(wanted - have):
        problems.append(f"{sid}: drawn as a target but has no message in messages.py")
    for sid in sorted(have - wanted):
        problems.append(f"{sid}: has a message but is not a drawn target (seed {SEED})")
    for t in targets:
        if t.section_id not in MESSAGES:
            continue
        m = MESSAGES[t.section_id]
        if not t.answer.strip():
            problems.append(f"{t.section_id}: answer is empty")
        for tag in m.tags.split():
            if tag not in ("context", "lay"):
                problems.append(f"{t.section_id}: unknown hand tag {tag!r} (context, lay)")
        for typo in m.typos:
            if typo.lower() not in m.text.lower():
                problems.append(f"{t.section_id}: typo {typo!r} is not in the message")
        q = _norm(t.question)
        if q and q in _norm(m.text):
            problems.append(f"{t.section_id}: message repeats MedQuAD's question verbatim")
        words = _norm(m.text).split()
        answer = f" {_norm(t.answer)} "
        for i in range(len(words) - COPY_WORDS + 1):
            run = " ".join(words[i : i + COPY_WORDS])
            if f" {run} " in answer:
                problems.append(f"{t.section_id}: message shares {COPY_WORDS} words with the answer: {run!r}")
                break
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--medquad", type=Path, required=True, help="MedQuAD folder (../shared/medquad)")
    parser.add_argument("--out", type=Path, default=HERE, help="dataset folder to write (default: this folder)")
    parser.add_argument("--check", action="store_true", help="verify the committed files, write nothing")
    parser.add_argument("--list-targets", action="store_true", help="print the drawn targets (for writing messages)")
    args = parser.parse_args()
    if not args.medquad.is_dir():
        print(f"{args.medquad}: MedQuAD folder not found (pass --medquad ../shared/medquad)", file=sys.stderr)
        return 2
    pairs = read_pairs(args.medquad)
    targets = sample_targets(pairs)
    if args.list_targets:
        for t in targets:
            print(
                json.dumps(
                    {"id": t.section_id, "type": t.qtype, "focus": t.focus, "q": t.question, "a": t.answer[:300]},
                    ensure_ascii=False,
                )
            )
        return 0
    problems = check(targets, pairs)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print(f"{len(problems)} problem(s); nothing written", file=sys.stderr)
        return 1
    lines, qrels = [], ["query-id\tcorpus-id\tscore"]
    seen: Counter[str] = Counter()
    for n, t in enumerate(targets, start=1):
        m = MESSAGES[t.section_id]
        seen[t.collection] += 1
        qid = f"cq{n:03d}"
        record = {
            "_id": qid,
            "text": m.text,
            "category": t.qtype,
            "noise": noise_tags(m.text, m.tags, m.typos),
            "split": "tune" if seen[t.collection] % TUNE_EVERY == 0 else "test",
            "focus": t.focus,
            "collection": t.collection,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
        for sid in [t.section_id, *duplicates(t, pairs[t.collection])]:
            qrels.append(f"{qid}\t{sid}\t1")
    queries_text = "\n".join(lines) + "\n"
    qrels_text = "\n".join(qrels) + "\n"
    queries_path, qrels_path = args.out / "queries.jsonl", args.out / "qrels" / "test.tsv"
    if args.check:
        stale = [
            p
            for p, text in ((queries_path, queries_text), (qrels_path, qrels_text))
            if not p.is_file() or p.read_text(encoding="utf-8") != text
        ]
        for p in stale:
            print(f"{p}: differs from what make.py generates; rerun without --check", file=sys.stderr)
        if stale:
            return 1
    else:
        qrels_path.parent.mkdir(parents=True, exist_ok=True)
        queries_path.write_text(queries_text, encoding="utf-8")
        qrels_path.write_text(qrels_text, encoding="utf-8")
    records = [json.loads(line) for line in lines]
    summary = {
        "queries": len(records),
        "qrels": len(qrels) - 1,
        "collection": Counter(r["collection"] for r in records),
        "category": Counter(r["category"] for r in records),
        "noise": Counter(tag for r in records for tag in r["noise"]),
        "split": Counter(r["split"] for r in records),
    }
    for key, value in summary.items():
        print(f"{key}: {dict(sorted(value.items())) if isinstance(value, Counter) else value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
