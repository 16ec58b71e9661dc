"""Settings: every variable reads back into its field, every bad value is one line naming the variable,
on every surface, before any model loads."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.errors import GuidelineQAError, SettingsError
from indexer.settings import SECTIONS, VARIABLES, ChunkSettings, RetrievalSettings, Settings, Variable, field_rules

from ..helpers import ROOT


def other_value(var: Variable) -> tuple[str, object]:
    """A valid value for `var`, unlike its default: (text to set, value expected in the field)."""
    if var.type is bool:
        return ("no", False) if var.default else ("yes", True)
    if var.type is int:
        return str(var.default + 1), var.default + 1
    if var.type is float:
        value = round(var.default * 0.9, 4)
        return str(value), value
    if choices := field_rules(var)["choices"]:
        value = next(c for c in choices if c != var.default)
        return value, value
    if var.type is str:
        return "custom-name_2", "custom-name_2"
    if var.name == "GUIDELINE_QA_LLM_URL":
        return "http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1"
    if var.type == str | None:
        return "custom-name_2", "custom-name_2"
    if var.name == "GUIDELINE_QA_CORPUS":
        return f"docs{os.pathsep}more/corpus", (Path("docs"), Path("more/corpus"))
    return "some/where.jsonl", Path("some/where.jsonl")


@pytest.mark.parametrize("var", VARIABLES, ids=lambda v: v.name)
def test_each_variable_reads_back_into_its_field_and_nothing_else(var):
    text, expected = other_value(var)
    assert expected != var.default
    settings = Settings.from_env({var.name: text})
    assert var.read(settings) == expected
    assert [v.read(settings) for v in VARIABLES if v is not var] == [v.default for v in VARIABLES if v is not var]


def test_all_variables_at_once():
    values = {v.name: other_value(v) for v in VARIABLES}
    settings = Settings.from_env({name: text for name, (text, _) in values.items()})
    assert {v.name: v.read(settings) for v in VARIABLES} == {name: value for name, (_, value) in values.items()}


def test_every_field_of_every_settings_class_has_exactly_one_variable():
    fields = {(None, f.name) for f in dataclasses.fields(Settings) if f.name not in SECTIONS}
    fields |= {(s, f.name) for s, cls in SECTIONS.items() for f in dataclasses.fields(cls)}
    assert {(v.section, v.field) for v in VARIABLES} == fields
    names = [v.name for v in VARIABLES]
    assert len(set(names)) == len(names) and all(n.startswith("GUIDELINE_QA_") for n in names)


def test_existing_variable_names_are_kept():
    kept = "INDEX CORPUS MODEL BATCH_SIZE MAX_TOKENS DISCLAIMER TOP_K DENSE_WEIGHT RUNS LOG_QUESTIONS".split()
    assert {f"GUIDELINE_QA_{n}" for n in kept} <= {v.name for v in VARIABLES}


@pytest.mark.parametrize("text", ["true", "TRUE", "1", "yes", " Yes ", "false", "0", "no", "False"])
def test_booleans_accept_true_false_1_0_yes_no(text):
    settings = Settings.from_env({"GUIDELINE_QA_INCLUDE_HEADINGS": text})
    assert settings.chunk.include_headings is (text.strip().lower() in ("true", "1", "yes"))


def test_an_empty_variable_counts_as_unset():
    assert Settings.from_env({"GUIDELINE_QA_TOP_K": "", "GUIDELINE_QA_MODEL": ""}) == Settings()


def test_new_fields_have_their_defaults():
    s = Settings()
    assert (s.retrieval.reranker, s.retrieval.rerank_depth, s.answer.composer, s.vector_store) == (
        "none",
        50,
        "extractive",
        "auto",
    )


BAD = [
    ("GUIDELINE_QA_TOP_K", "abc", "GUIDELINE_QA_TOP_K must be an integer, got 'abc'"),
    ("GUIDELINE_QA_TOP_K", "2.5", "GUIDELINE_QA_TOP_K must be an integer, got '2.5'"),
    ("GUIDELINE_QA_TOP_K", "0", "GUIDELINE_QA_TOP_K must be between 1 and 50, got 0"),
    ("GUIDELINE_QA_TOP_K", "51", "GUIDELINE_QA_TOP_K must be between 1 and 50, got 51"),
    ("GUIDELINE_QA_CANDIDATES", "5", "GUIDELINE_QA_CANDIDATES must be between GUIDELINE_QA_TOP_K (8) and 1000, got 5"),
    (
        "GUIDELINE_QA_RERANK_DEPTH",
        "1001",
        "GUIDELINE_QA_RERANK_DEPTH must be between GUIDELINE_QA_TOP_K (8) and 1000, got 1001",
    ),
    ("GUIDELINE_QA_DENSE_WEIGHT", "heavy", "GUIDELINE_QA_DENSE_WEIGHT must be a number, got 'heavy'"),
    ("GUIDELINE_QA_DENSE_WEIGHT", "0", "GUIDELINE_QA_DENSE_WEIGHT must be greater than 0 and at most 10, got 0.0"),
    ("GUIDELINE_QA_DENSE_WEIGHT", "nan", "GUIDELINE_QA_DENSE_WEIGHT must be greater than 0 and at most 10, got nan"),
    ("GUIDELINE_QA_RRF_K", "0", "GUIDELINE_QA_RRF_K must be between 1 and 1000, got 0"),
    ("GUIDELINE_QA_SCOPE_WEIGHT", "0.5", "GUIDELINE_QA_SCOPE_WEIGHT must be between 1 and 10, got 0.5"),
    ("GUIDELINE_QA_MAX_TOKENS", "16", "GUIDELINE_QA_MAX_TOKENS must be between 32 and 8192, got 16"),
    ("GUIDELINE_QA_BATCH_SIZE", "-1", "GUIDELINE_QA_BATCH_SIZE must be between 1 and 4096, got -1"),
    ("GUIDELINE_QA_MIN_DENSE", "1.5", "GUIDELINE_QA_MIN_DENSE must be between -1 and 1, got 1.5"),
    (
        "GUIDELINE_QA_INCLUDE_HEADINGS",
        "maybe",
        "GUIDELINE_QA_INCLUDE_HEADINGS must be true or false (or 1/0, yes/no), got 'maybe'",
    ),
    (
        "GUIDELINE_QA_RERANKER",
        "Cross Encoder",
        "GUIDELINE_QA_RERANKER must be a name of lowercase letters, digits, '_' or '-', got 'Cross Encoder'",
    ),
    (
        "GUIDELINE_QA_VECTOR_STORE",
        "faiss!",
        "GUIDELINE_QA_VECTOR_STORE must be a name of lowercase letters, digits, '_' or '-', got 'faiss!'",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD, ids=[f"{n}={t}" for n, t, _ in BAD])
def test_bad_value_names_the_variable_and_what_it_accepts(name, text, message):
    with pytest.raises(SettingsError) as err:
        Settings.from_env({name: text})
    assert str(err.value) == message


def test_a_bound_on_another_field_names_the_value_it_came_to():
    with pytest.raises(SettingsError, match=r"^GUIDELINE_QA_CANDIDATES must be between GUIDELINE_QA_TOP_K \(40\)"):
        Settings.from_env({"GUIDELINE_QA_TOP_K": "40", "GUIDELINE_QA_CANDIDATES": "30"})
    assert Settings.from_env({"GUIDELINE_QA_TOP_K": "40", "GUIDELINE_QA_CANDIDATES": "40"}).retrieval.candidates == 40


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: RetrievalSettings(top_k=0), "top_k must be between 1 and 50, got 0"),
        (
            lambda: RetrievalSettings(top_k=10, rerank_depth=9),
            "rerank_depth must be between top_k (10) and 1000, got 9",
        ),
        (lambda: dataclasses.replace(ChunkSettings(), max_tokens=16), "max_tokens must be between 32 and 8192, got 16"),
        (
            lambda: Settings().replace(vector_store=""),
            "vector_store must be a name of lowercase letters, digits, '_' or '-', got ''",
        ),
    ],
    ids=["top_k", "rerank_depth", "max_tokens", "vector_store"],
)
def test_values_from_flags_or_code_are_checked_too(make, message):
    with pytest.raises(SettingsError) as err:
        make()
    assert str(err.value) == message
    assert isinstance(err.value, GuidelineQAError) and not isinstance(err.value, ValueError)


# Each surface, run as a user runs it; the wrapper reports whether torch was imported.
SURFACE = (
    "import runpy, sys\n"
    "sys.argv = sys.argv[1:]\n"
    "try:\n"
    "    runpy.run_module(sys.argv[0], run_name='__main__')\n"
    "except SystemExit as e:\n"
    "    code = e.code\n"
    "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH')\n"
    "sys.exit(code)\n"
)
COMMANDS = {
    "indexer build": ["indexer", "build", "--corpus", "corpus", "--index", "{tmp}/index"],
    "indexer info": ["indexer", "info", "--index", "{tmp}/index"],
    "assistant ask": ["assistant", "ask", "--index", "{tmp}/index", "What loading dose is used?"],
    "evals run": ["evals", "run", "--index", "{tmp}/index", "--dataset", "evals/datasets/sample", "--out", "{tmp}/run"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GUIDELINE_QA_TOP_K": "abc"}, "error: GUIDELINE_QA_TOP_K must be an integer, got 'abc'"),
        ({"GUIDELINE_QA_TOP_K": "0"}, "error: GUIDELINE_QA_TOP_K must be between 1 and 50, got 0"),
        (
            {"GUIDELINE_QA_INCLUDE_HEADINGS": "maybe"},
            "error: GUIDELINE_QA_INCLUDE_HEADINGS must be true or false (or 1/0, yes/no), got 'maybe'",
        ),
    ],
    ids=["not-a-number", "out-of-range", "bad-boolean"],
)
def test_every_cli_exits_2_with_one_line_before_loading_the_model(command, env, message, tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GUIDELINE_QA_")}
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    done = subprocess.run(
        [sys.executable, "-c", SURFACE, *args], capture_output=True, text=True, cwd=ROOT, env={**clean, **env}
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [message]
    assert done.stdout.split() == ["NO-TORCH"]
    assert not (tmp_path / "index").exists() and not (tmp_path / "run").exists()
