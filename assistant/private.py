"""Files that hold what clinicians typed (feedback, the question log): created readable by their owner
only, whatever the umask. A file that exists keeps the mode its administrator gave it. And no lookup
that leaves the machine: `no_outbound_lookups`."""

from __future__ import annotations

import os
from pathlib import Path

MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path) -> None:
    """Make `folder` and each missing folder above it with mode 0700, whatever the umask. A folder that
    exists is left as its owner made it: only what we create is ours to set."""
    missing = []
    folder = Path(folder)
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        try:
            os.mkdir(made, FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by another session: theirs, not ours to change
        os.chmod(made, FOLDER_MODE)  # a umask such as 0o277 would leave it unusable


def create_private(path: Path) -> None:
    """Create `path` empty with mode 0600 (and a missing folder for it with 0700) unless it exists."""
    path = Path(path)
    private_folder(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, MODE))


def append_line(path: Path, line: str) -> None:
    """Append `line` and a newline to `path`, creating it as create_private does."""
    path = Path(path)
    private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, MODE)
    with open(fd, "a", encoding="utf-8") as f:
        f.write(line + "\n")


def no_outbound_lookups() -> None:
    """Streamlit checks a WebSocket's foreign origin against this machine's addresses: the external one,
    which it asks checkip.amazonaws.com for, and the network one, found by pointing a socket at 8.8.8.8
    (streamlit.net_util; no setting turns either off). The app is served on loopback: it has no other
    address to allow, so the answer is "none", never a lookup."""
    from streamlit import net_util

    net_util.get_external_ip = lambda: None
    net_util.get_internal_ip = lambda: None
