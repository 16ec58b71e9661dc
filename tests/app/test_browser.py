"""The clinician's journeys in a real browser: `streamlit run app.py` on 127.0.0.1 (one server for the
module), driven by Playwright in Debian's Chromium at 1440 px and 390 px. Each test saves its screenshots
in its temporary folder; the accessibility check runs axe-core (bundled with axe-playwright-python)."""

import contextlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.feedback import feedback_path
from benchmarks.load import CHROMIUM, FLAGS, free_port  # one browser set-up for the tests and the benchmark

from ..helpers import ROOT
from ..llm_server import ScriptedModels


@dataclass
class Server:
    url: str
    index: Path
    attempts: Path  # the server's outbound connections and lookups (tests/netguard), one a line
    requests: list[str]  # what the pages asked of anything but the app's own address
    models: ScriptedModels  # the LLM endpoint the app is configured with (answers quoted unless chosen)


@pytest.fixture(scope="module")
def server(sample_index, tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's chromium (make test installs it)")
    index = tmp_path_factory.mktemp("browser") / "index"
    shutil.copytree(sample_index, index)
    port = free_port()
    attempts = index.parent / "attempts.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDELINE_QA_")}
    env.update(PYTHONPATH=str(ROOT / "tests" / "netguard"), GQA_NET_ATTEMPTS=str(attempts))
    models = ScriptedModels()
    env |= {"GUIDELINE_QA_LLM_URL": models.url, "GUIDELINE_QA_LLM_MODEL": "scripted", "GUIDELINE_QA_LLM_TIMEOUT": "2"}
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
    yield Server(url, index, attempts, [], models)
    proc.terminate()
    proc.wait(timeout=20)
    models.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)  # fresh profile
        yield chromium
        chromium.close()


ASK = "Ask a follow-up question about this article"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
# Records whether a text (the "searching" state, the model writing) was ever on screen, however briefly.
WATCH = """text => {
  window.saw = false;
  new MutationObserver(() => {
    if (document.body.innerText.includes(text)) window.saw = true;
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def open_app(browser, server, viewport):
    from playwright.sync_api import expect

    page = browser.new_page(viewport=viewport)
    page.on("request", lambda r: r.url.startswith(server.url) or server.requests.append(r.url))
    page.goto(server.url)
    expect(page.get_by_text("Have a follow-up question?")).to_be_visible(timeout=90_000)
    page.get_by_text("How does breast cancer spread to distant organs").first.wait_for()
    return page


def ask(page, question: str, reply: int, expected: str) -> float:
    """Type a question and press Enter; returns the seconds to the answer's text."""
    from playwright.sync_api import expect

    box = page.get_by_placeholder(ASK)
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    expect(page.get_by_test_id("stChatMessage").nth(reply)).to_contain_text(expected, timeout=60_000)
    return time.perf_counter() - started


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= size["height"]


def in_pane(pane, locator) -> bool:
    """The element is inside the visible part of its scrolling pane."""
    outer, box = pane.bounding_box(), locator.bounding_box()
    top, bottom = outer["y"] - 1, outer["y"] + outer["height"] + 1
    return box is not None and top <= box["y"] and box["y"] + box["height"] <= bottom


def scroll_state(pane) -> dict:
    return pane.evaluate("e => ({top: e.scrollTop, height: e.scrollHeight, client: e.clientHeight})")


@pytest.mark.slow
def test_read_and_ask_side_by_side_on_a_desktop(server, browser, tmp_path):
    from playwright.sync_api import expect

    page = open_app(browser, server, DESKTOP)
    article, conversation = page.locator(".st-key-article-pane"), page.locator(".st-key-chat-pane")
    box = page.get_by_placeholder(ASK)
    # Reading: the article scrolls on its own; the conversation and the ask box stay where they are.
    article.hover()
    for _ in range(10):
        page.mouse.wheel(0, 300)
    page.wait_for_function("() => document.querySelector('.st-key-article-pane').scrollTop > 1000")
    assert scroll_state(conversation)["top"] == 0
    assert page.evaluate("window.scrollY") == 0 and in_viewport(page, box)
    page.screenshot(path=str(tmp_path / "desktop-reading.png"))

    # Asking: the question shows at once with a searching state, then the answer, one claim a line.
    page.evaluate(WATCH, "Searching the guidelines")
    ask(page, "What is the first-line treatment for HER2-positive metastatic breast cancer?", 1, "[S1]")
    assert page.evaluate("window.saw")
    seconds = ask(page, "What loading dose is used?", 3, "4 mg/kg IV over 90 minutes")  # warm: model loaded
    answer = page.get_by_test_id("stChatMessage").nth(3)
    expect(answer.locator("li").filter(has_text="[S1]")).to_have_count(3)  # one claim a line
    # The view follows the newest answer, from its first line; the article stays where the reader left it.
    assert scroll_state(conversation)["height"] > scroll_state(conversation)["client"]
    first_claim = answer.locator("li").first
    page.wait_for_timeout(500)  # the scroll runs once the answer is drawn
    assert in_pane(conversation, first_claim) and in_viewport(page, first_claim)
    assert scroll_state(conversation)["top"] > 0  # followed down past the earlier turn
    assert scroll_state(article)["top"] > 1000 and in_viewport(page, box)
    page.screenshot(path=str(tmp_path / "desktop-answer.png"))
    page.close()
    (tmp_path / "timing.json").write_text(json.dumps({"enter_to_answer_s": seconds}))
    assert seconds < 10


