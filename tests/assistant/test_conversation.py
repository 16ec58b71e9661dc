"""A clinician's conversation on the real sample index, typed as clinicians type: topic changes,
elliptical follow-ups, typos, abbreviations, drug classes, subgroups, and what the corpus does not say."""

import pytest

HER2 = "What is the first-line treatment for HER2-positive metastatic breast cancer?"
MBC = "metastatic-breast-cancer"


def test_a_new_topic_mid_conversation_is_answered_as_asked(assistant):
    history = [HER2, "What loading dose is used?"]
    answer = assistant.ask("Can chemotherapy be given during pregnancy?", history, MBC)
    assert answer.conversation["followup"] is False and answer.conversation["reason"] == "new-topic"
    assert answer.query.startswith("Can chemotherapy be given during pregnancy?")
    assert "her2" not in answer.query.lower() and "loading" not in answer.query
    assert "first 3 months of pregnancy" in answer.text
    assert "trastuzumab" not in answer.text.lower()
    assert answer.text.startswith("From “How is breast cancer managed during pregnancy?”:")  # another article


def test_an_elliptical_follow_up_borrows_the_topic_and_says_so(assistant):
    answer = assistant.ask("weekly dosing?", [HER2], MBC)
    assert answer.conversation == {
        "followup": True,
        "reason": "short",
        "of": HER2,
        "borrowed": answer.conversation["borrowed"],
        "topics": [],
    }
    assert "her2" in answer.conversation["borrowed"]
    assert "2 mg/kg weekly" in answer.text


def test_a_pronoun_follow_up_needs_evidence_for_the_earlier_topic_too(assistant):
    answer = assistant.ask("Is it safe in pregnancy?", ["What is the trastuzumab loading dose?"], MBC)
    assert answer.conversation["followup"] and answer.conversation["reason"] == "pronoun"
    assert answer.abstained  # the corpus says nothing of trastuzumab in pregnancy
    assert "pregnancy" in answer.text and "trastuzumab" in answer.text


@pytest.mark.parametrize(
    "question, correction, fact",
    [
        (
            "whats the first line tretment for HR positve postmenopausal women?",
            ("tretment", "treatment"),
            "third-generation aromatase inhibitor",
        ),
        ("trastuzamab loading dose", ("trastuzamab", "trastuzumab"), "4 mg/kg IV over 90 minutes"),
    ],
)
def test_typos_are_corrected_against_the_corpus_and_shown(assistant, question, correction, fact):
    answer = assistant.ask(question, [], MBC)
    expansions = answer.understood["expansions"]
    assert {"term": correction[0], "adds": correction[1], "kind": "spelling", "source": "corpus"} in expansions
    assert not answer.abstained and fact in answer.text


def test_abbreviations_expand_and_the_answer_leads_with_the_subgroup_asked(assistant):
    answer = assistant.ask("first line for TNBC?", [], MBC)
    assert any(e["term"] == "tnbc" and e["kind"] == "abbreviation" for e in answer.understood["expansions"])
    assert answer.text.startswith("Metastatic triple-negative breast cancer is treated with chemotherapy")
    assert "aromatase" not in answer.text


def test_a_drug_named_where_the_article_names_its_class(assistant):
    answer = assistant.ask("Can I give trastuzumab with doxorubicin?", [], MBC)
    assert {"term": "doxorubicin", "adds": "anthracycline", "kind": "member", "source": "vocabulary.yaml"} in (
        answer.understood["expansions"]
    )
    assert answer.text.startswith("Do not combine anthracyclines with trastuzumab")


def test_the_direct_answer_leads_and_the_other_subgroup_stays_out(assistant):
    answer = assistant.ask("What is first-line for HER2-positive?", [], MBC)
    assert answer.text.startswith("First-line treatment of HER2-positive metastatic breast cancer is trastuzumab")
    assert "HER2-negative" not in answer.text and "aromatase" not in answer.text


@pytest.mark.parametrize(
    "question, text",
    [
        ("What is the treatment for prostate cancer?", "The indexed guidelines do not mention prostate."),
        ("aspirin for breast cancer prevention?", "The indexed guidelines do not mention aspirin."),
        (
            "Is trastuzumab safe in pregnancy?",
            "The indexed guidelines do not cover this question: no passage addresses pregnancy together with "
            "trastuzumab.",
        ),
    ],
)
def test_what_the_corpus_does_not_say_is_named_in_plain_words(assistant, question, text):
    answer = assistant.ask(question, [], MBC)
    assert answer.abstained and answer.text == text and not answer.citations
    assert answer.retrieved  # the nearest passages are still offered


def test_every_answer_of_a_conversation_carries_the_disclaimer(assistant):
    history: list[str] = []
    for question in (HER2, "weekly dosing?", "Can chemotherapy be given during pregnancy?", "aspirin?"):
        answer = assistant.ask(question, history, MBC)
        assert answer.disclaimer == assistant.settings.disclaimer
        history.append(question)


def test_a_misspelt_ordinary_word_is_not_replaced_by_a_stem(assistant):
    """The index keeps stems ("diagnosed" -> "diagnos"); a correction must be a word a reader recognises."""
    understood = assistant.understanding("I was diagnozed with a lump, is tretment needed?")
    assert [(e.term, e.adds) for e in understood.expansions if e.kind == "spelling"] == [("tretment", "treatment")]
