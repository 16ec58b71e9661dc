"""Hostile corpus files (issue 11): every parser is linear in its input, and a file beyond a limit is
skipped with one line naming the file, the line and the limit. Each reproduction took a minute or more
(or gigabytes) before; the deadlines fail such a regression instead of hanging the run."""

from __future__ import annotations

import pytest

from indexer.__main__ import main
from indexer.corpus import load_corpus
from indexer.settings import IngestSettings

from ..helpers import deadline, write_article

FRONT = "---\nid: {id}\ntitle: {title}\n{extra}---\n\n"


def load(corpus, ingest: IngestSettings | None = None, seconds: float = 5):
    with deadline(seconds):
        return load_corpus([corpus], ingest)


def test_heading_padded_with_spaces_parses_at_once(tmp_path):
    # `^(#{1,6})\s+(.+?)\s*#*\s*$` took 60-117 s on this line.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "padded.md").write_text(
        FRONT.format(id="padded", title="Padded?", extra="") + "## Dose" + " " * 3200 + "x\n\nGive 4 mg/kg.\n"
    )
    loaded = load(corpus)
    assert loaded.problems == []
    heading = loaded.documents[0].sections[0].heading
    assert heading.startswith("Dose ") and heading.endswith(" x") and len(heading) == 3205


def test_twenty_thousand_identical_headings_get_distinct_ids_in_linear_time(tmp_path):
    # Each id was found by counting up from -2 again: 20,000 headings took 130 s.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "same.md").write_text(
        FRONT.format(id="same", title="Same?", extra="") + "## Dose\n\n" * 20_000 + "Text.\n"
    )
    sections = load(corpus, seconds=10).documents[0].sections
    assert [s.id for s in sections[:3]] == ["same/dose", "same/dose-2", "same/dose-3"]
    assert sections[-1].id == "same/dose-20000" and len({s.id for s in sections}) == 20_000


def test_heading_ids_skip_ids_an_earlier_heading_took_literally(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "".join(f"## {h}\n\nText.\n\n" for h in ["Dose", "Dose", "Dose 2", "Dose 3", "Dose"])
    (corpus / "ids.md").write_text(FRONT.format(id="ids", title="Ids?", extra="") + body)
    ids = [s.id for s in load(corpus).documents[0].sections]
    assert ids == ["ids/dose", "ids/dose-2", "ids/dose-2-2", "ids/dose-3", "ids/dose-4"]


@pytest.mark.parametrize(
    "page, check",
    [
        # `^last updated:\s*(.+?)\s*(view editorial policy)?$`: 201 s at 100,000 spaces, 40 s at 45,000
        (
            "What is the dose?\n\nLast updated: a" + " " * 45_000 + "b\n\nDosing\n\nGive 4 mg/kg once a week.\n",
            lambda doc: doc.meta["updated"].startswith("a") and doc.meta["updated"].endswith("b"),
        ),
        # the reference year `^(.*?),?\s*((?:19|20)\d{2})\s*\.?$`: 47 s
        (
            "What is the dose?\n\nDosing\n\nGive 4 mg/kg once a week.\n\nReferences\n\nGuideline\nA title\n"
            "Journal" + " " * 45_000 + "x\n",
            lambda doc: doc.references[0].source.startswith("Journal") and doc.references[0].year is None,
        ),
        # 9,000 bare citation numbers on one line: each looked back over the whole line, 116 s
        (
            "What is the dose?\n\nDosing\n\n" + "Give 1. " * 5_600 + "\n",
            lambda doc: doc.text.count("Give [1].") == 5_600,
        ),
    ],
    ids=["last-updated", "reference-year", "citation-numbers"],
)
def test_web_page_lines_padded_or_repeated_parse_at_once(tmp_path, page, check):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.txt").write_text(page)
    loaded = load(corpus)
    assert [str(p) for p in loaded.problems if "reference [1]" not in str(p)] == []
    assert check(loaded.documents[0])


def test_medquad_answer_with_a_long_run_of_spaces_parses_at_once(tmp_path):
    # `(?:^|\s{2,})-\s+` tried from every space of the run: 24 s
    corpus = tmp_path / "medquad"
    corpus.mkdir()
    (corpus / "0000001.xml").write_text(
        '<?xml version="1.0"?><Document id="0000001" source="Test"><Focus>F</Focus><QAPairs><QAPair pid="1">'
        "<Question>What is F?</Question><Answer>a" + " " * 45_000 + "b  - c</Answer></QAPair></QAPairs></Document>"
    )
    doc = load(corpus).documents[0]
    assert [(b.kind, doc.text[b.start : b.end]) for b in doc.sections[0].blocks] == [
        ("paragraph", "a b"),
        ("bullet", "c"),
    ]


ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcd", "bcde", strict=True)
)


