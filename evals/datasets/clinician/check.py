"""Checks the clinician dev/test set against the sample articles; exits 1 on any problem.

Run from the repository root: `.venv/bin/python evals/datasets/clinician/check.py`.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
ARTICLES = ROOT / "corpus" / "articles"

CATEGORIES = {
    "direct", "followup", "topic-change", "typo", "abbreviation", "drug-class", "lay",
    "subgroup-trap", "partial", "unanswerable", "suggested",
}
MIN_PER_CATEGORY = {"typo": 15, "abbreviation": 15, "drug-class": 15, "lay": 15, "subgroup-trap": 15, "partial": 8}
# `tune` and `test` are the original set; `dev`, `dev2` and `dev3` are later, independent data for choosing
# thresholds and for development (README), each counted apart and checked on its own.
SPLITS = ("tune", "test", "dev", "dev2", "dev3", "dev4", "dev5", "dev6")
OWN_SPLITS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6")
# Abstentions about another disease entirely; every other abstention is near-topic.
OFF_TOPIC_MISSING = {"prostate", "EGFR", "pancreatic"}
MARKER = re.compile(r"\s*\[\d+(?:\s*[-,]\s*\d+)*\]")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")

problems: list[str] = []


def problem(msg: str) -> None:
    problems.append(msg)


def slug(text: str, max_len: int = 60) -> str:
    """The indexer's section slug (cut at 60 characters for section ids)."""
    from indexer.text import slug as indexer_slug

    return indexer_slug(text, max_len)


def clean(text: str) -> str:
    return MARKER.sub("", text)


def sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*[-*]\s+", "", line).strip()
        if line:
            out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if s.strip())
    return out


def load_articles() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Article id -> cleaned whole file; section id -> cleaned body text; section id -> article id."""
    files, sections, owner = {}, {}, {}
    for path in sorted(ARTICLES.glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        m = re.match(r"^---\n(.*?)\n---\n", raw, re.S)
        meta_id = re.search(r"^id:\s*(\S+)", m.group(1), re.M) if m else None
        doc = meta_id.group(1) if meta_id else slug(path.stem)
        files[doc] = clean(raw)
        used: set[str] = set()
        current = None
        for line in raw[m.end() if m else 0:].splitlines():
            h = HEADING.match(line)
            if h:
                sid = base = f"{doc}/{slug(h.group(2).strip())}"
                k = 2
                while sid in used:
                    sid, k = f"{base}-{k}", k + 1
                used.add(sid)
                sections[sid], owner[sid], current = "", doc, sid
            elif current:
                sections[current] += clean(line) + "\n"
    return files, sections, owner


def cross_check_with_indexer(sections: dict[str, str]) -> None:
    """Where the repository's parser imports, its section ids must be ours (guards the slug rule)."""
    sys.path.insert(0, str(ROOT))
    try:
        from indexer.markdown import parse_markdown
    except ImportError:
        print("note: indexer not importable; section ids derived from the heading rule only")
        return
    theirs = set()
    for path in sorted(ARTICLES.glob("*.md")):
        doc, _ = parse_markdown(path, path.read_text(encoding="utf-8"))
        theirs |= {s.id for s in doc.sections}
    if theirs != set(sections):
        problem(f"section ids differ from indexer's: {sorted(theirs ^ set(sections))}")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%/+-]+", text.lower())


def check_own_split(split: str, rows: list[dict], chains: dict[str, list[dict]], qrels: dict[str, list[str]],
                    owner: dict[str, str], files: dict[str, str]) -> None:
    """A split held apart from tune/test (`dev`, `dev2`, `dev3`) must be usable on its own, e.g. for choosing
    abstention thresholds: enough abstentions and answerable questions, partial questions,
    conversations, and every category and article."""
    own = [r for r in rows if r["split"] == split]
    if not own:
        return
    cats = Counter(r["category"] for r in own)
    abstain = [r for r in own if r["abstain"]]
    near = [r for r in abstain if not set(r["missing"]) & OFF_TOPIC_MISSING]
    multi = [c for c, turns in chains.items() if turns[0]["split"] == split and len(turns) >= 2]
    topic = [c for c in multi if any(t["category"] == "topic-change" for t in chains[c])]
    if len(near) < 25:
        problem(f"{split}: {len(near)} near-topic abstentions, 25 needed")
    if len(own) - len(abstain) < 30:
        problem(f"{split}: {len(own) - len(abstain)} answerable questions, 30 needed")
    if cats["partial"] < 8:
        problem(f"{split}: {cats['partial']} partial questions, 8 needed")
    if len(multi) < 10 or len(topic) < 3:
        problem(f"{split}: {len(multi)} chains of 2-4 turns ({len(topic)} with a topic change): 10 (3) needed")
    if set(cats) != CATEGORIES:
        problem(f"{split}: no question of category {sorted(CATEGORIES - set(cats))}")
    opened = {r["article"] for r in own}
    answering = {owner[s] for r in own for s in qrels.get(r["_id"], []) if s in owner}
    if opened != set(files) or answering != set(files):
        problem(f"{split}: every article must be open for some question and answer some question")


