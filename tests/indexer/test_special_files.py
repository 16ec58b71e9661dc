"""Only regular files inside the corpus are read (issue 11): a FIFO named *.md hung the build and every
app session's staleness check; a link to /dev/zero read without end; a link to a private file outside the
corpus was indexed. Each is now a one-line warning, and nothing blocks."""

from __future__ import annotations

import json
import os
import socket

import pytest

from indexer.__main__ import main
from indexer.build import build_index, is_stale
from indexer.corpus import corpus_files, fingerprint, load_corpus, read_file
from indexer.errors import CorpusError
from indexer.settings import IngestSettings, Settings

from ..helpers import deadline, run_bounded, write_article


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    write_article(folder, "good", "Give 4 mg/kg once [1].")
    return folder


def _fifo(folder):
    os.mkfifo(folder / "pipe.md")
    return "pipe.md: is a FIFO (named pipe), not a regular file; skipped"


def _socket(folder):
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.md"))
    sock.close()
    return "sock.md: is a socket, not a regular file; skipped"


def _device_link(folder):
    os.symlink("/dev/zero", folder / "zero.md")
    return (
        "zero.md: is a symlink to /dev/zero, outside the corpus folder; not followed "
        "(--follow-external-links or GUIDELINE_QA_FOLLOW_EXTERNAL_LINKS=true reads it)"
    )


# In a child limited in time and memory: before the fix the FIFO blocked forever and /dev/zero read until
# memory ran out, neither of which a signal interrupts reliably.
LOAD = """
import json, sys
from pathlib import Path
from indexer.corpus import fingerprint, load_corpus
from indexer.settings import IngestSettings
corpus, ingest = Path(sys.argv[1]), IngestSettings(follow_external_links=sys.argv[2:] == ["follow"])
loaded = load_corpus([corpus], ingest)
fingerprint([corpus], ingest)  # the staleness check of --if-stale and the app
print(json.dumps({"problems": [str(p) for p in loaded.problems], "ids": [d.id for d in loaded.documents]}))
"""


@pytest.mark.parametrize("make", [_fifo, _socket, _device_link], ids=["fifo", "socket", "dev-zero"])
def test_special_files_are_skipped_with_a_warning_and_never_block(corpus, make):
    message = make(corpus)
    done = run_bounded(LOAD, str(corpus), seconds=30)
    assert done.returncode == 0, done.stderr[-500:]
    assert json.loads(done.stdout) == {"problems": [str(corpus / message)], "ids": ["good"]}


def test_special_files_are_left_out_when_listing_without_opening_them(corpus):
    _fifo(corpus)
    with deadline(5):
        found, problems = corpus_files([corpus])
    assert [p.name for _, p in found] == ["good.md"]
    assert [str(p) for p in problems] == [str(corpus / "pipe.md: is a FIFO (named pipe), not a regular file; skipped")]


def test_a_file_replaced_by_a_fifo_after_listing_is_refused_without_blocking(corpus):
    _fifo(corpus)
    with deadline(5), pytest.raises(CorpusError, match="is a FIFO"):
        read_file(corpus / "pipe.md", 1000, "the limit is 1,000")


def test_a_link_to_a_device_is_refused_even_when_external_links_are_followed(corpus):
    _device_link(corpus)
    done = run_bounded(LOAD, str(corpus), "follow", seconds=30)
    assert done.returncode == 0, done.stderr[-500:]
    message = "zero.md: is a character device, not a regular file; skipped"
    assert json.loads(done.stdout) == {"problems": [str(corpus / message)], "ids": ["good"]}


def test_a_link_out_of_the_corpus_is_followed_only_when_asked(tmp_path, corpus):
    private = write_article(tmp_path / "private", "private-notes", "Patient X gets 6 mg/kg [1].")
    os.symlink(os.path.relpath(private, corpus), corpus / "notes.md")
    skipped = load_corpus([corpus])
    assert [d.id for d in skipped.documents] == ["good"]
    assert [str(p) for p in skipped.problems] == [
        f"{corpus / 'notes.md'}: is a symlink to {private}, outside the corpus folder; not followed "
        "(--follow-external-links or GUIDELINE_QA_FOLLOW_EXTERNAL_LINKS=true reads it)"
    ]
    followed = load_corpus([corpus], IngestSettings(follow_external_links=True))
    assert sorted(d.id for d in followed.documents) == ["good", "private-notes"] and followed.problems == []
    assert fingerprint([corpus]) != fingerprint([corpus], IngestSettings(follow_external_links=True))


def test_a_link_that_stays_inside_the_corpus_is_followed(corpus):
    write_article(corpus / ".drafts", "draft", "Give 2 mg/kg [1].")  # hidden folder: read only through the link
    os.symlink(".drafts/draft.md", corpus / "draft.md")
    loaded = load_corpus([corpus])
    assert sorted(d.id for d in loaded.documents) == ["draft", "good"] and loaded.problems == []


def test_a_corpus_folder_reached_through_a_symlink_still_reads_its_own_links(tmp_path, corpus):
    write_article(corpus / ".drafts", "draft", "Give 2 mg/kg [1].")
    os.symlink(".drafts/draft.md", corpus / "draft.md")
    linked = tmp_path / "linked-corpus"
    os.symlink(corpus, linked)
    loaded = load_corpus([linked])
    assert sorted(d.id for d in loaded.documents) == ["draft", "good"] and loaded.problems == []


def test_staleness_check_does_not_block_on_a_fifo_added_after_the_build(tmp_path, corpus, embedder):
    settings = Settings(corpus=(corpus,), index=tmp_path / "index")
    build_index(settings, embedder=embedder)
    _fifo(corpus)
    with deadline(5):
        assert not is_stale(settings)


def test_build_follows_external_links_only_with_the_flag(tmp_path, corpus, capsys):
    private = write_article(tmp_path / "private", "private-notes", "Patient X gets 6 mg/kg [1].")
    os.symlink(private, corpus / "notes.md")
    index = tmp_path / "index"
    assert main(["build", "--corpus", str(corpus), "--index", str(index), "--strict"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"warning: {corpus / 'notes.md'}: is a symlink to {private}, outside the corpus")
    assert not index.exists()
    assert main(["build", "--corpus", str(corpus), "--index", str(index), "--strict", "--follow-external-links"]) == 0
    assert f"built {index}: 2 documents" in capsys.readouterr().out
