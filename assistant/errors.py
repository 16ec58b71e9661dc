"""Exceptions of the read path; surfaces turn them into one line (CLI) or a message (app)."""

from indexer.errors import GuidelineQAError, IndexMismatch, IndexMissing

__all__ = ["GuidelineQAError", "IndexMismatch", "IndexMissing", "QuestionRejected", "UnknownArticle"]


class QuestionRejected(GuidelineQAError):
    """A question the assistant will not process as given (empty, too long, control characters)."""


class UnknownArticle(GuidelineQAError):
    """An article id that is not in the index."""
