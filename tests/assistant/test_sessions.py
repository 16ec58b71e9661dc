"""A conversation survives a reload of the same tab (assistant/sessions.py): kept in memory under the key in
the tab's address, bounded in number and age, and tied to the browser's own XSRF secret."""

from __future__ import annotations

import pytest

from assistant.sessions import Conversations, browser_secret, new_key


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_same_key_finds_the_same_conversation_and_another_key_a_fresh_one():
    kept = Conversations()
    first, second = new_key(), new_key()
    kept.state(first)["chats"] = {"a": ["question"]}
    assert kept.state(first) == {"chats": {"a": ["question"]}}
    assert kept.state(second) == {}
    assert first != second and len(first) == 22


def test_the_least_recently_used_conversation_goes_first_when_full():
    kept = Conversations(capacity=2)
    a, b, c = new_key(), new_key(), new_key()
    kept.state(a)["n"] = 1
    kept.state(b)["n"] = 2
    kept.state(a)  # a used again: b is now the oldest
    kept.state(c)["n"] = 3
    assert len(kept) == 2
    assert kept.state(a) == {"n": 1} and kept.state(c) == {"n": 3}
    assert kept.state(b) == {}


def test_a_conversation_unused_for_longer_than_its_lifetime_is_forgotten():
    clock = Clock()
    kept = Conversations(ttl=60, clock=clock)
    key, other = new_key(), new_key()
    kept.state(key)["n"] = 1
    clock.now = 59
    assert kept.state(key) == {"n": 1}  # used: its lifetime starts again
    clock.now = 59 + 61
    kept.state(other)
    assert len(kept) == 1 and kept.state(key) == {}


@pytest.mark.parametrize("key", ["", "short", "x" * 22 + "y", "../../etc/passwd....", None, 12])
def test_only_a_key_of_the_generated_shape_is_accepted(key):
    with pytest.raises(ValueError):
        Conversations().state(key)  # type: ignore[arg-type]


def mask(token: bytes, m: bytes, version: str = "2") -> str:
    masked = bytes(b ^ m[i % len(m)] for i, b in enumerate(token))
    return f"{version}|{m.hex()}|{masked.hex()}|1795798949"


def test_the_browser_secret_is_the_same_whatever_mask_a_page_load_put_on_it():
    token = bytes(range(16))
    first, second = mask(token, b"\x01\x02\x03\x04"), mask(token, b"\xa7\x3a\x10\x77")
    assert first != second
    assert browser_secret(first) == browser_secret(second) == token
    assert browser_secret(token.hex()) == token  # version 1: the bare token
    assert browser_secret(mask(bytes(16), b"\x01\x02\x03\x04")) != token


@pytest.mark.parametrize("cookie", [None, "", "2|zz|00|1", "3|01020304|00|1", "2|01020304|0a0b|1", "not hex"])
def test_a_missing_or_malformed_cookie_gives_no_secret(cookie):
    assert browser_secret(cookie) is None
