"""What counts as the same word: one definition for keyword search, term statistics and the composer."""

import pytest

from indexer.terms import content_terms, matches


@pytest.mark.parametrize(
    "asked, written",
    [
        ("biopsied", "biopsy"),  # a clinician's verb, the guideline's noun
        ("biopsies", "biopsy"),
        ("progression", "progressing"),
        ("protective", "protect"),
        ("metastases", "metastatic"),
        ("mass", "masses"),  # "a chest wall mass" is one of the guideline's "soft-tissue masses"
        ("class", "classes"),
    ],
)
def test_forms_of_one_word_match(asked, written):
    assert matches(content_terms(asked)[0], content_terms(written))


@pytest.mark.parametrize(
    "asked, written",
    [
        ("breastfeed", "breast"),  # a compound is not its first word
        ("chemotherapy", "chemo"),
        ("lumpectomy", "lump"),
        ("dose", "dosage"),  # short words match only when equal
    ],
)
def test_a_compound_or_a_short_word_is_not_another_word(asked, written):
    assert not matches(content_terms(asked)[0], content_terms(written))


@pytest.mark.parametrize(
    "typed, written",
    [
        ("staging", "stage"),  # "staging for MBC?" and the guideline's "Stage with at least CT"
        ("staged", "stage"),
        ("dosing", "dose"),
        ("timing", "time"),
        ("stopping", "stop"),  # a doubled consonant is one
        ("opened", "open"),  # a longer stem gets no "e"
        ("screening", "screen"),
    ],
)
def test_a_verb_form_is_its_base_word(typed, written):
    assert content_terms(typed) == content_terms(written)