@pytest.mark.slow
def test_on_a_phone_the_ask_box_is_in_reach_and_the_answer_in_view(server, browser, tmp_path):
    from playwright.sync_api import expect

    page = open_app(browser, server, PHONE)
    box = page.get_by_placeholder(ASK)
    expect(box).to_be_visible()
    assert in_viewport(page, box)  # pinned: no scrolling to reach it
    # The article and the conversation share the screen, each in its own pane: nothing to scroll past.
    article = page.locator(".st-key-article-pane")
    assert in_viewport(page, article) and in_viewport(page, page.locator(".st-key-chat-pane"))
    expect(article.get_by_role("heading", name="How does breast cancer spread")).to_be_in_viewport()
    assert page.evaluate("document.querySelector('.stMain').scrollTop") == 0
    page.screenshot(path=str(tmp_path / "phone-start.png"))
    ask(page, "What is the first-line treatment for HER2-positive metastatic breast cancer?", 1, "[S1]")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    # the answer from its first claim (it was scrolled to its end: sources, thumbs, export, no claim in view)
    page.wait_for_timeout(500)
    assert in_pane(page.locator(".st-key-chat-pane"), reply.locator("li").first)
    expect(reply.locator("li").first).to_be_in_viewport()
    assert in_viewport(page, box) and in_viewport(page, article)
    page.screenshot(path=str(tmp_path / "phone-answer.png"))
    # The library menu closes once an article is chosen, showing it.
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("How is breast cancer in men diagnosed and treated?").click()
    expect(article.get_by_role("heading", name="How is breast cancer in men diagnosed and treated?")).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right <= 0")
    page.screenshot(path=str(tmp_path / "phone-chosen.png"))
    page.close()


@pytest.mark.slow
def test_verify_a_claim_and_see_unresolved_references(server, browser, tmp_path):
    from playwright.sync_api import expect

    page = open_app(browser, server, DESKTOP)
    ask(page, "What is the first-line treatment for HER2-positive metastatic breast cancer?", 1, "[S1]")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    source = reply.get_by_test_id("stExpander")
    expect(source).to_have_count(1)
    passage = "Trastuzumab starts with a loading dose"
    expect(reply.get_by_text(passage)).to_be_hidden()  # one line until asked for
    source.get_by_text("S1 · Treatment by receptor status > HER2-positive disease").click()
    expect(reply.get_by_text(passage)).to_be_visible()
    # Only the used sentences carry the highlight, and the reference numbers the article lacks are flagged.
    highlighted = reply.locator("span.stMarkdownColoredBackground")
    used = reply.locator("li", has_text="[S1]").count()  # the answer's claims from S1
    assert used >= 2
    expect(highlighted).to_have_count(used)
    expect(highlighted.first).to_contain_text("is trastuzumab given with paclitaxel")
    expect(reply.get_by_text("[7] not in the article's reference list (unresolved)")).to_be_visible()
    # One click shows the passage in the article, scrolled into the article pane (not the page) and
    # highlighted there at the sentences used, nothing else; a button leads back to the answer.
    reply.get_by_role("button", name="Show S1 in the article").click()
    article = page.locator(".st-key-article-pane")
    shown = article.locator(".st-key-focus")
    expect(shown).to_be_in_viewport()
    marked = shown.locator("span.stMarkdownColoredBackground")
    expect(marked.first).to_contain_text("is trastuzumab given with paclitaxel")
    expect(article.locator("span.stMarkdownColoredBackground")).to_have_count(marked.count())  # only there
    assert "loading dose" not in " ".join(marked.all_inner_texts())  # a sentence the answer did not use
    expect(article.get_by_text("6: not in the reference list").first).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
    page.screenshot(path=str(tmp_path / "desktop-verify.png"))
    conversation = page.locator(".st-key-chat-pane")
    conversation.evaluate("e => e.scrollTo(0, e.scrollHeight)")  # the reader has moved on in the chat
    shown.get_by_role("button", name="Back to the answer (S1)").click()
    # the answer's top at the pane's top, or as near as the pane scrolls (the answer is the last turn)
    page.wait_for_function(
        "() => { const a = document.querySelector('.st-key-answer-0').getBoundingClientRect();"
        " const e = document.querySelector('.st-key-chat-pane'); const p = e.getBoundingClientRect();"
        " const end = e.scrollTop + e.clientHeight >= e.scrollHeight - 2;"
        " return a.top >= p.top - 1 && (a.top - p.top < 40 || end && a.top - p.top < 120); }",
        timeout=10_000,
    )
    # A citation marker in the article opens its entry in the reference list.
    article.locator("a[href='#ref-2']").first.click()
    expect(article.locator("#ref-2")).to_be_in_viewport()
    expect(article.locator("#ref-2")).to_contain_text("[2] Research: Breast cancer: metastatic patterns")
    unresolved = article.get_by_test_id("stAlert").filter(has_text="Unresolved: the text cites [6], [7], [8]")
    unresolved.scroll_into_view_if_needed()
    expect(unresolved).to_be_in_viewport()
    page.screenshot(path=str(tmp_path / "desktop-references.png"))
    page.close()


