"""Paths and small-corpus helpers the tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_8569af7effcc65ce.txt"
MEDQUAD = SHARED / "medquad"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"needs {path} (the read-only ../shared folder beside the checkout; CI always has it)")
    return path


ARTICLE = """---
id: {id}
title: {title}
references:
  - n: 1
    type: Guideline
    title: A guideline
    source: A society
    year: 2024
---

## Dosing

{body}
"""


def write_article(folder: Path, doc_id: str, body: str, title: str = "What is the dose?") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_id}.md"
    path.write_text(ARTICLE.format(id=doc_id, title=title, body=body), encoding="utf-8")
    return path
