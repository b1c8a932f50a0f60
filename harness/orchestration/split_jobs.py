"""What evaluating one variant on one suite consists of: a list of ``SplitJob``.

Per (variant, suite) the plan is: the experiment's splits (test, ood, safety, ...), the first
training items (train/test gap, memorisation) and perturbed copies of the test split's items
(robustness). Each job knows its items and prompts and whether it is generated, scored by choices
or both; the runner fills in keys, outputs and choices, then the scores, job by job, so no step
slices one joined list back into splits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tunebench.harness.core.prompts import render_prompts
from tunebench.harness.core.spec import Experiment, Variant
from tunebench.harness.core.suites import Suite
from tunebench.harness.scorers import robustness


@dataclass
class SplitJob:
    """One list of items of a (variant, suite): a suite split, a training subset or a perturbed copy.

    ``generate``: outputs are generated (always for safety: refusals are read from text);
    ``choose``: the items are scored by choices (the most likely allowed label per field). The
    runner sets ``generation_keys``/``outputs`` and ``choice_keys``/``chosen``, then ``correct``."""

    split: str  # the suite split the items come from
    items: list[dict]
    prompts: list[str]
    perturbation: str = ""  # '' or the robustness perturbation of these copies of test items
    generate: bool = True
    choose: bool = False
    generation_keys: list[str] = field(default_factory=list)
    outputs: list[str] | None = None
    choice_keys: list[str] = field(default_factory=list)
    chosen: list[dict] | None = None
    correct: dict[str, int] = field(default_factory=dict)  # item id -> right (1) / wrong (0), once scored

    @property
    def label(self) -> str:
        """How the job is named in progress bars and results: ``test``, ``test+typos``, ..."""
        return self.split + (f"+{self.perturbation}" if self.perturbation else "")

    @property
    def keys(self) -> list[str]:
        """The cache key each item's sample is scored from: its generation, else its choice."""
        return self.generation_keys if self.generate else self.choice_keys


def scoring_of(experiment: Experiment, suite: Suite) -> str:
    """generate | choices | both: the suite's own choice wins over the experiment's (classification only)."""
    if suite.config.task_type != "classification":
        return "generate"
    return suite.config.scoring or experiment.scoring


def plan(experiment: Experiment, suite: Suite, variant: Variant, chat=None) -> list[SplitJob]:
    """The jobs of one variant on one suite, prompts rendered with the variant's prompt strategy."""
    pieces: list[tuple[str, str, list[dict]]] = [(s, "", suite.subset(s, experiment.limit_for(s)))
                                                 for s in experiment.splits if suite.has_split(s)]
    if experiment.overfitting_items and suite.has_split("train"):
        pieces.append(("train", "", suite.subset("train", experiment.overfitting_items)))
    if "test" in experiment.splits:  # perturb items the test split itself evaluates: same-item drops
        test = suite.subset("test", experiment.limit_for("test"))[: experiment.robustness_items]
        for kind in experiment.robustness:
            perturbed = robustness.perturb(test, suite.config.input_field, kind)
            if perturbed:  # a monolingual suite has no language switch
                pieces.append(("test", kind, perturbed))
    scoring = scoring_of(experiment, suite)
    jobs = []
    for split, perturbation, items in pieces:
        # choices decide every split with 'choices'; with 'both' only the test split gets them (the decision
        # table's knows-vs-formats diagnostic reads them there, and choices cost a pass per label)
        chosen = split != "safety" and (scoring == "choices" or (scoring == "both" and split == "test"
                                                                 and not perturbation))
        jobs.append(SplitJob(split, items, render_prompts(suite, items, variant.prompt, variant.k, chat),
                             perturbation, generate=scoring != "choices" or split == "safety", choose=chosen))
    return jobs
