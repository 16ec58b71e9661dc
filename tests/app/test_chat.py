"""The chat through Streamlit's AppTest: article, question, cited answer, follow-up, abstention,
feedback, export, escaping, and sessions that do not see each other."""

import json
import re
import shutil
import threading

import pytest
from streamlit.testing.v1 import AppTest

from assistant.feedback import Feedback, FeedbackStore, feedback_path

from ..helpers import ROOT, write_article

APP = str(ROOT / "app.py")


def plain(markdown: str) -> str:
    """What a reader sees of escaped Markdown."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(elements) -> list[str]:
    return [plain(e.value) for e in elements]


@pytest.fixture()
def app(sample_index, monkeypatch, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)  # feedback is written beside the index: keep it per test
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(index))
    return AppTest.from_file(APP, default_timeout=60).run()


def pick(at: AppTest, article_id: str) -> AppTest:
    return at.radio(key="article_choice").set_value(article_id).run()


def ask(at: AppTest, question: str) -> AppTest:
    return at.chat_input[0].set_value(question).run()


def test_article_view_shows_question_sections_references_and_banner(app):
    at = pick(app, "metastatic-breast-cancer")
    assert not at.exception
    assert plain(at.markdown[0].value).startswith("**guideline-qa** · Ask questions about clinical guideline")
    assert "For healthcare professionals only." in plain(at.markdown[0].value)
    assert plain(at.title[0].value).startswith("How does breast cancer spread to distant organs")
    assert "Review status: pending review" in texts(at.caption)[0] and "Updated 2026-01-15" in texts(at.caption)[0]
    assert {"How metastasis develops", "Treatment by receptor status", "References"} <= set(texts(at.header))
    assert "HER2-positive disease" in texts(at.subheader)
    refs = [t for t in texts(at.subheader) if t.startswith("[")]  # each entry under its own anchor
    assert refs[0].startswith("[1] Guideline:")
    second = "[2] Research: Breast cancer: metastatic patterns and their prognosis (Southern Medical Journal, 1988)"
    assert second in refs
    sidebar = " ".join(texts(at.sidebar.markdown))
    assert "4 guideline articles" in sidebar and "Articles updated 2026-01-15 to 2026-11-26" in sidebar  # coverage
    assert "Review status: pending review" in sidebar
    assert "model sentence-transformers/all-MiniLM-L6-v2" in " ".join(texts(at.sidebar.caption))


def test_references_the_article_cites_but_does_not_list_are_flagged_not_dropped(app):
    at = pick(app, "metastatic-breast-cancer")
    body = " ".join(texts(at.markdown))
    assert "trastuzumab given with paclitaxel [**6: not in the reference list**]." in body
    assert "[**7: not in the reference list**, **6: not in the reference list**]" in body
    assert 'organs [[1](#ref-1 "Reference 1"), [2](#ref-2 "Reference 2")].' in body  # listed: linked to their entry
    assert texts(at.warning) == [
        "Unresolved: the text cites [6], [7], [8], which the reference list does not hold. "
        "Claims citing them cannot be traced to a source here."
    ]
    assert not pick(at, "male-breast-cancer").warning  # an article whose references all resolve


def test_library_search_lists_matches_and_opens_one_only_when_clicked(app):
    opened = app.radio(key="article_choice").value
    at = app.text_input(key="library_search").set_value("pregnancy").run()
    found = [b.key for b in at.button if b.key.startswith("found:")]
    assert found[0] == "found:breast-cancer-pregnancy"  # the title matches: first
    assert len(at.radio(key="article_choice").options) == 4  # the library list stays whole
    assert at.radio(key="article_choice").value == opened  # and the open article open
    at = at.text_input(key="library_search").set_value("tamoxifen").run()  # a tag, and words of the text
    assert "found:male-breast-cancer" in [b.key for b in at.button]
    at = at.button(key="found:male-breast-cancer").click().run()
    assert at.radio(key="article_choice").value == "male-breast-cancer"
    assert at.query_params["article"] == "male-breast-cancer"


def test_an_article_named_in_the_address_opens_and_an_unknown_one_says_so(app):
    at = AppTest.from_file(APP, default_timeout=60)  # the app fixture has set the index
    at.query_params["article"] = "breast-cancer-pregnancy"
    assert at.run().radio(key="article_choice").value == "breast-cancer-pregnancy"
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["article"] = "no-such-article"
    at.run()
    assert plain(at.warning[0].value) == "No article “no-such-article” in this library; the first one is open instead."
    assert at.radio(key="article_choice").value == "metastatic-breast-cancer"  # the first by title
    assert at.query_params["article"] == "metastatic-breast-cancer"


def test_question_gets_cited_answer_with_sources_and_disclaimer(app):
    at = ask(
        pick(app, "metastatic-breast-cancer"),
        "What is the first-line treatment for HER2-positive metastatic breast cancer?",
    )
    assert not at.exception
    reply = at.chat_message[1]
    shown = texts(reply.markdown)
    claims = shown[0].splitlines()  # one claim a line, each with its source marker (S1, not the article's [1])
    # the sample's HER2 sentences cite [6], which its reference list lacks: flagged on each line
    flag = " **(cites [6]: not in the article's reference list)**"
    assert claims[0] == (
        "- First-line treatment of HER2-positive metastatic breast cancer is trastuzumab given with paclitaxel. [S1]"
        + flag
    )
    assert 2 <= len(claims) <= 4
    line = re.compile(r"- .+ \[S1\]( \*\*\(cites \[\d\](, \[\d\])*: not in the article's reference list\)\*\*)?")
    assert all(line.fullmatch(c) for c in claims)
    source = reply.expander[0]
    assert plain(source.label) == "S1 · Treatment by receptor status > HER2-positive disease"
    assert not source.proto.expanded  # one line until opened
    passage, refs = texts(source.markdown)
    assert [plain(b.label) for b in source.button] == ["Show S1 in the article"]
    # only the used sentences highlighted; the others plain
    assert passage.startswith(":orange-background[First-line treatment of HER2-positive")
    assert passage.count(":orange-background[") == len(claims) and "Points to manage:" in passage
    assert "[**6: not in the reference list**]" in passage
    assert refs.splitlines() == [
        "- **[6] not in the article's reference list (unresolved)**",
        "- **[7] not in the article's reference list (unresolved)**",
    ]
    assert texts(reply.caption) == ["Quoted from the indexed guidelines: check each source before use."]
    # the full disclaimer once, at the head of the conversation
    assert sum("does not replace clinical judgement" in c for c in texts(at.caption)) == 1


def test_follow_up_in_the_same_chat_uses_the_earlier_turn(app):
    at = ask(
        pick(app, "metastatic-breast-cancer"),
        "What is the first-line treatment for HER2-positive metastatic breast cancer?",
    )
    at = ask(at, "What loading dose is used?")
    assert len(at.chat_message) == 4
    reply = at.chat_message[3]
    assert "4 mg/kg IV over 90 minutes" in plain(reply.markdown[0].value)
    assert texts(reply.caption)[0] == (
        "Answered as a follow-up to: “What is the first-line treatment for HER2-positive metastatic breast cancer?”"
    )
    # A new topic is answered as asked, and what the question was read as is shown.
    at = ask(at, "can chemo be given in pregnancy?")
    reading = texts(at.chat_message[5].caption)[0]
    assert "follow-up" not in reading and reading.startswith("Read as: chemo = chemotherapy")
    assert "first 3 months of pregnancy" in plain(at.chat_message[5].markdown[0].value)


def test_out_of_scope_question_abstains_with_reason_and_disclaimer(app):
    at = ask(pick(app, "male-breast-cancer"), "How do you treat a sprained ankle?")
    reply = at.chat_message[1]
    # "sprained" only qualifies what is asked about: the subject the corpus lacks is the ankle
    assert plain(reply.warning[0].value) == "The indexed guidelines do not mention ankle."
    # the nearest passages shown open, each under a link to its section or the article it comes from
    shown = texts(reply.markdown)
    assert "**Nearest passages in the guidelines** (they may still help):" in shown
    assert shown[1:3] == ["[Treatment > Surgery](#sec-male-breast-cancer-surgery)", shown[2]]
    assert shown[2].startswith("The usual first operation for a man with breast cancer is a modified radical")
    assert len([t for t in shown if t.startswith("[Treatment > ")]) == 3
    # the scorer's reasons only on demand
    assert plain(reply.expander[0].label) == "Why no answer (details)"
    assert texts(reply.expander[0].markdown) == ["ankle does not occur in any indexed passage."]
    assert texts(reply.caption) == ["Quoted from the indexed guidelines: check each source before use."]


def test_suggested_question_asks_it(app):
    at = pick(app, "breast-cancer-pregnancy")
    suggestion = next(b for b in at.button if b.key.startswith("suggest:breast-cancer-pregnancy"))
    label = plain(suggestion.label)
    at = suggestion.click().run()
    assert plain(at.chat_message[0].markdown[0].value) == label
    assert len(at.chat_message) == 2


def test_bad_question_gets_a_message_not_a_traceback(app):
    at = ask(pick(app, "male-breast-cancer"), "x" * 2500)
    assert not at.exception
    assert "the limit is 2,000" in plain(at.error[0].value)


def test_feedback_is_stored_with_question_answer_article_and_citations(app, tmp_path):
    at = ask(pick(app, "male-breast-cancer"), "What are the risk factors for breast cancer in men?")
    store = FeedbackStore(feedback_path(tmp_path / "index"))
    assert [t.key for t in at.text_input] == ["library_search"]  # no comment box before a vote
    at = at.feedback(key="vote:male-breast-cancer:0").set_value(1).run()  # thumbs up
    assert not at.exception
    [item] = store.all()
    assert (item.article, item.helpful, item.comment) == ("male-breast-cancer", True, "")
    assert item.question == "What are the risk factors for breast cancer in men?" and "Klinefelter" in item.answer
    assert item.citation_ids and item.citation_ids[0].startswith("male-breast-cancer/risk-factors#")
    assert "Feedback saved (helpful). Thank you." in texts(at.caption)
    # a comment after voting, then a change of mind: the same row, not a second one
    at = at.text_input(key="comment:male-breast-cancer:0").set_value("clear and sourced").run()
    at = at.feedback(key="vote:male-breast-cancer:0").set_value(0).run()
    assert [(f.helpful, f.comment) for f in store.all()] == [(False, "clear and sourced")]
    assert "Feedback saved (not helpful). Thank you." in texts(at.caption)
    # withdrawn: nothing kept
    at = at.feedback(key="vote:male-breast-cancer:0").set_value(None).run()
    assert store.all() == [] and not any(c.startswith("Feedback saved") for c in texts(at.caption))


def test_a_feedback_store_that_cannot_be_written_says_so_in_one_line_and_keeps_the_vote(app, tmp_path):
    feedback_path(tmp_path / "index").mkdir()  # a folder where the database should be: SQLite cannot open it
    at = ask(pick(app, "male-breast-cancer"), "What are the risk factors for breast cancer in men?")
    at = at.feedback(key="vote:male-breast-cancer:0").set_value(1).run()
    assert not at.exception
    assert texts(at.chat_message[1].error) == [
        "Your feedback could not be saved (the feedback store cannot be written). It is kept here."
    ]
    assert at.feedback(key="vote:male-breast-cancer:0").value == 1  # the vote stays chosen
    feedback_path(tmp_path / "index").rmdir()  # the store is fixed: retrying saves the vote kept
    at = at.button(key="retry:male-breast-cancer:0").click().run()
    assert not at.chat_message[1].error
    assert [f.helpful for f in FeedbackStore(feedback_path(tmp_path / "index")).all()] == [True]


def test_export_holds_questions_answers_citations_and_disclaimer(app):
    at = ask(pick(app, "metastatic-breast-cancer"), "What loading dose of trastuzumab is used?")
    from assistant.render import conversation_markdown

    turns = at.session_state["tab"]["chats"]["metastatic-breast-cancer"]
    exported = conversation_markdown("T", turns, exported="2026-01-01 10:00 UTC", about=["Review status: draft"])
    assert exported.startswith("# Questions about: T\n\n- Exported 2026-01-01 10:00 UTC\n- Review status: draft\n")
    assert "## Q: What loading dose of trastuzumab is used?" in exported
    assert "4 mg/kg IV over 90 minutes and continues at 2 mg/kg weekly" in exported
    assert "- S1: How does breast cancer spread" in exported and "weekly; the alternative schedule" in exported
    assert "  - cites [6]: UNRESOLVED, not in the article's reference list" in exported
    assert "#0" not in exported and "characters " not in exported  # no internal ids or offsets
    assert "> For healthcare professionals only." in exported
    assert any(b.label == "Export conversation (Markdown)" for b in at.get("download_button"))


def test_two_sessions_do_not_see_each_other(app):
    first = ask(pick(app, "male-breast-cancer"), "What are the risk factors for breast cancer in men?")
    second = pick(AppTest.from_file(APP, default_timeout=60).run(), "male-breast-cancer")
    assert len(first.chat_message) == 2
    assert len(second.chat_message) == 0
    assert first.session_state["tab"]["chats"]["male-breast-cancer"]
    assert not second.session_state["tab"].get("chats", {}).get("male-breast-cancer")


def test_concurrent_feedback_writes_lose_no_row(tmp_path):
    store = FeedbackStore(tmp_path / "index.feedback.sqlite")

    def write(worker: int) -> None:
        mine = FeedbackStore(tmp_path / "index.feedback.sqlite")
        for i in range(25):
            mine.add(Feedback("a", f"q{worker}-{i}", "answer", i % 2 == 0, "", ("c#0",)))

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(f.question for f in store.all()) == sorted(f"q{w}-{i}" for w in range(8) for i in range(25))


def test_html_in_the_corpus_is_shown_as_text(tmp_path, monkeypatch, embedder):
    from indexer.build import build_index
    from indexer.settings import Settings

    corpus = tmp_path / "corpus"
    write_article(
        corpus,
        "xss",
        'Dose <script>alert("x")</script> and <img src=x onerror=alert(1)> here [1].',
        title="What about <b>bold</b> tags ![pixel](http://203.0.113.9/p.png)?",
    )
    build_index(Settings(corpus=(corpus,), index=tmp_path / "index"), embedder=embedder)
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(tmp_path / "index"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    body = next(m for m in at.markdown if "script" in m.value)
    assert "\\<script\\>" in body.value and "<script>" not in body.value
    assert "\\<img src=x onerror=alert\\(1\\)\\>" in body.value
    title = "What about <b>bold</b> tags ![pixel](http://203.0.113.9/p.png)?"
    assert plain(at.title[0].value) == title and "<b>" not in at.title[0].value
    # the library lists it as text too: no image fetched from a title on page load
    [option] = at.radio(key="article_choice").options
    assert plain(option) == title and "\\!\\[pixel\\]\\(http" in option
    assert all(not m.proto.allow_html for m in at.markdown)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "no index at {p}"),
        (lambda p: (p.mkdir(), (p / "notes.txt").write_text("x")), "{p} is not a guideline-qa index"),
    ],
    ids=["missing", "not-an-index"],
)
def test_missing_or_foreign_index_gives_the_command_that_fixes_it(tmp_path, monkeypatch, make, message):
    make(tmp_path / "none")
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(tmp_path / "none"))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert message.format(p=tmp_path / "none") in plain(at.error[0].value)
    assert "python -m indexer build --corpus corpus --index" in at.code[0].value
    assert not at.chat_input


def test_stale_index_says_how_to_rebuild(tmp_path, monkeypatch, embedder):
    from indexer.build import build_index
    from indexer.settings import Settings

    corpus = tmp_path / "corpus"
    write_article(corpus, "a", "A claim [1].")
    build_index(Settings(corpus=(corpus,), index=tmp_path / "index"), embedder=embedder)
    write_article(corpus, "b", "A newer claim [1].")
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(tmp_path / "index"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "The corpus changed after this index was built" in at.sidebar.warning[0].value
    assert at.sidebar.code[0].value == f"python -m indexer build --corpus {corpus} --index {tmp_path / 'index'}"


def test_evaluation_page_shows_the_latest_run(tmp_path, monkeypatch, sample_index, embedder):
    from evals.runner import run_evaluation

    runs = tmp_path / "runs"
    run_evaluation(
        sample_index, ROOT / "evals" / "datasets" / "sample", runs / "sample", ["hybrid", "bm25"], embedder=embedder
    )
    monkeypatch.setenv("GUIDELINE_QA_RUNS", str(runs))
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(sample_index))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at = at.sidebar.radio(key="page").set_value("Evaluation").run()
    assert not at.exception
    assert plain(at.title[0].value) == "Evaluation"
    summary = plain(at.markdown[1].value)  # after the masthead: the plain-language summary leads
    assert summary.startswith("57 questions from the sample set (all). The right section was among the first 10")
    assert "Run sample on 20" in plain(at.caption[0].value) and " UTC" in plain(at.caption[0].value)
    assert "ndcg@10" in at.table[0].value.index and "abstention_recall" in at.table[0].value.index  # definitions
    section = at.table[1].value
    assert list(section.columns) == ["hybrid", "bm25"] and section.loc["ndcg@10", "hybrid"] > 0.9
    assert len(at.get("image")) == 2  # recall@k and latency plots


def test_evaluation_page_lists_the_questions_the_run_got_wrong(tmp_path, monkeypatch, sample_index):
    run = tmp_path / "runs" / "r1"
    run.mkdir(parents=True)
    metrics = {
        "dataset_name": "clinician", "split": "dev", "index": "index", "questions": 3, "headings_indexed": True,
        "wall_s": 1.0, "run_at": "2026-11-27T10:00:00+00:00",
        "variants": {"hybrid": {"section": {"recall@10": 1.0}, "document": {"recall@10": 1.0}}},
        "answers": {"key_fact_recall": 0.5, "abstention_precision": 0.0, "abstention_recall": 0.0},
        "latency_ms": {"retrieve_p50": 1.0},
    }
    (run / "metrics.json").write_text(json.dumps(metrics))
    rows = [
        {"text": "dose of drug Z?", "answer": {"abstained": True, "should_abstain": False, "category": "direct"}},
        {"text": "first line?", "answer": {"abstained": False, "should_abstain": False, "facts": True}},
        {"text": "loading dose?", "answer": {"abstained": False, "should_abstain": False, "facts": False}},
        {"text": "soy foods?", "answer": {"abstained": False, "should_abstain": True, "category": "unanswerable"}},
    ]
    (run / "per_question.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    monkeypatch.setenv("GUIDELINE_QA_RUNS", str(tmp_path / "runs"))
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(sample_index))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at = at.sidebar.radio(key="page").set_value("Evaluation").run()
    assert not at.exception
    assert plain(at.subheader[0].value) == "Questions it got wrong (3)"
    wrong = at.dataframe[0].value
    assert list(wrong["question"]) == ["dose of drug Z?", "loading dose?", "soy foods?"]
    assert list(wrong["what went wrong"]) == [
        "refused, but answerable",
        "a key fact missing, or not first",
        "answered, but the guidelines do not cover it",
    ]
    assert "on 2026-11-27 10:00:00 UTC" in plain(at.caption[0].value)


def test_evaluation_page_without_runs_says_how_to_make_one(tmp_path, monkeypatch, sample_index):
    monkeypatch.setenv("GUIDELINE_QA_RUNS", str(tmp_path / "none"))
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(sample_index))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at = at.sidebar.radio(key="page").set_value("Evaluation").run()
    assert "python -m evals run --index index" in at.code[0].value


def test_rebuilds_picked_up_by_the_app_replace_the_loaded_index_and_keep_one_model(tmp_path, monkeypatch, embedder):
    """Each rebuild is loaded (and verified) afresh on the next run, and the previous build is released:
    however many rebuilds the app sees, one index of this folder stays in memory, and no model is reloaded."""
    import gc

    from assistant.index import SearchIndex
    from indexer.build import build_index
    from indexer.embed import Embedder
    from indexer.settings import Settings

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_article(corpus, "her2", "Trastuzumab loading dose is 4 mg/kg IV [1].", title="What dose?")
    settings = Settings(corpus=(corpus,), index=index)
    build_index(settings, embedder=embedder)
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(index))

    def loaded() -> list:
        gc.collect()
        return [o for o in gc.get_objects() if type(o) is SearchIndex and o.path == index]

    created = []
    real_init = Embedder.__init__
    monkeypatch.setattr(Embedder, "__init__", lambda self, *a, **k: (created.append(1), real_init(self, *a, **k))[1])
    for i in range(4):
        if i:
            write_article(corpus, f"extra{i}", f"Extra note number {i} on dosing [1].", title=f"Note {i}?")
            build_index(settings, embedder=embedder)
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception
        at = ask(at, "What is the trastuzumab loading dose?")
        assert "4 mg/kg IV" in plain(at.chat_message[1].markdown[0].value)
        articles = f"{i + 1} guideline article" + ("s" if i else "")
        assert plain(at.sidebar.markdown[0].value).startswith(articles)
        assert len(loaded()) == 1
    assert len(created) <= 1  # the app's one shared model (perhaps already loaded by an earlier test)


def test_the_question_log_is_off_by_default_and_private_when_configured(sample_index, monkeypatch, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(index))
    log = tmp_path / "logs" / "questions.jsonl"
    at = ask(pick(AppTest.from_file(APP, default_timeout=60).run(), "male-breast-cancer"), "tamoxifen in men?")
    assert not at.exception and not log.exists()
    monkeypatch.setenv("GUIDELINE_QA_LOG_QUESTIONS", str(log))
    other = tmp_path / "other-index"  # another index: the app builds another assistant with these settings
    shutil.copytree(sample_index, other)
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(other))
    at = ask(pick(AppTest.from_file(APP, default_timeout=60).run(), "male-breast-cancer"), "tamoxifen in men?")
    assert not at.exception
    assert '"question": "tamoxifen in men?"' in log.read_text()
    assert log.stat().st_mode & 0o777 == 0o600  # questions are readable by the service user only


def test_a_question_read_only_through_synonyms_shows_no_empty_reading(app):
    question = "What is the first-line treatment for HER2-positive metastatic breast cancer?"
    at = ask(pick(app, "metastatic-breast-cancer"), question)
    captions = texts(at.chat_message[1].caption)
    assert not any(c.startswith("Read as:") for c in captions)  # every expansion here is a synonym


def test_the_corpus_is_checked_for_changes_once_a_minute_not_on_every_question(app, monkeypatch):
    """Reading the corpus to see whether the index is stale takes seconds on a large corpus: a question
    must not pay for it again."""
    import indexer.corpus

    calls = []
    real = indexer.corpus.fingerprint_within
    monkeypatch.setattr(indexer.corpus, "fingerprint_within", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = ask(pick(app, "metastatic-breast-cancer"), "What is first-line for HER2-positive disease?")
    at = ask(at, "What loading dose?")
    assert not at.exception
    assert len(calls) <= 1


def test_a_long_article_is_sent_in_parts_and_every_part_can_be_read(sample_index, monkeypatch, tmp_path):
    """The browser is never sent a whole long article at once: it comes in parts of at most
    GUIDELINE_QA_ARTICLE_PAGE_CHARS characters, the references with the last part."""
    monkeypatch.setenv("GUIDELINE_QA_INDEX", str(sample_index))
    monkeypatch.setenv("GUIDELINE_QA_ARTICLE_PAGE_CHARS", "2000")
    at = pick(AppTest.from_file(APP, default_timeout=60).run(), "metastatic-breast-cancer")
    assert not at.exception
    pager = at.get("pagination")
    assert len(pager) == 1
    parts = int(pager[0].proto.num_pages)
    assert parts >= 3
    seen, sizes = [], []
    for part in range(1, parts + 1):
        at.session_state["article_page:metastatic-breast-cancer"] = part
        at = at.run()
        sizes.append(sum(len(m.value) for m in at.markdown))
        seen.append([h for h in texts(at.header) if h != "Have a follow-up question?"])
    assert "How metastasis develops" in seen[0] and "References" not in seen[0]
    assert "References" in seen[-1] and "Prognosis" not in seen[0]
    headings = [h for hs in seen for h in hs]
    assert len(headings) == len(set(headings))  # each section heading in one part only
    assert max(sizes) < 3 * 2000 + 4000  # a part: its text, escapes and links, and the page around it


def test_a_refusal_offers_the_question_without_the_term_the_guidelines_lack(app):
    at = ask(pick(app, "metastatic-breast-cancer"), "How are bone mets treated with denosumab?")
    refusal = at.chat_message[1]
    assert texts(refusal.warning) == ["The indexed guidelines do not mention denosumab."]
    offer = [b for b in refusal.button if plain(b.label).startswith("Ask without")]
    assert [plain(b.label) for b in offer] == ["Ask without “denosumab”: How are bone mets treated?"]
    at = offer[0].click().run()
    assert not at.exception
    assert plain(at.chat_message[2].markdown[0].value) == "How are bone mets treated?"
    answer = at.chat_message[3]
    assert not answer.warning and "[S1]" in plain(answer.markdown[0].value)
