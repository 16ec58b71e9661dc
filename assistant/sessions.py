"""Conversations that survive a reload of the same browser tab, held in the server's memory only.

Streamlit starts a new session on every page load, so a reload would lose the conversation. The app puts
a random key in the tab's address (`?s=...`); a reload keeps the address, and with it the key that finds
the same conversation here. Nothing is written to disk: a server restart forgets every conversation, and
at most `capacity` of them are kept, each for `ttl` seconds after its last use (the least recently used
go first). Whoever holds the address holds the conversation, as with any tab: the key is 128 random bits.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

_KEY = re.compile(r"[A-Za-z0-9_-]{22}")


def new_key() -> str:
    return secrets.token_urlsafe(16)  # 16 bytes: 22 URL-safe characters


def browser_secret(xsrf_cookie: str | None) -> bytes | None:
    """The browser's own secret behind Streamlit's XSRF cookie (Tornado's), or None when there is none.

    The cookie holds the token masked afresh on every page load ("2|mask|masked|time", hex), so the
    token itself, stable for the browser's session, is the masked bytes XOR the repeated 4-byte mask.
    A version-1 cookie is the bare hex token.
    """
    parts = (xsrf_cookie or "").split("|")
    try:
        if len(parts) == 4 and parts[0] == "2":
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
            token = bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked)) if mask else b""
        elif len(parts) == 1:
            token = bytes.fromhex(parts[0])
        else:
            return None
    except ValueError:
        return None
    return token if len(token) >= 16 else None


def valid_key(key: object) -> bool:
    return isinstance(key, str) and _KEY.fullmatch(key) is not None


class Conversations:
    """A bounded, thread-safe map from a tab's key to that tab's state (a dict the app fills)."""

    def __init__(self, capacity: int = 500, ttl: float = 12 * 3600, clock: Callable[[], float] = time.monotonic):
        self.capacity, self.ttl, self._clock = capacity, ttl, clock
        self._kept: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def state(self, key: str) -> dict[str, Any]:
        """The state kept under `key` (a new, empty one if none or expired); marks it used now."""
        if not valid_key(key):
            raise ValueError(f"not a conversation key: {key!r}")
        now = self._clock()
        with self._lock:
            while self._kept:  # expired ones leave first, oldest use first
                oldest, (used, _) = next(iter(self._kept.items()))
                if now - used <= self.ttl:
                    break
                del self._kept[oldest]
            _, state = self._kept.pop(key, (now, {}))
            self._kept[key] = (now, state)
            while len(self._kept) > self.capacity:
                self._kept.popitem(last=False)
            return state

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)
