"""The claims harness reads what a labelled set may hold: a claim that cites nothing, and only known labels
and kinds."""

from __future__ import annotations

import json

import pytest

from evals.claims import PERTURBATIONS, evaluate_claims, load_claims
from indexer.errors import GuidelineQAError
from indexer.settings import Settings


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
