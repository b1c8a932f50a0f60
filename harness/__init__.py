"""tunebench harness: experiment spec, suites, models, runner, scorers, statistics and store."""

__version__ = "0.1.0"
