"""One answer per suite: fine-tune, prompt, or not enough evidence (and how many more items).

The answer weighs, in this order:

1. **Safety.** The suite's safety rates (harmful requests refused, over-refusal, injections, PII
   leaks) of the best fine-tuned variant against the best prompted one, each tested as ``compare``
   tests it (its own family across the suites). An option that is significantly less safe does
   not win on accuracy: the answer is the safer option, and the trade-off is named.
2. **Quality.** Test accuracy (the confirmatory question): a significant difference picks its
   side.
3. **Evidence.** No significant difference: when the test could detect the metric's margin of
   interest (80% power at its level), no difference that matters was there to see, and the
   cheaper option is the answer (prompting: no training, no adapter to serve); otherwise "not enough
   evidence" with the items that would detect the margin (or the observed difference, if larger).

Every number quoted is the pair's number in ``compare``: the same p-value and the same interval.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tunebench.harness.analysis.pairing import BETTER, SAME, WORSE, PairedResult
from tunebench.harness.analysis.variation import SeedCheck
from tunebench.harness.core.metric_table import SAFETY_METRICS, margin_of_interest, spec_of

FINE_TUNE, PROMPT, UNSURE = "fine-tune", "prompt", "not enough evidence"


@dataclass
class Answer:
    """The answer for one suite and what it rests on.

    Attributes:
        choice: fine-tune | prompt | not enough evidence.
        tuned, prompted: the best adapter and the best prompt variant by test accuracy.
        accuracy: test accuracy of ``tuned`` against ``prompted`` (None: not comparable).
        safety: the pair's safety results that differ significantly (either way).
        unsettled: safety results that moved the wrong way by more than their margin without being
            significant (shown as a caution, not decided on).
        more_items: for "not enough evidence", the items to add to the test split.
        reason: the answer in one sentence, with the trade-off it made.
        seeds: the answer asked of every seed of ``tuned`` (``variation.SeedCheck``), if it has several.
    """

    suite: str
    choice: str
    tuned: str
    prompted: str
    accuracy: PairedResult | None = None
    safety: list[PairedResult] = field(default_factory=list)
    unsettled: list[PairedResult] = field(default_factory=list)
    more_items: int | None = None
    reason: str = ""
    seeds: SeedCheck | None = None  # the answer asked of every seed of ``tuned``, when it has several

    @property
    def headline(self) -> str:
        """"fine-tune (lora-baseline)", "prompt (few-shot)" or "not enough evidence: evaluate ~40 more items"."""
        unstable = "" if self.seeds is None or self.seeds.stable else " (not stable across seeds)"
        if self.choice == FINE_TUNE:
            return f"fine-tune ({self.tuned}){unstable}"
        if self.choice == PROMPT:
            return f"prompt ({self.prompted}){unstable}"
        return f"not enough evidence: evaluate ~{self.more_items} more test items" if self.more_items else UNSURE


def _quote(result: PairedResult) -> str:
    """"harmful refused 1.00 -> 0.25: -0.75 [-0.95, -0.40], p 0.001 (Holm)" (prompted -> tuned)."""
    title = spec_of(result.metric).title or result.metric
    return (f"{title} {result.baseline:.2f} -> {result.candidate:.2f}: {result.interval_text()}, "
            f"p {result.p_holm:.3g} (Holm, {result.n} items)")


def answer(suite: str, tuned: str, prompted: str, accuracy: PairedResult, pair_rows: list[PairedResult]) -> Answer:
    """The answer for ``suite`` from the pair's results (``tuned`` is the candidate, ``prompted`` the baseline)."""
    result = Answer(suite, UNSURE, tuned, prompted, accuracy)
    safety = [r for r in pair_rows if r.suite == suite and r.metric in SAFETY_METRICS and r.p_holm is not None]
    result.safety = [r for r in safety if r.verdict in (BETTER, WORSE)]
    result.unsettled = [r for r in safety if r.verdict == SAME and r.diff is not None
                        and (r.diff if r.higher_is_better else -r.diff) < -margin_of_interest(r.metric)]
    tuned_less_safe = [r for r in result.safety if r.verdict == WORSE]
    prompt_less_safe = [r for r in result.safety if r.verdict == BETTER]
    quality = f"test accuracy {accuracy.baseline:.2f} -> {accuracy.candidate:.2f}: {accuracy.interval_text()}, " \
              f"p {accuracy.p_holm:.3g} (Holm over suites, {accuracy.n} items)"
    if tuned_less_safe and not prompt_less_safe:
        result.choice = PROMPT
        result.reason = (f"fine-tuning is less safe ({'; '.join(map(_quote, tuned_less_safe))}); safety outweighs "
                         f"accuracy ({quality})")
    elif prompt_less_safe and not tuned_less_safe:
        result.choice = FINE_TUNE
        result.reason = (f"prompting is less safe (prompted -> tuned: {'; '.join(map(_quote, prompt_less_safe))}); "
                         f"safety outweighs accuracy ({quality})")
    elif accuracy.verdict in (BETTER, WORSE):
        result.choice = FINE_TUNE if accuracy.verdict == BETTER else PROMPT
        mixed = " (safety moved both ways: see the safety rows)" if result.safety else ""
        result.reason = f"{'fine-tuning' if accuracy.verdict == BETTER else 'prompting'} is more accurate: " \
                        f"{quality}{mixed}"
    else:
        margin = margin_of_interest(accuracy.metric)
        if accuracy.detectable is not None and accuracy.detectable <= margin:
            result.choice = PROMPT
            result.reason = (f"no difference found where one of ±{margin:g} would have shown ({accuracy.n} items "
                             f"detect ±{accuracy.detectable:.2f}): {quality}; so prompting wins on cost (no "
                             "training, no adapter)")
        else:
            result.more_items = _more_items(accuracy, margin)
            result.reason = (f"no detectable difference and the test is too small to call it equal: {quality}; "
                             f"{accuracy.power_note()}")
    if result.unsettled:
        result.reason += ("; safety not settled, fine-tuning lower by more than the margin without significance: "
                          + "; ".join(map(_quote, result.unsettled)))
    return result


def _more_items(accuracy: PairedResult, margin: float) -> int:
    """Items to add so that the test detects the larger of the margin and the observed difference."""
    return max(1, accuracy.items_to_detect(max(margin, abs(accuracy.diff or 0.0))) - accuracy.n)
