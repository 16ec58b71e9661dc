"""Parse and chunk the guideline corpus, embed the chunks, and write the index directory.

Importing this package loads nothing heavy; torch comes in only when a build embeds.
"""
