"""Money from measured time and tokens and the user's prices: one-off, per 1,000 requests, break-even."""

import pytest

from tunebench.harness.analysis.decision import Cost, VariantRow
from tunebench.harness.analysis.money import money_rows
from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.spec import CostAssumptions, OptionPrices


def _row(variant, kind, accuracy, **cost):
    row = VariantRow("support", variant, kind, cost=Cost(**cost))
    row.metrics[("test", "accuracy")] = MetricRow.proportion("accuracy", round(accuracy * 100), 100, "x")
    return row


ROWS = [_row("zero-shot", "prompt", 0.40, seconds_per_request=2.0, prompt_tokens=400, output_tokens=20),
        _row("few-shot", "prompt", 0.55, seconds_per_request=3.6, prompt_tokens=900, output_tokens=20),
        _row("lora", "adapter", 0.70, seconds_per_request=0.9, prompt_tokens=60, output_tokens=20,
             train_seconds=1800, train_items=640)]
ACCURACY = lambda r: r.metrics[("test", "accuracy")].value  # noqa: E731


def test_self_hosted_prices():
    prices = CostAssumptions(train_hour=2.0, serve_hour=3.6, requests_per_month=100_000, label_per_example=0.1)
    money = money_rows(ROWS, prices, ACCURACY)
    lora, few = money[("support", "lora")], money[("support", "few-shot")]
    assert lora.one_off == pytest.approx(0.5 * 2.0 + 640 * 0.1)                 # 30 min of training + labels
    assert few.per_1000 == pytest.approx(3.6 * 3.6 / 3600 * 1000)               # seconds x price per second
    assert lora.per_month == pytest.approx(0.9 * 3.6 / 3600 * 100_000)
    assert lora.against == "few-shot"                                           # the most accurate prompt variant
    assert lora.break_even_requests == pytest.approx(lora.one_off / ((3.6 - 0.9) * 3.6 / 3600))


def test_served_model_prices_by_tokens_and_an_adapter_that_never_pays_back():
    prices = CostAssumptions(input_per_million=1.0, output_per_million=4.0)
    money = money_rows(ROWS, prices, ACCURACY)
    assert money[("support", "zero-shot")].per_1000 == pytest.approx((400 * 1.0 + 20 * 4.0) / 1e6 * 1000)
    slow = [*ROWS[:2], _row("lora", "adapter", 0.7, prompt_tokens=2000, output_tokens=20, train_seconds=60)]
    assert money_rows(slow, prices, ACCURACY)[("support", "lora")].break_even_requests is None


def test_each_option_priced_by_its_own_prices_a_served_prompt_per_token_against_an_adapter_per_hour():
    prices = CostAssumptions(train_hour=2.0, serve_hour=3.6, requests_per_month=100_000)
    served = CostAssumptions(input_per_million=5.0, output_per_million=15.0)  # the few-shot option is a served model
    money = money_rows(ROWS, prices, ACCURACY, {"few-shot": prices.for_option(OptionPrices(**served.model_dump(
        include={"input_per_million", "output_per_million"})))})
    few, lora, zero = (money[("support", v)] for v in ("few-shot", "lora", "zero-shot"))
    few_request = (900 * 5.0 + 20 * 15.0) / 1e6                                # 0.0048 by tokens, not by seconds
    assert few.per_1000 == pytest.approx(few_request * 1000)
    assert zero.per_1000 == pytest.approx(2.0 * 3.6 / 3600 * 1000)               # the experiment's hourly price
    lora_request = 0.9 * 3.6 / 3600                                             # 0.0009
    assert lora.one_off == pytest.approx(0.5 * 2.0)
    assert lora.break_even_requests == pytest.approx(1.0 / (few_request - lora_request))  # 256.4 requests
    assert lora.break_even_requests == pytest.approx(256.41, abs=0.01)


def test_an_option_price_overrides_only_what_it_gives():
    prices = CostAssumptions(currency="USD", train_hour=2.0, serve_hour=3.6, requests_per_month=10)
    own = prices.for_option(OptionPrices(serve_hour=10.0))
    assert (own.currency, own.train_hour, own.serve_hour, own.requests_per_month) == ("USD", 2.0, 10.0, 10)
    assert prices.for_option(None) is prices
