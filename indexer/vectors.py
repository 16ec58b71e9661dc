"""Vector stores behind one small interface: exact inner-product search over unit vectors.

A store is built from a matrix, saved to one file and loaded from it; row i is the chunk whose `row` is i.
FAISS (`IndexFlatIP`) is the default; `NumpyStore` is a second, exact implementation that proves the seam
(the same contract tests run against both). Only `indexer/store.py` opens these files; it picks the class
from the name the manifest records.
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


class FaissFlatStore:
    name: ClassVar[str] = "faiss-flat"
    filename: ClassVar[str] = "vectors.faiss"

    def __init__(self, index) -> None:
        self._index = index

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

        try:
            index = faiss.read_index(str(path), faiss.IO_FLAG_READ_ONLY)
        except RuntimeError as exc:  # faiss reports every unreadable file this way
            raise VectorStoreError(_first_line(str(exc))) from None
        if not isinstance(index, faiss.IndexFlatIP):
            raise VectorStoreError(f"expected a FAISS IndexFlatIP, found {type(index).__name__}")
        return cls(index)

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


class NumpyStore:
    """Exact search with NumPy over a float32 `.npy` matrix (loaded with allow_pickle=False)."""

    name: ClassVar[str] = "numpy"
    filename: ClassVar[str] = "vectors.npy"

    def __init__(self, matrix: np.ndarray) -> None:
        self._matrix = matrix

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


STORES: dict[str, type[FaissFlatStore] | type[NumpyStore]] = {
    FaissFlatStore.name: FaissFlatStore,
    NumpyStore.name: NumpyStore,
}
DEFAULT_STORE = FaissFlatStore.name
# Names a user may give (GUIDELINE_QA_VECTOR_STORE); "auto" is the default store.
ALIASES = {"auto": DEFAULT_STORE, "faiss": FaissFlatStore.name, "numpy": NumpyStore.name}


def store_class(name: str) -> type[FaissFlatStore] | type[NumpyStore]:
    """The class behind a manifest's store name or a user's alias; KeyError names the choices."""
    name = ALIASES.get(name, name)
    if name not in STORES:
        raise KeyError(f"unknown vector store {name!r}; choose from {', '.join(sorted(ALIASES))}")
    return STORES[name]


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unreadable"
