"""The vector-store contract, run against every store: exact top-k, ties, reconstruction, save/load."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.vectors import STORES, FaissIVFStore, VectorStoreError, choose_store, store_class


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype("float32")


@pytest.fixture(params=sorted(STORES))
def kind(request):
    return STORES[request.param]


@pytest.fixture()
def matrix():
    return unit(np.random.default_rng(7).normal(size=(300, 32)))


def brute_force(matrix: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return list(np.argsort(-(matrix @ query), kind="stable")[:k])


def test_search_returns_the_exact_top_k_best_first(kind, matrix):
    store = kind.build(matrix)
    queries = unit(np.random.default_rng(8).normal(size=(5, 32)))
    scores, rows = store.search(queries, 10)
    assert rows.shape == scores.shape == (5, 10)
    for q, found, s in zip(queries, rows, scores, strict=True):
        assert list(found) == brute_force(matrix, q, 10)
        assert np.allclose(s, matrix[found] @ q, atol=1e-5)
        assert all(s[i] >= s[i + 1] for i in range(9))


def test_k_beyond_the_rows_and_an_empty_store(kind, matrix):
    store = kind.build(matrix[:3])
    _, rows = store.search(matrix[:1], 50)
    assert sorted(rows[0]) == [0, 1, 2]
    empty = kind.build(np.zeros((0, 32), "float32"))
    scores, rows = empty.search(matrix[:1], 5)
    assert empty.ntotal == 0 and rows.shape == (1, 0) and scores.shape == (1, 0)


def test_reconstruct_returns_the_stored_rows_in_the_order_asked(kind, matrix):
    store = kind.build(matrix)
    assert np.allclose(store.reconstruct(np.array([5, 0, 299])), matrix[[5, 0, 299]])
    assert store.reconstruct(np.array([], dtype="int64")).shape == (0, 32)


def test_save_and_load_round_trip(kind, matrix, tmp_path):
    path = tmp_path / kind.filename
    kind.build(matrix).save(path)
    loaded = kind.load(path)
    assert (loaded.ntotal, loaded.dimension) == (300, 32)
    q = matrix[42:43]
    assert loaded.search(q, 1)[1][0][0] == 42
    assert np.allclose(loaded.reconstruct(np.arange(300)), matrix)


def test_a_garbage_file_is_a_store_error_not_a_crash(kind, tmp_path):
    path = tmp_path / kind.filename
    path.write_bytes(b"\x93NUMPY garbage" * 10)
    with pytest.raises(VectorStoreError):
        kind.load(path)


def test_numpy_store_never_unpickles(tmp_path):
    """An object array (which np.load could only read by unpickling) is refused."""
    path = tmp_path / "vectors.npy"
    np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(VectorStoreError):
        store_class("numpy").load(path)


def test_names_users_give_resolve_and_unknown_names_list_the_choices():
    assert store_class("auto") is store_class("faiss") is STORES["faiss-flat"]
    assert store_class("ivf") is STORES["faiss-ivf"]
    with pytest.raises(KeyError, match="choose from auto, faiss, ivf, numpy"):
        store_class("qdrant")


def test_auto_is_exact_up_to_the_threshold_and_approximate_beyond_it():
    assert choose_store("auto", 200_000, 200_000) is STORES["faiss-flat"]
    assert choose_store("auto", 200_001, 200_000) is STORES["faiss-ivf"]
    assert choose_store("faiss", 10**7, 200_000) is STORES["faiss-flat"]  # a named store, whatever the size
    assert choose_store("ivf", 10, 200_000) is STORES["faiss-ivf"]
    assert choose_store("numpy", 10**7, 200_000) is STORES["numpy"]


def clustered(rows: int, dimension: int, seed: int) -> np.ndarray:
    """Unit vectors around 200 centres, as embeddings of texts on a few hundred topics are."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(200, dimension))
    return unit(centres[rng.integers(0, 200, rows)] + 0.5 * rng.normal(size=(rows, dimension)))


def test_the_approximate_store_finds_the_exact_top_result_of_known_queries(tmp_path):
    matrix = clustered(20_000, 32, seed=3)
    path = tmp_path / "vectors.faiss"
    FaissIVFStore.build(matrix).save(path)
    store = FaissIVFStore.load(path)
    assert store.params["nprobe"] < store.params["nlist"]  # really approximate: most lists are not scanned
    known = np.random.default_rng(4).choice(20_000, 100, replace=False)
    queries = unit(matrix[known] + 0.01 * np.random.default_rng(5).normal(size=(100, 32)))
    scores, rows = store.search(queries, 10)
    assert list(rows[:, 0]) == list(known)  # each query's own vector comes first
    assert np.allclose(scores[:, 0], np.sum(queries * matrix[known], axis=1), atol=1e-5)
    recall = np.mean(
        [len(set(found) & set(brute_force(matrix, q, 10))) / 10 for q, found in zip(queries, rows, strict=True)]
    )
    assert recall >= 0.9
    assert np.array_equal(store.reconstruct(known), matrix[known])  # rows read back exactly, for re-scoring
