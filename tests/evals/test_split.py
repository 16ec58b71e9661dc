"""The tuning/test split the retrieval defaults were chosen on: deterministic, disjoint, complete."""

import hashlib

import pytest

from evals.dataset import Dataset, Query, in_tuning_split, select_split
from indexer.errors import GuidelineQAError

IDS = [f"CancerGov_{n:07d}_{k}_Sec{s}" for n in range(1, 21) for k in range(1, 4) for s in range(1, 6)] + [
    f"mbc-{n:02d}" for n in range(1, 41)
]


def dataset() -> Dataset:
    queries = [Query(id=i, text=f"question {i}") for i in IDS]
    return Dataset("ids", queries, {i: {f"{i}-section": 1} for i in IDS})


def test_split_is_deterministic_disjoint_and_covers_every_id():
    tune = select_split(dataset(), "tune")
    test = select_split(dataset(), "test")
    tune_ids, test_ids = [q.id for q in tune.queries], [q.id for q in test.queries]
    assert tune_ids == [q.id for q in select_split(dataset(), "tune").queries]  # same ids every time
    assert not set(tune_ids) & set(test_ids)
    assert sorted(tune_ids + test_ids) == sorted(IDS)
    assert [q.id for q in select_split(dataset(), "all").queries] == IDS
    # About a tenth, and not every tenth question (MedQuAD is ordered by file and pair).
    assert 0.05 * len(IDS) <= len(tune_ids) <= 0.15 * len(IDS)
    assert tune_ids != IDS[::10]
    # Each split keeps only its own questions' qrels, so the other split's questions cannot count as misses.
    assert set(tune.qrels) == set(tune_ids) and set(test.qrels) == set(test_ids)


def test_split_is_sha1_of_the_id_mod_10():
    """The definition docs/evaluation.md states, pinned on ids of the sample set and of MedQuAD."""
    assert in_tuning_split("mbc-12") and in_tuning_split("CancerGov_0000001_2_Sec5")
    assert not in_tuning_split("mbc-11") and not in_tuning_split("CancerGov_0000001_1_Sec1")
    for i in IDS:
        assert in_tuning_split(i) == (int(hashlib.sha1(i.encode()).hexdigest(), 16) % 10 == 0)


def test_unknown_split_is_refused():
    named = "all, tune, test, dev, dev2, dev3, dev4, dev5, dev6"
    with pytest.raises(GuidelineQAError, match=f"split must be one of {named}, got 'train'"):
        select_split(dataset(), "train")


def test_dev_split_is_only_the_questions_the_dataset_assigns_to_dev():
    """`dev` questions are in neither tune nor test, whatever their id's SHA-1; without any, dev is empty."""
    queries = [Query(id=i, text=i, split="dev" if n % 3 == 0 else None) for n, i in enumerate(IDS)]
    data = Dataset("ids", queries, {i: {f"{i}-section": 1} for i in IDS})
    dev_ids = [q.id for q in select_split(data, "dev").queries]
    assert dev_ids == IDS[::3] and set(select_split(data, "dev").qrels) == set(dev_ids)
    tune_ids = [q.id for q in select_split(data, "tune").queries]
    test_ids = [q.id for q in select_split(data, "test").queries]
    assert not set(dev_ids) & (set(tune_ids) | set(test_ids))
    assert sorted(dev_ids + tune_ids + test_ids) == sorted(IDS)
    assert any(in_tuning_split(i) for i in dev_ids)  # the SHA-1 rule would have put some in tune
    assert not any(in_tuning_split(q) for q in queries if q.split == "dev")
    assert select_split(dataset(), "dev").queries == []
