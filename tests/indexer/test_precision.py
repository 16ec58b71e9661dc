"""Embedding precision: bfloat16 only where the CPU has it natively, forced either way by the setting, recorded
in the manifest, never mixed with vectors of the other precision, and refused for queries when it differs."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from assistant.index import SearchIndex
from indexer import store
from indexer.build import build_index, is_stale
from indexer.embed import Embedder
from indexer.errors import BuildError, IndexMismatch, SettingsError
from indexer.precision import native_bf16, resolve_precision
from indexer.settings import Settings

from ..helpers import write_article

X86_PLAIN = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512_vnni\n"


@pytest.mark.parametrize(
    ("cpuinfo", "native"),
    [
        (X86_PLAIN, False),  # AVX-512 and VNNI, but no bfloat16 instructions
        (X86_PLAIN.replace("avx512_vnni", "avx512_vnni avx512_bf16"), True),  # AMD Zen 4, Intel Cooper Lake
        (X86_PLAIN.replace("avx512_vnni", "amx_bf16 amx_tile"), True),  # Intel Sapphire Rapids
        ("processor\t: 0\nFeatures\t: fp asimd sve bf16 i8mm\n", True),  # Arm (Neoverse V1, Apple M2)
        ("processor\t: 0\nFeatures\t: fp asimd\n", False),
        ("", False),
    ],
    ids=["avx512-no-bf16", "avx512_bf16", "amx_bf16", "arm-bf16", "arm-plain", "no-cpuinfo"],
)
def test_native_bfloat16_is_read_from_the_cpu_flags(cpuinfo, native):
    assert native_bf16(cpuinfo) is native
    assert resolve_precision("auto", native=native) == ("bfloat16" if native else "float32")


@pytest.mark.parametrize("native", [True, False])
def test_a_forced_precision_holds_whatever_the_cpu(native):
    assert resolve_precision("float32", native=native) == "float32"
    assert resolve_precision("bfloat16", native=native) == "bfloat16"


def test_the_setting_accepts_the_three_choices_and_names_them_otherwise():
    assert Settings.from_env({"GUIDELINE_QA_PRECISION": "bfloat16"}).precision == "bfloat16"
    assert Settings().precision == "auto"
    with pytest.raises(SettingsError) as err:
        Settings.from_env({"GUIDELINE_QA_PRECISION": "fp16"})
    assert str(err.value) == "GUIDELINE_QA_PRECISION must be auto, float32 or bfloat16, got 'fp16'"
    assert Embedder(precision="float32").precision == "float32"  # no network loaded: tokenizer only
    assert Embedder(precision="auto").precision == resolve_precision("auto")


def test_bfloat16_embeddings_differ_from_float32_but_stay_close(embedder):
    """The network really runs in bfloat16 (the vectors change), and stays faithful (cosine near 1)."""
    texts = ["Trastuzumab loading dose is 4 mg/kg IV.", "Bisphosphonates treat hypercalcaemia of malignancy."]
    other = "bfloat16" if embedder.precision == "float32" else "float32"
    a = embedder.encode(texts)
    b = Embedder(precision=other).encode(texts)
    assert b.dtype == np.float32 and b.shape == a.shape
    cosines = np.sum(a * b, axis=1)
    assert np.all(cosines > 0.99) and not np.allclose(a, b, atol=1e-6)


class OtherPrecision:
    """The real embedder's tokenizer and vectors under another precision's name: a rebuild must not
    take the previous index's vectors for its own (pure bookkeeping, so real vectors are not needed)."""

    def __init__(self, embedder) -> None:
        self.model_id, self.max_seq_length = embedder.model_id, embedder.max_seq_length
        self.precision = "bfloat16" if embedder.precision == "float32" else "float32"
        self.count_tokens = embedder.count_tokens
        self._encode = embedder.encode
        self.texts_embedded = 0

    def encode(self, texts, progress=False):
        self.texts_embedded += len(texts)
        return self._encode(texts)


@pytest.fixture()
def tiny(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    write_article(corpus, "her2", "Trastuzumab loading dose is 4 mg/kg IV [1]. Then 2 mg/kg weekly [1].")
    settings = Settings(corpus=(corpus,), index=tmp_path / "index")
    first = build_index(settings, embedder=embedder)
    return settings, first


def test_the_manifest_records_the_precision_and_a_rebuild_in_another_reuses_no_vector(tiny, embedder):
    settings, first = tiny
    assert store.read_manifest(settings.index).model.precision == embedder.precision == first.precision
    other = OtherPrecision(embedder)
    second = build_index(settings.replace(precision=other.precision), embedder=other)
    assert second.reused == 0 and second.embedded == other.texts_embedded == first.embedded
    assert store.read_manifest(settings.index).model.precision == other.precision
    assert f"embedded in {other.precision}" in second.summary()
    # Back in the first precision: the other's vectors are not reused either.
    third = build_index(settings, embedder=embedder)
    assert third.reused == 0 and third.embedded == first.embedded


def test_a_changed_precision_makes_the_index_stale(tiny, embedder):
    settings, _ = tiny
    other = OtherPrecision(embedder).precision
    assert not is_stale(settings) and not is_stale(settings.replace(precision=embedder.precision))
    assert is_stale(settings.replace(precision=other))


def test_a_build_refuses_an_embedder_in_another_precision_than_the_setting(tiny, embedder):
    settings, _ = tiny
    other = OtherPrecision(embedder).precision
    with pytest.raises(BuildError, match=f"asks for {other} but the embedder given runs in {embedder.precision}"):
        build_index(settings.replace(precision=other), embedder=embedder)


def test_questions_are_embedded_in_the_index_precision_or_refused(sample_index, embedder, tmp_path):
    built = store.read_manifest(sample_index).model.precision
    other = "bfloat16" if built == "float32" else "float32"
    assert SearchIndex(sample_index, embedder=embedder).embedder.precision == built
    with pytest.raises(IndexMismatch, match=f"holds passages embedded in {built}, but GUIDELINE_QA_PRECISION asks"):
        SearchIndex(sample_index, embedder=embedder, precision=other)
    with pytest.raises(IndexMismatch, match=f"but questions would be embedded in {other}"):
        SearchIndex(sample_index, embedder=Embedder(precision=other))
    # Without an embedder, the one made follows the index (here: an index said to be in the other precision).
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    manifest = json.loads((index / "manifest.json").read_text())
    manifest["model"]["precision"] = other
    (index / "manifest.json").write_text(json.dumps(manifest))
    assert SearchIndex(index).embedder.precision == other