@pytest.mark.parametrize(
    "extra, message",
    [
        # Ten levels of this drove a build to 3.9 GB and a MemoryError after 82 s (here five, harmless either way).
        (ALIAS_BOMB + "tags: *e\n", "bomb.md:6: malformed front matter: aliases repeat more than 100 nodes"),
        (
            "tags: " + "[" * 5_000 + "]" * 5_000 + "\n",
            "bomb.md:4: malformed front matter: nested deeper than 20 levels",
        ),
        ("tags: &t [a, *t]\n", "bomb.md:4: malformed front matter: an alias refers to a node that contains it"),
        (
            "references:\n" + ("  - {title: " + "x" * 50 + "}\n") * 1_600,
            "bomb.md:2: front matter is 102,434 bytes; the limit is 100,000 (GUIDELINE_QA_MAX_FRONT_MATTER_BYTES)",
        ),
        # YAML would keep the second title silently; the author meant one of them
        ("title: Other?\n", "bomb.md:4: malformed front matter: the key 'title' is given twice"),
        # reported where the quote opens (line 4), not where the front matter ends
        ('updated: "2024-01-01\nreview: ok\n', "bomb.md:4: malformed front matter: while scanning a quoted scalar"),
    ],
    ids=["alias-bomb", "deep-nesting", "recursive-alias", "too-big", "duplicate-key", "unclosed-quote"],
)
def test_front_matter_beyond_a_bound_is_one_line_and_the_rest_loads(tmp_path, extra, message):
    corpus = tmp_path / "corpus"
    write_article(corpus, "good", "Give 4 mg/kg once [1].")
    (corpus / "bomb.md").write_text(FRONT.format(id="bomb", title="Bomb?", extra=extra) + "## A\n\nText.\n")
    loaded = load(corpus)
    assert len(loaded.problems) == 1 and str(loaded.problems[0]).startswith(str(corpus / message))
    assert [d.id for d in loaded.documents] == ["good"]


def test_a_few_aliases_are_still_fine(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # a merge key, then a key it brings overridden: not a key given twice
    extra = "tags: &t [her2, dosing]\nnote: *t\nbase: &b {review: pending}\nown:\n  <<: *b\n  review: done\n"
    (corpus / "a.md").write_text(FRONT.format(id="a", title="A?", extra=extra) + "## A\n\nText.\n")
    loaded = load(corpus)
    assert loaded.problems == [] and loaded.documents[0].meta["tags"] == ["her2", "dosing"]


@pytest.mark.parametrize(
    "ingest, make, message",
    [
        (
            IngestSettings(),
            lambda c: (c / "long.md").write_text(
                FRONT.format(id="long", title="Long?", extra="") + "## A\n\n" + "A. " * 56_000 + "\n"
            ),
            "long.md:8: line is 168,000 characters long; the limit is 50,000 (GUIDELINE_QA_MAX_LINE_CHARS)",
        ),
        (
            IngestSettings(max_file_bytes=1_000),
            lambda c: (c / "big.md").write_text(FRONT.format(id="big", title="Big?", extra="") + "x" * 1_000),
            "big.md: is 1,029 bytes; the limit is 1,000 (GUIDELINE_QA_MAX_FILE_BYTES)",
        ),
        (
            IngestSettings(max_line_chars=100),
            lambda c: (c / "page.txt").write_text("What is the dose?\n\n" + "Give 4 mg/kg. " * 20 + "\n"),
            "page.txt:3: line is 280 characters long; the limit is 100 (GUIDELINE_QA_MAX_LINE_CHARS)",
        ),
    ],
    ids=["line", "file", "web-page-line"],
)
def test_a_file_beyond_a_limit_is_skipped_with_file_line_and_limit(tmp_path, ingest, make, message):
    corpus = tmp_path / "corpus"
    write_article(corpus, "good", "Give 4 mg/kg once [1].")
    make(corpus)
    loaded = load(corpus, ingest)
    assert [str(p) for p in loaded.problems] == [str(corpus / message)]
    assert [d.id for d in loaded.documents] == ["good"]


def test_a_paragraph_of_initials_is_linear_once_the_line_limit_allows_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    initials = " ".join(f"{chr(65 + i % 26)}." for i in range(56_000))
    (corpus / "authors.md").write_text(FRONT.format(id="authors", title="Authors?", extra="") + initials + "\n")
    loaded = load(corpus, IngestSettings(max_line_chars=200_000))
    assert loaded.problems == [] and len(loaded.documents[0].text) > 168_000


def test_strict_build_exits_2_on_a_file_beyond_a_limit(tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "corpus"
    write_article(corpus, "good", "Give 4 mg/kg once [1].")
    (corpus / "long.md").write_text(FRONT.format(id="long", title="Long?", extra="") + "## A\n\n" + "x" * 300 + "\n")
    monkeypatch.setenv("GUIDELINE_QA_MAX_LINE_CHARS", "200")
    assert main(["build", "--corpus", str(corpus), "--index", str(tmp_path / "index"), "--strict"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"warning: {corpus / 'long.md'}:8: line is 300 characters long; the limit is 200 (GUIDELINE_QA_MAX_LINE_CHARS)",
        "error: --strict: 1 problem(s) in the corpus; the index was not changed",
    ]
    assert not (tmp_path / "index").exists()
