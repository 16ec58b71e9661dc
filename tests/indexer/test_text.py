import time

import pytest

from indexer.text import parse_markers, slug, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_sentence_split_keeps_doses_decimals_and_abbreviations_whole():
    text = (
        "Give 4 mg/kg IV over 90 minutes, e.g. before surgery. Then 2.5 mg/kg weekly vs. placebo [1]. Dr. Smith agreed."
    )
    assert sentences(text) == [
        "Give 4 mg/kg IV over 90 minutes, e.g. before surgery.",
        "Then 2.5 mg/kg weekly vs. placebo [1].",
        "Dr. Smith agreed.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Units, routes and dosing frequencies end sentences.
        ("Give 4 mg/kg IV. Then 2 mg/kg weekly.", ["Give 4 mg/kg IV.", "Then 2 mg/kg weekly."]),
        ("The dose is 20 mg. Reduce it in renal failure.", ["The dose is 20 mg.", "Reduce it in renal failure."]),
        ("Infuse 500 mL. Monitor the pulse.", ["Infuse 500 mL.", "Monitor the pulse."]),
        ("Give it orally (PO). Check levels.", ["Give it orally (PO).", "Check levels."]),
        ("Repeat every 8 h. Check the level.", ["Repeat every 8 h.", "Check the level."]),
        ("Infuse over 30 min. Then flush.", ["Infuse over 30 min.", "Then flush."]),
        ("Take 5 mg q.d. Monitor the INR.", ["Take 5 mg q.d.", "Monitor the INR."]),
        ("Is the dose 5 mg? Yes, daily.", ["Is the dose 5 mg?", "Yes, daily."]),
        # A capital letter that labels a noun (or follows a number) ends a sentence; an initial does not.
        ("Check vitamin D. Supplement if low.", ["Check vitamin D.", "Supplement if low."]),
        ("Test for hepatitis B. Vaccinate if negative.", ["Test for hepatitis B.", "Vaccinate if negative."]),
        ("The tumour is type A. The next is type B.", ["The tumour is type A.", "The next is type B."]),
        ("Grade 3 or stage IV. Surgery is rarely curative.", ["Grade 3 or stage IV.", "Surgery is rarely curative."]),
        ("It was a phase I. Then a phase III trial.", ["It was a phase I.", "Then a phase III trial."]),
        ("Vitamin D. Calcium too.", ["Vitamin D.", "Calcium too."]),
        ("Dose level 2 B. The next level.", ["Dose level 2 B.", "The next level."]),
        ("Is it tetrasomy X? Yes.", ["Is it tetrasomy X?", "Yes."]),
        ("Some do and others don't. Nobody knows why.", ["Some do and others don't.", "Nobody knows why."]),
        # Abbreviations that introduce a number end a sentence when no number follows.
        ("Is surgery needed? No. The risk is low.", ["Is surgery needed?", "No.", "The risk is low."]),
        ("Fever, rash, etc. Then stop the drug.", ["Fever, rash, etc.", "Then stop the drug."]),
        # Closing quotes, brackets and citation markers stay with the sentence they close; ? and ! split.
        ('Patients said "stop." Then they left.', ['Patients said "stop."', "Then they left."]),
        ("Stop it (see below.) Then restart.", ["Stop it (see below.)", "Then restart."]),
        ("Bone is common. [1, 2] Liver is rarer.", ["Bone is common. [1, 2]", "Liver is rarer."]),
        ("Is it safe? Yes! Start now.", ["Is it safe?", "Yes!", "Start now."]),
        # A sentence may start with a digit or a comparison sign ("weekly. 2 cycles" is ambiguous: it splits).
        ("Give it weekly. 2 cycles are enough.", ["Give it weekly.", "2 cycles are enough."]),
        ("Give it weekly. ≥2 cycles are enough.", ["Give it weekly.", "≥2 cycles are enough."]),
        # A newline is whitespace like any other; a bullet is not a sentence start.
        ("First line.\nSecond line.", ["First line.", "Second line."]),
        ("Give 5 mg.\n- monitor the level", ["Give 5 mg.\n- monitor the level"]),
    ],
)
def test_sentence_ends(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Some, e.g. Before surgery, are given.",
        "The first, i.e. The commonest, is given.",
        "Trastuzumab vs. Placebo was compared.",
        "Dr. Smith and Prof. Jones agreed.",
        "Smith et al. Found the same.",
        "As shown in Fig. 2 and Figs. 3-4, it works.",
        "The dose was approx. 5 mg daily.",
        "See No. 3 in the list and p. 12 of the label.",
        "See Fig. S1 for details.",
        "The U.S. Food and Drug Administration approved it.",
        "Give 2.5 mg/kg and 0.5 mL of saline.",
        "Take 5 mg q.d. with food.",
        "Described by J. Smith in 1990.",
        "A. B. Jones et al. reported it.",
        "Reviewed by Prof. J. K. Rowling and A. Smith.",
        "Seen at St. Gallen in 2021.",
    ],
)
def test_abbreviations_initials_and_decimals_do_not_end_a_sentence(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("A. " * 70000, 1),  # author initials: never a boundary
        ("x. " * 70000, 1),  # a lowercase word next: never a candidate
        ("Ab. " * 50000, 50000),  # every stop a boundary
    ],
)
def test_sentence_split_is_linear_in_input_size(text, count):
    started = time.perf_counter()
    spans = split_sentences(text)
    elapsed = time.perf_counter() - started
    assert len(spans) == count
    assert (spans[0].start, spans[-1].end) == (0, len(text.rstrip()))
    assert elapsed < 2.0, f"{len(text)} characters took {elapsed:.2f} s"


def test_markers_after_the_full_stop_stay_with_their_sentence():
    text = "Bone is the commonest site. [1, 2] Liver is rarer. [3]"
    spans = split_sentences(text)
    assert [text[s.start : s.end] for s in spans] == ["Bone is the commonest site. [1, 2]", "Liver is rarer. [3]"]
    assert [s.citations for s in spans] == [(1, 2), (3,)]


def test_marker_forms_and_ranges():
    assert parse_markers("a [1] b [2, 3] c [4-6] d [2]") == (1, 2, 3, 4, 5, 6)
    assert parse_markers("no markers, just (51%) and 4 mg/kg") == ()


def test_slug_is_stable_and_bounded():
    assert slug("HER2-Positive Disease") == "her2-positive-disease"
    assert len(slug("word " * 50, 40)) <= 40
