"""The one settings object: paths, model, chunking, retrieval and answer knobs, with their defaults.

Each field is declared once, with `setting(default, "GUIDELINE_QA_...", "what it means", bounds)`: that
line gives its default, its environment variable, its documentation (docs/settings.md, checked by
tests/test_docs.py) and its validation. The environment parser follows the field's type. Environment
variables override the defaults and CLI flags override both (each surface calls
`Settings.from_env().replace(...)`). Nothing else reads os.environ.
"""

from __future__ import annotations

import dataclasses
import os
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SettingsError
from .precision import CHOICES as PRECISION_CHOICES

ENV_PREFIX = "GUIDELINE_QA_"

DEFAULT_MODEL = "all-MiniLM-L6-v2"

DEFAULT_DISCLAIMER = (
    "For healthcare professionals only. This answer is generated from indexed guideline text; it does "
    "not replace clinical judgement, and every statement must be verified against the primary sources "
    "before it informs patient care."
)

IDENTIFIER = re.compile(r"[a-z0-9_-]+")  # names of components registered elsewhere (reranker, composer, store)
TRUE, FALSE = ("true", "1", "yes"), ("false", "0", "no")
IDENTIFIER_TEXT = "a name of lowercase letters, digits, '_' or '-'"
BOOL_TEXT = "true or false (or 1/0, yes/no)"

Bound = int | float | str | None  # a number, or the name of another field of the same dataclass


def setting(
    default: Any,
    env: str,
    doc: str,
    *,
    low: Bound = None,
    high: Bound = None,
    above: Bound = None,
    identifier: bool = False,
    choices: tuple[str, ...] = (),
    secret: bool = False,
) -> Any:
    """A settings field: its default, environment variable, one-line doc and allowed values.

    `low`/`high` are inclusive bounds, `above` an exclusive lower bound; `identifier` asks for a
    lowercase name (`[a-z0-9_-]+`); `choices` lists the only values accepted; `secret` keeps the value out
    of repr() and of recorded settings.
    """
    rules = {"low": low, "high": high, "above": above, "identifier": identifier, "choices": choices}
    return field(default=default, repr=not secret, metadata={"env": env, "doc": doc, "secret": secret, **rules})


@dataclass(frozen=True)
class ChunkSettings:
    """How documents are cut into passages; recorded in the manifest so a reader knows what it got."""

    max_tokens: int = setting(
        256, "GUIDELINE_QA_MAX_TOKENS", "word pieces per chunk, special tokens included", low=32, high=8192
    )
    overlap_sentences: int = setting(
        1, "GUIDELINE_QA_OVERLAP_SENTENCES", "sentences repeated at the start of the next chunk", low=0, high=5
    )
    include_headings: bool = setting(
        True, "GUIDELINE_QA_INCLUDE_HEADINGS", "section headings in the embedded and keyword-indexed text"
    )
    heading_channel: bool = setting(
        True, "GUIDELINE_QA_HEADING_CHANNEL", "one vector per section heading path, searched as its own channel"
    )

    def __post_init__(self) -> None:
        validate(self)


@dataclass(frozen=True)
class RetrievalSettings:
    """Hybrid retrieval knobs; docs/retrieval.md says which data chose the defaults."""

    top_k: int = setting(8, "GUIDELINE_QA_TOP_K", "passages returned after fusion", low=1, high=50)
    candidates: int = setting(
        50, "GUIDELINE_QA_CANDIDATES", "passages each retriever contributes before fusion", low="top_k", high=1000
    )
    rrf_k: int = setting(
        20, "GUIDELINE_QA_RRF_K", "fusion constant: score = sum of weight / (rrf_k + rank)", low=1, high=1000
    )
    dense_weight: float = setting(
        4.0, "GUIDELINE_QA_DENSE_WEIGHT", "weight of the dense ranking in fusion (keyword: 1)", above=0, high=10
    )
    heading_weight: float = setting(
        4.0,
        "GUIDELINE_QA_HEADING_WEIGHT",
        "weight of the heading ranking in fusion, times each heading's cosine (0: off)",
        low=0,
        high=50,
    )
    scope_weight: float = setting(
        1.25, "GUIDELINE_QA_SCOPE_WEIGHT", "multiplier on fused scores of the article in scope", low=1, high=10
    )
    history_turns: int = setting(
        2, "GUIDELINE_QA_HISTORY_TURNS", "earlier questions a follow-up may borrow context from", low=0, high=10
    )
    reranker: str = setting(
        "none", "GUIDELINE_QA_RERANKER", "reranker applied after fusion (`none`: the fused order)", identifier=True
    )
    rerank_depth: int = setting(
        50, "GUIDELINE_QA_RERANK_DEPTH", "fused candidates handed to the reranker", low="top_k", high=1000
    )

    def __post_init__(self) -> None:
        validate(self)


