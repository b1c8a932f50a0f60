"""The floor every other part of tunebench stands on; it imports nothing above it.

What an experiment is (spec, suites, policy), how items become prompts and outputs become
answers (prompts, parsing), where results live (store, cache keys, typed metric rows), the base
model and the adapter contract (models, adapters), and what training and evaluation both need
(PII detection, canaries, statistics, errors for bad input). Trainers, scorers, orchestration and
the report all build on these modules; ``tests/test_layers.py`` keeps the arrows pointing down.
"""
