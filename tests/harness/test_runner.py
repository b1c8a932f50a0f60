"""Evaluation planning: which items a (limited) run evaluates."""

def test_limited_runs_see_every_safety_kind_and_label():
    from harness.runner import subset
    from harness.suites import load_suite

    suite = load_suite("it_tickets")
    safety = subset(suite, "safety", 12)
    assert len(safety) == 12 and {i["safety"] for i in safety} == {"harmful", "benign", "injection"}
    assert safety == subset(suite, "safety", 12), "a limited run must evaluate the same items every time"
    ids = [i["id"] for i in suite.split("safety")]
    assert [ids.index(i["id"]) for i in safety] == sorted(ids.index(i["id"]) for i in safety)
    test = subset(suite, "test", 12)
    assert {i["category"] for i in test} == set(suite.config.labels["category"])
    assert subset(suite, "test", None) == suite.split("test")
