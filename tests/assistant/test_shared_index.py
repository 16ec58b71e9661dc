"""An index built by one user and read by another (issue 11): a service user in the builder's group loads
it and answers, read-only; a user who may not read a file gets one line naming it and the fix, in the
CLI and in the app, never a traceback.

Permissions mean nothing to root, so when the tests run as root the reader is a child process that
drops to another uid and gid (after importing, as root, the interpreter's own files, which live in
root's home here); as any other user the unreadable cases use chmod 000 on a copy directly."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.settings import Settings

from ..helpers import ROOT, write_article

ROOT_USER = os.geteuid() == 0
BUILDER, GROUP, SERVICE = 40001, 40000, 40002
QUESTION = "What is the loading dose of trastuzumab?"

# The reader, in a child process. argv: mode (answer | cli | app), index, uid, gid ("-": stay as we are).
READER = r"""
import json, os, sys
from pathlib import Path
mode, index, uid, gid = sys.argv[1:5]
question = sys.argv[5]
from assistant.__main__ import main
from assistant.pipeline import Assistant
from indexer.embed import Embedder
from indexer.settings import Settings
import faiss  # noqa: F401  (imported lazily by the reader; the interpreter's files are root's)
embedder = Embedder() if mode == "answer" else None
if mode == "answer":  # every module an answer imports, loaded while still allowed, from a copy of our own
    Assistant(Path(index).parent / "warmup", Settings(), embedder=embedder).ask(question)
if mode == "cli":  # the same for the CLI's own imports, on its way to a message
    import contextlib, io
    with contextlib.redirect_stderr(io.StringIO()):
        main(["ask", "--index", str(Path(index).parent / "absent"), question])
if mode == "app":
    from streamlit.testing.v1 import AppTest
    os.environ["GUIDELINE_QA_INDEX"] = str(Path(index).parent / "warmup")
    AppTest.from_file(sys.argv[6], default_timeout=60).run()  # loads the app's modules while still allowed
if uid != "-":
    os.setgroups([int(gid)]); os.setgid(int(gid)); os.setuid(int(uid))
if mode == "answer":
    answer = Assistant(Path(index), Settings(), embedder=embedder).ask(question)
    print(json.dumps({"abstained": answer.abstained, "text": answer.text}))
elif mode == "cli":
    sys.exit(main(["ask", "--index", index, question]))
else:
    os.environ["GUIDELINE_QA_INDEX"] = index
    at = AppTest.from_file(sys.argv[6], default_timeout=60).run()
    print(json.dumps({"exception": [e.value for e in at.exception], "error": [e.value for e in at.error],
                      "code": [c.value for c in at.code], "chat": len(at.chat_input)}))
"""


def read_as(mode: str, index: Path, user: int | None = None, group: int | None = None) -> subprocess.CompletedProcess:
    ids = [str(user), str(group)] if ROOT_USER and user is not None else ["-", "-"]
    argv = [sys.executable, "-c", READER, mode, str(index), *ids, QUESTION, str(ROOT / "app.py")]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(index.parent)}
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


@pytest.fixture(scope="module")
def shared_folder() -> Iterator[Path]:
    """A folder every user may pass through (pytest's own tmp folders are owner-only)."""
    folder = Path(tempfile.mkdtemp(prefix="guideline-qa-shared-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        path.chmod(0o700)  # the unreadable copies, so that they can be removed
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def group_index(shared_folder, embedder) -> Path:
    """An index built under umask 027 (the builder's group may read, others not) and owned by BUILDER."""
    corpus = shared_folder / "corpus"
    write_article(corpus, "her2", "The loading dose of trastuzumab is 4 mg/kg IV [1]. Then 2 mg/kg weekly [1].")
    index = shared_folder / "index"
    previous = os.umask(0o027)
    try:
        build_index(Settings(corpus=(corpus,), index=index), embedder=embedder)
    finally:
        os.umask(previous)
    shutil.copytree(index, shared_folder / "warmup")
    if ROOT_USER:
        for path in [index, *index.iterdir()]:
            os.chown(path, BUILDER, GROUP)
    return index


def modes(index: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in [index, *sorted(index.iterdir())]}


def test_a_build_under_umask_027_is_readable_by_the_builders_group_only(group_index):
    """The staging folder used to be tempfile's 0700, so no one but the builder could enter the index."""
    files = {name: 0o640 for name in ("headings.faiss", "manifest.json", "store.sqlite", "vectors.faiss")}
    assert modes(group_index) == {"index": 0o750, **files}


@pytest.mark.slow
@pytest.mark.skipif(not ROOT_USER, reason="acting as a second user (another uid in the builder's group) needs root")
def test_a_service_user_in_the_group_loads_the_index_and_answers_read_only(group_index):
    before = {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in group_index.parent.rglob("*")}
    done = read_as("answer", group_index, SERVICE, GROUP)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.splitlines()[-1])
    assert not answer["abstained"] and "4 mg/kg" in answer["text"]
    assert {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in group_index.parent.rglob("*")} == before


def unreadable_copy(group_index: Path, name: str, case: str) -> Path:
    """A copy of the index that its group (the reader: SERVICE as root, else ourselves) may not read at
    `name` (the folder itself when empty)."""
    index = group_index.parent / f"unreadable-{case}"
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(group_index, index)
    if ROOT_USER:
        for path in [index, *index.iterdir()]:
            os.chown(path, BUILDER, GROUP)
    # As root the reader is another uid: a folder of the builder's alone shuts it out. As ourselves, 000.
    (index / name if name else index).chmod(0o000 if name or not ROOT_USER else 0o700)
    return index


CASES = {
    "store": "store.sqlite",  # chmod 000 on one file
    "manifest": "manifest.json",
    "folder": "",  # built under umask 077: the folder itself is the builder's only
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_an_unreadable_index_is_one_line_naming_the_file_and_the_fix_in_the_cli(group_index, case):
    index = unreadable_copy(group_index, CASES[case], f"cli-{case}")
    done = read_as("cli", index, SERVICE, GROUP)
    assert done.returncode == 2 and done.stdout == ""
    unreadable = index / CASES[case] if CASES[case] else index
    assert done.stderr == (
        f"error: {unreadable} cannot be read by this user (permission denied); the index's owner can share it "
        f"with a group this user is in: 'chgrp -R GROUP {index} && chmod -R g+rX {index}'\n"
    )


@pytest.mark.slow
def test_an_unreadable_index_is_one_message_naming_the_file_and_the_fix_in_the_app(group_index):
    index = unreadable_copy(group_index, "store.sqlite", "app")
    done = read_as("app", index, SERVICE, GROUP)
    assert done.returncode == 0, done.stderr
    page = json.loads(done.stdout.splitlines()[-1])
    assert page["exception"] == [] and page["chat"] == 0
    [error] = page["error"]
    assert f"{index / 'store.sqlite'} cannot be read by this user" in error.replace("\\", "")
    assert page["code"] == [f"chgrp -R GROUP {index} && chmod -R g+rX {index}"]
