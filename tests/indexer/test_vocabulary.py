"""The query vocabulary: the organisation's file, the patterns the corpus states, and what a bad file gets."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from indexer.build import build_index, is_stale
from indexer.corpus import load_corpus
from indexer.errors import BuildError, CorpusError
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
        (b"abbreviations: [tnbc]\n", "vocabulary.yaml:1: abbreviations must map each term to what it stands for"),
        (b"lay:\n  periods: []\n", "vocabulary.yaml:2: lay 'periods' must be a non-empty list"),
        (b"drugs: {}\n", "vocabulary.yaml:1: expected the sections abbreviations, lay, synonyms, classes"),
        (b"synonyms:\n  - []\n", "vocabulary.yaml: each synonym group must be a non-empty list"),
        (b"classes:\n  taxane: [{x: 1}]\n", "vocabulary.yaml:2: expected a word or phrase, found {'x': 1}"),
        (b"abbreviations:\n  x: y\n  z: \xff\n", "vocabulary.yaml:3: not UTF-8"),
        (
            b"synonyms: [" + b"[a, b]," * 200_000 + b"]",
            "vocabulary.yaml: vocabulary is 1,400,012 bytes, the limit is 1,000,000",
        ),
        # PyYAML keeps the last of two equal keys and drops the first without a word
        (
            b"abbreviations:\n  ER: estrogen receptor\n  PR: progesterone receptor\n  ER: emergency room\n",
            "vocabulary.yaml:4: not valid YAML (the key 'ER' is given twice)",
        ),
        (
            b"synonyms:\n  - [a, b]\nsynonyms:\n  - [c, d]\n",
            "vocabulary.yaml:3: not valid YAML (the key 'synonyms' is given twice)",
        ),
        (
            b"classes:\n  taxane: [paclitaxel]\n  ai: [" + b"x" * 250 + b"]\n",
            "vocabulary.yaml:3: entry 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... is longer than 200 characters",
        ),
        # an unclosed quote is reported where it opens, not at the end of the file
        (
            b'abbreviations:\n  PR: "progesterone receptor\n  ER: estrogen receptor\n\n\n',
            "vocabulary.yaml:2: not valid YAML (while scanning a quoted scalar: found unexpected end of stream)",
        ),
    ],
    ids=[
        "alias",
        "abbreviations-list",
        "empty-wordings",
        "unknown-section",
        "empty-group",
        "not-a-word",
        "not-utf8",
        "too-big",
        "duplicate-term",
        "duplicate-section",
        "long-entry",
        "unclosed-quote",
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


def test_a_bad_vocabulary_file_stops_the_build_and_the_previous_index_keeps_serving(tmp_path, embedder):
    """An index built without the organisation's vocabulary would refuse typos and drug classes it answered
    yesterday, without a word: the build stops, names the file and line, and the index stays as it was."""
    corpus = tmp_path / "corpus"
    write_article(corpus, "a", "Trastuzumab loading dose is 4 mg/kg IV [1].")
    vocabulary = corpus / "vocabulary.yaml"
    vocabulary.write_bytes(GOOD)
    settings = Settings(corpus=(corpus,), index=tmp_path / "index")
    build_index(settings, embedder=embedder)
    before = IndexReader(settings.index).vocabulary()
    assert Entry("tnbc", "triple-negative breast cancer", "abbreviation", "vocabulary.yaml") in before
    for bad in (b"a: &x [1]\nb: *x\n", GOOD + b"abbreviations:\n  HR: hormone receptor\n", b"\xff\xfe"):
        vocabulary.write_bytes(bad)
        with pytest.raises(BuildError, match=rf"^{re.escape(str(vocabulary))}:\d+: .*the index was not changed$"):
            build_index(settings, embedder=embedder)
        assert IndexReader(settings.index).vocabulary() == before
    vocabulary.unlink()
    assert build_index(settings, embedder=embedder).warnings == []  # no file: no vocabulary, and no warning
    assert IndexReader(settings.index).vocabulary() == []


@pytest.mark.parametrize("kind", ["fifo", "directory", "dangling link"])
def test_a_vocabulary_that_is_not_a_file_stops_the_build_without_hanging(tmp_path, embedder, kind):
    corpus = tmp_path / "corpus"
    write_article(corpus, "a", "Trastuzumab loading dose is 4 mg/kg IV [1].")
    vocabulary = corpus / "vocabulary.yaml"
    {"fifo": os.mkfifo, "directory": Path.mkdir, "dangling link": lambda p: p.symlink_to(tmp_path / "gone")}[kind](
        vocabulary
    )
    settings = Settings(corpus=(corpus,), index=tmp_path / "index")
    with pytest.raises(BuildError, match=rf"^{re.escape(str(vocabulary))}: .*the index was not changed$") as caught:
        build_index(settings, embedder=embedder)
    assert "skipped" not in str(caught.value)
    assert not settings.index.exists()


def test_an_unreadable_vocabulary_file_stops_the_build(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    write_article(corpus, "a", "Trastuzumab loading dose is 4 mg/kg IV [1].")
    vocabulary = corpus / "vocabulary.yaml"
    vocabulary.write_bytes(b"x" * 1_100_000)
    settings = Settings(corpus=(corpus,), index=tmp_path / "index")
    with pytest.raises(BuildError, match=rf"^{re.escape(str(vocabulary))}: .*1,000,000.*the index was not changed$"):
        build_index(settings, embedder=embedder)
    assert not settings.index.exists()
