"""Every kind of bad corpus input gets one clear line naming the file (and line), and is skipped."""

import os

import pytest

from indexer.corpus import load_corpus

from ..helpers import write_article

GOOD_BODY = "Give 4 mg/kg once [1]."


def _not_utf8(folder):
    path = folder / "latin1.md"
    path.write_bytes("---\nid: latin1\ntitle: Caf\u00e9?\n---\n\n## A\n\nCaf\u00e9 au lait [1].\n".encode("latin-1"))


def _bad_yaml(folder):
    (folder / "bad-yaml.md").write_text("---\nid: bad-yaml\ntitle: [unclosed\nupdated: 2025\n---\n\n## A\n\nText.\n")


def _no_front_matter(folder):
    (folder / "plain.md").write_text("## A heading\n\nJust text.\n")


def _no_title(folder):
    (folder / "untitled.md").write_text("---\nid: untitled\n---\n\n## A\n\nText [1].\n")


def _empty(folder):
    (folder / "empty.md").write_text("---\nid: empty\ntitle: Nothing here?\n---\n\n## Heading only\n")


def _missing_reference(folder):
    write_article(folder, "missing-ref", "First claim [1].\n\nSecond claim cites a ghost [9].")


def _binary(folder):
    (folder / "binary.md").write_bytes(b"---\x00\x01\x02")


def _file_loop(folder):
    os.symlink(folder / "loop.md", folder / "loop.md")


def _bad_reference_list(folder):
    (folder / "bad-refs.md").write_text(
        "---\nid: bad-refs\ntitle: Refs?\nreferences:\n  - n: one\n    title: T\n---\n\n## A\n\nText [1].\n"
    )


def _infinite_reference_number(folder):
    (folder / "inf.md").write_text(
        "---\nid: inf\ntitle: Inf?\nreferences:\n  - {n: .inf, title: T}\n---\n\n## A\n\nText.\n"
    )


def _url_list(folder):
    (folder / "url.md").write_text(
        "---\nid: url\ntitle: Url?\nreferences:\n  - {title: T, url: [x]}\n---\n\n## A\n\nText.\n"
    )


def _empty_timestamp(folder):
    (folder / "stamp.md").write_text("---\nid: stamp\ntitle: Stamp?\nupdated: !!timestamp\n---\n\n## A\n\nText.\n")


def _unknown_xml_encoding(folder):
    (folder / "0000001.xml").write_text('<?xml version="1.0" encoding="x"?><Document id="1" source="S"/>')


@pytest.mark.parametrize(
    "make, expected, kept",
    [
        (_not_utf8, "latin1.md:3: not UTF-8 text (byte 0xe9 cannot be decoded)", False),
        (_bad_yaml, "bad-yaml.md:4: malformed front matter", False),
        (_no_front_matter, "plain.md:1: missing front matter", False),
        (_no_title, "untitled.md:2: front matter lacks 'title'", False),
        (_empty, "empty.md: has no text to index", False),
        (_missing_reference, "missing-ref.md:16: reference [9] is cited but not listed under references", True),
        (_binary, "binary.md: looks like a binary file", False),
        (_file_loop, "loop.md: cannot read file (Too many levels of symbolic links)", False),
        (_bad_reference_list, "bad-refs.md: reference #1: 'n' and 'year' must be whole numbers", False),
        # found by tests/indexer/test_fuzz.py: each was a traceback (OverflowError, a list where text
        # belongs, AttributeError inside PyYAML, LookupError inside the XML parser)
        (_infinite_reference_number, "inf.md: reference #1: 'n' and 'year' must be whole numbers", False),
        (_url_list, "url.md: reference #1: 'url' must be text", False),
        (_empty_timestamp, "stamp.md:1: malformed front matter: a value does not fit its type tag", False),
        (_unknown_xml_encoding, "0000001.xml:1: not readable XML: unknown encoding: x", False),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_bad_file_is_reported_by_name_and_the_rest_still_loads(tmp_path, make, expected, kept):
    corpus = tmp_path / "corpus"
    write_article(corpus, "good", GOOD_BODY)
    make(corpus)
    loaded = load_corpus([corpus])
    messages = [str(p) for p in loaded.problems]
    assert len(messages) == 1, messages
    assert expected in messages[0]
    assert messages[0].startswith(str(corpus))
    ids = sorted(d.id for d in loaded.documents)
    assert ids == (sorted(["good", "missing-ref"]) if kept else ["good"])


def test_unreadable_corpus_folder_is_named(tmp_path):
    loop = tmp_path / "corpus"
    os.symlink(loop, loop)
    loaded = load_corpus([loop])
    assert [str(p) for p in loaded.problems] == [f"{loop}: corpus folder does not exist or cannot be read"]
    assert loaded.documents == []


def test_readme_and_licence_files_are_not_articles(tmp_path):
    corpus = tmp_path / "corpus"
    write_article(corpus, "good", GOOD_BODY)
    (corpus / "README.md").write_text("# About this folder\n")
    (corpus / "LICENSE.txt").write_text("Some licence\n")
    loaded = load_corpus([corpus])
    assert loaded.problems == [] and [d.id for d in loaded.documents] == ["good"]
