import pytest

from tests.harness.analysis.conftest import accuracy, add_run
from tunebench.harness.analysis.compare import BETTER, SAME, WORSE, Side, compare, resolve
from tunebench.harness.core.errors import BadInput


def test_better_worse_and_undecided_with_holm(store):
    base = [1] * 20 + [0] * 40
    run = add_run(store, {
        "a": {("s1", "test"): accuracy(base), ("s2", "test"): accuracy([1, 0] * 30)},
        "b": {("s1", "test"): accuracy([1] * 50 + [0] * 10), ("s2", "test"): accuracy([0, 1] * 30)},
    })
    result = compare(store, Side(run, "a"), Side(run, "b"))
    rows = {(r.suite, r.metric): r for r in result.rows}
    better = rows[("s1", "accuracy")]
    assert better.verdict == BETTER and better.diff == pytest.approx(0.5) and better.ci_low > 0
    assert better.p_holm == pytest.approx(min(1.0, 2 * better.p_value))  # two tests: Holm doubles the smallest
    undecided = rows[("s2", "accuracy")]
    assert undecided.verdict == SAME and undecided.diff == 0 and "items detect ±" in undecided.power_note()
    swapped = compare(store, Side(run, "b"), Side(run, "a"))
    assert {r.suite: r.verdict for r in swapped.rows}["s1"] == WORSE


def test_lower_is_better_rates_flip_the_verdict(store):
    run = add_run(store, {"a": {("s", "safety"): [{"safety.pii_leak_rate": 0.0}] * 40},
                          "b": {("s", "safety"): [{"safety.pii_leak_rate": 1.0}] * 30 + [{"safety.pii_leak_rate": 0.0}] * 10}})
    row = compare(store, Side(run, "a"), Side(run, "b")).rows[0]
    assert row.diff > 0 and row.verdict == WORSE and not row.higher_is_better


def test_same_variant_in_two_runs_drops_and_names_changed_items(store):
    first = add_run(store, {"v": {("s", "test"): accuracy([1, 0, 1, 1])}})
    second = add_run(store, {"v": {("s", "test"): accuracy([1, 0, 1, 1, 0, 0])}}, suite_sha="t" * 64)
    result = compare(store, resolve(store, f"{first}:v"), resolve(store, f"{second}:v"))
    assert result.rows[0].n == 4
    assert any("2 item(s) not compared (0 only in A, 2 only in B" in n for n in result.notes)
    assert any("files differ between the two runs" in n for n in result.notes)


def test_a_suite_one_side_was_never_evaluated_on_is_one_note(store):
    """A variant limited to some suites (``Variant.suites``): the suites it lacks are named once, not as
    every split of them "not compared"."""
    run = add_run(store, {"all": {("s1", "test"): accuracy([1, 0] * 10), ("s1", "ood"): accuracy([1, 0]),
                                  ("s2", "test"): accuracy([1, 0] * 10)},
                          "one": {("s2", "test"): accuracy([1] * 20)}})
    result = compare(store, Side(run, "all"), Side(run, "one"))
    assert {r.suite for r in result.rows} == {"s2"}
    assert [n for n in result.notes if "s1" in n] == [f"{run}:one has no samples on s1 (not evaluated there: a "
                                                      "variant's `suites`, or another experiment's suites); compared "
                                                      "on the suites both have"]


def test_perturbed_copies_are_pooled_and_clustered(store):
    run = add_run(store, {name: {("s", "test", kind): accuracy(flags) for kind in ("typos", "casing")}
                          for name, flags in (("a", [1, 0] * 10), ("b", [1, 1] * 10))})
    row = next(r for r in compare(store, Side(run, "a"), Side(run, "b")).rows if r.split == "perturbed")
    assert row.n == 40 and "40 items in 20 clusters" in row.note


def test_unknown_names_are_bad_input_with_a_suggestion(store):
    run = add_run(store, {"lora-baseline": {("s", "test"): accuracy([1, 0])}})
    assert resolve(store, "lora-baseline") == Side(run, "lora-baseline")
    with pytest.raises(BadInput, match="did you mean 'lora-baseline'"):
        resolve(store, "lora-basline")
    with pytest.raises(BadInput, match="no run 'nope'"):
        resolve(store, "nope:lora-baseline")


def test_items_without_a_cluster_stay_their_own_next_to_clustered_ones(store):
    """Before the typed samples, a run with clustered items made every unclustered item of the same
    variant one cluster (a NaN), and the paired test degenerate."""
    from tunebench.harness.core.sample import Sample
    from tunebench.harness.core.store import Scope

    run = add_run(store, {"a": {("plain", "test"): accuracy([1] * 20 + [0] * 20)},
                          "b": {("plain", "test"): accuracy([1] * 30 + [0] * 10)}})
    for variant, flags in (("a", [1, 0] * 10), ("b", [1, 1] * 10)):
        store.write_results(run, Scope(variant, "grouped", "test"), [
            Sample(variant, "grouped", "test", str(k), f"{variant}-g-{k}", values={"accuracy": float(f)},
                   cluster=f"conversation-{k // 2}") for k, f in enumerate(flags)], [])
    rows = {r.suite: r for r in compare(store, Side(run, "a"), Side(run, "b")).rows}
    assert rows["plain"].clusters == 40 and rows["plain"].method.startswith("Tango") and not rows["plain"].note
    assert rows["grouped"].clusters == 10 and rows["grouped"].note == "20 items in 10 clusters"
