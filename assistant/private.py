"""Files that hold what clinicians typed (feedback, the question log): created readable by their owner
only, whatever the umask. A file that exists keeps the mode its administrator gave it. And no lookup
that leaves the machine: `no_outbound_lookups`."""

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


def no_outbound_lookups() -> None:
    """Streamlit checks a WebSocket's foreign origin against this machine's addresses: the external one,
    which it asks checkip.amazonaws.com for, and the network one, found by pointing a socket at 8.8.8.8
    (streamlit.net_util; no setting turns either off). The app is served on loopback: it has no other
    address to allow, so the answer is "none", never a lookup."""
    from streamlit import net_util

    net_util.get_external_ip = lambda: None
    net_util.get_internal_ip = lambda: None
