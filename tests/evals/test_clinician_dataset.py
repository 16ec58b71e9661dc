"""The clinician set (evals/datasets/clinician): its validator passes and each split selects its own questions."""

import json
import runpy
from pathlib import Path

import pytest

from evals.__main__ import build_parser
from evals.dataset import load_dataset, select_split

CLINICIAN = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "clinician"


def test_clinician_dataset_validator_passes(capsys):
    with pytest.raises(SystemExit) as exit_:
        runpy.run_path(str(CLINICIAN / "check.py"), run_name="__main__")
    assert exit_.value.code == 0, capsys.readouterr().err
    assert capsys.readouterr().out.rstrip().endswith("OK")


def test_clinician_splits_are_the_split_field():
    rows = [json.loads(line) for line in (CLINICIAN / "queries.jsonl").read_text(encoding="utf-8").splitlines()]
    data = load_dataset(CLINICIAN)
    for split in ("tune", "test", "dev"):
        chosen = select_split(data, split)
        assert [q.id for q in chosen.queries] == [r["_id"] for r in rows if r["split"] == split]
        assert set(chosen.qrels) <= {q.id for q in chosen.queries}
    assert any(r["split"] == "dev" for r in rows)


def test_harness_accepts_split_dev():
    args = build_parser().parse_args(["run", "--index", "i", "--dataset", "d", "--out", "o", "--split", "dev"])
    assert args.split == "dev"
    args = build_parser().parse_args(["sweep", "--index", "i", "--dataset", "d", "--out", "o", "--split", "dev"])
    assert args.split == "dev"
