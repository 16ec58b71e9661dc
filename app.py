"""The clinician's chat: library, article view, follow-up questions with inspectable sources.

Run with `make run`, or `streamlit run app.py -- --index DIR`. Model and index load once per process
and are shared read-only; each browser session keeps its own conversations in st.session_state.
Nothing from the corpus or from a user is rendered as HTML: all of it goes through md_escape.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import re
import sqlite3
import sys
import threading
from pathlib import Path

import streamlit as st

from assistant.errors import GuidelineQAError, IndexMissing
from assistant.feedback import Feedback, FeedbackStore, feedback_path
from assistant.private import append_line, no_outbound_lookups
from assistant.render import (
    answer_claims,
    article_markdown,
    article_pages,
    cited_numbers,
    cited_text,
    claims_markdown,
    conversation_markdown,
    coverage_lines,
    highlighted_passage,
    md_escape,
    reference_anchor,
    reference_line,
    source_label,
    unresolved_numbers,
)
from assistant.sessions import Conversations, browser_secret, new_key, valid_key
from assistant.understand import describe
from indexer.errors import IndexUnreadable, SettingsError
from indexer.settings import Settings
from indexer.store import read_manifest, rebuild_command, rebuild_command_for
from indexer.text import slug

PURPOSE = (
    "Ask questions about clinical guideline articles; every answer quotes the passage it comes from. "
    "For healthcare professionals only."
)
ANSWER_CAPTION = "Quoted from the indexed guidelines: check each source before use."
LLM_CAPTION = (
    "Written by the model from the indexed guidelines; each statement was checked against the source it cites. "
    "Check each source before use."
)
QUOTED, WRITTEN = "Quoted from the guidelines", "Written by the model, each statement verified"

# Static CSS written here, never built from corpus or user text. On a wide screen the article and the
# conversation scroll on their own between the header and the ask box that Streamlit pins at the bottom;
# on a phone they stack, the article in a shorter pane so the conversation stays near the ask box.
# Captions get a darker grey than Streamlit's faded one (3:1 on white), to meet WCAG AA contrast (6.6:1).
STYLE = """<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-article-pane, > .st-key-chat-pane) {
  flex: 0 0 calc(100dvh - 13.5rem) !important; height: calc(100dvh - 13.5rem) !important;
}
@media (max-width: 640px) {
  [data-testid="stLayoutWrapper"]:has(> .st-key-article-pane, > .st-key-chat-pane) {
    flex-basis: calc(50dvh - 150px) !important; height: calc(50dvh - 150px) !important;
  }
  .stMainBlockContainer { padding-top: 3.25rem !important; }
  .st-key-gqa-masthead p { font-size: 0.8rem !important; line-height: 1.3 !important; }
  .st-key-chat-pane h2 { font-size: 1.2rem !important; }
  [data-testid="stHorizontalBlock"]:has(.st-key-chat-pane) { row-gap: 0.5rem !important; gap: 0.5rem !important; }
}
[data-testid="stCaptionContainer"] { color: #595c66 !important; opacity: 1 !important; }
.stMainBlockContainer { padding-top: 3rem; }
.st-key-article-pane h1 { font-size: 2rem !important; }
.st-key-references h3 { font-size: 1rem !important; font-weight: 400 !important; line-height: 1.5 !important;
  padding: 0.15rem 0 !important; }
.st-key-article-pane [data-testid="stHeaderActionElements"] { display: none; }
.gqa-skip { position: absolute; left: -10000px; }
.gqa-skip:focus { left: 50%; top: 0.75rem; position: fixed; z-index: 1000100; padding: 0.4rem 0.8rem;
  background: #ffffff; color: #1a1c24; outline: 3px solid #1a5fb4; border-radius: 0.25rem; }
.gqa-live { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
@media (max-width: 640px) { .st-key-article-pane h1 { font-size: 1.4rem !important; } }
</style>"""


def index_path(argv: list[str]) -> Path:
    """`streamlit run app.py -- --index DIR`, else GUIDELINE_QA_INDEX, else index/."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--index", type=Path)
    args, _ = parser.parse_known_args(argv)
    return args.index or Settings.from_env().index


@st.cache_resource(show_spinner=False)
def load_embedder(model: str, precision: str):
    """One model per process, shared by every index build the app loads (rebuilds do not reload torch);
    in the precision the index was embedded in."""
    from indexer.embed import Embedder

    embedder = Embedder(model, precision=precision)  # the tokenizer only: the network loads on the first encode
    # Load and warm the network in the background, so the library and the article show at once; the first
    # question (or the suggested questions' check) waits for it if it is not ready yet.
    threading.Thread(target=warm_up, args=(embedder,), name="model-warm-up", daemon=True).start()
    return embedder


def warm_up(embedder) -> None:
    import torch

    # Questions come one at a time from each of several sessions at once: one thread per question spends
    # less CPU than a team of two whose threads spin waiting for each other on a busy machine.
    torch.set_num_threads(1)
    try:
        embedder.encode(["warm-up"])
    except GuidelineQAError:
        pass  # a model that cannot load is reported by the first question, in one line


@st.cache_resource(show_spinner="Loading the index ...", max_entries=1)
def load_assistant(index: str, build_key: tuple):
    """One Assistant per index build: a rebuilt (or altered) index has a new key and is loaded and verified
    afresh on the next run; max_entries=1 drops the previous one, so memory does not grow with rebuilds."""
    from assistant.pipeline import Assistant

    settings = Settings.from_env()
    manifest = read_manifest(Path(index))
    model = manifest.model
    return Assistant(Path(index), settings, embedder=load_embedder(model.requested or model.id, model.precision))


def build_key(index: Path) -> tuple:
    """What identifies the build in `index` now: its build time and its files' identity, size, mtime and
    ctime (cheap: stat only; ctime cannot be set back by a tool that restores mtime), so a rebuild or a
    file altered in place is loaded and verified afresh on the next rerun."""
    manifest = read_manifest(index)
    stats = []
    for name in sorted(manifest.files):
        try:
            st_ = (index / name).stat()
            stats.append((name, st_.st_ino, st_.st_size, st_.st_mtime_ns, st_.st_ctime_ns))
        except OSError:
            stats.append((name, -1, -1, -1, -1))
    return (manifest.built_at, tuple(stats))


@st.cache_resource
def feedback_store(index: str) -> FeedbackStore:
    return FeedbackStore(feedback_path(Path(index)))


@st.cache_resource
def kept_conversations() -> Conversations:
    return Conversations()


def tab_state() -> dict:
    """This tab's conversations and votes, kept in server memory across reloads (assistant/sessions.py).

    The key travels in the address (`?s=`), so a reload finds the same conversation; it is bound to this
    browser's own cookie, so an address copied to a colleague opens the article with a fresh conversation,
    never this one. Without that cookie (XSRF protection off), the state lives and dies with the session.
    """
    browser = browser_secret(st.context.cookies.get("_streamlit_xsrf"))
    if browser is None:
        return st.session_state.setdefault("tab", {})
    key = st.query_params.get("s")
    if not valid_key(key):
        key = new_key()
        st.query_params["s"] = key
    owner = hashlib.sha256(browser).digest()
    return kept_conversations().state(key).setdefault(owner, {})


@st.cache_resource(ttl=60, show_spinner=False)  # a bool: no copy (cache_data would pickle it)
def corpus_is_newer(index: str, built_fingerprint: str, paths: tuple[str, ...]) -> bool | None:
    """Whether the corpus changed since the build; None when reading it takes over stale_check_seconds."""
    from indexer.corpus import fingerprint_within

    existing = [Path(p) for p in paths if Path(p).exists()]
    # The ingest limits are part of the fingerprint: the build's own settings, from the same environment.
    settings = Settings.from_env()
    current = fingerprint_within(existing, settings.ingest, settings.stale_check_seconds) if existing else ""
    return None if current is None else bool(existing) and current != built_fingerprint


@st.cache_resource(show_spinner=False, max_entries=1)
def load_llm_composer(index: str, build_key: tuple, _assistant):
    """The LLM composer on the loaded index (one per build, as the assistant); its settings from the
    environment (GUIDELINE_QA_LLM_*)."""
    from assistant.compose import COMPOSERS

    return COMPOSERS["llm"](_assistant.index, _assistant.settings)


def choose_composer(settings: Settings) -> bool:
    """The sidebar's choice of answers, offered only when a model endpoint is configured: True for the
    model's (verified) answers."""
    if not settings.llm.url:
        return False
    if settings.llm.problem():
        st.sidebar.warning(md_escape(f"Answers by the model are off: {settings.llm.problem()}"))
        return False
    with st.sidebar:
        st.subheader("Answers")
        default = 1 if settings.answer.composer == "llm" else 0
        choice = st.radio("How answers are written", [QUOTED, WRITTEN], index=default, key="composer")
        st.caption(md_escape(f"Model: {settings.llm.model} at {settings.llm.url}"))
    return choice == WRITTEN


def sidebar_status(index: Path, assistant) -> None:
    """What the library covers (kinds of documents, sources, update dates, review status), then the
    index's build and model, smaller, and a warning when the corpus changed after the build."""
    manifest = assistant.index.manifest
    with st.sidebar:
        st.subheader("What the library covers")
        st.markdown("  \n".join(md_escape(line) for line in coverage_lines(assistant.index.documents.values())))
        built = dt.datetime.fromisoformat(manifest.built_at).astimezone(dt.UTC).strftime("%d %b %Y, %H:%M UTC")
        st.caption(
            md_escape(f"{manifest.counts.chunks:,} passages · index built {built} · model {manifest.model.id}")
        )
        corpus = manifest.corpus
        newer = corpus_is_newer(str(index), corpus.fingerprint, corpus.paths)
        if newer:
            st.warning("The corpus changed after this index was built. Rebuild it with:")
            st.code(rebuild_command(index, manifest.corpus.paths), language="bash")
        elif newer is None:
            st.caption(
                "Not checked whether the corpus changed: reading it took longer than `GUIDELINE_QA_STALE_CHECK_SECONDS`"
            )


# Choosing an article: the phone's menu closes, and the article opens at its title (the pane would keep the
# scroll position of the article read before, opening the new one mid-text with no title or dates in view).
OPEN_ARTICLE = {"close_menu": True, "scroll": ".st-key-article-top"}


def choose_article(assistant) -> dict | None:
    """The library in the sidebar: full-text search (results open an article only when clicked) and the
    list of articles. The open article is in the address (`?article=ID`), so a link opens it."""
    articles = {a["id"]: a for a in assistant.index.articles}
    if not articles:
        st.info("The index holds no articles, only reference texts.")
        return None
    if "article_choice" not in st.session_state:
        wanted = st.query_params.get("article")
        if wanted in articles:
            st.session_state["article_choice"] = wanted
        elif wanted:
            st.warning(md_escape(f"No article “{wanted[:80]}” in this library; the first one is open instead."))
    with st.sidebar:
        st.subheader("Library")
        query = st.text_input("Search the library (titles, tags and text)", key="library_search", max_chars=200)
        if query.strip():
            library_results(assistant, query)
        chosen = st.radio(
            "Articles",
            list(articles),
            format_func=lambda i: md_escape(articles[i]["title"]),
            key="article_choice",
            on_change=st.session_state.update,
            kwargs=OPEN_ARTICLE,
        )
    if st.query_params.get("article") != chosen:
        st.query_params["article"] = chosen
        st.query_params.pop("section", None)  # a section of the article left behind
    return articles[chosen]


def library_results(assistant, query: str) -> None:
    found = assistant.index.find_articles(query, limit=10)
    if not found:
        st.caption("No article mentions all of those words.")
        return
    st.caption(md_escape("Articles that mention it:" if len(found) > 1 else "The article that mentions it:"))
    for a, snippet in found:
        st.button(
            md_escape(a["title"]),
            key=f"found:{a['id']}",
            on_click=st.session_state.update,
            kwargs={"article_choice": a["id"], **OPEN_ARTICLE},
            type="tertiary",
        )
        if snippet:
            st.caption(md_escape(snippet))


def section_anchor(section_id: str) -> str:
    return "sec-" + slug(section_id, 60)


def article_view(assistant, article: dict) -> None:
    """The article: title, dates and review status, contents, sections, references (each with an anchor the
    text's markers link to), unresolved references flagged. The passage a source marker was opened from is
    highlighted at the sentences the answer used, scrolled into view, with a way back to the answer."""
    meta = article["meta"]
    with st.container(key="article-top"):  # where a newly chosen article opens (the pane kept its scroll)
        st.title(md_escape(article["title"]), anchor=False)
    details = [
        f"Updated {meta['updated']}" if meta.get("updated") else None,
        f"Review status: {meta.get('review_status', 'unknown')}",
        ("Tags: " + ", ".join(meta["tags"])) if meta.get("tags") else None,
    ]
    st.caption(md_escape(" · ".join(d for d in details if d)))
    if meta.get("sample"):
        st.caption(md_escape(str(meta.get("note") or "Sample content.")))
    text = assistant.index.document_text(article["id"])
    refs = assistant.index.references.get(article["id"], {})
    pages = article_pages(assistant.index.sections(article["id"]), text, assistant.settings.article_page_chars)
    focus = focused_citation(article)
    section = opened_section(article)
    page = 1
    if len(pages) > 1:
        key = f"article_page:{article['id']}"
        if focus is not None and st.session_state.get("scroll") == ".st-key-focus":  # just opened from a source
            p = focus.passage
            st.session_state[key] = page_of(pages, lambda sec, a, b: sec["id"] == p.section_id and a <= p.start < b)
        elif section and key not in st.session_state:
            st.session_state[key] = page_of(pages, lambda sec, a, b: section_anchor(sec["id"]) == section)
        st.caption(md_escape(f"A long article: shown in {len(pages)} parts."))
        page = st.pagination(len(pages), key=key)
    pieces = pages[page - 1]
    contents = [
        sec for sec, a, _ in pieces if sec["heading"] != article["title"] and sec["level"] <= 3 and a == sec["start"]
    ]
    if len(contents) > 1:
        with st.expander("Contents"):
            st.markdown(
                "\n".join(
                    f"{'  ' * (sec['level'] - 2)}- [{md_escape(sec['heading'])}](#{section_anchor(sec['id'])})"
                    for sec in contents
                )
            )
    listed = set(refs)
    for sec, a, b in pieces:
        if sec["heading"] != article["title"] and a == sec["start"]:
            level = min(max(sec["level"], 2), 4)
            heading = md_escape(sec["heading"])
            anchor = section_anchor(sec["id"])
            if level == 2:
                st.header(heading, anchor=anchor)
            elif level == 3:
                st.subheader(heading, anchor=anchor)
            else:
                st.markdown(f"**{heading}**")
        if a is None:
            continue
        used = [(s.start, s.end) for s in focus.sentences] if focus and focus.passage.section_id == sec["id"] else []
        if used and any(a <= s < b for s, _ in used):
            with st.container(border=True, key="focus"):
                st.markdown(article_markdown(text, a, b, listed, used))
                st.button(
                    f"Back to the answer ({source_label(focus.n)})",
                    key="back-to-answer",
                    icon=":material/arrow_back:",
                    type="tertiary",
                    on_click=scroll_once,
                    args=(f"answer-{st.session_state['focus'][1]}",),
                )
        else:
            st.markdown(article_markdown(text, a, b, listed))
    if page == len(pages):
        references_view(text, refs)


def opened_section(article: dict) -> str | None:
    """The section the address names (`?section=sec-...`), scrolled to once when the article opens."""
    section = st.query_params.get("section")
    if not section or not re.fullmatch(r"sec-[a-z0-9-]+", section):
        return None
    opened = st.session_state.setdefault("sections_opened", set())
    if (article["id"], section) not in opened:
        opened.add((article["id"], section))
        st.session_state.setdefault("scroll", f"#{section}")
    return section


def page_of(pages: list, holds) -> int:
    """The number of the first page with a piece for which `holds(section, start, end)`, else 1."""
    for i, pieces in enumerate(pages, start=1):
        if any(a is not None and holds(sec, a, b) for sec, a, b in pieces):
            return i
    return 1


def references_view(text: str, refs: dict) -> None:
    """Each reference entry under its own anchor (`#ref-n`), so a marker in the text opens it; numbers the
    text cites that the list lacks are named as unresolved."""
    unresolved = unresolved_in(text, refs)
    if not (refs or unresolved):
        return
    st.header("References", anchor="references")
    with st.container(key="references"):
        for n, ref in refs.items():
            st.subheader(reference_line(ref), anchor=reference_anchor(n))
    if unresolved:
        st.warning(
            md_escape(
                f"Unresolved: the text cites {', '.join(f'[{n}]' for n in unresolved)}, which the reference list "
                "does not hold. Claims citing them cannot be traced to a source here."
            )
        )


def focused_citation(article: dict):
    """The source the clinician opened in the article (`focus`: article, turn, source number), when it is
    a passage of this article."""
    focus = st.session_state.get("focus")
    turns = tab_state().get("chats", {}).get(article["id"], [])
    if not focus or focus[0] != article["id"] or focus[1] >= len(turns):
        return None
    c = {c.n: c for c in turns[focus[1]][1].citations}.get(focus[2])
    return c if c is not None and c.passage.doc_id == article["id"] else None


def scroll_once(key: str) -> None:
    """Ask for the element with this key to be scrolled into view after this run."""
    st.session_state["scroll"] = f".st-key-{key}"


# Static scripts, never built from corpus or user text (a scroll target is one of our own keys, checked).
# Scroll: the element, once it is on the page, to the top of its pane (only the pane moves, not the page
# around it: scrollIntoView also scrolled the page, cutting off the product line above the panes).
SCROLL_SCRIPT = """<script>
(() => {
  const selector = %s; let tries = 0;
  const pane = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const y = getComputedStyle(p).overflowY;
      if ((y === "auto" || y === "scroll") && p.scrollHeight > p.clientHeight) return p;
    }
    return null;
  };
  const go = () => {
    const el = document.querySelector(selector);
    if (!el) { if (tries++ < 200) setTimeout(go, 50); return; }
    const p = pane(el);
    if (p) p.scrollTop += el.getBoundingClientRect().top - p.getBoundingClientRect().top;
    else el.scrollIntoView({block: "start"});
  };
  go();
})(); /* request %d */
</script>"""
# On a phone the library menu covers the page: close it once an article is chosen.
CLOSE_MENU_SCRIPT = """<script>
(() => {
  if (!window.matchMedia("(max-width: 640px)").matches) return;
  const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  if (button && sidebar && sidebar.getBoundingClientRect().right > 0) button.click();
})(); /* request %d */
</script>"""


def _next_request() -> int:
    """A new number for each script element, so that a repeated request runs again."""
    count = st.session_state["scripts"] = st.session_state.get("scripts", 0) + 1
    return count


def _scroll(target: str, count: int) -> None:
    """The scroll script for one of our own targets (a key's class or a section anchor), checked."""
    if re.fullmatch(r"(\.st-key-|#sec-)[A-Za-z0-9_-]+", target):
        st.html(SCROLL_SCRIPT % (json.dumps(target), count), unsafe_allow_javascript=True)


def scroll_now(key: str) -> None:
    """Scroll the element with this key to the top of its pane, from inside a fragment's run."""
    _scroll(f".st-key-{key}", _next_request())


def run_scripts() -> None:
    """After the page is drawn: the scroll this run's click (or the address's section) asked for, and
    closing the phone's menu after a choice."""
    count = _next_request()
    target = st.session_state.pop("scroll", None)
    if target:
        _scroll(target, count)
    if st.session_state.pop("close_menu", False):
        st.html(CLOSE_MENU_SCRIPT % count, unsafe_allow_javascript=True)


def unresolved_in(text: str, refs: dict) -> list[int]:
    """Reference numbers cited in an article's text that its reference list lacks."""
    return sorted(cited_numbers(text) - set(refs))


def show_question(question: str) -> None:
    with st.chat_message("user"):
        st.markdown(md_escape(question))


def show_reply(assistant, article: dict, turn: int, question: str, answer) -> None:
    """An answer inside its chat message: how the question was read, one claim a line with its source
    marker, one line per source (opened on demand), a short caption and the feedback thumbs."""
    with st.container(key=f"answer-{turn}"):  # the target of "Back to the answer"
        reading = how_it_was_read(answer)
        if reading:
            st.caption(md_escape(reading))
        if answer.note:
            st.info(md_escape(answer.note))
        if answer.abstained:
            show_refusal(assistant, article, turn, question, answer)
        else:
            st.markdown(claims_markdown(answer))
            for c in answer.citations:
                show_citation(article, turn, c)
        if answer.dropped:
            with st.expander(f"Left out: {len(answer.dropped)} statement(s) of the model that failed the check"):
                st.markdown(
                    "\n".join(f"- {md_escape(d['claim'])} ({md_escape(d['reason'])}: {md_escape(d['detail'])})"
                              for d in answer.dropped)
                )
        st.caption(LLM_CAPTION if answer.composer == "llm" else ANSWER_CAPTION)
        feedback_controls(assistant, article, turn, question, answer)


def show_refusal(assistant, article: dict, turn: int, question: str, answer) -> None:
    """What the guidelines do not cover, in plain words; the question without the terms they lack, when
    that is answered; then the nearest passages, open."""
    st.warning(md_escape(answer.text))
    instead = assistant.rephrasing(question, answer, article["id"])
    if instead:
        left_out = ", ".join(answer.missing)
        st.button(
            md_escape(f"Ask without “{left_out}”: {instead}"),
            key=f"instead:{turn}",
            icon=":material/lightbulb:",
            on_click=st.session_state.update,
            kwargs={"pending": instead},
        )
    nearest = answer.retrieved[:3]
    if nearest:
        st.markdown("**Nearest passages in the guidelines** (they may still help):")
        for p in nearest:
            with st.container(border=True):
                st.markdown(passage_link(article, p))
                st.markdown(cited_text(p.text, {r.n for r in p.references} if p.kind == "article" else None))
    if answer.reason:
        with st.expander("Why no answer (details)"):
            st.markdown(md_escape(f"{answer.reason}."))


def how_it_was_read(answer) -> str:
    """One line on how the question was understood: follow-up of what, corrections and expansions."""
    parts = []
    conversation = answer.conversation or {}
    if conversation.get("followup") and conversation.get("of"):
        parts.append(f"Answered as a follow-up to: “{conversation['of']}”")
    if conversation.get("rewritten"):
        parts.append(f"Searched for: “{conversation['rewritten']}”")
    read = describe((answer.understood or {}).get("expansions") or [])
    if read:  # synonyms alone are not shown: "Read as:" with nothing after it says nothing
        parts.append("Read as: " + read)
    return " · ".join(parts)


def passage_link(article: dict, p) -> str:
    """Where a passage stands: a link to its section when it is in the open article, else its title."""
    where = md_escape(" > ".join(p.section[1:]) or p.title)
    if p.doc_id == article["id"]:
        return f"[{where}](#{section_anchor(p.section_id)})"
    return where + md_escape(f" (from: {p.title})")


def show_citation(article: dict, turn: int, c) -> None:
    """One line per source, opened on demand: the passage with the used sentences highlighted, the
    reference entries behind it (unresolved ones flagged) and, for a passage of the open article, a button
    that shows it in the article, highlighted there and scrolled into view."""
    p = c.passage
    where = " > ".join(p.section[1:]) or p.title
    with st.expander(md_escape(f"{source_label(c.n)} · {where}")):
        if p.doc_id == article["id"]:
            st.button(
                f"Show {source_label(c.n)} in the article",
                key=f"show:{turn}:{c.n}",
                icon=":material/find_in_page:",
                type="tertiary",
                on_click=show_in_article,
                args=(article["id"], turn, c.n),
            )
        else:
            st.markdown(md_escape(f"{where} (from: {p.title})"))
        st.markdown(highlighted_passage(c))
        lines = ["- " + reference_line(r) for r in p.references]
        if p.kind == "article":
            lines += [
                f"- **\\[{n}\\] not in the article's reference list (unresolved)**" for n in unresolved_numbers(p)
            ]
        if lines:
            st.markdown("\n".join(lines))


def show_in_article(article_id: str, turn: int, n: int) -> None:
    st.session_state["focus"] = (article_id, turn, n)
    st.session_state["rerun_page"] = True  # the button is in the conversation's fragment; the article is not
    scroll_once("focus")


def feedback_controls(assistant, article: dict, turn: int, question: str, answer) -> None:
    """Thumbs that can be changed or withdrawn (click the chosen one again), a comment once voted.
    The vote is stored when given; if the store cannot be written, one line says so and the vote stays
    on the page, to be saved on the next try."""
    key = f"{article['id']}:{turn}"
    votes = tab_state().setdefault("votes", {})
    saved = votes.get(key)
    if saved is not None and f"vote:{key}" not in st.session_state:  # after a reload: show the vote kept
        st.session_state[f"vote:{key}"] = 1 if saved["helpful"] else 0
        st.session_state[f"comment:{key}"] = saved["comment"]
    vote = st.feedback("thumbs", key=f"vote:{key}")
    comment = ""
    if vote is not None:
        comment = st.text_input(
            "Comment (optional, Enter to save)",
            key=f"comment:{key}",
            max_chars=2000,
            placeholder="What was right or wrong?",
        )
    wanted = None if vote is None else (vote == 1, comment.strip())
    if wanted != (None if saved is None else (saved["helpful"], saved["comment"])):
        try:
            saved = store_vote(assistant, article, question, answer, saved, wanted)
        except (OSError, sqlite3.Error):
            st.error("Your feedback could not be saved (the feedback store cannot be written). It is kept here.")
            st.button("Retry saving", key=f"retry:{key}")
            return
        votes[key] = saved
    if saved is not None:
        st.caption(md_escape(f"Feedback saved ({'helpful' if saved['helpful'] else 'not helpful'}). Thank you."))


def store_vote(assistant, article: dict, question: str, answer, saved: dict | None, wanted) -> dict | None:
    store = feedback_store(str(assistant.index.path))
    if wanted is None:
        if saved is not None:
            store.remove(saved["row"])
        return None
    helpful, comment = wanted
    if saved is not None:
        store.change(saved["row"], helpful, comment)
        return {**saved, "helpful": helpful, "comment": comment}
    cited = tuple(c.passage.chunk_id for c in answer.citations)
    row = store.add(Feedback(article["id"], question, answer.text, helpful, comment, cited))
    return {"row": row, "helpful": helpful, "comment": comment}


def log_question(settings: Settings, article: str, question: str) -> None:
    """Questions are written nowhere unless GUIDELINE_QA_LOG_QUESTIONS names a file."""
    if settings.log_questions:
        record = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "article": article,
            "question": question,
        }
        append_line(settings.log_questions, json.dumps(record, ensure_ascii=False))  # created 0600


def chat(assistant, article: dict, question: str | None, composer=None) -> None:
    """The conversation about the open article: the disclaimer once, suggested questions to start with,
    every turn, and the question just asked, echoed at once while the guidelines are searched."""
    chats = tab_state().setdefault("chats", {})
    turns = chats.setdefault(article["id"], [])
    # No automatic scrolling to the pane's bottom (Streamlit's default beside chat messages): the newest turn
    # is scrolled to its question instead, so a long answer is read from its first line.
    with st.container(height=600, border=False, key="chat-pane", autoscroll=False):
        st.header("Have a follow-up question?", anchor=False)
        st.caption(md_escape(assistant.settings.disclaimer))
        live = st.empty()  # read out by screen readers when its text changes: "Searching", then the answer
        if not turns and not question:
            st.markdown("Suggested questions:")
            with st.spinner("Checking which questions the guidelines answer ..."):
                suggested = assistant.suggested_questions(article["id"])
            for i, q in enumerate(suggested):
                st.button(
                    md_escape(q),
                    key=f"suggest:{article['id']}:{i}",
                    on_click=st.session_state.update,
                    kwargs={"pending": q},
                )
        for i, (asked, answer) in enumerate(turns):
            show_question(asked)
            with st.chat_message("assistant"):
                show_reply(assistant, article, i, asked, answer)
        if question:
            announce(live, "Searching the guidelines.")
            with st.container(key=f"asked-{len(turns)}"):
                show_question(question)
            scroll_now(f"asked-{len(turns)}")  # the question at once, with the searching state under it
            with st.chat_message("assistant"):
                searching = st.empty()  # shown at once (st.spinner waits half a second), gone with the answer
                searching.status("Searching the guidelines ...", state="running")
                def writing(text: str) -> None:  # progress only: the model's text, not yet checked
                    with searching.container():
                        st.status("The model is writing; each statement is checked before it is shown ...")
                        st.caption(md_escape(text[-600:]))

                try:
                    answer = assistant.ask(
                        question, [q for q, _ in turns], article["id"], composer=composer, on_text=writing
                    )
                except GuidelineQAError as exc:
                    searching.empty()
                    st.error(md_escape(str(exc)))
                    announce(live, str(exc))
                else:
                    searching.empty()
                    log_question(assistant.settings, article["id"], question)
                    turns.append((question, answer))
                    show_reply(assistant, article, len(turns) - 1, question, answer)
                    announce(live, spoken(answer))
                    # the newest answer from its question and first line (how it was read, the direct answer),
                    # not from the pane's bottom, where a long answer's first claims were out of view
                    scroll_now(f"asked-{len(turns) - 1}")
        else:
            announce(live, st.session_state.get("announced", ""))
        if turns:
            export_button(assistant, article, turns)


def announce(live, text: str) -> None:
    """The screen-reader announcement (an ARIA live region, visually hidden), its text escaped."""
    st.session_state["announced"] = text
    live.html(f'<div class="gqa-live" role="status" aria-live="polite">{html.escape(text)}</div>')


def spoken(answer) -> str:
    """What a screen reader announces of a new answer: its claims, or what the guidelines do not cover."""
    if answer.abstained:
        return "No answer: " + answer.text
    return "New answer: " + " ".join(text for text, _ in answer_claims(answer))


def export_button(assistant, article: dict, turns) -> None:
    meta = article["meta"]
    about = [
        f"Article updated {meta['updated']}" if meta.get("updated") else "Article update date not given",
        f"Review status: {meta.get('review_status', 'unknown')}",
        f"Index built {assistant.index.manifest.built_at}",
    ]
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    st.download_button(
        "Export conversation (Markdown)",
        conversation_markdown(article["title"], turns, exported=now, about=about),
        file_name=f"{article['id']}-conversation.md",
        mime="text/markdown",
        key=f"export:{article['id']}",
    )


def workspace(assistant, article: dict, composer=None) -> None:
    """The article and the conversation side by side, each scrolling on its own, the ask box below."""
    # Called outside the columns, the chat input is pinned to the bottom of the page, in reach at any scroll.
    # Outside the conversation's fragment too: only there does the page follow the newest answer (on a phone)
    # and a question interrupt a page still loading (the first visit checks the suggested questions).
    typed = st.chat_input("Ask a follow-up question about this article", key=f"chat_input:{article['id']}")
    if typed:
        st.session_state["pending"] = typed
    left, right = st.columns([3, 2], gap="large")
    with left, st.container(height=600, border=False, key="article-pane"):
        article_view(assistant, article)
    run_scripts()  # before the conversation, which may take seconds (suggested questions, an answer)
    with right:
        conversation(assistant, article, composer)


@st.fragment
def conversation(assistant, article: dict, composer=None) -> None:
    """The conversation, rerun on its own for a suggested question, a vote or a comment: these redraw the
    conversation only, not the article beside it or the sidebar. (The question comes in session state,
    never as an argument: a fragment rerun is called with the arguments of the page's last run.) A source
    shown in the article needs the article redrawn: that click reruns the page."""
    if st.session_state.pop("rerun_page", False):
        st.rerun(scope="app")
    chat(assistant, article, st.session_state.pop("pending", None), composer)


# Static HTML and script for the whole page. A keyboard user reaches the ask box (pinned last on the page)
# from the top: Streamlit's own "Skip to main content" link, then this one. A section chosen in the
# Contents goes into the address as `?section=` (a link that opens the article at that section).
PAGE_HTML = """<a href="#ask" class="gqa-skip">Skip to the question box</a>
<script>
document.querySelectorAll("a.gqa-skip").forEach((a) => a.addEventListener("click", (event) => {
  event.preventDefault();
  const box = document.querySelector('[data-testid="stChatInputTextArea"]');
  if (box) box.focus();
}));
if (!window.gqaSections) {
  window.gqaSections = true;
  window.addEventListener("hashchange", () => {
    const id = window.location.hash.slice(1);
    if (!/^sec-[a-z0-9-]+$/.test(id)) return;
    const url = new URL(window.location.href);
    url.searchParams.set("section", id);
    url.hash = "";
    window.history.replaceState(window.history.state, "", url);
  });
}
</script>"""


def masthead() -> None:
    st.html(STYLE)
    st.html(PAGE_HTML, unsafe_allow_javascript=True)
    with st.container(key="gqa-masthead"):
        st.markdown("**guideline-qa** · " + PURPOSE)


def latest_run(runs: Path) -> Path | None:
    found = sorted(runs.glob("*/metrics.json"), key=lambda p: p.stat().st_mtime) if runs.is_dir() else []
    return found[-1].parent if found else None


# What each figure on the Evaluation page means, in a clinician's words.
METRIC_MEANINGS = {
    "recall@10": "Share of questions whose right section is among the first 10 passages found.",
    "mrr@10": "How high the first right section ranks, on average (1 = always first, 0.5 = second).",
    "ndcg@10": "Ranking quality of the first 10 passages found (1 = every right section at the top).",
    "key_fact_recall": "Share of answerable questions whose answer states every key fact, word for word, "
    "from a cited passage (and the main fact first where the question has one).",
    "citation_precision": "Share of the cited sections that are right for the question.",
    "citation_recall": "Share of the right sections that the answer cites.",
    "abstention_precision": "Of the questions refused, the share that the guidelines indeed do not answer.",
    "abstention_recall": "Of the questions the guidelines do not answer, the share refused.",
    "answered_rate": "Share of answerable questions that got an answer rather than a refusal.",
}


def run_summary(result: dict) -> str:
    """The run in one plain paragraph: what was asked, how often the right passage was found, how often the
    answer stated the facts, and how well it refused what the guidelines do not cover."""
    answers = result.get("answers", {})
    first = next(iter(result.get("variants", {}).values()), {})
    found = (first.get("section") or {}).get("recall@10")
    parts = [f"{result['questions']} questions from the {result['dataset_name']} set ({result.get('split', 'all')})."]
    if found is not None:
        parts.append(f"The right section was among the first 10 passages for {found:.0%} of them.")
    if answers.get("key_fact_recall") is not None:
        parts.append(f"Answers stated every key fact for {answers['key_fact_recall']:.0%} of the answerable ones.")
    if answers.get("abstention_recall") is not None and answers.get("abstention_precision") is not None:
        parts.append(
            f"Of the questions the guidelines do not answer, {answers['abstention_recall']:.0%} were refused; "
            f"{answers['abstention_precision']:.0%} of all refusals were right."
        )
    return " ".join(parts)


def failed_questions(run: Path, limit: int = 50) -> list[dict]:
    """Questions the run got wrong: a missed key fact, a refusal of an answerable question, or an answer
    to one the guidelines do not cover."""
    failed = []
    try:
        lines = (run / "per_question.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            row = json.loads(line)
            a = row["answer"]
        except (ValueError, KeyError, TypeError):
            continue
        if a.get("should_abstain") is not None and a["should_abstain"] != a["abstained"]:
            why = "answered, but the guidelines do not cover it" if a["should_abstain"] else "refused, but answerable"
        elif a.get("facts") is False:
            why = "a key fact missing, or not first"
        else:
            continue
        failed.append({"question": row.get("text", ""), "category": a.get("category") or "", "what went wrong": why})
    return failed[:limit]


def evaluation_page(settings: Settings) -> None:
    st.title("Evaluation", anchor=False)
    run = latest_run(settings.runs)
    if run is None:
        st.info(md_escape(f"No evaluation run under {settings.runs}/ yet. Create one with:"))
        st.code(
            f"python -m evals run --index index --dataset evals/datasets/sample --out {settings.runs}/sample",
            language="bash",
        )
        return
    try:
        result = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
        summary = run_summary(result)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        st.error(md_escape(f"{run / 'metrics.json'} cannot be read ({type(exc).__name__}: {exc})"))
        return
    when = result.get("run_at") or dt.datetime.fromtimestamp((run / "metrics.json").stat().st_mtime, dt.UTC).isoformat(
        timespec="seconds"
    )
    st.markdown(md_escape(summary))
    st.caption(
        md_escape(
            f"Run {run.name} on {when.replace('T', ' ').replace('+00:00', ' UTC')}: index {result['index']}, "
            f"section headings indexed: {'yes' if result.get('headings_indexed') else 'no'}, {result.get('wall_s')} s"
        )
    )
    failed = failed_questions(run)
    st.subheader(f"Questions it got wrong ({len(failed)})", anchor=False)
    if failed:
        st.dataframe(failed, hide_index=True)
    else:
        st.markdown("None in this run.")
    with st.expander("What the figures mean"):
        st.table({"means": METRIC_MEANINGS})
    for level in ("section", "document"):
        st.subheader(f"Retrieval, {level} level", anchor=False)
        st.table({variant: r[level] for variant, r in result["variants"].items()})
    st.subheader("Answers", anchor=False)
    st.table({"value": {k: v for k, v in result["answers"].items() if v is not None and not isinstance(v, dict)}})
    st.subheader("Latency (ms)", anchor=False)
    st.table({"value": {k: v for k, v in result["latency_ms"].items() if v is not None}})
    plots = {
        "recall_at_k.png": "Recall at k: the share of questions whose right section is among the first k passages, "
        "for k from 1 to 10, one line per retrieval method.",
        "latency.png": "Latency per stage of answering a question, in milliseconds.",
    }
    for plot, alt in plots.items():
        if (run / plot).is_file():
            st.image(str(run / plot), caption=alt)


def main() -> None:
    no_outbound_lookups()
    st.set_page_config(page_title="guideline-qa", layout="wide")
    masthead()
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        st.error(md_escape(str(exc)))
        st.stop()
    with st.sidebar:
        page = st.radio("View", ["Chat", "Evaluation"], horizontal=True, key="page")
    if page == "Evaluation":
        evaluation_page(settings)
        st.stop()
    index = index_path(sys.argv[1:])
    try:
        assistant = load_assistant(str(index), build_key(index))
    except IndexMissing as exc:
        st.error(f"{md_escape(str(exc))}")
        corpus = [str(p) for p in settings.corpus]
        st.code(f"make run    # or: {rebuild_command(index, corpus)}", language="bash")
        st.stop()
    except IndexUnreadable as exc:  # another user's index: the fix is its owner's, not a rebuild
        st.error(md_escape(str(exc)))
        st.code(exc.fix, language="bash")
        st.stop()
    except GuidelineQAError as exc:  # damaged, foreign or other-version index: the message names the fix
        st.error(md_escape(str(exc)))
        st.code(rebuild_command_for(index), language="bash")
        st.stop()
    sidebar_status(index, assistant)
    composer = load_llm_composer(str(index), build_key(index), assistant) if choose_composer(settings) else None
    article = choose_article(assistant)
    if article is None:
        st.stop()
    workspace(assistant, article, composer)


main()
