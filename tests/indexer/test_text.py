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
