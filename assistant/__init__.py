"""Hybrid retrieval, follow-up handling and cited answer composition over the index."""
