"""A rebuild replaces only what the index itself wrote (issue 11): a folder holding anything else, or a
manifest.json that is not really ours, is refused with one line naming the files and the fix, and
nothing in it is deleted."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from indexer.__main__ import main as indexer_main
from indexer.build import build_index
from indexer.errors import IndexDamaged, IndexMismatch
from indexer.settings import Settings
from indexer.store import IndexReader

from ..helpers import ROOT, write_article


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with its bytes (None for a folder): what 'nothing was changed' means."""
    return {str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes() for p in sorted(folder.rglob("*"))}


def sha(data: bytes) -> dict:
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def user_file_beside_our_index(index: Path) -> None:
    (index / "notes.txt").write_text("my reading notes")


def user_folder_in_our_index(index: Path) -> None:
    (index / "backup").mkdir()
    (index / "backup" / "old.sqlite").write_bytes(b"an older build I kept")


def one_field_fake_manifest(index: Path) -> None:
    shutil.rmtree(index)
    index.mkdir()
    (index / "manifest.json").write_text('{"schema": 4}')
    (index / "chapter1.tex").write_text("years of work")


def fake_manifest_alone(index: Path) -> None:
    shutil.rmtree(index)
    index.mkdir()
    (index / "manifest.json").write_text('{"format": "guideline-qa-index", "schema_version": 4}')


def manifest_listing_a_user_file(index: Path) -> None:
    """A manifest in our format with correct checksums for a file no build of ours ever writes."""
    data = b"years of work"
    (index / "thesis.tex").write_bytes(data)
    manifest = json.loads((index / "manifest.json").read_text())
    manifest["files"]["thesis.tex"] = sha(data)
    (index / "manifest.json").write_text(json.dumps(manifest))


FOREIGN = {
    "a file put in the index": (user_file_beside_our_index, "holds files the index did not write (notes.txt)"),
    "a folder put in the index": (user_folder_in_our_index, "holds files the index did not write (backup)"),
    "a one-field fake manifest": (
        one_field_fake_manifest,
        "holds files that are not a guideline-qa index (chapter1.tex, manifest.json)",
    ),
    "a fake manifest alone": (fake_manifest_alone, "holds files that are not a guideline-qa index (manifest.json)"),
    "a manifest listing a user file": (
        manifest_listing_a_user_file,
        "its manifest.json lists files no guideline-qa build writes (thesis.tex)",
    ),
}


@pytest.mark.parametrize("case", list(FOREIGN))
def test_a_folder_with_foreign_files_is_refused_and_kept_byte_for_byte(case, sample_index, tmp_path, capsys):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    change, message = FOREIGN[case]
    change(index)
    before = tree(index)
    assert indexer_main(["build", "--corpus", str(ROOT / "corpus"), "--index", str(index)]) == 2
    err = capsys.readouterr().err
    assert message in err and "nothing was changed" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert tree(index) == before
    # make run builds with --if-stale: an index still up to date is left as it is, anything else refused.
    code = indexer_main(["build", "--corpus", str(ROOT / "corpus"), "--index", str(index), "--if-stale"])
    out, err = capsys.readouterr()
    assert (code, out.strip()) == (0, f"index {index} is up to date") or (code == 2 and message in err)
    assert tree(index) == before
    assert not list(tmp_path.glob(".index.building-*"))


def test_a_damaged_index_is_rebuilt_by_the_command_the_reader_names(sample_index, tmp_path, capsys):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    with open(index / "vectors.faiss", "r+b") as f:
        f.seek(-4, 2)
        f.write(b"\xff\xff\xff\xff")
    with pytest.raises(IndexDamaged) as caught:
        IndexReader(index)
    assert "vectors.faiss" in str(caught.value)
    assert indexer_main(["build", "--corpus", str(ROOT / "corpus"), "--index", str(index)]) == 0
    capsys.readouterr()
    IndexReader(index)  # verified again: the rebuilt files match their manifest


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    write_article(folder, "her2", "Trastuzumab loading dose is 4 mg/kg IV [1].")
    return folder


def test_an_existing_empty_folder_is_built_into(corpus, tmp_path, embedder):
    index = tmp_path / "index"
    index.mkdir()
    build_index(Settings(corpus=(corpus,), index=index), embedder=embedder)
    assert IndexReader(index).manifest.counts.documents == 1


def test_our_own_index_is_rebuilt_and_a_file_added_during_the_build_survives(corpus, tmp_path, embedder):
    """The folder is checked again under the build lock just before the swap: a file a user puts in the
    index while the model is embedding is not deleted with the old index."""
    index = tmp_path / "index"
    settings = Settings(corpus=(corpus,), index=index)
    build_index(settings, embedder=embedder)
    write_article(corpus, "bone", "Bisphosphonates treat hypercalcaemia [1].")
    build_index(settings, embedder=embedder)  # our own index, nothing else in it: replaced
    assert IndexReader(index).manifest.counts.documents == 2
    before = tree(index)

    class SavesAFileMidBuild:
        model_id, dimension, max_seq_length = embedder.model_id, embedder.dimension, embedder.max_seq_length
        precision = embedder.precision
        count_tokens = staticmethod(embedder.count_tokens)

        def encode(self, texts, progress=False):
            (index / "draft.md").write_text("saved here by mistake, while the build ran")
            return embedder.encode(texts)

    write_article(corpus, "endocrine", "Postmenopausal patients start an aromatase inhibitor [1].")
    with pytest.raises(IndexMismatch, match=r"holds files the index did not write \(draft.md\)"):
        build_index(settings, embedder=SavesAFileMidBuild())
    assert tree(index) == {**before, "draft.md": b"saved here by mistake, while the build ran"}
    assert not list(tmp_path.glob(".index.building-*"))
