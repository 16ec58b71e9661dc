"""The seed page: the reference example of the web-page format the importer must read."""

import re

from indexer.markdown import parse_markdown
from indexer.webpage import page_to_markdown

from ..helpers import SEED, need_shared


def parse_seed():
    path = need_shared(SEED)
    return parse_markdown(path, page_to_markdown(path, path.read_text(encoding="utf-8")))


def test_seed_page_title_sections_references_and_unresolved_citations():
    doc, warnings = parse_seed()
    assert doc.title.startswith("What is the metastatic pathophysiology of breast cancer")
    headings = [s.heading for s in doc.sections]
    for expected in ("Molecular Mechanisms of Metastasis", "HER2-Positive Disease", "Prognostic Factors"):
        assert expected in headings
    her2 = doc.sections[headings.index("HER2-Positive Disease")]
    assert her2.path[1:] == ("Treatment Approach Based on Receptor Status", "HER2-Positive Disease")
    assert [(r.n, r.type, r.year) for r in doc.references] == [
        (1, "Guideline", 2025),
        (2, "Research", 1988),
        (3, "Guideline", 2025),
        (4, "Guideline", 2025),
        (5, "Guideline", 2025),
    ]
    assert doc.references[1].source == "Southern medical journal"
    assert sorted(w.reason.split("]")[0] for w in warnings) == ["reference [6", "reference [7", "reference [8"]
    assert doc.meta["updated"] == "2026-01-15"


def test_seed_page_chrome_dropped_and_numbers_kept():
    doc, _ = parse_seed()
    body = doc.text.split("---", 2)[2]
    for chrome in ("Personalize", "Have a follow-up question", "Which best describes you", "assumes no liability"):
        assert chrome not in body
    # Expected text is taken from the page itself (never copied into the project).
    page = SEED.read_text(encoding="utf-8")
    dosing = re.search(r"loading dose of 4 mg/kg[^,]+", page).group(0)
    assert dosing in body  # doses are claim text, not citations
    spread = next(line.strip() for line in page.splitlines() if "(51%)" in line)
    assert re.sub(r" (\d+), (\d+)$", r" [\1, \2]", spread) in body  # trailing numbers became markers
    prognosis = next(line.strip() for line in page.splitlines() if line.startswith("The most favorable prognosis"))
    assert re.sub(r" (1, 8, 5)\.", r" [\1].", prognosis).replace(" 2.", " [2].") in body
    assert "median survival of only 1 month" in body


def test_import_page_cli_writes_an_article_that_builds(tmp_path, capsys):
    from indexer.__main__ import main

    need_shared(SEED)
    assert main(["import-page", str(SEED), "--out", str(tmp_path)]) == 0
    written = list(tmp_path.glob("*.md"))
    assert len(written) == 1
    doc, warnings = parse_markdown(written[0], written[0].read_text(encoding="utf-8"))
    assert len(doc.references) == 5 and len(warnings) == 3
    assert main(["import-page", str(SEED), "--out", str(tmp_path)]) == 2
    assert "pass --force" in capsys.readouterr().err
