"""The query vocabulary: the organisation's file, the patterns the corpus states, and what a bad file gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.build import build_index, is_stale
from indexer.corpus import load_corpus
from indexer.errors import CorpusError
from indexer.settings import Settings
from indexer.store import IndexReader
from indexer.vocabulary import Entry, load_vocabulary

from ..helpers import ROOT, write_article

GOOD = b"""
abbreviations:
  TNBC: triple-negative breast cancer
synonyms:
  - [inherited, hereditary]
classes:
  antibody-drug conjugate: [sacituzumab govitecan, trastuzumab deruxtecan]
  anti-HER2 treatment: [trastuzumab]
"""


def test_a_vocabulary_file_becomes_entries_both_ways():
    entries = load_vocabulary(Path("vocabulary.yaml"), GOOD)
    assert Entry("tnbc", "triple-negative breast cancer", "abbreviation", "vocabulary.yaml") in entries
    assert Entry("inherited", "hereditary", "synonym", "vocabulary.yaml") in entries
    assert Entry("hereditary", "inherited", "synonym", "vocabulary.yaml") in entries
    assert Entry("sacituzumab govitecan", "antibody-drug conjugate", "member", "vocabulary.yaml") in entries
    assert Entry("antibody-drug conjugate", "sacituzumab govitecan", "class", "vocabulary.yaml") in entries
    # A multi-word member's first word stands for it when it names nothing else ...
    assert Entry("sacituzumab", "antibody-drug conjugate", "member", "vocabulary.yaml") in entries
    # ... but "trastuzumab" is a drug of its own, not trastuzumab deruxtecan.
    assert not any(e.term == "trastuzumab" and e.expansion == "antibody-drug conjugate" for e in entries)


def test_an_abbreviation_with_several_wordings_is_said_by_any_one_of_them():
    data = b"abbreviations:\n  EF: [left ventricular ejection fraction, LVEF]\n"
    entries = load_vocabulary(Path("vocabulary.yaml"), data)
    assert [e.expansion for e in entries if e.term == "ef"] == ["left ventricular ejection fraction", "LVEF"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"a: &x [1]\nabbreviations: *x\n", "vocabulary.yaml:2: not valid YAML (aliases are not allowed here)"),
        (b"abbreviations: [tnbc]\n", "vocabulary.yaml: abbreviations must map each term to what it stands for"),
        (b"lay:\n  periods: []\n", "vocabulary.yaml: lay 'periods' must be a non-empty list"),
        (b"drugs: {}\n", "vocabulary.yaml: expected the sections abbreviations, lay, synonyms and classes"),
        (b"synonyms:\n  - []\n", "vocabulary.yaml: each synonym group must be a non-empty list"),
        (b"classes:\n  taxane: [{x: 1}]\n", "vocabulary.yaml: expected a word or phrase, found {'x': 1}"),
        (b"abbreviations:\n  x: \xff\n", "vocabulary.yaml: not UTF-8"),
        (
            b"synonyms: [" + b"[a, b]," * 200_000 + b"]",
            "vocabulary.yaml: vocabulary is 1,400,012 bytes, the limit is 1,000,000",
        ),
    ],
    ids=[
        "alias", "abbreviations-list", "empty-wordings", "unknown-section", "empty-group", "not-a-word", "not-utf8",
        "too-big",
    ],
)
def test_a_bad_vocabulary_file_is_refused_with_its_file_line_and_reason(data, message):
    with pytest.raises(CorpusError) as caught:
        load_vocabulary(Path("vocabulary.yaml"), data)
    assert str(caught.value).startswith(message)


def test_the_corpus_states_its_own_classes():
    corpus = load_corpus([ROOT / "corpus"])
    assert Entry("letrozole", "aromatase inhibitor", "member", "metastatic-breast-cancer") in corpus.vocabulary
    assert Entry("aromatase inhibitor", "exemestane", "class", "metastatic-breast-cancer") in corpus.vocabulary


def test_the_vocabulary_is_built_into_the_index_and_editing_it_makes_the_index_stale(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    write_article(corpus, "a", "Trastuzumab loading dose is 4 mg/kg IV [1].")
    (corpus / "vocabulary.yaml").write_bytes(GOOD)
    settings = Settings(corpus=(corpus,), index=tmp_path / "index")
    report = build_index(settings, embedder=embedder)
    assert report.warnings == []
    reader = IndexReader(settings.index)
    assert Entry("tnbc", "triple-negative breast cancer", "abbreviation", "vocabulary.yaml") in reader.vocabulary()
    assert reader.manifest.counts.vocabulary == len(reader.vocabulary())
    assert not is_stale(settings)
    (corpus / "vocabulary.yaml").write_bytes(
        GOOD.replace(b"[inherited, hereditary]", b"[inherited, hereditary, familial]")
    )
    assert is_stale(settings)


def test_a_bad_vocabulary_file_is_a_build_warning_not_a_crash(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    write_article(corpus, "a", "Trastuzumab loading dose is 4 mg/kg IV [1].")
    (corpus / "vocabulary.yaml").write_bytes(b"a: &x [1]\nb: *x\n")
    report = build_index(Settings(corpus=(corpus,), index=tmp_path / "index"), embedder=embedder)
    assert report.documents == 1
    assert report.warnings == [f"{corpus / 'vocabulary.yaml'}:2: not valid YAML (aliases are not allowed here)"]
