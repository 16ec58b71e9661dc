"""Property tests (issue 11): whatever bytes a corpus file holds, every importer returns or raises our own
error type, within a per-example deadline and a memory bound (tests/helpers.py: within_bounds).

Inputs are drawn from the pieces the parsers react to (front matter fences, headings, bullets, citation
markers, YAML anchors and aliases, web-page chrome, XML) joined with arbitrary text and long runs of
spaces, so the search reaches the parsers' corners rather than only their "not UTF-8" exit. What it found is
in tests/indexer/test_bad_input.py as named regressions.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.corpus import parse_file

from ..helpers import within_bounds
from ..strategies import as_bytes, corpus_text

# Examples per importer come from the Hypothesis profile (tests/conftest.py): 100 in the suite, a few
# seconds each; `make fuzz` runs 3,000 each.
FUZZ = settings(
    deadline=None,  # our own deadline interrupts; Hypothesis' would only report afterwards
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

MARKDOWN_PIECES = [
    "---\n",
    "---",
    "\n",
    "\n\n",
    "\r\n",
    "id: a\n",
    "title: T?\n",
    "id: ",
    "title: ",
    "## ",
    "# ",
    "###### ",
    "#",
    " #",
    "```",
    "- ",
    "* ",
    "1. ",
    "  ",
    "\t",
    "[1]",
    "[1, 2]",
    "[3-5]",
    "[999]",
    ".",
    ". ",
    "A. ",
    "e.g. ",
    "references:\n",
    "  - n: 1\n    title: T\n",
    "  - n: .inf\n",
    "    year: .nan\n",
    "  - {n: 1e400}\n",
    "tags: ",
    "&a ",
    "*a",
    "&b [*a, *a, *a]\n",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "!!python/object:os.system ''\n",
    "updated: 2025-02-30\n",
    "source_file: ../../etc/passwd\n",
    "\x00",
    "\x1b[2J",
    "\u2028",
    "\ufeff",
    "é",
]
PAGE_PIECES = [
    "\n",
    "Last updated: ",
    "January 5, 2025",
    " View editorial policy",
    "References\n",
    "Guideline\n",
    "Review\n",
    "Journal, 2021.",
    "https://example.org/x",
    "Dosing",
    "Give 4 mg/kg once weekly. 1, 2",
    "grade 2. ",
    " 3.",
    "• ",
    "- ",
    "Share",
    "Disclaimer\n",
    "Have a follow-up question?\n",
    ",",
    " ",
    "  ",
    ".",
]
XML_PIECES = [
    '<?xml version="1.0"?>',
    '<?xml version="1.0" encoding="latin-1"?>',
    '<?xml version="1.0" encoding="x"?>',
    '<Document id="0000001" source="GARD">',
    '<Document id="" source="">',
    "<doc docid='1' corpus='NINDS'>",
    "<Focus>F</Focus>",
    "<QAPairs>",
    "<QAPair pid='1'>",
    "<pair>",
    "<Question>What is F?</Question>",
    "<Answer>",
    "</Answer>",
    "  - ",
    "</QAPair>",
    "</QAPairs>",
    "</Document>",
    "<!DOCTYPE x [<!ENTITY e 'e'>]>",
    "&e;",
    "&amp;",
    "&#10;",
    "<![CDATA[x]]>",
    "<a>",
    "</a>",
    "\n",
]


YAML_PIECES = [
    "references:\n",
    "  - ",
    "    ",
    "n: ",
    "year: ",
    "url: ",
    "source_file: ",
    "type: ",
    "title: ",
    "source: ",
    ".inf",
    "-.inf",
    ".nan",
    "1",
    "1.5",
    "-1",
    "0",
    "99999999999999999999",
    "null",
    "[1]",
    "{a: 1}",
    "[]",
    "{}",
    "!!binary aGk=",
    "!!timestamp 2020-01-01",
    "!!set {a}",
    "&x ",
    "*x",
    "tags: ",
    "updated: ",
    "2025-01-01",
    "id: ",
    "review_status: ",
    "note: ",
    '"',
    "'",
    "\n",
    ", ",
    "T",
]


def front_matter_then_body() -> st.SearchStrategy[str]:
    """An article whose front matter is well-formed often enough to reach the field checks behind YAML."""
    return st.builds(
        lambda fm, body: f"---\nid: a\ntitle: T?\n{fm}\n---\n\n## A\n\nText [1].\n{body}",
        corpus_text(YAML_PIECES),
        corpus_text(MARKDOWN_PIECES),
    )


ROOT = Path("/corpus")


@FUZZ
@given(data=as_bytes(st.one_of(corpus_text(MARKDOWN_PIECES), front_matter_then_body())))
def test_markdown_article_importer(data):
    within_bounds(parse_file, ROOT, ROOT / "articles" / "a.md", data)


@FUZZ
@given(data=as_bytes(corpus_text(MARKDOWN_PIECES)))
def test_reference_text_importer(data):
    within_bounds(parse_file, ROOT, ROOT / "sources" / "s.md", data)


@FUZZ
@given(data=as_bytes(corpus_text(PAGE_PIECES + MARKDOWN_PIECES)))
def test_web_page_importer(data):
    within_bounds(parse_file, ROOT, ROOT / "page.txt", data)


@FUZZ
@given(data=as_bytes(corpus_text(XML_PIECES)))
def test_medquad_importer(data):
    within_bounds(parse_file, ROOT, ROOT / "medquad" / "0000001.xml", data)