def main() -> int:
    files, sections, owner = load_articles()
    cross_check_with_indexer(sections)
    all_text_lower = "\n".join(files.values()).lower()
    shingles = set()
    for text in sections.values():
        w = words(text)
        shingles |= {tuple(w[i:i + 6]) for i in range(len(w) - 5)}

    rows = []
    for number, line in enumerate((HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            problem(f"queries.jsonl:{number}: blank line")
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            problem(f"queries.jsonl:{number}: not JSON ({exc})")

    # qrels
    qrels: dict[str, list[str]] = defaultdict(list)
    with (HERE / "qrels" / "test.tsv").open(encoding="utf-8", newline="") as f:
        for number, row in enumerate(csv.reader(f, delimiter="\t"), start=1):
            if number == 1:
                if row != ["query-id", "corpus-id", "score"]:
                    problem(f"qrels/test.tsv:1: header should be query-id, corpus-id, score, got {row}")
                continue
            if len(row) != 3 or row[2] != "1":
                problem(f"qrels/test.tsv:{number}: expected query-id, corpus-id, 1; got {row}")
                continue
            if row[1] not in sections:
                problem(f"qrels/test.tsv:{number}: no section {row[1]}")
            elif not sections[row[1]].strip():
                problem(f"qrels/test.tsv:{number}: section {row[1]} has no text of its own")
            if row[1] in qrels[row[0]]:
                problem(f"qrels/test.tsv:{number}: duplicate {row[0]} {row[1]}")
            qrels[row[0]].append(row[1])

    ids = Counter(r.get("_id") for r in rows)
    for qid, n in ids.items():
        if n > 1:
            problem(f"{qid}: id used {n} times")
    for qid in qrels:
        if qid not in ids:
            problem(f"qrels/test.tsv: unknown query {qid}")

    keys = {
        "_id", "text", "article", "history", "chain", "category", "split",
        "must", "lead", "exclude", "abstain", "missing",
    }
    chains: dict[str, list[dict]] = defaultdict(list)
    last_chain = None
    seen_chains: set[str] = set()
    for r in rows:
        qid = r.get("_id", "?")
        if set(r) != keys:
            problem(f"{qid}: fields {sorted(set(r) ^ keys)} missing or unexpected")
            continue
        if r["category"] not in CATEGORIES:
            problem(f"{qid}: unknown category {r['category']}")
        if r["split"] not in SPLITS:
            problem(f"{qid}: split must be one of {', '.join(SPLITS)}")
        if r["article"] not in files:
            problem(f"{qid}: unknown article {r['article']}")
        if r["chain"] != last_chain and r["chain"] in seen_chains:
            problem(f"{qid}: chain {r['chain']} is not contiguous")
        seen_chains.add(r["chain"])
        last_chain = r["chain"]
        chains[r["chain"]].append(r)
        for w in range(len(words(r["text"])) - 5):
            if tuple(words(r["text"])[w:w + 6]) in shingles:
                problem(f"{qid}: question copies six words of an article: {' '.join(words(r['text'])[w:w + 6])}")
                break
        for term in r["missing"]:
            if term.lower() in all_text_lower:
                problem(f"{qid}: 'missing' term {term!r} does occur in the articles")
        if (r["category"] == "unanswerable") != bool(r["abstain"]):
            problem(f"{qid}: abstain must be true exactly for category unanswerable")
        if r["abstain"]:
            if r["must"] or r["lead"] or r["exclude"] or qrels.get(qid):
                problem(f"{qid}: an abstention has no must, lead, exclude or qrels")
            continue
        if r["category"] == "partial" and not r["missing"]:
            problem(f"{qid}: a partial question names its uncovered part in 'missing'")
        rel = qrels.get(qid, [])
        if not rel:
            problem(f"{qid}: answerable but no qrels")
            continue
        answering = {owner[s] for s in rel if s in owner}
        ans_text = "\n".join(files[a] for a in answering)
        rel_sents = [s for sid in rel if sid in sections for s in sentences(sections[sid])]
        if not 1 <= len(r["must"]) <= 3:
            problem(f"{qid}: 1-3 must facts, got {len(r['must'])}")
        must_sents = set()
        for fact in r["must"]:
            if not fact or not all(isinstance(a, str) and a for a in fact):
                problem(f"{qid}: empty must fact {fact}")
                continue
            for alt in fact:
                if alt not in ans_text:
                    problem(f"{qid}: must {alt!r} is not in {sorted(answering)}")
            hits = [s for s in rel_sents if any(a in s for a in fact)]
            if not hits:
                problem(f"{qid}: must {fact} is in none of the judged sections {rel}")
            must_sents.update(hits)
        if not r["lead"]:
            problem(f"{qid}: no lead fact")
        for alt in r["lead"]:
            if not any(alt in s for s in must_sents):
                problem(f"{qid}: lead {alt!r} is not in a sentence holding a must fact")
        for ex in r["exclude"]:
            if ex not in "\n".join(files.values()):
                problem(f"{qid}: exclude {ex!r} is in no article")
            if any(ex in s for s in must_sents):
                problem(f"{qid}: exclude {ex!r} is in the answering sentence itself")
        if r["article"] not in answering:
            print(f"note: {qid} asked in {r['article']}, answered from {', '.join(sorted(answering))}")

    multi = 0
    topic_chains = follow_chains = 0
    for cid, turns in chains.items():
        if len({t["split"] for t in turns}) > 1:
            problem(f"{cid}: a chain's turns share one split")
        if not 1 <= len(turns) <= 4:
            problem(f"{cid}: {len(turns)} turns (at most 4)")
        for i, t in enumerate(turns):
            if t["history"] != [p["text"] for p in turns[:i]]:
                problem(f"{t['_id']}: history is not the chain's earlier questions")
        if len(turns) >= 2:
            multi += 1
            topic_chains += any(t["category"] == "topic-change" for t in turns)
            follow_chains += any(t["category"] == "followup" for t in turns)
        elif turns[0]["category"] in ("followup", "topic-change"):
            problem(f"{cid}: a single question cannot be a {turns[0]['category']}")

    cats = Counter(r["category"] for r in rows)
    splits = Counter(r["split"] for r in rows)
    abstain = [r for r in rows if r.get("abstain")]
    near = [r for r in abstain if not set(r["missing"]) & OFF_TOPIC_MISSING]
    arts = Counter(r["article"] for r in rows)
    answered_from = Counter(owner[ss[0]] for ss in qrels.values() if ss and ss[0] in owner)

    if len(rows) < 160:
        problem(f"{len(rows)} queries, fewer than 160")
    if multi < 40:
        problem(f"{multi} chains of 2-4 turns, fewer than 40")
    if topic_chains < 15 or follow_chains < 15:
        problem(f"chains with a topic change {topic_chains}, with a follow-up {follow_chains}: 15 each needed")
    for cat, n in MIN_PER_CATEGORY.items():
        if cats[cat] < n:
            problem(f"category {cat}: {cats[cat]} < {n}")
    if len(abstain) < 30 or len(near) < 20:
        problem(f"abstentions {len(abstain)} (near-topic {len(near)}): 30 (20) needed")
    if set(arts) != set(files) or set(answered_from) != set(files):
        problem("every article must be open for some question and answer some question")
    # The tune share is of the original tune+test set; dev, dev2 and dev3 are counted apart and must not dilute it.
    tune_share = splits["tune"] / max(1, splits["tune"] + splits["test"])
    if not 0.3 <= tune_share <= 0.5:
        problem(f"tune share {tune_share:.0%} of tune+test, expected about 40%")
    for split in OWN_SPLITS:
        check_own_split(split, rows, chains, qrels, owner, files)

    sys.path.insert(0, str(ROOT))
    try:
        from evals.dataset import load_dataset
        ds = load_dataset(HERE)
        if len(ds.queries) != len(rows):
            problem("evals.dataset.load_dataset reads a different number of queries")
    except ImportError:
        print("note: evals not importable; loader not exercised")
    except Exception as exc:  # the loader's own error, reported as a problem
        problem(f"load_dataset: {exc}")

    print(f"{len(rows)} queries, {len(chains)} chains ({multi} of 2-4 turns: {topic_chains} with a topic change,"
          f" {follow_chains} with a follow-up), {sum(len(v) for v in qrels.values())} qrels")
    print(f"abstain {len(abstain)} (near-topic {len(near)}); split {dict(splits)};"
          f" tune share of tune+test {tune_share:.0%}")
    print("article open:", dict(arts))
    print("answered from:", dict(answered_from))
    width = max(map(len, CATEGORIES))
    print(f"{'category':<{width}}  total  " + "  ".join(SPLITS))
    for cat in sorted(CATEGORIES):
        per = [sum(1 for r in rows if r["category"] == cat and r["split"] == sp) for sp in SPLITS]
        cells = "  ".join(f"{n:>{len(sp)}}" for n, sp in zip(per, SPLITS, strict=True))
        print(f"{cat:<{width}}  {cats[cat]:>5}  {cells}")
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
