"""Known-answer retrieval on the sample corpus with the real model, FAISS and FTS5."""

import pytest

from assistant.retrieve import MODES


@pytest.mark.parametrize("mode", MODES)
def test_dosing_question_finds_the_dosing_passage_in_every_mode(assistant, mode):
    found = assistant.retriever.search("trastuzumab loading dose", mode=mode)
    sections = [p.section_id for p in found.passages]
    if mode == "hybrid":
        # A near tie with male-breast-cancer/adjuvant-therapy (which names trastuzumab but gives no dose),
        # tipped by the heading channel; the composed answer still leads with the dose (test_answers).
        assert "metastatic-breast-cancer/her2-positive-disease" in sections[:2]
    else:
        assert sections[0] == "metastatic-breast-cancer/her2-positive-disease"
    scores = [p.score for p in found.passages]
    assert scores == sorted(scores, reverse=True)


def test_article_scope_puts_its_passages_first(assistant):
    question = "Which surgery is most common?"
    male = assistant.retriever.search(question, article="male-breast-cancer").passages
    pregnancy = assistant.retriever.search(question, article="breast-cancer-pregnancy").passages
    assert male[0].section_id == "male-breast-cancer/surgery" and male[0].in_scope
    assert pregnancy[0].section_id == "breast-cancer-pregnancy/surgery" and pregnancy[0].in_scope


def test_scope_does_not_hide_a_better_passage_elsewhere(assistant):
    found = assistant.retriever.search(
        "risk factors for breast cancer in men Klinefelter", article="metastatic-breast-cancer"
    )
    assert "male-breast-cancer/risk-factors" in [p.section_id for p in found.passages[:3]]


@pytest.mark.parametrize("query", ['"unbalanced', "NEAR(dose AND OR", "* ^ : -", "mg/kg (IV)"])
def test_keyword_syntax_in_questions_is_plain_text(assistant, query):
    found = assistant.retriever.search(query)
    assert len(found.passages) == assistant.settings.retrieval.top_k


def test_passages_carry_resolved_references(assistant):
    found = assistant.retriever.search(
        "aromatase inhibitor postmenopausal first-line", article="metastatic-breast-cancer"
    )
    top = found.passages[0]
    assert top.citations == (1, 5)
    assert [(r.n, r.type, r.year) for r in top.references] == [(1, "Guideline", 2025), (5, "Guideline", 2025)]


def test_a_loaded_index_keeps_serving_its_own_build_while_rebuilt(tmp_path, embedder):
    import threading

    from assistant.pipeline import Assistant
    from indexer.build import build_index
    from indexer.settings import Settings

    from ..helpers import write_article

    corpus = tmp_path / "corpus"
    write_article(corpus, "old", "Trastuzumab loading dose is 4 mg/kg IV [1].")
    settings = Settings(corpus=(corpus,), index=tmp_path / "index")
    build_index(settings, embedder=embedder)
    serving = Assistant(settings.index, settings, embedder=embedder)
    (corpus / "old.md").unlink()
    for i in range(5):
        write_article(corpus, f"new{i}", f"Unrelated text number {i} about hypertension [1].")
    build_index(settings, embedder=embedder)  # swaps the folder under the running assistant

    answers = []
    worker = threading.Thread(target=lambda: answers.append(serving.ask("What is the trastuzumab loading dose?")))
    worker.start()
    worker.join()
    assert "4 mg/kg IV" in answers[0].text
    assert answers[0].citations[0].passage.doc_id == "old"


def test_library_search_finds_articles_by_the_words_of_their_text_with_a_snippet(assistant):
    found = assistant.index.find_articles("trastuzumab")
    ids = [a["id"] for a, _ in found]
    assert "metastatic-breast-cancer" in ids and "male-breast-cancer" in ids
    for _, snippet in found:
        assert "trastuzumab" in snippet.lower() and len(snippet) < 200
    # Every word must be there: a loading dose is only in the metastatic article.
    assert [a["id"] for a, _ in assistant.index.find_articles("trastuzumab loading dose")] == [
        "metastatic-breast-cancer"
    ]


def test_library_search_puts_title_and_tag_matches_first_and_finds_nothing_for_absent_words(assistant):
    found = assistant.index.find_articles("pregnancy")
    assert found[0][0]["id"] == "breast-cancer-pregnancy" and found[0][1] == ""
    assert assistant.index.find_articles("warfarin") == []
    assert assistant.index.find_articles("the and of") == []
    assert assistant.index.find_articles('"); DROP TABLE chunks; --') == []
