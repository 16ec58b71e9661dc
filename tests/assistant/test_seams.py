"""The seams: another vector store, a reranker and a composer plug in without touching the pipeline, and
everything downstream (answers, the evaluation's rankings, the LangChain adapter) sees them."""

from __future__ import annotations

import copy
import gc
import json
import shutil
import weakref
from dataclasses import replace

import numpy as np
import pytest

from assistant.compose import COMPOSERS, ExtractiveComposer, make_composer
from assistant.index import SearchIndex
from assistant.langchain import GuidelineRetriever
from assistant.pipeline import Assistant
from assistant.rerank import RERANKERS, make_reranker
from assistant.retrieve import Retriever
from assistant.types import Answer
from evals.variants import OurRetriever
from indexer.build import build_index, is_stale
from indexer.errors import IndexDamaged, SettingsError
from indexer.settings import Settings
from indexer.store import read_manifest
from indexer.vectors import FaissIVFStore

from ..helpers import ROOT

QUESTIONS = [
    ("What is the trastuzumab loading dose?", "metastatic-breast-cancer"),
    ("Can radiation be given during pregnancy?", "breast-cancer-pregnancy"),
    ("Which surgery is most common in men?", None),
    ("Does tamoxifen prevent breast cancer?", None),
]


@pytest.fixture(scope="module")
def numpy_index(tmp_path_factory, embedder):
    index = tmp_path_factory.mktemp("numpy") / "index"
    build_index(Settings(corpus=(ROOT / "corpus",), index=index, vector_store="numpy"), embedder=embedder)
    return index


def test_numpy_store_index_answers_exactly_as_faiss(numpy_index, assistant, embedder):
    assert read_manifest(numpy_index).vector_store == "numpy"
    assert (numpy_index / "vectors.npy").is_file() and not (numpy_index / "vectors.faiss").exists()
    other = Assistant(numpy_index, Settings(), embedder=embedder)
    for question, article in QUESTIONS:
        a, b = assistant.ask(question, article=article), other.ask(question, article=article)
        assert [p.chunk_id for p in a.retrieved] == [p.chunk_id for p in b.retrieved]
        assert a.text == b.text
        assert [p.score for p in a.retrieved] == pytest.approx([p.score for p in b.retrieved], abs=1e-6)


@pytest.fixture(scope="module")
def ivf_index(tmp_path_factory, sample_index, embedder):
    """The sample index rebuilt with `auto` told that 10 passages are many: its vectors are reused (same model,
    same precision), only the store changes."""
    index = tmp_path_factory.mktemp("ivf") / "index"
    shutil.copytree(sample_index, index)
    settings = Settings(corpus=(ROOT / "corpus",), index=index, approximate_above=10)
    with pytest.MonkeyPatch.context() as patch:
        # Few vectors a list, so even the sample's 25 passages and fewer headings get several lists, and
        # different numbers of them, as a large corpus's would.
        patch.setattr(FaissIVFStore, "TRAIN_PER_LIST", 4)
        report = build_index(settings, embedder=embedder)
    assert report.embedded == 0 and report.vector_store == "faiss-ivf"
    assert not is_stale(settings) and is_stale(settings.replace(approximate_above=10_000))
    return index


def test_auto_picks_the_approximate_store_above_the_threshold_and_records_it(ivf_index, sample_index):
    manifest = read_manifest(ivf_index)
    assert manifest.vector_store == "faiss-ivf"
    passages, headings = manifest.vector_params["vectors.faiss"], manifest.vector_params["headings.faiss"]
    assert passages == {"nlist": 5, "nprobe": 5}  # sqrt(25): five lists, all scanned (fewer than 8)
    assert headings["nlist"] > 1  # each file records its own lists, and the index loads (not "damaged")
    SearchIndex(ivf_index)
    assert read_manifest(sample_index).vector_store == "faiss-flat"  # the default threshold: exact
    damaged = json.loads((ivf_index / "manifest.json").read_text())
    damaged["vector_params"]["vectors.faiss"]["nprobe"] = 2  # the manifest no longer says how the file searches
    copy = ivf_index.parent / "damaged"
    shutil.copytree(ivf_index, copy)
    (copy / "manifest.json").write_text(json.dumps(damaged))
    with pytest.raises(IndexDamaged, match=r"vectors.faiss has store parameters .* the manifest says"):
        SearchIndex(copy)


def test_approximate_store_index_retrieves_as_the_exact_one(ivf_index, assistant, embedder):
    other = Retriever(SearchIndex(ivf_index, embedder=embedder), assistant.settings.retrieval)
    for question, article in QUESTIONS:
        a = assistant.retriever.search(question, article=article).passages
        b = other.search(question, article=article).passages
        assert [p.chunk_id for p in a] == [p.chunk_id for p in b]
        assert [p.score for p in a] == pytest.approx([p.score for p in b], abs=1e-6)


