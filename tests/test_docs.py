"""Docs that cannot drift: every setting in docs/settings.md, every command and option in docs/cli.md."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterator

import pytest

from assistant.__main__ import build_parser as assistant_parser
from evals.__main__ import build_parser as evals_parser
from indexer.__main__ import build_parser as indexer_parser
from indexer.settings import VARIABLES, Variable

from .helpers import ROOT

SETTINGS_MD = ROOT / "docs" / "settings.md"
CLI_MD = ROOT / "docs" / "cli.md"
PARSERS = [indexer_parser, assistant_parser, evals_parser]


def shown(default: object) -> str:
    if default is None:
        return "unset"
    if isinstance(default, bool):
        text = "true" if default else "false"
    elif isinstance(default, tuple):
        text = os.pathsep.join(str(p) for p in default)
    else:
        text = str(default)
    return f"`{text}`"


def settings_row(var: Variable) -> str:
    """The line docs/settings.md holds for `var`: paste it when this test says it is missing."""
    where = f"{var.section}.{var.field}" if var.section else var.field
    return f"| `{var.name}` | `{where}` | {shown(var.default)} | {var.allowed} | {var.doc} |"


def test_every_variable_is_documented_with_its_default_and_range():
    text = SETTINGS_MD.read_text(encoding="utf-8")
    stale = [settings_row(v) for v in VARIABLES if settings_row(v) not in text.splitlines()]
    assert not stale, "docs/settings.md lacks or has a stale row; the rows should read:\n" + "\n".join(stale)


def test_settings_doc_lists_no_variable_that_does_not_exist():
    documented = set(re.findall(r"^\| `(GUIDELINE_QA_\w+)`", SETTINGS_MD.read_text(encoding="utf-8"), re.M))
    assert documented == {v.name for v in VARIABLES}


def commands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def documented_sections() -> dict[str, str]:
    """docs/cli.md split at its `## python -m ...` headings: heading -> the text under it."""
    parts = re.split(r"^## `?(python -m [\w-]+ [\w-]+)`?\s*$", CLI_MD.read_text(encoding="utf-8"), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize(
    ("prog", "command", "sub"),
    [pytest.param(p.prog, name, sub, id=name) for build in PARSERS for p in [build()] for name, sub in commands(p)],
)
def test_every_command_and_option_is_in_cli_md(prog, command, sub):
    section = documented_sections().get(f"{prog} {command}")
    assert section is not None, f"docs/cli.md has no '## {prog} {command}' section"
    missing = []
    for action in sub._actions:
        if action.option_strings:
            missing += [o for o in action.option_strings if o not in ("-h", "--help") and f"`{o}" not in section]
        elif action.dest.upper() not in section:  # positionals are written in capitals: QUESTION, FILES
            missing.append(action.dest.upper())
    assert not missing, f"docs/cli.md, section {prog} {command}, does not mention {', '.join(missing)}"


def test_cli_md_documents_no_command_that_does_not_exist():
    real = {f"{p.prog} {name}" for build in PARSERS for p in [build()] for name, _ in commands(p)}
    assert set(documented_sections()) == real


def test_readme_points_at_both_references():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    settings = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    assert "docs/settings.md" in settings and "docs/cli.md" in settings
