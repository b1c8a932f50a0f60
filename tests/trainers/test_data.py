from tunebench.harness.core.prompts import render_completion, render_prompt
from tunebench.harness.core.spec import TrainingConfig, Variant
from tunebench.harness.core.suites import load_suite
from tunebench.trainers.data import IGNORE_INDEX, prepare, tokenize_pair

SUITE = load_suite("it_tickets")


def _tokenizer(tiny_model_dir):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model_dir)


def test_loss_is_on_completion_tokens_only(tiny_model_dir):
    tok = _tokenizer(tiny_model_dir)
    item = SUITE.split("train")[0]
    prompt, completion = render_prompt(SUITE, item, "zero-shot"), render_completion(SUITE, item, "zero-shot")
    example, truncated = tokenize_pair(tok, prompt, completion, max_length=512)
    assert not truncated
    prompt_ids = tok(prompt)["input_ids"]
    assert example["input_ids"][: len(prompt_ids)] == prompt_ids, "training prompt differs from evaluation prompt"
    assert all(t == IGNORE_INDEX for t in example["labels"][: len(prompt_ids)])
    learned = [t for t in example["labels"] if t != IGNORE_INDEX]
    assert tok.decode(learned[:-1]) == completion and learned[-1] == tok.eos_token_id


def test_long_items_keep_the_completion_and_are_counted(tiny_model_dir):
    tok = _tokenizer(tiny_model_dir)
    variant = Variant(name="a", kind="adapter", prompt="plain")
    data = prepare(variant, TrainingConfig(max_length=24, train_size=10), [SUITE], tok)
    assert data.counts["truncated_items"] > 0
    for example in data.train:
        assert len(example["input_ids"]) <= 24
        assert tok.decode([t for t in example["labels"] if t != IGNORE_INDEX][:-1]).startswith("Category:")


def test_train_size_and_seed_make_the_data_hash(tiny_model_dir):
    tok = _tokenizer(tiny_model_dir)
    variant = Variant(name="a", kind="adapter", prompt="plain")
    a = prepare(variant, TrainingConfig(train_size=20, seed=1), [SUITE], tok)
    b = prepare(variant, TrainingConfig(train_size=20, seed=1), [SUITE], tok)
    c = prepare(variant, TrainingConfig(train_size=20, seed=2), [SUITE], tok)
    assert len(a.train) == 20 and a.sha256 == b.sha256 != c.sha256
    d = prepare(variant, TrainingConfig(train_size=20, seed=1, val_size=7), [SUITE], tok)
    assert len(d.val) == 7 < len(a.val) and d.sha256 != a.sha256


def test_val_is_held_out_without_labels_and_with_few_items(tmp_path, tiny_model_dir):
    """Small suites and generation suites without a val split still get a validation split."""
    from tunebench.harness.core.suites import Suite, SuiteConfig

    tok = _tokenizer(tiny_model_dir)
    (tmp_path / "train.jsonl").write_text("".join(
        f'{{"id": "{i}", "q": "question number {i} about refunds", "a": "answer {i}"}}\n' for i in range(12)))
    (tmp_path / "test.jsonl").write_text('{"id": "t", "q": "where is my parcel", "a": "on its way"}\n')
    suite = Suite(SuiteConfig(name="gen", task_type="generation", input_field="q", target_field="a",
                              instruction="Answer.", splits={"train": "train.jsonl", "test": "test.jsonl"}), tmp_path)
    variant = Variant(name="a", kind="adapter", prompt="plain")
    data = prepare(variant, TrainingConfig(val_fraction=0.2, dedup=False), [suite], tok)
    assert len(data.val) == 3 and len(data.train) == 9


def test_anonymisation_modes_are_applied_counted_per_type_and_recorded(tiny_model_dir):
    """The provenance of an adapter says how its data was anonymised and how many values of each type
    were replaced in the items it trained on; true/false still mean placeholder/off."""
    tok = _tokenizer(tiny_model_dir)
    suite = load_suite("customer_support_it")
    variant = Variant(name="a", kind="adapter", prompt="plain")
    runs = {mode: prepare(variant, TrainingConfig(train_size=40, anonymize=mode), [suite], tok)
            for mode in ("placeholder", "surrogate", "off")}
    placeholder, surrogate, off = runs["placeholder"], runs["surrogate"], runs["off"]
    assert placeholder.report["anonymize"] == "placeholder" and surrogate.report["anonymize"] == "surrogate"
    by_type = placeholder.report["pii_by_type"]
    assert by_type.get("PERSON", 0) > 0 and sum(by_type.values()) == placeholder.counts["pii_replaced"]
    assert surrogate.report["pii_by_type"] == by_type, "both modes find the same values"
    decoded = [tok.decode(e["input_ids"]) for e in placeholder.train]
    assert any("<PERSON>" in text for text in decoded)
    assert not any("<PERSON>" in tok.decode(e["input_ids"]) for e in surrogate.train)
    assert off.counts["pii_replaced"] == 0 and off.report["pii_by_type"] == {}
    assert TrainingConfig(anonymize=True).anonymize == "placeholder"
    assert TrainingConfig(anonymize=False).anonymize == "off"


def test_learning_curve_subsets_are_nested(tiny_model_dir):
    """A learning curve's points (the same seed, fewer items) train on prefixes of one shuffled order:
    every item of a smaller subset is in each larger one, across suites."""
    tok = _tokenizer(tiny_model_dir)
    variant = Variant(name="a", kind="adapter", prompt="plain")
    suites = [SUITE, load_suite("cybersecurity")]
    sets = [[tuple(e["input_ids"]) for e in prepare(variant, TrainingConfig(train_size=n, seed=3), suites, tok).train]
            for n in (8, 32, 128)]
    assert [len(s) for s in sets] == [8, 32, 128]
    assert sets[1][:8] == sets[0] and sets[2][:32] == sets[1]
