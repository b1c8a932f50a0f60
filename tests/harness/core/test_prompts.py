from tunebench.harness.core.parsing import parse_labels
from tunebench.harness.core.prompts import answer_cue, chat_wrapper, few_shot_examples, render_completion, render_prompt
from tunebench.harness.core.suites import load_suite

SUITE = load_suite("it_tickets")
ITEM = SUITE.split("test")[0]


def test_strategies_render_the_item_last():
    shots = few_shot_examples(SUITE, 4)
    for strategy in ("zero-shot", "few-shot", "policy"):  # prompt strategies end with the answer cue
        prompt = render_prompt(SUITE, ITEM, strategy, shots)
        assert prompt.endswith(f"Ticket: {ITEM['text']}\nCategory:") and answer_cue(SUITE, strategy) == "Category:"
    assert render_prompt(SUITE, ITEM, "plain") == f"Ticket: {ITEM['text']}\n" and answer_cue(SUITE, "plain") == ""
    few = render_prompt(SUITE, ITEM, "few-shot", shots)
    assert few.count("Ticket:") == 5 and few.startswith(SUITE.config.instruction)


def test_few_shot_examples_are_deterministic_and_cover_the_labels():
    a, b = few_shot_examples(SUITE, 4), few_shot_examples(SUITE, 4)
    assert a == b and len({i["category"] for i in a}) == 4 and len({i["priority"] for i in a}) == 4
    assert all(i in SUITE.split("train") for i in a)
    six = few_shot_examples(SUITE, 6)
    assert {i["category"] for i in six} == set(SUITE.config.labels["category"])


def test_completion_round_trips_through_the_parser():
    completion = render_completion(SUITE, ITEM)
    assert completion == f"Category: {ITEM['category']}\nPriority: {ITEM['priority']}"
    assert parse_labels(SUITE, completion) == {"category": ITEM["category"], "priority": ITEM["priority"]}
    after_cue = render_completion(SUITE, ITEM, "zero-shot")  # what follows a prompt that ends with the cue
    assert after_cue == f" {ITEM['category']}\nPriority: {ITEM['priority']}"
    assert parse_labels(SUITE, answer_cue(SUITE, "zero-shot") + after_cue) == parse_labels(SUITE, completion)


def test_a_chat_template_wraps_prompt_strategies_only(tiny_model_dir):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    assert chat_wrapper(tokenizer) is None  # no template: plain text, as for the embedded base model
    tokenizer.chat_template = ("{{ bos_token }}{% for m in messages %}<turn>{{ m['role'] }}\n{{ m['content'] }}"
                               "<end>\n{% endfor %}{% if add_generation_prompt %}<turn>model\n{% endif %}")
    chat = chat_wrapper(tokenizer)
    prompt = render_prompt(SUITE, ITEM, "zero-shot", chat=chat)
    assert prompt.startswith("<turn>user\nRoute the IT ticket") and prompt.endswith("<end>\n<turn>model\nCategory:")
    assert render_prompt(SUITE, ITEM, "plain", chat=chat) == f"Ticket: {ITEM['text']}\n"
