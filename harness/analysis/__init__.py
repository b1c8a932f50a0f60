"""Decisions from stored samples: paired comparisons, the CI gate, audit bundles (imports only core)."""