@pytest.mark.slow
def test_a_refusal_shows_the_nearest_passages_open_and_feedback_is_one_click(server, browser, tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    page = open_app(browser, server, DESKTOP)
    ask(page, "How do you treat a sprained ankle?", 1, "The indexed guidelines do not mention ankle.")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    expect(reply.get_by_text("Nearest passages in the guidelines")).to_be_visible()
    expect(reply.get_by_text("Bisphosphonates treat hypercalcaemia")).to_be_visible()  # open, no click
    expect(reply.get_by_text("similarity")).to_be_hidden()  # the scorer's words only on demand
    reply.get_by_role("radio", name="Thumbs up").click()
    expect(reply.get_by_text("Feedback saved (helpful). Thank you.")).to_be_visible()
    page.screenshot(path=str(tmp_path / "desktop-refusal.png"))
    results = Axe().run(page)
    (tmp_path / "axe.json").write_text(json.dumps(results.response["violations"], indent=1))
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    page.close()
    assert serious == [], results.generate_report()


@pytest.mark.slow
def test_from_the_keyboard_the_ask_box_is_a_few_stops_away_and_answers_are_announced(server, browser, tmp_path):
    from playwright.sync_api import expect

    page = open_app(browser, server, DESKTOP)
    expect(page.locator(".st-key-chat-pane").get_by_role("button").first).to_be_visible(timeout=60_000)  # drawn
    visited = []
    focused = "(e => e.tagName + ' ' + (e.textContent || '').slice(0, 30))(document.activeElement)"
    for _ in range(10):
        page.keyboard.press("Tab")
        visited.append(page.evaluate(focused))
        if visited[-1] == "A Skip to the question box":
            break
    else:
        pytest.fail(f"no 'Skip to the question box' link in the first 10 tab stops: {visited}")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # focus visible
    page.screenshot(path=str(tmp_path / "keyboard-skip-link.png"))
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.testid") == "stChatInputTextArea"
    page.keyboard.type("What is the first-line treatment for HER2-positive metastatic breast cancer?")
    page.keyboard.press("Enter")
    # A screen reader hears the answer when it arrives: a polite live region holds its claims.
    live = page.locator("[role=status][aria-live=polite]")
    expect(live).to_contain_text("New answer: First-line treatment of HER2-positive", timeout=60_000)
    assert not live.is_visible() or live.bounding_box()["width"] <= 1  # heard, not seen twice
    (tmp_path / "tab-stops.txt").write_text("\n".join(visited))
    page.close()


def test_websocket_from_a_foreign_host_name_is_refused(server):
    """DNS rebinding: a page served under another name that resolves to this machine cannot connect."""
    port = int(server.url.rsplit(":", 1)[1])

    def handshake(host: str) -> str:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(
                (
                    "GET /_stcore/stream HTTP/1.1\r\n"
                    f"Host: {host}:{port}\r\n"
                    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    f"Origin: http://{host}:{port}\r\n\r\n"
                ).encode()
            )
            return s.recv(200).decode("latin-1").split("\r\n", 1)[0]

    assert " 101 " in handshake("127.0.0.1")
    assert " 101 " not in handshake("rebind.example")


@pytest.mark.slow
def test_a_link_opens_its_article_and_a_reload_keeps_the_conversation(server, browser, tmp_path):
    """The address names the article, so a link opens it; a reload of the tab keeps the conversation and
    the vote; the same address in another browser (a colleague) opens the article, not the conversation."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport=DESKTOP)
    context.on("request", lambda r: r.url.startswith(server.url) or server.requests.append(r.url))
    page = context.new_page()
    page.goto(f"{server.url}/?article=male-breast-cancer")
    title = "How is breast cancer in men diagnosed and treated?"
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=90_000)
    ask(page, "Which hormonal options are there?", 1, "[S1]")
    page.get_by_test_id("stChatMessage").nth(1).get_by_role("radio", name="Thumbs up").click()
    expect(page.get_by_text("Feedback saved (helpful). Thank you.")).to_be_visible()
    address = page.url
    assert "article=male-breast-cancer" in address

    page.reload()
    expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=60_000)
    messages = page.get_by_test_id("stChatMessage")
    expect(messages).to_have_count(2, timeout=30_000)
    expect(messages.nth(0)).to_contain_text("Which hormonal options are there?")
    expect(messages.nth(1).get_by_text("Feedback saved (helpful). Thank you.")).to_be_visible()
    page.screenshot(path=str(tmp_path / "after-reload.png"))
    # The vote was not withdrawn by the reload: the store still holds exactly one, helpful.
    with contextlib.closing(sqlite3.connect(feedback_path(server.index))) as db:
        votes = db.execute("SELECT helpful FROM feedback WHERE question = 'Which hormonal options are there?'")
        assert votes.fetchall() == [(1,)]

    colleague = browser.new_page(viewport=DESKTOP)  # another browser profile, same address
    colleague.goto(address)
    expect(colleague.get_by_role("heading", name=title)).to_be_visible(timeout=60_000)
    suggestion = colleague.locator(".st-key-chat-pane").get_by_role("button").first
    expect(suggestion).to_be_visible(timeout=60_000)
    expect(colleague.get_by_test_id("stChatMessage")).to_have_count(0)
    colleague.screenshot(path=str(tmp_path / "colleague.png"))
    colleague.close()
    context.close()

    # A section's link opens the article there.
    section = browser.new_page(viewport=DESKTOP)
    section.goto(f"{server.url}/?article=metastatic-breast-cancer&section=sec-metastatic-breast-cancer-prognosis")
    expect(section.get_by_role("heading", name="Prognosis", exact=True)).to_be_in_viewport(timeout=60_000)
    section.screenshot(path=str(tmp_path / "section-link.png"))
    section.close()


@pytest.mark.slow
def test_library_search_finds_words_of_the_text_and_opens_an_article_only_when_asked(server, browser, tmp_path):
    from playwright.sync_api import expect

    page = open_app(browser, server, DESKTOP)
    open_title = "How does breast cancer spread to distant organs, and how is metastatic disease treated?"
    search = page.get_by_label("Search the library (titles, tags and text)")
    search.fill("orchiectomy")
    search.press("Enter")
    sidebar = page.get_by_test_id("stSidebar")
    result = sidebar.get_by_role("button", name="How is breast cancer in men diagnosed and treated?")
    expect(result).to_be_visible()
    expect(sidebar.get_by_text("orchiectomy", exact=False).first).to_be_visible()  # the snippet
    expect(page.get_by_role("heading", name=open_title)).to_be_visible()  # searching switched nothing
    page.screenshot(path=str(tmp_path / "search.png"))
    search.fill("warfarin")
    search.press("Enter")
    expect(sidebar.get_by_text("No article mentions all of those words.")).to_be_visible()
    expect(page.get_by_role("heading", name=open_title)).to_be_visible()  # the page is not blanked
    search.fill("orchiectomy")
    search.press("Enter")
    result.click()
    expect(page.get_by_role("heading", name="How is breast cancer in men diagnosed and treated?")).to_be_visible()
    page.wait_for_function("() => location.search.includes('article=male-breast-cancer')")
    expect(page.locator(".st-key-chat-pane").get_by_role("button").first).to_be_visible(timeout=60_000)  # complete
    # The table of contents jumps within the article pane.
    page.get_by_text("Contents").click()
    page.locator(".st-key-article-pane").get_by_role("link", name="Treatment", exact=True).click()
    expect(page.get_by_role("heading", name="Treatment", exact=True)).to_be_in_viewport()
    assert page.evaluate("window.scrollY") == 0
    page.wait_for_function("() => location.search.includes('section=sec-male-breast-cancer-treatment')")  # shareable
    page.screenshot(path=str(tmp_path / "contents.png"))
    # Another article chosen while this one is read far down opens at its title, dates and review status:
    # the pane kept the scroll of the article before, opening the new one mid-text.
    pane = page.locator(".st-key-article-pane")
    page.wait_for_function("() => document.querySelector('.st-key-article-pane').scrollTop > 300")
    sidebar.get_by_text("How is breast cancer managed during pregnancy?").click()
    title = pane.get_by_role("heading", name="How is breast cancer managed during pregnancy?")
    expect(title).to_be_visible()
    page.wait_for_function("() => document.querySelector('.st-key-article-pane').scrollTop < 50", timeout=10_000)
    assert in_pane(pane, title) and in_pane(pane, pane.get_by_text("Review status:").first)
    assert page.evaluate("window.scrollY") == 0
    page.screenshot(path=str(tmp_path / "switched.png"))
    page.close()


@pytest.mark.slow
def test_an_index_damaged_while_serving_is_reported_not_answered_from(server, browser, tmp_path):
    """Bit-rot in the vector file of the index the app is serving, size and mtime kept: the next page load
    verifies the changed file, shows one message naming it and the rebuild command, no chat, no trace.
    Last in the module: it damages the shared server's index (and mends it afterwards)."""
    from playwright.sync_api import expect

    from ..indexer.test_integrity import flip_bytes

    page = open_app(browser, server, DESKTOP)
    vectors = server.index / "vectors.faiss"
    before = vectors.stat()
    flip_bytes(vectors)
    try:
        os.utime(vectors, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a tool that keeps timestamps does
        assert vectors.stat().st_size == before.st_size
        page.reload()
        alert = page.get_by_test_id("stAlert").filter(has_text="vectors.faiss is damaged")
        expect(alert).to_be_visible(timeout=60_000)
        expect(alert).to_contain_text("rebuild with 'python -m indexer build --corpus")
        expect(page.get_by_test_id("stCode").filter(has_text="python -m indexer build")).to_be_visible(timeout=30_000)
        expect(page.get_by_placeholder(ASK)).to_have_count(0)
        body = page.locator("body").inner_text()
        assert "Traceback" not in body and "site-packages" not in body and 'File "' not in body
        page.screenshot(path=str(tmp_path / "damaged.png"), full_page=True)
    finally:
        flip_bytes(vectors)  # the same bytes flipped back
        page.close()


@pytest.mark.slow
def test_model_answers_stream_then_show_verified_and_a_slow_model_falls_back(server, browser, tmp_path):
    from playwright.sync_api import expect

    page = open_app(browser, server, DESKTOP)
    page.get_by_text("Written by the model, each statement verified").click()
    expect(page.get_by_text("Model: scripted at http://127.0.0.1:")).to_be_visible()
    server.models.play("faithful")
    page.evaluate(WATCH, "The model is writing")
    ask(page, "What loading dose of trastuzumab is used?", 1, "It then continues at 2 mg/kg weekly. [S1]")
    reply = page.get_by_test_id("stChatMessage").nth(1)
    assert page.evaluate("window.saw")  # the model's text streamed in as progress first
    expect(reply.locator("li").filter(has_text="[S1]")).to_have_text(  # the claims, one a line
        ["Trastuzumab is started with a loading dose of 4 mg/kg IV over 90 minutes. [S1]",
         "It then continues at 2 mg/kg weekly. [S1]"]
    )
    expect(reply).not_to_contain_text("The model is writing")
    expect(reply.get_by_text("each statement was checked against the source it cites")).to_be_visible()
    page.screenshot(path=str(tmp_path / "llm-answer.png"))

    server.models.play("slow")
    ask(page, "What is the loading dose of trastuzumab?", 3, "no complete answer within 2 s")
    reply = page.get_by_test_id("stChatMessage").nth(3)
    expect(reply).to_contain_text("The answer below is quoted from the guidelines.")
    expect(reply).to_contain_text("4 mg/kg IV over 90 minutes")
    expect(reply.get_by_text("Quoted from the indexed guidelines")).to_be_visible()
    page.screenshot(path=str(tmp_path / "llm-fallback.png"))
    server.models.play(None)
    page.close()


def test_serving_every_journey_above_never_reached_beyond_this_machine(server):
    """Last in the module, after every journey: the server process (under tests/netguard) neither
    connected nor looked up a name beyond loopback, and no page fetched anything but the app itself
    (no usage statistics, fonts, images or scripts from elsewhere)."""
    assert server.attempts.exists() is False, server.attempts.read_text()
    assert server.requests == []