def test_article_scope_survives_an_approximate_search_that_misses_it(assistant):
    """Global search over lists that never hold the article: its passages still come back, scored exactly."""
    index = copy.copy(assistant.index)
    rows = np.arange(index.vectors.ntotal)
    article = "metastatic-breast-cancer"
    in_scope = set(index.scope_rows(index.scope(article))[0].tolist())
    lists = FaissIVFStore.build(index.vectors.reconstruct(rows), nlist=4, nprobe=1)
    index.vectors = lists
    question = "What is the trastuzumab loading dose?"
    qv = index.embedder.encode([question])[0]
    scores, found = lists.search(qv.reshape(1, -1), 50)
    assert len([r for r in found[0] if r >= 0]) < len(rows)  # one list of four: most rows are never seen
    retrieval = Retriever(index, assistant.settings.retrieval).search(question, article=article, mode="dense")
    scoped = [p for p in retrieval.passages if p.in_scope]
    assert scoped and retrieval.passages[0].in_scope and {p.row for p in scoped} <= in_scope
    exact = index.vectors.reconstruct(np.array([p.row for p in scoped])) @ qv
    assert [p.dense for p in scoped] == pytest.approx(exact.tolist(), abs=1e-5)
    best = max(in_scope, key=lambda r: float(index.vectors.reconstruct(np.array([r]))[0] @ qv))
    assert scoped[0].row == best  # the article's best passage by exact cosine leads


class Reverse:
    """A reranker that makes its presence obvious: the fused order, reversed."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def rerank(self, query, passages):
        self.seen.append(len(passages))
        return list(reversed(passages))


def test_reranker_sees_the_over_fetched_list_and_every_consumer_sees_its_order(assistant):
    settings = replace(assistant.settings.retrieval, top_k=5, rerank_depth=20)
    plain = Retriever(assistant.index, settings)
    reverse = Reverse()
    reranked = Retriever(assistant.index, settings, reranker=reverse)
    query = "trastuzumab loading dose"
    fused = plain.search(query, top_k=20).passages
    found = reranked.search(query).passages
    assert reverse.seen == [20]
    assert [p.chunk_id for p in found] == [p.chunk_id for p in reversed(fused)][:5]
    # The evaluation ranks through the same search, and so does LangChain.
    vector = assistant.index.embedder.encode([query])[0]
    ranking = OurRetriever(reranked, "hybrid").rank(query, vector, None, 5)
    assert ranking.sections == [p.section_id for p in found]
    docs = GuidelineRetriever(retriever=reranked, k=5).invoke(query)
    assert [d.metadata["chunk_id"] for d in docs] == [p.chunk_id for p in found]


class Canned:
    def compose(self, request, passages, disclaimer):
        text = f"canned: {passages[0].chunk_id}"
        return Answer(question=request.question, text=text, abstained=False, disclaimer=disclaimer)


def test_an_injected_composer_answers_and_the_pipeline_still_validates(sample_index, embedder):
    from assistant.errors import QuestionRejected

    canned = Assistant(sample_index, Settings(), embedder=embedder, composer=Canned())
    answer = canned.ask("What is the trastuzumab loading dose?")
    assert answer.text == "canned: metastatic-breast-cancer/her2-positive-disease#0"
    assert answer.timings_ms["total"] > 0 and answer.disclaimer
    with pytest.raises(QuestionRejected):
        canned.ask("   ")


def test_components_are_chosen_by_name_and_unknown_names_are_settings_errors(assistant):
    assert isinstance(make_composer(assistant.index, Settings()), ExtractiveComposer)
    assert set(COMPOSERS) == {"extractive", "llm"} and set(RERANKERS) == {"none"}
    with pytest.raises(SettingsError, match="unknown composer 'gpt'; choose from extractive, llm"):
        make_composer(assistant.index, Settings().replace(answer=replace(Settings().answer, composer="gpt")))
    with pytest.raises(SettingsError, match="the llm composer needs a model endpoint: set GUIDELINE_QA_LLM_URL"):
        make_composer(assistant.index, Settings().replace(answer=replace(Settings().answer, composer="llm")))
    with pytest.raises(SettingsError, match="unknown reranker 'cross'; choose from none"):
        make_reranker("cross")


def test_a_dropped_index_is_freed_with_its_caches(sample_index, embedder):
    """Caches live on the instance: nothing class-level keeps an old index (and its vectors) alive."""
    index = SearchIndex(sample_index, embedder=embedder)
    retriever = Retriever(index)
    retriever.search("surgery", article="male-breast-cancer")  # fills the scope and text caches
    assert index._scopes and index.reader._texts
    ref = weakref.ref(index)
    del index, retriever
    gc.collect()
    assert ref() is None


def test_passages_carry_their_sentences_display_text(assistant):
    found = assistant.retriever.search("trastuzumab loading dose").passages
    p = next(p for p in found if p.section_id == "metastatic-breast-cancer/her2-positive-disease")
    doc = assistant.index.document_text(p.doc_id)
    assert len(p.sentence_texts) == len(p.sentences)
    assert [doc[a:b] for a, b in p.sentences] == list(p.sentence_texts)
    assert any("4 mg/kg IV" in s for s in p.sentence_texts)
    assert np.isfinite(p.dense)
