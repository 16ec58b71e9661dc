"""requirements.lock, what `make install` installs with --require-hashes, says what pyproject.toml says:
a dependency changed in one and not the other fails here, not on a fresh machine."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from .helpers import ROOT

LOCK = ROOT / "requirements.lock"
TORCH_WHEEL = Path("/opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl")


def locked() -> dict[str, tuple[Version, list[str]]]:
    """Each locked package: its version and the SHA-256 hashes pip will accept for it."""
    out = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8")):
        head = re.match(r"([A-Za-z0-9_.\-]+)==(\S+)", block)
        if head:
            out[canonicalize_name(head[1])] = (Version(head[2]), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return out


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]


def test_every_declared_dependency_is_locked_at_its_pinned_version():
    lock = locked()
    wrong = []
    for req in declared():
        [spec] = req.specifier  # pyproject pins each one exactly
        version = lock.get(canonicalize_name(req.name), (None, []))[0]
        if version is None or Version(version.public) != Version(spec.version):
            wrong.append(f"{req} (locked: {version})")
    assert not wrong, f"re-lock with 'make lock' (README: Reproducible installs): {wrong}"


def test_every_locked_package_carries_hashes():
    lock = locked()
    assert len(lock) > len(declared())  # the transitive dependencies are there too
    assert [name for name, (_, hashes) in lock.items() if not hashes] == []


def test_torch_is_the_cpu_wheel_on_this_machines_disk():
    version, hashes = locked()["torch"]
    assert str(version) == "2.13.0+cpu"
    if not TORCH_WHEEL.is_file():
        pytest.skip(f"needs {TORCH_WHEEL} to compare hashes")
    assert hashes == [hashlib.sha256(TORCH_WHEEL.read_bytes()).hexdigest()]
