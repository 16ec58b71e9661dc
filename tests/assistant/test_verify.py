"""The claim verifier: numbers compared as written (after unicode and spacing), never by value; each kind of
perturbation caught against a real passage of the sample index; and the harness that measures it."""

from __future__ import annotations

import json

import pytest

from assistant.verify import normalise, quantities
from evals.claims import evaluate_claims
from indexer.settings import LLMSettings, Settings

from ..helpers import ROOT


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a loading dose of 4 mg/kg IV", ["4 mg/kg"]),
        ("in up to 20–40% of cases", ["20-40 %"]),  # an en dash
        ("in up to 20 to 40 % of cases", ["20-40 %"]),
        ("every three weeks", ["3 week"]),  # a number word
        ("1 month, against 12 months", ["1 month", "12 month"]),
        ("≥1 earlier regimen", ["1"]),
        ("HER2-positive, stage IV", []),
    ],
)
def test_numbers_are_read_with_their_units(text, found):
    assert [str(q) for q in quantities(normalise(text))] == found


def test_value_is_not_normalised_away():
    assert [str(q) for q in quantities(normalise("4.0 mg/kg"))] == ["4.0 mg/kg"]  # not "4 mg/kg": as written


PERTURBED = {
    "number": "Trastuzumab starts with a loading dose of 6 mg/kg IV over 90 minutes.",
    "drug": "Do not combine anthracyclines with tamoxifen because together they raise the risk of cardiotoxicity.",
    "negation": "Combine anthracyclines with trastuzumab because together they raise the risk of cardiotoxicity.",
    "citation": "Bone is the commonest site of metastatic spread, at 51%.",
}
FAITHFUL = [
    "Trastuzumab is started with a loading dose of 4 mg/kg IV over 90 minutes.",
    "Anthracyclines should not be combined with trastuzumab, because together they raise the risk of cardiotoxicity.",
]
PASSAGE = "Trastuzumab starts with a loading dose"


@pytest.fixture(scope="module")
def small_set(tmp_path_factory):
    folder = tmp_path_factory.mktemp("claims")
    rows = [{"id": f"f{i}", "claim": c, "cites": PASSAGE, "label": "faithful"} for i, c in enumerate(FAITHFUL)]
    rows += [
        {"id": k, "claim": c, "cites": PASSAGE, "source": "Bone is the commonest site", "label": "perturbed",
         "perturbation": k}
        for k, c in PERTURBED.items()
    ]
    (folder / "claims.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return folder


def test_each_perturbation_is_caught_and_faithful_claims_kept(sample_index, embedder, small_set):
    result = evaluate_claims(sample_index, small_set, Settings(), embedder=embedder)
    assert result["by_kind"] == {
        "faithful": {"kept": 2, "of": 2},
        **{k: {"caught": 1, "of": 1} for k in PERTURBED},
    }
    assert result["precision"] == 1.0 and result["recall"] == 1.0
    assert result["dropped_by_reason"] == {"number": 2, "drug": 1, "negation": 1}  # 51% is not in that passage


def test_thresholds_decide_what_counts_as_support(sample_index, embedder, small_set):
    strict = Settings().replace(llm=LLMSettings(min_similarity=0.99))
    result = evaluate_claims(sample_index, small_set, strict, embedder=embedder)
    assert result["by_kind"]["faithful"] == {"kept": 0, "of": 2}  # paraphrases fall below 0.99
    assert result["faithful_dropped"][0]["reason"] == "unsupported"


def test_the_committed_labelled_set_is_balanced_and_large_enough():
    rows = [json.loads(line) for line in (ROOT / "evals/datasets/claims/claims.jsonl").read_text().splitlines()]
    kinds = [r.get("perturbation", "none") for r in rows if r["label"] == "perturbed"]
    assert len(rows) >= 100 and len(kinds) == len(rows) - len(kinds)
    assert {k: kinds.count(k) for k in set(kinds)} == {"number": 14, "drug": 14, "negation": 14, "citation": 14}
    assert len({r["id"] for r in rows}) == len(rows)