@dataclass(frozen=True)
class AnswerSettings:
    """Extractive composition and abstention; thresholds calibrated as docs/answers.md describes."""

    max_sentences: int = setting(4, "GUIDELINE_QA_MAX_SENTENCES", "sentences in an answer", low=1, high=20)
    max_passages: int = setting(
        4, "GUIDELINE_QA_MAX_PASSAGES", "passages whose sentences may enter the answer", low=1, high=20
    )
    min_sentence_share: float = setting(
        0.3, "GUIDELINE_QA_MIN_SENTENCE_SHARE", "top passage: least share of the best sentence score", low=0, high=1
    )
    other_passage_share: float = setting(
        0.75, "GUIDELINE_QA_OTHER_PASSAGE_SHARE", "other passages: least share of the best score", low=0, high=1
    )
    # A passage is evidence when its cosine to the question is at least min_dense (or one of its sentences'
    # at least min_sentence_dense: a long passage dilutes the one sentence that answers) and it holds at least
    # min_coverage of the question's salient terms (idf-weighted, vocabulary expansions counting); the
    # assistant abstains, naming them, when terms no passage holds weigh max_unknown of the question.
    min_dense: float = setting(
        0.3, "GUIDELINE_QA_MIN_DENSE", "evidence: least cosine of a passage to the question", low=-1, high=1
    )
    min_sentence_dense: float = setting(
        0.35,
        "GUIDELINE_QA_MIN_SENTENCE_DENSE",
        "evidence: least cosine of one of a passage's sentences, when the passage's own is below min_dense",
        low=-1,
        high=1,
    )
    min_dense_whole: float = setting(
        0.15,
        "GUIDELINE_QA_MIN_DENSE_WHOLE",
        "evidence: least cosine of a passage holding every word of the question (all words the corpus uses)",
        low=-1,
        high=1,
    )
    min_coverage: float = setting(
        0.25, "GUIDELINE_QA_MIN_COVERAGE", "evidence: least weighted share of the question's terms", low=0, high=1
    )
    min_topics: float = setting(
        0.6, "GUIDELINE_QA_MIN_TOPICS", "evidence: least share of the question's topics held together", low=0, high=1
    )
    max_unknown: float = setting(
        0.3, "GUIDELINE_QA_MAX_UNKNOWN", "abstain when terms the corpus lacks weigh this share", low=0, high=1
    )
    semantic_weight: float = setting(
        0.5, "GUIDELINE_QA_SEMANTIC_WEIGHT", "sentence ranking: weight of meaning against terms", low=0, high=1
    )
    max_question_chars: int = setting(
        2000, "GUIDELINE_QA_MAX_QUESTION_CHARS", "longest question accepted, in characters", low=1, high=100_000
    )
    composer: str = setting(
        "extractive", "GUIDELINE_QA_COMPOSER", "how answers are composed from the evidence", identifier=True
    )

    def __post_init__(self) -> None:
        validate(self)


