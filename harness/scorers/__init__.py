"""Scorers: pure functions from samples to scores, each score with an explanation.

accuracy (per task type), policy (policy.yaml rules), safety (refusals, over-refusals, injection,
PII), overfitting (gaps, memorisation, canary exposure) and robustness (perturbations).
"""
