"""The decision in money: one-off cost, cost per 1,000 requests and break-even volume per variant.

From what the run measured (training seconds and items from each adapter's provenance; prompt and
output tokens and seconds per test request from the cache) and the experiment's ``costs:`` block
(the user's prices, ``CostAssumptions``). Per variant and suite:

- one-off: training hours x ``train_hour`` + labelled training items x ``label_per_example`` (adapters);
- per 1,000 requests: tokens x the per-million prices when given (a served model), else seconds per
  request x ``serve_hour`` / 3600, x 1,000;
- each with its option's own prices where the variant gives them (``Variant.costs``: a served model
  priced per token beside adapters priced by the hour);
- break-even, for an adapter against the suite's most accurate prompt variant: the requests after
  which the adapter's one-off cost is paid back by its cheaper requests (none when its requests are
  not cheaper: it never pays back).
"""

from __future__ import annotations

from dataclasses import dataclass

from tunebench.harness.core.spec import CostAssumptions


@dataclass(frozen=True)
class Money:
    one_off: float
    per_1000: float | None
    per_month: float | None
    break_even_requests: float | None = None  # adapters only; None: never, or nothing to compare with
    against: str | None = None                # the prompt variant the break-even is computed against


def per_request(cost, prices: CostAssumptions) -> float | None:
    """The price of one request of a variant with measured ``cost`` (``decision.Cost``)."""
    if prices.input_per_million is not None or prices.output_per_million is not None:
        if cost.prompt_tokens is None:
            return None
        return ((cost.prompt_tokens * (prices.input_per_million or 0.0))
                + ((cost.output_tokens or 0.0) * (prices.output_per_million or 0.0))) / 1e6
    if cost.seconds_per_request is None:
        return None
    return cost.seconds_per_request * prices.serve_hour / 3600


def one_off(cost, train_items: int | None, prices: CostAssumptions) -> float:
    hours = (cost.train_seconds or 0.0) / 3600
    return hours * prices.train_hour + (train_items or 0) * prices.label_per_example


def money_rows(rows, prices: CostAssumptions, accuracy_of, own: dict[str, CostAssumptions] | None = None
               ) -> dict[tuple, Money]:
    """(suite, variant) -> Money for the decision's rows; ``accuracy_of(row)``: its test accuracy;
    ``own``: variant -> its option's prices where they differ from ``prices`` (a served model's per-token
    prices against an adapter's hardware hours)."""
    own = own or {}
    out: dict[tuple, Money] = {}
    by_suite: dict[str, list] = {}
    for row in rows:
        by_suite.setdefault(row.suite, []).append(row)
    for suite, suite_rows in by_suite.items():
        prompts = [r for r in suite_rows if r.kind == "prompt" and accuracy_of(r) is not None]
        best = max(prompts, key=accuracy_of) if prompts else None
        best_request = per_request(best.cost, own.get(best.variant, prices)) if best else None
        for row in suite_rows:
            priced = own.get(row.variant, prices)
            request = per_request(row.cost, priced)
            fixed = one_off(row.cost, row.cost.train_items if row.kind == "adapter" else 0, priced)
            even, against = None, None
            if row.kind == "adapter" and best is not None and request is not None and best_request is not None:
                saving = best_request - request
                against = best.variant
                even = fixed / saving if saving > 0 else None
            out[(suite, row.variant)] = Money(
                one_off=fixed, per_1000=None if request is None else request * 1000,
                per_month=None if request is None else request * prices.requests_per_month,
                break_even_requests=even, against=against)
    return out
