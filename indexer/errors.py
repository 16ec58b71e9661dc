"""Exceptions the indexer raises; the CLI and the app turn them into one line a user can act on."""

from __future__ import annotations

import shlex
from pathlib import Path


class GuidelineQAError(Exception):
    """Base of every error we expect a user to see as a message rather than a traceback."""


class CorpusError(GuidelineQAError):
    """A corpus file that cannot be used as it is: names the file and, where known, the line."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {reason}")


class UnresolvedCitation(CorpusError):
    """A citation marker whose number is not in the article's reference list: kept, and reported."""


class VocabularyError(CorpusError):
    """A vocabulary.yaml that cannot be used as it is. Unlike a bad article, it fails the build: an index
    built without the organisation's vocabulary would answer every question worse, without a word."""


class IndexMissing(GuidelineQAError):
    """No index where one was expected."""


class IndexMismatch(GuidelineQAError):
    """An index exists but this code cannot read it (other schema, other model, not ours at all)."""


class BuildError(GuidelineQAError):
    """The build could not finish; the previous index, if any, is untouched."""


class IndexDamaged(IndexMismatch):
    """An index file that is missing, altered or inconsistent with the manifest: never answered from."""

    def __init__(self, path: Path | str, problem: str, rebuild: str | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.rebuild = rebuild
        super().__init__(f"{self.path} {problem}" + (f"; rebuild with '{rebuild}'" if rebuild else ""))

    def with_rebuild(self, rebuild: str) -> IndexDamaged:
        return IndexDamaged(self.path, self.problem, rebuild)


class IndexUnreadable(IndexMismatch):
    """An index file or folder this user may not read (an index another user built): names it and the fix."""

    def __init__(self, path: Path | str, index_dir: Path | str) -> None:
        self.path = Path(path)
        folder = shlex.quote(str(index_dir))
        self.fix = f"chgrp -R GROUP {folder} && chmod -R g+rX {folder}"
        super().__init__(
            f"{self.path} cannot be read by this user (permission denied); the index's owner can share it with "
            f"a group this user is in: '{self.fix}'"
        )


class SettingsError(GuidelineQAError):
    """A setting with a value we cannot use (from the environment or a flag): names it and what is allowed."""
