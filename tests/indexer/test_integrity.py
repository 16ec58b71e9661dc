"""Damaged indexes, as a careless disk or admin leaves them: each is refused with one line naming the file
and the rebuild command, in every surface, and never answered from."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from assistant.__main__ import main as ask_main
from indexer.__main__ import main as indexer_main
from indexer.errors import IndexDamaged
from indexer.store import IndexReader
from indexer.vectors import FaissFlatStore

from ..helpers import ROOT

QUESTION = "Can radiation be given during pregnancy?"


def flip_bytes(path: Path, n: int = 199, seed: int = 8) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for i in rng.sample(range(len(data) // 4, len(data)), n):  # past the header: the file still parses
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def rotate_rows(path: Path) -> None:
    store = FaissFlatStore.load(path)
    matrix = store.reconstruct(np.arange(store.ntotal))
    FaissFlatStore.build(np.roll(matrix, 1, axis=0)).save(path)


def sql(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    with con:
        for s in statements:
            con.execute(s)
    con.close()


def reseal(index: Path) -> None:
    """What an admin does who 'fixes' the checksum: recompute it, so only the deeper checks remain."""
    manifest = json.loads((index / "manifest.json").read_text())
    for name, record in manifest["files"].items():
        data = (index / name).read_bytes()
        record.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    (index / "manifest.json").write_text(json.dumps(manifest))


def edit_manifest(index: Path, change) -> None:
    manifest = json.loads((index / "manifest.json").read_text())
    change(manifest)
    (index / "manifest.json").write_text(json.dumps(manifest))


DAMAGE = {
    "bit-rot-vectors": (lambda d: flip_bytes(d / "vectors.faiss"), "vectors.faiss is damaged"),
    "rotated-vector-rows": (lambda d: rotate_rows(d / "vectors.faiss"), "vectors.faiss is damaged"),
    "truncated-vectors": (lambda d: (d / "vectors.faiss").write_bytes(b"IxFI"), "vectors.faiss is damaged"),
    "deleted-vectors": (lambda d: (d / "vectors.faiss").unlink(), "vectors.faiss is missing"),
    "truncated-store": (
        lambda d: (d / "store.sqlite").write_bytes((d / "store.sqlite").read_bytes()[:4096]),
        "store.sqlite is damaged",
    ),
    "deleted-store": (lambda d: (d / "store.sqlite").unlink(), "store.sqlite is missing"),
    "missing-chunk-row": (
        lambda d: sql(d / "store.sqlite", "DELETE FROM chunks WHERE row = 3"),
        "store.sqlite is damaged",
    ),
    "emptied-keyword-table": (
        lambda d: sql(d / "store.sqlite", "INSERT INTO chunks_fts(chunks_fts) VALUES ('delete-all')"),
        "store.sqlite is damaged",
    ),
    "manifest-without-model": (
        lambda d: edit_manifest(d, lambda m: m.pop("model")),
        "manifest.json field 'model' is missing",
    ),
    "manifest-mistyped-count": (
        lambda d: edit_manifest(d, lambda m: m["counts"].update(chunks="25")),
        "manifest.json field 'counts.chunks' must be an integer",
    ),
    "manifest-is-a-fifo": (
        lambda d: ((d / "manifest.json").unlink(), os.mkfifo(d / "manifest.json")),
        "manifest.json is not a regular file",
    ),
    "manifest-links-to-dev-zero": (
        lambda d: ((d / "manifest.json").unlink(), (d / "manifest.json").symlink_to("/dev/zero")),
        "manifest.json is not a regular file",
    ),
    "manifest-nested-too-deeply": (
        lambda d: (d / "manifest.json").write_text('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        "manifest.json is not a manifest (JSON nested too deeply)",
    ),
    "manifest-mistyped-nested-count": (
        lambda d: edit_manifest(d, lambda m: m["counts"]["documents_by_kind"].update(article="abc")),
        "manifest.json field 'counts.documents_by_kind.article' must be an integer",
    ),
    # Damage behind a recomputed checksum: the row counts still disagree.
    "resealed-missing-chunk-row": (
        lambda d: (sql(d / "store.sqlite", "DELETE FROM chunks WHERE row = 3"), reseal(d)),
        "store.sqlite has 24 chunk rows",
    ),
    "resealed-emptied-keyword-table": (
        lambda d: (sql(d / "store.sqlite", "INSERT INTO chunks_fts(chunks_fts) VALUES ('delete-all')"), reseal(d)),
        "store.sqlite keyword table holds 0 passages, expected 25",
    ),
    "resealed-truncated-vectors": (
        lambda d: (FaissFlatStore.build(np.zeros((24, 384), "float32")).save(d / "vectors.faiss"), reseal(d)),
        "vectors.faiss has 24 rows, expected 25",
    ),
    # The heading channel's vectors and rows are checked like the passages'.
    "deleted-heading-vectors": (lambda d: (d / "headings.faiss").unlink(), "headings.faiss is missing"),
    "bit-rot-heading-vectors": (lambda d: flip_bytes(d / "headings.faiss", n=50), "headings.faiss is damaged"),
    "resealed-truncated-heading-vectors": (
        lambda d: (FaissFlatStore.build(np.zeros((24, 384), "float32")).save(d / "headings.faiss"), reseal(d)),
        "headings.faiss has 24 rows, expected 25",
    ),
    "resealed-missing-heading-row": (
        lambda d: (sql(d / "store.sqlite", "DELETE FROM headings WHERE row = 3"), reseal(d)),
        "store.sqlite has 24 heading rows",
    ),
    "resealed-garbage-vectors": (
        lambda d: ((d / "vectors.faiss").write_bytes(b"\0" * 4096), reseal(d)),
        "vectors.faiss cannot be read",
    ),
}


@pytest.fixture()
def damaged(request, sample_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    damage, message = DAMAGE[request.param]
    damage(index)
    return index, message


@pytest.mark.parametrize("damaged", list(DAMAGE), indirect=True)
def test_damage_is_refused_in_every_cli_with_the_file_and_the_rebuild_command(damaged, capsys):
    index, message = damaged
    rebuild = f"rebuild with 'python -m indexer build --corpus {ROOT / 'corpus'} --index {index}'"
    for argv in (
        ["ask", "--index", str(index), QUESTION],
        ["ask", "--index", str(index), "--json", QUESTION],
    ):
        assert ask_main(argv) == 2
        err = capsys.readouterr()
        assert err.out == ""
        assert message in err.err and err.err.count("\n") == 1 and "Traceback" not in err.err
    for command in ("info", "verify"):
        assert indexer_main([command, "--index", str(index)]) == 2
        err = capsys.readouterr()
        assert err.out == "" and message in err.err and "Traceback" not in err.err
    if "manifest" not in message:
        # The rebuild command is made from the manifest's own corpus paths, not a guess.
        assert rebuild in err.err


def test_an_intact_copy_verifies_and_answers(sample_index, tmp_path, capsys):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    assert indexer_main(["verify", "--index", str(index)]) == 0
    assert capsys.readouterr().out.startswith(f"{index}: ok (4 documents, 25 passages, 3 files checked in ")
    assert ask_main(["ask", "--index", str(index), "--json", QUESTION]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert not answer["abstained"] and "pregnan" in answer["answer"].lower()


def test_damage_after_loading_is_an_error_not_an_empty_result(sample_index, tmp_path):
    """The keyword table read at query time: an unreadable table raises, it does not find nothing."""
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    reader = IndexReader(index)
    reader._con.close()  # as if the file vanished under an open reader
    reader._con = sqlite3.connect(":memory:", check_same_thread=False)
    with pytest.raises(IndexDamaged, match="store.sqlite keyword table cannot be searched"):
        reader.keyword_search('"trastuzumab"', 5)


def test_keyword_syntax_negative_control(sample_index):
    """The quoting guard is needed: the same words unquoted are an FTS5 syntax error, quoted they match."""
    from indexer.terms import keyword_query

    reader = IndexReader(sample_index)
    hostile = 'her2-positive AND (trastuzumab OR "dose'
    with pytest.raises(ValueError, match="not a valid keyword query"):
        reader.keyword_search(hostile, 5)
    quoted = keyword_query(hostile)
    assert quoted is not None and reader.keyword_search(quoted, 5)


def test_an_index_with_another_keyword_definition_is_stale_and_refused(sample_index, tmp_path, capsys):
    """The keyword terms are versioned: an index built with another definition is rebuilt by --if-stale
    and refused by readers, never searched with mismatched terms."""
    from indexer.build import is_stale
    from indexer.settings import Settings

    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    settings = Settings(corpus=(ROOT / "corpus",), index=index)
    assert not is_stale(settings)
    edit_manifest(index, lambda m: m["keywords"].update(terms_version=1))
    assert is_stale(settings)
    assert ask_main(["ask", "--index", str(index), QUESTION]) == 2
    err = capsys.readouterr().err
    assert "was built with another keyword tokenizer (terms version 1, this code uses" in err
    assert f"--corpus {ROOT / 'corpus'}" in err


def test_a_rebuild_after_a_keyword_change_reuses_every_vector(sample_index, tmp_path, embedder):
    """Vectors depend on the passages, not on the keyword terms: a new terms version costs no embedding."""
    from indexer.build import build_index
    from indexer.settings import Settings

    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    edit_manifest(index, lambda m: m["keywords"].update(terms_version=1))
    report = build_index(Settings(corpus=(ROOT / "corpus",), index=index), embedder=embedder)
    assert report.embedded == 0 and report.reused >= report.chunks > 0  # passages and headings
