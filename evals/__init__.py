"""Offline evaluation harness: datasets, runs, metrics and reports."""
