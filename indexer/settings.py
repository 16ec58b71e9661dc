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
class RetrievalSettings:
    """Hybrid retrieval knobs; docs/retrieval.md says which data chose the defaults."""

    top_k: int = 8  # passages returned after fusion
    candidates: int = 50  # passages each retriever contributes before fusion
    rrf_k: int = 20  # reciprocal rank fusion constant: score = sum weight / (rrf_k + rank)
    dense_weight: float = 4.0  # weight of the dense ranking in the fusion; the keyword ranking weighs 1
    scope_weight: float = 1.25  # multiplier on the fused score of passages of the article in scope
    history_turns: int = 2  # earlier questions a follow-up may borrow context from
    reranker: str = "none"  # assistant/rerank.py RERANKERS: reorders the fused candidates
    rerank_depth: int = 50  # fused candidates handed to the reranker (when it is not "none")

    def __post_init__(self) -> None:
        if not 1 <= self.top_k <= 50:
            raise ValueError(f"top_k must be between 1 and 50, got {self.top_k}")
        if not self.top_k <= self.candidates <= 1000:
            raise ValueError(f"candidates must be between top_k ({self.top_k}) and 1000, got {self.candidates}")
        if not 0 < self.dense_weight <= 10:
            raise ValueError(f"dense_weight must be in (0, 10], got {self.dense_weight}")
        if self.rrf_k < 1:
            raise ValueError(f"rrf_k must be at least 1, got {self.rrf_k}")
        if self.scope_weight < 1:
            raise ValueError(f"scope_weight must be at least 1, got {self.scope_weight}")


@dataclass(frozen=True)
class AnswerSettings:
    """Extractive composition and abstention; thresholds calibrated as docs/answers.md describes."""

    max_sentences: int = 4
    max_passages: int = 4  # passages whose sentences may enter the answer
    min_sentence_share: float = 0.3  # top passage: sentences scoring at least this share of the best
    other_passage_share: float = 0.75  # other passages: only sentences nearly as pertinent as the best
    # A passage is evidence when its cosine to the question is at least min_dense and it holds at least
    # min_overlap of the question's terms (idf-weighted); or when its cosine alone reaches strong_dense;
    # or when it holds nearly every term of the question (strong_overlap), rare ones included.
    min_dense: float = 0.33
    min_overlap: float = 0.27
    strong_dense: float = 0.65
    strong_overlap: float = 0.9
    max_question_chars: int = 2000
    composer: str = "extractive"  # assistant/compose.py COMPOSERS

    def __post_init__(self) -> None:
        if not 1 <= self.max_sentences <= 20:
            raise ValueError(f"max_sentences must be between 1 and 20, got {self.max_sentences}")


@dataclass(frozen=True)
class Settings:
    corpus: tuple[Path, ...] = (Path("corpus"),)
    index: Path = Path("index")
    model: str = DEFAULT_MODEL
    chunk: ChunkSettings = field(default_factory=ChunkSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    log_questions: Path | None = None  # questions are never logged unless this names a file
    runs: Path = Path("runs")  # evaluation runs; the app's Evaluation page shows the newest
    batch_size: int = 64
    disclaimer: str = DEFAULT_DISCLAIMER
    vector_store: str = "auto"  # "faiss" (= "auto") or "numpy": see indexer/vectors.py

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
        if v := env.get(ENV_PREFIX + "TOP_K"):
            changes["retrieval"] = dataclasses.replace(base.retrieval, top_k=_int(ENV_PREFIX + "TOP_K", v))
        if v := env.get(ENV_PREFIX + "DENSE_WEIGHT"):
            retrieval = changes.get("retrieval", base.retrieval)
            changes["retrieval"] = dataclasses.replace(retrieval, dense_weight=_float(ENV_PREFIX + "DENSE_WEIGHT", v))
        if v := env.get(ENV_PREFIX + "RUNS"):
            changes["runs"] = Path(v)
        if v := env.get(ENV_PREFIX + "LOG_QUESTIONS"):
            changes["log_questions"] = Path(v)
        if v := env.get(ENV_PREFIX + "MAX_TOKENS"):
            changes["chunk"] = dataclasses.replace(base.chunk, max_tokens=_int(ENV_PREFIX + "MAX_TOKENS", v))
        return base.replace(**changes)


def _float(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {value!r}") from None


def _int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
