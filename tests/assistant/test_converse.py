"""Follow-up resolution: the logic on its own, then multi-turn retrieval on the real sample index."""

import pytest

from assistant.converse import classify, retrieval_query, topic_vocabulary

FIRST = "What is the first-line treatment for HER2-positive metastatic breast cancer?"
POST = "What endocrine therapy is used first for postmenopausal women with hormone receptor-positive disease?"


TOPICS = topic_vocabulary(["Male breast cancer", "Pregnancy", "Chemotherapy", "HER2-positive disease", "Surgery"])


def test_self_contained_question_is_left_alone():
    question = "What are the risk factors for breast cancer in men?"
    assert not classify(question, FIRST, TOPICS)[0]
    assert retrieval_query(question, [FIRST], topics=TOPICS) == question


@pytest.mark.parametrize(
    "question, followup, reason",
    [
        ("Can chemotherapy be given during pregnancy?", False, "new-topic"),  # short, but its own topic
        ("surgery in men?", False, "new-topic"),
        ("What loading dose is used?", True, "short"),  # only aspects: about the topic under discussion
        ("And for premenopausal patients?", True, "cue"),
        ("what about chemotherapy?", True, "cue"),
        ("Is it safe in pregnancy?", True, "pronoun"),
        ("How long is treatment continued after surgery in men?", False, "new-topic"),
    ],
)
def test_each_turn_is_a_follow_up_or_a_new_topic(question, followup, reason):
    assert classify(question, FIRST, TOPICS)[:2] == (followup, reason)


def test_a_new_topic_is_never_diluted_by_history():
    history = [FIRST, "What loading dose is used?"]
    assert retrieval_query("Can chemotherapy be given during pregnancy?", history, topics=TOPICS) == (
        "Can chemotherapy be given during pregnancy?"
    )


def test_short_follow_up_borrows_the_earlier_topic():
    query = retrieval_query("What loading dose is used?", [FIRST])
    assert query.startswith("What loading dose is used?")
    assert "her2" in query and "metastatic" in query


def test_contrasted_term_is_replaced_not_carried():
    query = retrieval_query("And for premenopausal patients?", [POST])
    assert "premenopausal" in query and "endocrine" in query
    assert "postmenopausal" not in query


@pytest.mark.parametrize(
    "earlier, question, dropped",
    [
        ("what surgery do men usually get?", "and in women?", {"men", "male", "man"}),
        ("first line for HER2-positive mbc?", "and HER2-negative?", {"positive"}),
        ("options for early stage disease in pregnancy?", "and if it were late stage?", {"early"}),
    ],
)
def test_a_follow_up_naming_the_other_side_of_a_subgroup_carries_none_of_the_first(earlier, question, dropped):
    """"and in women?" after a question on men searched "... men male man" too, pulling the men's sentences."""
    query = retrieval_query(question, [earlier], topics=TOPICS)
    assert query.startswith(question) and not dropped & set(query.split())


def test_context_chains_through_turns_and_respects_the_window():
    history = [FIRST, "What loading dose is used?"]
    assert "her2" in retrieval_query("Is it given weekly?", history)
    assert retrieval_query("Is it given weekly?", history, turns=0) == "Is it given weekly?"


@pytest.mark.parametrize(
    "history, question, article, section",
    [
        ([FIRST], "What loading dose is used?", "metastatic-breast-cancer", "her2-positive-disease"),
        (
            [POST],
            "And for premenopausal patients?",
            "metastatic-breast-cancer",
            "hormone-receptor-positive-her2-negative-disease",
        ),
        (
            ["What is the median survival with liver metastases?"],
            "And with brain metastases?",
            "metastatic-breast-cancer",
            "prognosis",
        ),
    ],
)
def test_multi_turn_follow_up_finds_the_passage(assistant, history, question, article, section):
    answer = assistant.ask(question, history, article)
    assert not answer.abstained
    assert answer.citations[0].passage.section_id == f"{article}/{section}"
    assert answer.query.startswith(question) and len(answer.query) > len(question)  # context was borrowed


def test_premenopausal_follow_up_answers_with_the_premenopausal_recommendation(assistant):
    answer = assistant.ask("And for premenopausal patients?", [POST], "metastatic-breast-cancer")
    assert "tamoxifen combined with ovarian ablation" in answer.text
    assert "postmenopausal" not in answer.text.lower()


@pytest.mark.parametrize(
    "question",
    [
        "switching to a pregnant pt - what decides her treatment plan",  # "switching to": a new topic by cue
        "does a pregnant woman need different treatment",  # pregnancy named in another form of the word
    ],
)
def test_a_topic_named_in_another_form_or_after_a_switch_cue_starts_afresh(question):
    gene = "which gene matters most for him"
    followup, _, own = classify(question, gene, TOPICS, expanded=question + " pregnancy")
    assert not followup and own == ("pregnancy",)
    assert retrieval_query(question, [gene], topics=TOPICS) == question


def test_a_synonym_the_vocabulary_adds_is_not_a_new_topic_of_the_question():
    """'family history?' after a risk-factor question asks for more of it; that the vocabulary reads family
    history as first-degree relatives does not make the question name a topic of its own."""
    topics = topic_vocabulary(["Risk factors", "First-degree relative"])
    previous = "what are the main risk factors for breast cancer"
    expanded = "family history? first-degree relative"
    followup, reason, own = classify("family history?", previous, topics, expanded=expanded)
    assert (followup, reason, own) == (True, "short", ())

