"""The one settings object: paths, model, chunking, retrieval and answer knobs, with their defaults.

Defaults live here; environment variables with the GUIDELINE_QA_ prefix override them, and CLI flags
override both (each surface calls `Settings.from_env().replace(...)`). Nothing else reads os.environ.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

ENV_PREFIX = "GUIDELINE_QA_"

DEFAULT_MODEL = "all-MiniLM-L6-v2"

DEFAULT_DISCLAIMER = (
    "For healthcare professionals only. This answer is generated from indexed guideline text; it does "
    "not replace clinical judgement, and every statement must be verified against the primary sources "
    "before it informs patient care."
)


@dataclass(frozen=True)
class ChunkSettings:
    """How documents are cut into passages; recorded in the manifest so a reader knows what it got."""

    max_tokens: int = 256  # word pieces, special tokens included: the model truncates beyond this
    overlap_sentences: int = 1  # sentences repeated at the start of the next chunk of the same section
    include_headings: bool = True  # section headings in the embedded and keyword-indexed text

    def __post_init__(self) -> None:
        if not 32 <= self.max_tokens <= 8192:
            raise ValueError(f"max_tokens must be between 32 and 8192, got {self.max_tokens}")
        if not 0 <= self.overlap_sentences <= 5:
            raise ValueError(f"overlap_sentences must be between 0 and 5, got {self.overlap_sentences}")


@dataclass(frozen=True)
class Settings:
    corpus: tuple[Path, ...] = (Path("corpus"),)
    index: Path = Path("index")
    model: str = DEFAULT_MODEL
    chunk: ChunkSettings = field(default_factory=ChunkSettings)
    batch_size: int = 64
    disclaimer: str = DEFAULT_DISCLAIMER

    def replace(self, **changes) -> Settings:
        """A copy with the given fields changed; None values are ignored so unset CLI flags keep defaults."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        base = cls()
        changes: dict = {}
        if v := env.get(ENV_PREFIX + "CORPUS"):
            changes["corpus"] = tuple(Path(p) for p in v.split(os.pathsep) if p)
        if v := env.get(ENV_PREFIX + "INDEX"):
            changes["index"] = Path(v)
        if v := env.get(ENV_PREFIX + "MODEL"):
            changes["model"] = v
        if v := env.get(ENV_PREFIX + "DISCLAIMER"):
            changes["disclaimer"] = v
        if v := env.get(ENV_PREFIX + "BATCH_SIZE"):
            changes["batch_size"] = _int(ENV_PREFIX + "BATCH_SIZE", v)
        if v := env.get(ENV_PREFIX + "MAX_TOKENS"):
            changes["chunk"] = dataclasses.replace(base.chunk, max_tokens=_int(ENV_PREFIX + "MAX_TOKENS", v))
        return base.replace(**changes)


def _int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
