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
    for split in ("tune", "test", "dev", "dev2", "dev3", "dev4", "dev5", "dev6"):
        chosen = select_split(data, split)
        assert [q.id for q in chosen.queries] == [r["_id"] for r in rows if r["split"] == split]
        assert set(chosen.qrels) <= {q.id for q in chosen.queries}
    assert any(r["split"] == "dev" for r in rows)
    assert any(r["split"] == "dev2" for r in rows)
    assert any(r["split"] == "dev4" for r in rows)
    assert any(r["split"] == "dev5" for r in rows)
    assert any(r["split"] == "dev6" for r in rows)
    # dev to dev6 are held apart from each other and from tune and test
    splits = ("tune", "test", "dev", "dev2", "dev3", "dev4", "dev5", "dev6")
    chosen = {split: {q.id for q in select_split(data, split).queries} for split in splits}
    assert sum(map(len, chosen.values())) == len(set().union(*chosen.values())) == len(rows)


@pytest.mark.parametrize("split", ["dev", "dev2", "dev3", "dev4", "dev5", "dev6"])
def test_harness_accepts_split_dev(split):
    args = build_parser().parse_args(["run", "--index", "i", "--dataset", "d", "--out", "o", "--split", split])
    assert args.split == split
    args = build_parser().parse_args(["sweep", "--index", "i", "--dataset", "d", "--out", "o", "--split", split])
    assert args.split == split
