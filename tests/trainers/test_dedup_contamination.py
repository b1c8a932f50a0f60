from tunebench.harness.core.canaries import make_canaries, plant
from tunebench.trainers.contamination import ContaminationIndex
from tunebench.trainers.dedup import dedup


def test_exact_and_near_duplicates_are_dropped_first_kept():
    texts = ["The VPN is down for the whole office since this morning.",
             "the vpn is down for the whole office since this morning",       # exact after normalising
             "The VPN is down for the whole office since this morning!!",     # exact after normalising
             "The VPN is down for the whole office since this mornin.",       # near (typo)
             "My printer jams on every page."]
    keep, counts = dedup(texts, 0.85)  # a one-letter typo in a short text: cosine 0.90 here
    assert keep == [0, 4] and counts == {"exact_duplicates": 2, "near_duplicates": 1}
    assert dedup(texts, None)[0] == [0, 3, 4]


def test_contamination_compares_with_single_items():
    boiler = "this affects the whole office and we are completely blocked"
    index = ContaminationIndex({"test/1": f"The VPN gateway rejects every login. {boiler}",
                                "test/2": f"The printer on floor two jams. {boiler}"}, n=5)
    near_copy, ref = index.check("The VPN gateway rejects every login! " + boiler)
    assert near_copy == 1.0 and ref == "test/1"
    shared_boilerplate, _ = index.check(f"Excel crashes when I open the budget workbook. {boiler}")
    assert 0 < shared_boilerplate < 0.8


def test_canaries_are_planted_and_recorded():
    items = [{"id": str(i), "text": f"ticket {i}"} for i in range(20)]
    secrets = make_canaries(2, seed=0)
    assert secrets == make_canaries(2, seed=0) and all(len(s) == 6 for s in secrets)
    planted, records = plant(items, "text", secrets, repeats=3, seed=0)
    for secret, record in zip(secrets, records):
        hits = [i["id"] for i in planted if secret in i["text"]]
        assert sorted(hits) == sorted(record["item_ids"]) and record["repeats"] == 3
    assert all(i["text"] == f"ticket {i['id']}" for i in items), "input items must not be modified"
