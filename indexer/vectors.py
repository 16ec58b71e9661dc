"""Vector stores behind one small interface: inner-product search over unit vectors.

A store is built from a matrix, saved to one file and loaded from it; row i is the chunk whose `row` is i.
FAISS (`IndexFlatIP`, exact) is the default; `NumpyStore` is a second, exact implementation that proves the
seam (the same contract tests run against both). `FaissIVFStore` is approximate (a FAISS inverted file over
the same vectors), for corpora where an exact scan is too slow: `choose_store` picks it above a size
threshold. Only `indexer/store.py` opens these files; it picks the class from the name the manifest
records, and checks the store's `params` against the manifest's.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Protocol

import numpy as np


class VectorStoreError(Exception):
    """A vector file that cannot be read as the store it claims to be; store.py names the file and the fix."""


class VectorStore(Protocol):
    name: ClassVar[str]  # recorded in the manifest
    filename: ClassVar[str]  # inside the index folder
    exact: ClassVar[bool]  # False: search may miss a true neighbour (reconstruct is always exact)

    @property
    def params(self) -> dict[str, int]:
        """Build and search parameters, recorded in the manifest ({} for a store that has none)."""
        ...

    @property
    def ntotal(self) -> int: ...

    @property
    def dimension(self) -> int: ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rows), each shaped (len(queries), min(k, ntotal)), best first; ties by lower row."""
        ...

    def reconstruct(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of `rows`, in that order."""
        ...

    def save(self, path: Path) -> None: ...


class _FaissStore:
    """What the FAISS stores share: one FAISS index in a `.faiss` file (faiss.write_index, never pickle)."""

    def __init__(self, index) -> None:
        self._index = index

    @property
    def ntotal(self) -> int:
        return int(self._index.ntotal)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self.ntotal)
        if k <= 0:
            return np.zeros((len(queries), 0), "float32"), np.zeros((len(queries), 0), "int64")
        scores, rows = self._index.search(np.ascontiguousarray(queries, dtype="float32"), k)
        return scores, rows

    def reconstruct(self, rows: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros((0, self.dimension), "float32")
        return self._index.reconstruct_batch(np.asarray(rows, dtype="int64"))

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))


def _read_faiss(path: Path):
    import faiss

    try:
        return faiss.read_index(str(path), faiss.IO_FLAG_READ_ONLY)
    except RuntimeError as exc:  # faiss reports every unreadable file this way
        raise VectorStoreError(_first_line(str(exc))) from None


class FaissFlatStore(_FaissStore):
    name: ClassVar[str] = "faiss-flat"
    filename: ClassVar[str] = "vectors.faiss"
    exact: ClassVar[bool] = True

    @property
    def params(self) -> dict[str, int]:
        return {}

    @classmethod
    def build(cls, vectors: np.ndarray) -> FaissFlatStore:
        import faiss

        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(np.ascontiguousarray(vectors, dtype="float32"))
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> FaissFlatStore:
        import faiss

        index = _read_faiss(path)
        if not isinstance(index, faiss.IndexFlatIP):
            raise VectorStoreError(f"expected a FAISS IndexFlatIP, found {type(index).__name__}")
        return cls(index)


class NumpyStore:
    """Exact search with NumPy over a float32 `.npy` matrix (loaded with allow_pickle=False)."""

    name: ClassVar[str] = "numpy"
    filename: ClassVar[str] = "vectors.npy"
    exact: ClassVar[bool] = True

    def __init__(self, matrix: np.ndarray) -> None:
        self._matrix = matrix

    @property
    def params(self) -> dict[str, int]:
        return {}

    @classmethod
    def build(cls, vectors: np.ndarray) -> NumpyStore:
        return cls(np.ascontiguousarray(vectors, dtype="float32"))

    @classmethod
    def load(cls, path: Path) -> NumpyStore:
        try:
            # Mapped first, so a header claiming more rows than the file holds fails here, not in malloc.
            mapped = np.load(path, allow_pickle=False, mmap_mode="r")
            if not isinstance(mapped, np.ndarray):
                raise VectorStoreError(f"expected one .npy matrix, found {type(mapped).__name__}")
            matrix = np.array(mapped)
        except (OSError, ValueError, EOFError) as exc:
            raise VectorStoreError(_first_line(str(exc))) from None
        if matrix.dtype != np.float32 or matrix.ndim != 2:
            raise VectorStoreError(f"expected a 2-D float32 matrix, found {matrix.ndim}-D {matrix.dtype}")
        return cls(matrix)

    @property
    def ntotal(self) -> int:
        return int(self._matrix.shape[0])

    @property
    def dimension(self) -> int:
        return int(self._matrix.shape[1])

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self.ntotal)
        queries = np.asarray(queries, dtype="float32").reshape(-1, self.dimension)
        if k <= 0:
            return np.zeros((len(queries), 0), "float32"), np.zeros((len(queries), 0), "int64")
        scores = queries @ self._matrix.T
        # Stable sort of negated scores: equal scores keep the lower row first, as FAISS does.
        rows = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(scores, rows, axis=1), rows.astype("int64")

    def reconstruct(self, rows: np.ndarray) -> np.ndarray:
        return self._matrix[np.asarray(rows, dtype="int64")]

    def save(self, path: Path) -> None:
        with open(path, "wb") as f:
            np.save(f, self._matrix, allow_pickle=False)


class FaissIVFStore(_FaissStore):
    """Approximate search in a FAISS inverted file (`IndexIVFFlat`, inner product) over the full float32 vectors.

    k-means splits the vectors into `nlist` lists (about the square root of their number); a query scans
    the `nprobe` lists whose centroids are nearest, not every vector. Chosen over HNSW because it builds
    in about a minute at 1M vectors on two cores, where an HNSW graph took minutes per 100k
    (docs/evaluation.md). The vectors themselves are kept (with a direct map from row to list), so
    `reconstruct` is exact and callers can re-score: article scope does. Both parameters are recorded
    in the manifest and checked on load. `search` may miss a row, and when the lists scanned hold fewer
    than k vectors its tail is padded with row -1 (callers skip it).
    """

    name: ClassVar[str] = "faiss-ivf"
    filename: ClassVar[str] = "vectors.faiss"
    exact: ClassVar[bool] = False
    TRAIN_PER_LIST: ClassVar[int] = 64  # k-means sample per list (FAISS wants at least 39)

    @staticmethod
    def lists_for(rows: int) -> int:
        """About sqrt(rows) lists, never fewer than TRAIN_PER_LIST vectors to train each (one list: exact)."""
        return max(1, min(int(round(rows**0.5)), rows // FaissIVFStore.TRAIN_PER_LIST))

    @staticmethod
    def probes_for(nlist: int) -> int:
        """Lists a query scans: a sixteenth of them, at least 8 (all of them when there are fewer)."""
        return min(nlist, max(8, nlist // 16))

    @classmethod
    def build(cls, vectors: np.ndarray, *, nlist: int | None = None, nprobe: int | None = None) -> FaissIVFStore:
        import faiss

        rows, dimension = vectors.shape
        nlist = nlist or cls.lists_for(rows)
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFFlat(quantizer, dimension, nlist, faiss.METRIC_INNER_PRODUCT)
        vectors = np.ascontiguousarray(vectors, dtype="float32")
        if nlist > 1:
            # A fixed, sorted sample: the same vectors give the same lists.
            sample = np.sort(
                np.random.default_rng(0).choice(rows, min(rows, cls.TRAIN_PER_LIST * nlist), replace=False)
            )
            index.train(vectors[sample])
        else:  # one list (a small store): it holds every vector and is always scanned, so search is exact
            quantizer.add(np.zeros((nlist, dimension), "float32"))
            index.is_trained = True
        if rows:
            index.add(vectors)
        index.make_direct_map()
        index.nprobe = nprobe or cls.probes_for(nlist)
        return cls(index)

    @classmethod
    def load(cls, path: Path) -> FaissIVFStore:
        import faiss

        index = _read_faiss(path)
        if not isinstance(index, faiss.IndexIVFFlat) or index.metric_type != faiss.METRIC_INNER_PRODUCT:
            raise VectorStoreError(f"expected a FAISS IndexIVFFlat (inner product), found {type(index).__name__}")
        if index.direct_map.type != faiss.DirectMap.Array:  # type: ignore[attr-defined]  # stubs lag the library
            raise VectorStoreError("the IVF index has no direct map, so its rows cannot be read back")
        return cls(index)

    @property
    def params(self) -> dict[str, int]:
        return {"nlist": int(self._index.nlist), "nprobe": int(self._index.nprobe)}


StoreClass = type[FaissFlatStore] | type[NumpyStore] | type[FaissIVFStore]
STORES: dict[str, StoreClass] = {
    FaissFlatStore.name: FaissFlatStore,
    NumpyStore.name: NumpyStore,
    FaissIVFStore.name: FaissIVFStore,
}
DEFAULT_STORE = FaissFlatStore.name
APPROXIMATE_STORE = FaissIVFStore.name
# Names a user may give (GUIDELINE_QA_VECTOR_STORE); "auto" is the exact default unless `choose_store`
# is told the corpus size.
ALIASES = {"auto": DEFAULT_STORE, "faiss": FaissFlatStore.name, "ivf": FaissIVFStore.name, "numpy": NumpyStore.name}


def store_class(name: str) -> StoreClass:
    """The class behind a manifest's store name or a user's alias; KeyError names the choices."""
    name = ALIASES.get(name, name)
    if name not in STORES:
        raise KeyError(f"unknown vector store {name!r}; choose from {', '.join(sorted(ALIASES))}")
    return STORES[name]


def choose_store(name: str, rows: int, approximate_above: int) -> StoreClass:
    """The store for `rows` passages: `auto` is exact FAISS up to `approximate_above` rows and IVF beyond
    (an exact scan grows with the corpus; below the threshold it is fast enough and never misses);
    any other name is that store, whatever the size."""
    if name == "auto":
        return STORES[APPROXIMATE_STORE if rows > approximate_above else DEFAULT_STORE]
    return store_class(name)


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unreadable"
