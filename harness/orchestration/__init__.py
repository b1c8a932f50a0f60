"""Orchestration: the pipeline and runner that drive training, generation, probing and scoring."""
