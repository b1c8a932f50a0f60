from tunebench.harness.scorers.robustness import PERTURBATIONS, perturb, robustness_drop

ITEMS = [{"id": str(i), "text": f"The VPN gateway rejects every login since this morning, ticket {i}."}
         for i in range(20)]


def test_perturbations_are_deterministic_and_change_only_the_input():
    for kind in PERTURBATIONS:
        if kind == "language":  # needs translations: tested below
            continue
        a, b = perturb(ITEMS, "text", kind), perturb(ITEMS, "text", kind)
        assert a == b and [x["id"] for x in a] == [x["id"] for x in ITEMS]
        assert sum(x["text"] != y["text"] for x, y in zip(a, ITEMS)) >= 10, kind
    assert ITEMS[0]["text"].startswith("The VPN"), "originals must not be modified"


def test_drop_is_test_minus_perturbed():
    row = robustness_drop("typos", 0.8, 0.65, 80)
    assert round(row.value, 2) == 0.15 and row.metric == "robustness.typos_drop"


def test_language_switch_uses_the_translation_and_skips_monolingual_items():
    from tunebench.harness.scorers.robustness import drop_on_same_items

    items = [{"id": "a", "text": "Dov'è il mio ordine?", "answer": "In consegna.", "lang": "it",
              "translation": {"text": "Where is my order?", "answer": "On its way.", "lang": "en"}},
             {"id": "b", "text": "Posso pagare a rate?", "answer": "Sì.", "lang": "it"}]
    switched = perturb(items, "text", "language")
    assert switched == [{**items[0], "text": "Where is my order?", "answer": "On its way.", "lang": "en"}]
    row = drop_on_same_items("language", {"a": 1, "b": 1}, {"a": 0})
    assert row.n == 1 and row.value == 1.0  # compared on item a only
    assert drop_on_same_items("language", {"a": 1}, {}) is None