@dataclass(frozen=True)
class LLMSettings:
    """The optional LLM composer (docs/llm.md): an OpenAI-compatible endpoint, its limits, and the verifier's
    thresholds (calibrated on evals/datasets/claims)."""

    url: str | None = setting(
        None, "GUIDELINE_QA_LLM_URL", "OpenAI-compatible base URL of a chat model, e.g. http://127.0.0.1:11434/v1"
    )
    model: str | None = setting(None, "GUIDELINE_QA_LLM_MODEL", "model name the endpoint serves")
    api_key: str | None = setting(
        None, "GUIDELINE_QA_LLM_API_KEY", "key the endpoint asks for (never logged or shown)", secret=True
    )
    timeout: float = setting(
        20.0,
        "GUIDELINE_QA_LLM_TIMEOUT",
        "longest wait for the model's whole answer, in seconds; past it the extractive answer is shown",
        above=0,
        high=600,
    )
    max_tokens: int = setting(
        400, "GUIDELINE_QA_LLM_MAX_TOKENS", "longest answer the model may write, in tokens", low=16, high=8192
    )
    min_similarity: float = setting(
        0.6,
        "GUIDELINE_QA_VERIFY_MIN_SIMILARITY",
        "claim check: least cosine of a claim to its best cited sentence",
        low=-1,
        high=1,
    )
    min_coverage: float = setting(
        0.5,
        "GUIDELINE_QA_VERIFY_MIN_COVERAGE",
        "claim check: least idf-weighted share of a claim's terms its best cited sentence holds",
        low=0,
        high=1,
    )

    rewrite_followups: bool = setting(
        False,
        "GUIDELINE_QA_LLM_REWRITE_FOLLOWUPS",
        "the model rewrites a follow-up into a standalone retrieval query (kept only if it keeps the question's words)",
    )

    def __post_init__(self) -> None:
        validate(self)
        if self.url is not None and not re.match(r"https?://[^\s/]+", self.url):
            raise SettingsError(f"GUIDELINE_QA_LLM_URL must start with http:// or https://, got {self.url!r}")

    def problem(self) -> str | None:
        """Why the LLM cannot be asked with these settings (no endpoint, or no model named), or None."""
        if not self.url:
            return "set GUIDELINE_QA_LLM_URL (an OpenAI-compatible base URL) and GUIDELINE_QA_LLM_MODEL"
        if not self.model:
            return "GUIDELINE_QA_LLM_MODEL must be set when GUIDELINE_QA_LLM_URL is"
        return None


@dataclass(frozen=True)
class IngestSettings:
    """What the indexer reads: limits that keep every parser bounded, and which symlinks it follows.

    A corpus file beyond a limit is skipped with a warning naming the file, the line and the limit.
    """

    max_file_bytes: int = setting(
        10_000_000, "GUIDELINE_QA_MAX_FILE_BYTES", "largest corpus file read, in bytes", low=1, high=2_000_000_000
    )
    max_line_chars: int = setting(
        50_000, "GUIDELINE_QA_MAX_LINE_CHARS", "longest line of a corpus file, in characters", low=80, high=100_000_000
    )
    max_front_matter_bytes: int = setting(
        100_000,
        "GUIDELINE_QA_MAX_FRONT_MATTER_BYTES",
        "largest YAML front matter of a Markdown file, in bytes",
        low=100,
        high=10_000_000,
    )
    max_yaml_nesting: int = setting(
        20, "GUIDELINE_QA_MAX_YAML_NESTING", "front matter: deepest nesting of YAML lists and mappings", low=2, high=100
    )
    max_yaml_alias_nodes: int = setting(
        100,
        "GUIDELINE_QA_MAX_YAML_ALIAS_NODES",
        "front matter: YAML nodes that aliases may repeat, in all (0: no aliases)",
        low=0,
        high=1_000_000,
    )
    follow_external_links: bool = setting(
        False, "GUIDELINE_QA_FOLLOW_EXTERNAL_LINKS", "read files that symlinks in the corpus point to outside it"
    )

    def __post_init__(self) -> None:
        validate(self)

    def limit(self, name: str) -> str:
        """`the limit is 50,000 (GUIDELINE_QA_MAX_LINE_CHARS)`: a limit as a message names it, with how to raise it."""
        env = next(f.metadata["env"] for f in dataclasses.fields(self) if f.name == name)
        return f"the limit is {getattr(self, name):,} ({env})"


