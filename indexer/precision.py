"""The numeric precision the embedding model runs in: bfloat16 where the CPU does it natively, float32 otherwise.

Decided at run time from the CPU's own feature flags (no torch import, so `--if-stale` and `indexer info`
stay light): x86 `avx512_bf16` or `amx_bf16`, Arm `bf16`. Without one of them bfloat16 still runs, but
emulated and several times slower than float32, so `auto` keeps float32 there. The precision is part of
what a vector means: the manifest records it, queries are embedded in the index's own precision, and a
rebuild reuses only vectors of the precision it embeds in.
"""

from __future__ import annotations

import functools
from pathlib import Path

PRECISIONS = ("float32", "bfloat16")
CHOICES = ("auto", *PRECISIONS)
NATIVE_BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16", "bf16"})  # x86 flags, Arm Features
CPUINFO = Path("/proc/cpuinfo")


def native_bf16(cpuinfo: str | None = None) -> bool:
    """True when the CPU computes in bfloat16 natively, by the flags of `cpuinfo` (default: this machine's)."""
    if cpuinfo is None:
        return _this_cpu_has_bf16()
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return bool(NATIVE_BF16_FLAGS & set(value.split()))
    return False


@functools.cache
def _this_cpu_has_bf16() -> bool:
    try:
        return native_bf16(CPUINFO.read_text(encoding="utf-8", errors="replace"))
    except OSError:  # not Linux, or no /proc: nothing proves native support
        return False


def resolve_precision(requested: str, *, native: bool | None = None) -> str:
    """`float32` or `bfloat16` for a requested `auto`, `float32` or `bfloat16`; `native` overrides detection."""
    if requested not in CHOICES:
        raise ValueError(f"precision must be one of {', '.join(CHOICES)}, got {requested!r}")
    if requested != "auto":
        return requested
    return "bfloat16" if (native_bf16() if native is None else native) else "float32"
