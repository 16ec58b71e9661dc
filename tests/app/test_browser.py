"""One end-to-end run in a real browser: `streamlit run app.py` on 127.0.0.1, driven by Playwright
in Debian's Chromium. Saves a screenshot and the Enter-to-answer time in the test's temporary folder."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..helpers import ROOT

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    index: Path


@pytest.fixture()
def server(sample_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDELINE_QA_")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--",
            "--index",
            str(index),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not come up on 127.0.0.1 within 60 s")
    yield Server(url, index)
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make test installs it)")
def test_question_in_a_real_browser(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)  # fresh profile
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server.url)
        expect(page.get_by_text("Have a follow-up question?")).to_be_visible(timeout=90_000)
        page.get_by_text("How does breast cancer spread to distant organs").first.wait_for()
        box = page.get_by_placeholder("Ask a follow-up question about this article")

        messages = page.get_by_test_id("stChatMessage")

        def ask(question: str, expected: str, reply: int) -> float:
            box.fill(question)
            started = time.perf_counter()
            box.press("Enter")
            expect(messages.nth(reply)).to_contain_text(expected, timeout=60_000)
            return time.perf_counter() - started

        ask("What is the first-line treatment for HER2-positive metastatic breast cancer?", "with paclitaxel. [1]", 1)
        seconds = ask("What loading dose is used?", "4 mg/kg IV over 90 minutes", 3)  # warm: model loaded
        answer = messages.nth(3)
        expect(answer.get_by_text("[1]").first).to_be_visible()
        expect(answer.get_by_text("Sources (")).to_be_visible()
        expect(answer.get_by_role("link", name="Treatment by receptor status > HER2-positive disease")).to_be_visible()
        expect(answer.get_by_text("For healthcare professionals only.")).to_be_visible()
        page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
        browser.close()
    (tmp_path / "timing.json").write_text(json.dumps({"enter_to_answer_s": seconds}))
    print(f"\nEnter to visible answer (warm): {seconds:.2f} s; screenshot {tmp_path / 'chat.png'}")
    assert seconds < 10


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's chromium (make test installs it)")
def test_an_index_damaged_while_serving_is_reported_not_answered_from(server, tmp_path):
    """Bit-rot in the vector file of the index the app is serving, size and mtime kept: the next page load
    verifies the changed file, shows one message naming it and the rebuild command, no chat, no trace."""
    from playwright.sync_api import expect, sync_playwright

    from ..indexer.test_integrity import flip_bytes

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server.url)
        expect(page.get_by_text("Have a follow-up question?")).to_be_visible(timeout=90_000)

        vectors = server.index / "vectors.faiss"
        before = vectors.stat()
        flip_bytes(vectors)
        os.utime(vectors, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a tool that keeps timestamps does
        assert vectors.stat().st_size == before.st_size
        page.reload()
        alert = page.get_by_test_id("stAlert").filter(has_text="vectors.faiss is damaged")
        expect(alert).to_be_visible(timeout=60_000)
        expect(alert).to_contain_text("rebuild with 'python -m indexer build --corpus")
        expect(page.get_by_test_id("stCode").filter(has_text="python -m indexer build")).to_be_visible(timeout=30_000)
        expect(page.get_by_placeholder("Ask a follow-up question about this article")).to_have_count(0)
        body = page.locator("body").inner_text()
        assert "Traceback" not in body and "site-packages" not in body and 'File "' not in body
        page.screenshot(path=str(tmp_path / "damaged.png"), full_page=True)
        browser.close()