@dataclass(frozen=True)
class Settings:
    """Everything configurable; each surface reads it once with `from_env()`, then applies its flags."""

    corpus: tuple[Path, ...] = setting(
        (Path("corpus"),), "GUIDELINE_QA_CORPUS", "corpus folders or files (Markdown, text, web pages, MedQuAD XML)"
    )
    index: Path = setting(Path("index"), "GUIDELINE_QA_INDEX", "index folder")
    model: str = setting(DEFAULT_MODEL, "GUIDELINE_QA_MODEL", "sentence-transformers model name or local path")
    chunk: ChunkSettings = field(default_factory=ChunkSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    log_questions: Path | None = setting(
        None, "GUIDELINE_QA_LOG_QUESTIONS", "file the app appends a JSON line per question to (unset: no log)"
    )
    runs: Path = setting(
        Path("runs"), "GUIDELINE_QA_RUNS", "evaluation runs; the app's Evaluation page shows the newest"
    )
    batch_size: int = setting(64, "GUIDELINE_QA_BATCH_SIZE", "texts embedded per batch", low=1, high=4096)
    stale_check_seconds: float = setting(
        10.0,
        "GUIDELINE_QA_STALE_CHECK_SECONDS",
        "longest wait to tell whether the corpus changed (`--if-stale`: past it, rebuild; the app: not shown)",
        low=0.1,
        high=3600,
    )
    disclaimer: str = setting(DEFAULT_DISCLAIMER, "GUIDELINE_QA_DISCLAIMER", "text under every answer")
    article_page_chars: int = setting(
        100_000,
        "GUIDELINE_QA_ARTICLE_PAGE_CHARS",
        "article text the app sends the browser at once; a longer article is shown in parts",
        low=1_000,
        high=10_000_000,
    )
    vector_store: str = setting(
        "auto",
        "GUIDELINE_QA_VECTOR_STORE",
        "vector backend: `faiss` (exact), `ivf` (approximate), `numpy` (exact), or `auto`: faiss up to "
        "GUIDELINE_QA_APPROXIMATE_ABOVE passages, ivf above",
        identifier=True,
    )
    approximate_above: int = setting(
        100_000,
        "GUIDELINE_QA_APPROXIMATE_ABOVE",
        "passages beyond which `auto` builds the approximate (IVF) vector store",
        low=0,
        high=1_000_000_000,
    )
    precision: str = setting(
        "auto",
        "GUIDELINE_QA_PRECISION",
        "embedding precision: `auto` is bfloat16 where the CPU has it natively (avx512_bf16, amx_bf16), else float32",
        choices=PRECISION_CHOICES,
    )

    def __post_init__(self) -> None:
        validate(self)

    def record(self) -> dict[str, Any]:
        """Every field as plain values, for a run's record: secrets (the LLM key) as "set" or None."""

        def plain(obj: Any) -> Any:
            if dataclasses.is_dataclass(obj):
                return {
                    f.name: ("set" if getattr(obj, f.name) else None) if f.metadata.get("secret") else plain(
                        getattr(obj, f.name)
                    )
                    for f in dataclasses.fields(obj)
                }
            if isinstance(obj, tuple):
                return [plain(x) for x in obj]
            return str(obj) if isinstance(obj, Path) else obj

        return plain(self)

    def replace(self, **changes) -> Settings:
        """A copy with the given fields changed; None values are ignored so unset CLI flags keep defaults."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Defaults overridden by every GUIDELINE_QA_* variable that is set and not empty.

        Raises SettingsError naming the variable when a value does not parse or is out of range.
        """
        env = os.environ if environ is None else environ
        given: dict[str | None, dict[str, Any]] = {}
        for var in VARIABLES:
            if text := env.get(var.name):
                given.setdefault(var.section, {})[var.field] = var.parse(text)
        sections = {}
        for name, section_cls in SECTIONS.items():
            values = _defaults(section_cls) | given.get(name, {})
            validate(section_cls, values, by_variable=True)
            sections[name] = section_cls(**values)
        values = {k: v for k, v in _defaults(cls).items() if k not in sections} | given.get(None, {})
        validate(cls, values, by_variable=True)
        return cls(**values, **sections)


@dataclass(frozen=True)
class Variable:
    """One environment variable: which field it sets, how its text is read, and what it means."""

    name: str
    section: str | None  # "chunk", "retrieval", "answer", "ingest", "llm", or None for a field of Settings itself
    field: str
    type: Any
    default: Any
    doc: str
    allowed: str  # `between 1 and 50`, `a path`, `true or false (or 1/0, yes/no)`, ...

    def parse(self, text: str) -> Any:
        return _parser(self.type)(self.name, text)

    def read(self, settings: Settings) -> Any:
        """This variable's field in `settings`."""
        return getattr(getattr(settings, self.section) if self.section else settings, self.field)


def field_rules(var: Variable) -> Mapping[str, Any]:
    """The rules `setting()` recorded for `var`'s field: low, high, above, identifier, choices."""
    cls = SECTIONS[var.section] if var.section else Settings
    return next(f.metadata for f in dataclasses.fields(cls) if f.name == var.field)


def validate(target: Any, values: Mapping[str, Any] | None = None, *, by_variable: bool = False) -> None:
    """Raise SettingsError for the first value outside its field's rules.

    `target` is a settings instance, or a settings class with `values` for its fields. Messages name
    the field (`top_k must be ...`), or with `by_variable` its environment variable.
    """
    cls = target if isinstance(target, type) else type(target)
    if values is None:
        values = {f.name: getattr(target, f.name) for f in dataclasses.fields(cls)}
    fields = {f.name: f for f in dataclasses.fields(cls) if "env" in f.metadata}

    def label(name: str) -> str:
        return fields[name].metadata["env"] if by_variable else name

    def bound(b: Bound) -> tuple[Any, str]:
        if isinstance(b, str):
            return values[b], f"{label(b)} ({values[b]})"
        return b, str(b)

    for name, f in fields.items():
        rules, value = f.metadata, values[name]
        if rules["identifier"] and not (isinstance(value, str) and IDENTIFIER.fullmatch(value)):
            raise SettingsError(f"{label(name)} must be {IDENTIFIER_TEXT}, got {value!r}")
        if rules["choices"] and value not in rules["choices"]:
            raise SettingsError(f"{label(name)} must be {_one_of(rules['choices'])}, got {value!r}")
        low, high, above = (bound(rules[k]) if rules[k] is not None else None for k in ("low", "high", "above"))
        if (above and not value > above[0]) or (low and not value >= low[0]) or (high and not value <= high[0]):
            raise SettingsError(f"{label(name)} must be {_allowed(low, high, above)}, got {value}")


def _allowed(low: tuple | None, high: tuple | None, above: tuple | None) -> str:
    """`between 1 and 50`, `greater than 0 and at most 10`, `at least 1`: bounds as (value, text)."""
    if above:
        return f"greater than {above[1]}" + (f" and at most {high[1]}" if high else "")
    if low and high:
        return f"between {low[1]} and {high[1]}"
    if low:
        return f"at least {low[1]}"
    assert high is not None  # validate() calls this only when some bound failed
    return f"at most {high[1]}"


def _one_of(choices: tuple[str, ...]) -> str:
    """`auto, float32 or bfloat16`"""
    return ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]


