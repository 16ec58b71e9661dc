"""What clinicians typed stays private on disk (issue 11): the feedback database and the question log
were created world-readable (0644) under the usual umask."""

from __future__ import annotations

import os
import stat

import pytest

from assistant.feedback import Feedback, FeedbackStore, feedback_path
from assistant.private import append_line


@pytest.fixture
def usual_umask():
    previous = os.umask(0o022)  # the default that made the files 0644
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_feedback_database_and_its_wal_files_are_created_owner_only(tmp_path, usual_umask):
    path = feedback_path(tmp_path / "index")
    store = FeedbackStore(path)
    store.add(Feedback("a", "What dose?", "4 mg/kg [1]", False, "Wrong for my patient X", ("a/dosing#0",)))
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["index.feedback.sqlite", "index.feedback.sqlite-shm", "index.feedback.sqlite-wal"]
    assert {name: mode(tmp_path / name) for name in files} == {name: 0o600 for name in files}
    assert store.all()[0].comment == "Wrong for my patient X"


def test_an_existing_feedback_database_keeps_the_mode_its_admin_gave_it(tmp_path, usual_umask):
    path = tmp_path / "shared.feedback.sqlite"
    FeedbackStore(path)
    os.chmod(path, 0o640)  # shared with a reviewers' group on purpose
    FeedbackStore(path).add(Feedback(None, "q", "a", True, "", ()))
    assert mode(path) == 0o640


def test_question_log_is_created_owner_only_in_an_owner_only_folder(tmp_path, usual_umask):
    log = tmp_path / "logs" / "questions.jsonl"
    append_line(log, '{"question": "What dose for patient X?"}')
    append_line(log, '{"question": "And in pregnancy?"}')
    assert (mode(log), mode(log.parent)) == (0o600, 0o700)
    assert log.read_text(encoding="utf-8").splitlines() == [
        '{"question": "What dose for patient X?"}',
        '{"question": "And in pregnancy?"}',
    ]


def test_every_folder_made_for_the_question_log_is_owner_only(tmp_path, usual_umask):
    log = tmp_path / "var" / "guideline-qa" / "questions.jsonl"
    append_line(log, '{"question": "What dose for patient X?"}')
    assert (mode(log), mode(log.parent), mode(log.parent.parent)) == (0o600, 0o700, 0o700)


def test_a_folder_made_for_the_feedback_database_is_owner_only(tmp_path, usual_umask):
    path = feedback_path(tmp_path / "serving" / "index")
    FeedbackStore(path).add(Feedback(None, "What dose?", "4 mg/kg [1]", True, "", ()))
    assert (mode(path), mode(path.parent)) == (0o600, 0o700)


def test_an_existing_folder_keeps_the_mode_its_owner_gave_it(tmp_path, usual_umask):
    shared = tmp_path / "shared-logs"
    shared.mkdir(mode=0o755)
    append_line(shared / "questions.jsonl", '{"question": "q"}')
    FeedbackStore(feedback_path(shared / "index"))
    assert mode(shared) == 0o755
    assert mode(shared / "questions.jsonl") == mode(shared / "index.feedback.sqlite") == 0o600
