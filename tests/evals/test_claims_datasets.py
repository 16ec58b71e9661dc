"""The labelled claim sets stay loadable and labelled (never their figures: those are in docs/llm.md), and the
harness reads what the held-out sets add: a claim that cites nothing, and the kinds it was not tuned on.

Nothing here runs the verifier on a held-out set: each was sealed until its one run (their READMEs)."""

from __future__ import annotations

import json

import pytest

from evals.claims import PERTURBATIONS, evaluate_claims, load_claims
from indexer.corpus import load_corpus
from indexer.errors import GuidelineQAError, UnresolvedCitation
from indexer.settings import Settings

from ..helpers import ROOT, SHARED, need_shared

HELDOUT = ROOT / "evals/datasets/claims-heldout"
HELDOUT2 = ROOT / "evals/datasets/claims-heldout2"  # written after the first was used to tune; run once since
HELDOUT3 = ROOT / "evals/datasets/claims-heldout3"  # written after the second had been run; run once since
HELDOUT_SETS = pytest.mark.parametrize("heldout", [HELDOUT, HELDOUT2, HELDOUT3], ids=lambda p: p.name)


def corpus_paths(heldout):
    return [ROOT / line for line in (heldout / "corpus.txt").read_text(encoding="utf-8").split()]


@HELDOUT_SETS
def test_the_heldout_set_is_labelled_and_balanced(heldout):
    rows = load_claims(heldout)
    assert 100 <= len(rows) <= 140
    assert len({r["id"] for r in rows}) == len(rows)
    faithful = {r["id"] for r in rows if r["label"] == "faithful"}
    perturbed = [r for r in rows if r["label"] == "perturbed"]
    assert len(faithful) == len(perturbed)
    kinds = [r["perturbation"] for r in perturbed]
    assert {k: kinds.count(k) for k in set(kinds)} == dict.fromkeys(PERTURBATIONS, 6)  # every kind, in-sample ones too
    assert all(r["of"] in faithful for r in perturbed)  # each perturbed claim names the faithful one it came from
    assert all(r["perturbation"] == "none" for r in rows if r["label"] == "faithful")
    assert all((r["cites"] is None) == (r["perturbation"] == "uncited") for r in rows)
    # Citation errors cite another passage; every other claim cites the passage it was written from.
    assert all((r["cites"] != r["source"]) == (r["perturbation"] == "citation") for r in rows if r["cites"])
    assert {r["collection"] for r in rows} == {"corpus", "medquad"}


@HELDOUT_SETS
def test_the_heldout_passages_lie_in_its_corpus(heldout):
    """Every snippet names text of the files `corpus.txt` lists (the index the set is measured on)."""
    paths = corpus_paths(heldout)
    for path in paths:
        if SHARED in path.resolve().parents:
            need_shared(path)
        assert path.exists(), path
    corpus = load_corpus(paths)
    assert not [p for p in corpus.problems if not isinstance(p, UnresolvedCitation)]  # the sample's [6], [7], [8]
    texts = [" ".join(doc.text.split()) for doc in corpus.documents]
    snippets = {s for r in load_claims(heldout) for s in (r["cites"], r["source"]) if s}
    assert [s for s in sorted(snippets) if not any(s in t for t in texts)] == []


def test_the_second_heldout_set_shares_no_medquad_file_with_the_first():
    """The first held-out set is now tuned on; the second must measure that work on text it never saw."""
    medquad = [{p for p in corpus_paths(h) if "medquad" in p.parts} for h in (HELDOUT, HELDOUT2)]
    assert medquad[0] and medquad[1] and not medquad[0] & medquad[1]


def test_the_third_heldout_set_is_new_text():
    """120 claims, 60 faithful, 6 of each kind; its MedQuAD files (10, from at least 6 collections) are none of
    those the earlier held-out sets use, and its corpus claims' sources are not the earlier sets' sources."""
    rows = load_claims(HELDOUT3)
    assert len(rows) == 120 and sum(r["label"] == "faithful" for r in rows) == 60
    assert [r["id"] for r in rows] == [f"h3-{n:03d}" for n in range(1, 121)]
    assert sum(r["collection"] == "medquad" for r in rows) == 100
    assert all(len(s.split()) <= 8 for r in rows for s in (r["cites"], r["source"]) if s)
    medquad = [{p for p in corpus_paths(h) if "medquad" in p.parts} for h in (HELDOUT, HELDOUT2, HELDOUT3)]
    assert len(medquad[2]) == 10 and len({p.parent.name for p in medquad[2]}) >= 6
    assert not medquad[2] & (medquad[0] | medquad[1])
    earlier = {
        json.loads(line).get("source") or json.loads(line)["cites"]
        for h in (ROOT / "evals/datasets/claims", HELDOUT, HELDOUT2)
        for line in (h / "claims.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert not {r["source"] for r in rows} & earlier


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"id": "a", "claim": "x", "cites": "y", "label": "ok"}, "label must be one of faithful, perturbed, got 'ok'"),
        (
            {"id": "a", "claim": "x", "cites": "y", "label": "perturbed", "perturbation": "dose"},
            "a perturbed claim's perturbation must be one of " + ", ".join(PERTURBATIONS) + ", got 'dose'",
        ),
        ({"id": "a", "claim": "x", "cites": None, "label": "perturbed", "perturbation": "uncited"}, "needs the source"),
    ],
)
def test_a_mislabelled_line_is_refused_with_its_line(tmp_path, line, message):
    (tmp_path / "claims.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    with pytest.raises(GuidelineQAError, match="claims.jsonl:1: ") as exc:
        load_claims(tmp_path)
    assert message in str(exc.value)


def test_a_claim_citing_nothing_is_dropped_as_uncited(sample_index, embedder, tmp_path):
    source, claim = "Trastuzumab starts with a loading dose", "Trastuzumab is loaded at 4 mg/kg IV over 90 minutes."
    rows = [
        {"id": "f", "claim": claim, "cites": source, "source": source, "label": "faithful"},
        {"id": "u", "claim": claim, "cites": None, "source": source, "label": "perturbed", "perturbation": "uncited"},
    ]
    (tmp_path / "claims.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = evaluate_claims(sample_index, tmp_path, Settings(), embedder=embedder)
    assert result["by_kind"] == {"faithful": {"kept": 1, "of": 1}, "uncited": {"caught": 1, "of": 1}}
    assert result["dropped_by_reason"] == {"uncited": 1}
    assert result["perturbed_kept"] == []