def _defaults(cls: type) -> dict[str, Any]:
    return {f.name: getattr(cls(), f.name) for f in dataclasses.fields(cls)}


def _parser(tp: Any) -> Callable[[str, str], Any]:
    """How an environment value becomes a value of type `tp` (Optional[X] reads as X)."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) is tuple:
        item = args[0]
        return lambda name, text: tuple(_parser(item)(name, p) for p in text.split(os.pathsep) if p)
    if len(args) == 1:  # X | None
        return _parser(args[0])
    parsers = {bool: _bool, int: _int, float: _float, str: lambda name, text: text, Path: lambda name, text: Path(text)}
    return parsers[tp]


def _bool(name: str, value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE or word in FALSE:
        return word in TRUE
    raise SettingsError(f"{name} must be {BOOL_TEXT}, got {value!r}")


def _float(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {value!r}") from None


def _int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {value!r}") from None


def _variables() -> tuple[Variable, ...]:
    out = []
    for section, cls in [(None, Settings), *SECTIONS.items()]:
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            if "env" in f.metadata:
                m, tp = f.metadata, hints[f.name]
                default = getattr(cls(), f.name)
                out.append(Variable(m["env"], section, f.name, tp, default, m["doc"], _allowed_text(cls, m, tp)))
    return tuple(out)


def _allowed_text(cls: type, rules: Mapping[str, Any], tp: Any) -> str:
    if tp is bool:
        return BOOL_TEXT
    if rules["identifier"]:
        return IDENTIFIER_TEXT
    if rules["choices"]:
        return _one_of(rules["choices"])
    if typing.get_origin(tp) is tuple:
        return f"paths separated by `{os.pathsep}`"
    if Path in (tp, *typing.get_args(tp)):
        return "a path"
    env = {f.name: f.metadata.get("env") for f in dataclasses.fields(cls)}
    low, high, above = (
        (None, env.get(b, str(b))) if b is not None else None for b in (rules["low"], rules["high"], rules["above"])
    )
    if tp in (int, float):
        kind = "an integer" if tp is int else "a number"
        return f"{kind} {_allowed(low, high, above)}" if low or high or above else kind
    return "text"


SECTIONS: dict[str, type] = {
    "chunk": ChunkSettings,
    "retrieval": RetrievalSettings,
    "answer": AnswerSettings,
    "ingest": IngestSettings,
    "llm": LLMSettings,
}
VARIABLES: tuple[Variable, ...] = _variables()  # every environment variable, in declaration order
