"""Scorers: pure functions from samples to scores, each score with an explanation."""

from harness.scorers.accuracy import score_classification

__all__ = ["score_classification"]
