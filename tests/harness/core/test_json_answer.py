import pytest

from tunebench.harness.core.json_answer import read_json_answer

SCHEMA = {"type": "object", "properties": {"clause_type": {"enum": ["payment", "termination", "non_compete"]},
                                           "risk": {"enum": ["low", "medium", "high"]}}}


@pytest.mark.parametrize("text, valid, fields", [
    ('{"clause_type": "payment", "risk": "low"}', True, {"clause_type": "payment", "risk": "low"}),
    ('```json\n{"clause_type": "Payment", "risk": "LOW"}\n```', True, {"clause_type": "payment", "risk": "low"}),
    ('Here it is: [{"type": "non-compete", "risk_level": "high"}]', True,
     {"clause_type": "non_compete", "risk": "high"}),
    ('{"result": {"clause_type": "termination", "risk": {"level": "medium", "why": "x"}}}', True,
     {"clause_type": "termination", "risk": "medium"}),
    ("{'clause_type': 'payment', 'risk': 'low',}", False, {"clause_type": "payment", "risk": "low"}),   # mended
    ('{"clause_type": "termination", "risk": "', False, {"clause_type": "termination", "risk": None}),  # truncated
    ('{"clause_type": "liability cap", "risk": "low"}', True, {"clause_type": None, "risk": "low"}),   # not a label
    ('{"clause_type": "payment", "risk": "low", "clause_type": "termination"}', True,
     {"clause_type": None, "risk": "low"}),                                                          # said twice
    ('{"clause_type": "payment", "risk": "low"}\n{"clause_type": "termination", "risk": "low"}', True, None),
    ('{"clause_type": "payment", "risk": "low"}\nCorrection: {"clause_type": "payment", "risk": "high"}', True,
     {"clause_type": "payment", "risk": "high"}),
    ("I cannot tell without more context.", False, None),
])
def test_validity_and_what_the_answer_says_are_separate(text, valid, fields):
    answer = read_json_answer(text, SCHEMA)
    assert (answer.valid, answer.fields) == (valid, fields)
