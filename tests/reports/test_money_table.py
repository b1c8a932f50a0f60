"""With a ``costs:`` block the decision prints money next to quality, with every assumption."""

from rich.console import Console

from tests.reports.conftest import build_store
from tunebench.reports.decision import print_decision_table


def test_the_decision_prints_money_and_its_assumptions(tmp_path):
    store = build_store(tmp_path / "s.sqlite", costs={"currency": "EUR", "train_hour": 2.0, "serve_hour": 3.6,
                                                      "requests_per_month": 50000})
    console = Console(record=True, width=220)
    print_decision_table(console, store, store.runs()[0].run_id)
    text = console.export_text()
    assert "money (EUR)" in text and "per 1,000 requests" in text and "break-even requests" in text
    assert "assumptions: currency EUR, train_hour 2.0, serve_hour 3.6, requests_per_month 50000" in text
    assert "vs zero-shot" in text  # the adapter's break-even is against the suite's most accurate prompt variant


def test_without_costs_no_money_table(report_store):
    console = Console(record=True, width=220)
    print_decision_table(console, report_store, report_store.runs()[0].run_id)
    assert "money (" not in console.export_text()
