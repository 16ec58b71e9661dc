"""Streamlit front end. For now: the index status page; the chat lands with the answers issue."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

from indexer.errors import IndexMismatch, IndexMissing
from indexer.settings import Settings
from indexer.store import read_manifest


def index_path(argv: list[str]) -> Path:
    """`streamlit run app.py -- --index DIR`, else GUIDELINE_QA_INDEX, else index/."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--index", type=Path)
    args, _ = parser.parse_known_args(argv)
    return args.index or Settings.from_env().index


def main() -> None:
    st.set_page_config(page_title="guideline-qa", layout="wide")
    st.info("Educational use by healthcare professionals only. Verify everything against primary sources.")
    st.title("guideline-qa")
    index = index_path(sys.argv[1:])
    try:
        manifest = read_manifest(index)
    except (IndexMissing, IndexMismatch) as exc:
        st.error(str(exc))
        st.stop()
    counts = manifest.get("counts", {})
    st.subheader("Index status")
    cols = st.columns(4)
    cols[0].metric("Documents", counts.get("documents", 0))
    cols[1].metric("Sections", counts.get("sections", 0))
    cols[2].metric("Chunks", counts.get("chunks", 0))
    cols[3].metric("References", counts.get("references", 0))
    st.text(
        f"Model: {manifest.get('model', {}).get('id')}\nBuilt at: {manifest.get('built_at')}\nIndex: {index}"
    )
    warnings = manifest.get("warnings", [])
    if warnings:
        with st.expander(f"{len(warnings)} build warning(s)"):
            for w in warnings:
                st.text(w)


main()
