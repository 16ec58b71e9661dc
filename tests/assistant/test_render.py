"""What the article view and the sidebar show, as Markdown: highlights at exactly the used sentences,
markers that lead to their reference entries, long articles in pages, the library's coverage."""

import re

from assistant.render import article_markdown, article_pages, coverage_lines

TEXT = (
    "Trastuzumab is given with paclitaxel [1]. It starts at 4 mg/kg [2, 6].\n"
    "\n"
    "- Monitor LVEF before the first dose [1].\n"
    "- Do not combine anthracyclines with trastuzumab [7].\n"
)


def visible(markdown: str) -> str:
    """The text a reader sees: links to their label, directives to their content, escapes undone."""
    text = re.sub(r"\[([^\]]*)\]\(#[^)]*\)", r"\1", markdown)
    text = re.sub(r":orange-background\[", "", text)
    return re.sub(r"\\(.)", r"\1", text.replace("**", ""))


def highlighted(markdown: str) -> list[str]:
    """The highlighted stretches, as a reader sees them."""
    found, depth, start = [], 0, None
    i = 0
    while i < len(markdown):
        if markdown.startswith(":orange-background[", i):
            start, depth = i + len(":orange-background["), 1
            i = start
            continue
        if start is not None and markdown[i] == "\\":
            i += 2
            continue
        if start is not None and markdown[i] == "[":
            depth += 1
        elif start is not None and markdown[i] == "]":
            depth -= 1
            if depth == 0:
                found.append(visible(markdown[start:i]))
                start = None
        i += 1
    return found


def span(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def test_only_the_used_sentences_are_highlighted_and_the_text_reads_as_written():
    used = [span("It starts at 4 mg/kg [2, 6]."), span("Do not combine anthracyclines with trastuzumab [7].")]
    out = article_markdown(TEXT, 0, len(TEXT), {1, 2}, used)
    assert highlighted(out) == [
        "It starts at 4 mg/kg [2, 6: not in the reference list].",
        "Do not combine anthracyclines with trastuzumab [7: not in the reference list].",
    ]
    plain = article_markdown(TEXT, 0, len(TEXT), {1, 2})
    assert highlighted(plain) == []
    assert visible(plain).splitlines()[2] == "- Monitor LVEF before the first dose [1]."


def test_a_highlight_ending_inside_a_citation_marker_takes_the_whole_marker():
    start = TEXT.index("It starts")
    out = article_markdown(TEXT, 0, len(TEXT), {1, 2}, [(start, TEXT.index("[2, 6]") + 3)])
    assert highlighted(out) == ["It starts at 4 mg/kg [2, 6: not in the reference list]"]


def test_listed_markers_link_to_their_reference_entry_and_unlisted_ones_are_flagged_not_linked():
    out = article_markdown(TEXT, 0, len(TEXT), {1, 2})
    assert re.findall(r"\]\(#(ref-\d+)", out) == ["ref-1", "ref-2", "ref-1"]
    assert "**6: not in the reference list**" in out and "**7: not in the reference list**" in out


def test_html_and_markdown_in_article_text_stay_text():
    text = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold** [1]."
    out = article_markdown(text, 0, len(text), {1}, [(0, len(text))])
    assert "<img" not in out.replace("\\<img", "")
    assert visible(out).startswith("<img src=x onerror=alert(1)> [click](javascript:alert(1)) **bold** [1].")


def sections(text: str, cuts: list[int]) -> list[dict]:
    bounds = [0, *cuts, len(text)]
    return [
        {"id": f"s{i}", "heading": f"H{i}", "level": 2, "start": a, "end": b}
        for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))
    ]


def test_a_long_article_comes_in_pages_that_keep_every_character_once_and_in_order():
    text = "".join(f"Line {i} of a long article, with words enough to fill it.\n" for i in range(2000))
    secs = sections(text, [text.index("\n", 1000) + 1, text.index("\n", 90_000) + 1])
    pages = article_pages(secs, text, 20_000)
    assert len(pages) > 5
    pieces = [(a, b) for page in pages for _, a, b in page]
    assert "".join(text[a:b] for a, b in pieces) == text
    for page in pages:
        assert sum(b - a for _, a, b in page) <= 20_000
    assert all(text[b - 1] == "\n" for a, b in pieces)  # a long section is cut at line ends
    firsts = [sec["id"] for page in pages for sec, a, _ in page if a == sec["start"]]
    assert firsts == ["s0", "s1", "s2"]  # each heading shown once, with the section's first piece


def test_a_short_article_is_one_page_and_headings_without_text_are_kept():
    text = "Short text.\n"
    secs = [{"id": "t", "heading": "T", "level": 1, "start": None, "end": None}, *sections(text, [])]
    assert article_pages(secs, text, 100_000) == [[(secs[0], None, None), (secs[1], 0, len(text))]]


def test_coverage_names_kinds_sources_dates_and_review_status():
    docs = [
        {"kind": "article", "meta": {"updated": "2026-01-15", "review_status": "pending review"}},
        {"kind": "article", "meta": {"updated": "2025-03-02", "review_status": "reviewed"}},
        {"kind": "article", "meta": {"review_status": "reviewed"}},
        {"kind": "source", "collection": None, "meta": {}},
        *[{"kind": "medquad", "collection": "CancerGov", "meta": {}} for _ in range(3)],
    ]
    assert coverage_lines(docs) == [
        "3 guideline articles · 1 reference text · 3 question-answer pages",
        "From CancerGov (3)",
        "Articles updated 2025-03-02 to 2026-01-15 (1 without a date)",
        "Review status: reviewed 2, pending review 1",
    ]


def test_a_claim_whose_sentence_cites_a_missing_reference_is_flagged_on_its_line(assistant):
    """The trastuzumab dose cites [6], which the sample article's reference list lacks: the flag was only in
    the collapsed source and the export's source list, never beside the dose a clinician reads."""
    from assistant.render import claims_markdown, conversation_markdown

    dose = assistant.ask("loading dose of trastuzumab?", [], "metastatic-breast-cancer")
    assert not dose.abstained and "4 mg/kg" in dose.claims[0][0]
    first_line = claims_markdown(dose).splitlines()[0].replace("\\", "")
    assert "4 mg/kg" in first_line and "[S1] **(cites [6]: not in the article's reference list)**" in first_line
    exported = conversation_markdown("T", [("loading dose of trastuzumab?", dose)])
    assert "4 mg/kg" in exported and "[S1] (cites [6]: not in the article's reference list)" in exported
    # a sentence citing listed references only ([1, 2]) carries no flag
    sites = assistant.ask("where does breast cancer usually spread?", [], "metastatic-breast-cancer")
    assert "Bone is the commonest site" in sites.claims[0][0]
    assert "not in the article's reference list" not in claims_markdown(sites).splitlines()[0]
