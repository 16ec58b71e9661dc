"""Files that hold what clinicians typed (feedback, the question log): created readable by their owner
only, whatever the umask. A file that exists keeps the mode its administrator gave it."""

from __future__ import annotations

import os
from pathlib import Path

MODE = 0o600
FOLDER_MODE = 0o700


def create_private(path: Path) -> None:
    """Create `path` empty with mode 0600 (and a missing folder for it with 0700) unless it exists."""
    path = Path(path)
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, MODE))


def append_line(path: Path, line: str) -> None:
    """Append `line` and a newline to `path`, creating it as create_private does."""
    path = Path(path)
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, MODE)
    with open(fd, "a", encoding="utf-8") as f:
        f.write(line + "\n")
