"""Generation from a shared prefix's cache gives exactly the outputs of plain generation."""

import torch

from tunebench.harness.core.models import load_base_model
from tunebench.harness.core.prompts import render_prompts
from tunebench.harness.core.suites import load_suite
from tunebench.harness.orchestration.generation import SharedPrefix, generate_batch


def test_shared_prefix_generation_equals_plain_generation(tiny_model_dir):
    model, tokenizer, _ = load_base_model(str(tiny_model_dir))
    suite = load_suite("it_tickets")
    prompts = render_prompts(suite, suite.split("test")[:6], "zero-shot")  # the instruction: under the window
    prefix = SharedPrefix.for_prompts(model, tokenizer, prompts)
    assert prefix is not None and prefix.text.endswith("\n\n") and len(prefix.ids) > 40 and prefix.whole
    assert all(prefix.covers(p) for p in prompts)
    plain = generate_batch(model, tokenizer, prompts, 12)
    shared = generate_batch(model, tokenizer, prompts, 12, prefix)
    assert shared == plain and any(plain)
    assert generate_batch(model, tokenizer, prompts[:3], 12, prefix) == plain[:3]  # the cache is reusable


def test_no_shared_prefix_for_plain_prompts(tiny_model_dir):
    model, tokenizer, _ = load_base_model(str(tiny_model_dir))
    suite = load_suite("it_tickets")
    assert SharedPrefix.for_prompts(model, tokenizer, render_prompts(suite, suite.split("test")[:4], "plain")) is None


def test_stop_strings_stop_the_rows_transformers_stops(tiny_model_dir):
    """``StopStrings`` decides what transformers' ``StopStringCriteria`` decides, on sequences full of newlines
    (whole, at a token's end, at its start, inside it) and of other tokens."""
    from transformers.generation.stopping_criteria import StopStringCriteria

    from tunebench.harness.orchestration.generation import StopStrings

    _, tokenizer, _ = load_base_model(str(tiny_model_dir))
    check_stop_strings(tokenizer, StopStringCriteria, StopStrings)


def check_stop_strings(tokenizer, theirs_type, ours_type) -> None:
    """Both criteria on 400 random rows drawn half from the tokens holding a newline, half from others."""
    import random

    import torch

    texts = tokenizer.batch_decode([[i] for i in range(len(tokenizer))])
    newline = [i for i, t in enumerate(texts) if "\n" in t]
    others = random.Random(0).sample([i for i, t in enumerate(texts) if "\n" not in t], 40)
    assert newline, "the tokenizer has tokens with newlines"
    rows = [[r.choice(newline if r.random() < 0.5 else others) for _ in range(6)]
            for r in (random.Random(k) for k in range(400))]
    ids = torch.tensor(rows)
    theirs = theirs_type(tokenizer, ["\n\n"])(ids, None)
    ours = ours_type(tokenizer, ("\n\n",))(ids, None)
    assert ours.tolist() == theirs.tolist() and 20 < int(ours.sum()) < 380


def test_shared_prefix_rows_see_what_they_would_alone_past_the_sliding_window(tiny_model_dir):
    """Zero-shot prompts of 157-269 tokens against the tiny model's 128-token sliding window, padded to one
    batch: each row's next-token logits from the shared prefix's batch equal the prompt's own, alone. With
    the padding between prefix and item (the layout before), the padded rows lost window slots to it."""
    model, tokenizer, _ = load_base_model(str(tiny_model_dir))
    suite = load_suite("cybersecurity")
    prompts = render_prompts(suite, suite.split("test")[:6], "zero-shot")
    lengths = [len(tokenizer(p)["input_ids"]) for p in prompts]
    prefix = SharedPrefix.for_prompts(model, tokenizer, prompts)
    assert prefix is not None and prefix.whole and len(prefix.ids) < model.config.sliding_window
    assert min(lengths) > model.config.sliding_window and len(set(lengths)) > 1
    ids, mask, cache = prefix.batch(model, prompts)
    start = len(prefix.ids)
    with torch.inference_mode():
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        batched = model(input_ids=ids[:, start:], attention_mask=mask, past_key_values=cache,
                        position_ids=positions[:, start:]).logits[:, -1]
        for row, prompt in zip(batched, prompts):
            alone = model(input_ids=tokenizer(prompt, return_tensors="pt")["input_ids"]).logits[0, -1]
            torch.testing.assert_close(row, alone, atol=1e-4, rtol=1e-4)


def test_a_prefix_longer_than_the_sliding_window_runs_as_a_plain_batch(tiny_model_dir):
    """A sliding layer keeps only its window's last tokens, so a longer prefix cannot be shifted per row:
    its prompts run as a plain left-padded batch, with the same outputs."""
    model, tokenizer, _ = load_base_model(str(tiny_model_dir))
    suite = load_suite("legal_clauses")
    prompts = render_prompts(suite, suite.split("test")[:4], "zero-shot")
    prefix = SharedPrefix.for_prompts(model, tokenizer, prompts)
    assert prefix is not None and len(prefix.ids) > model.config.sliding_window and not prefix.whole

    def unshiftable(*args, **kwargs):
        raise AssertionError("a prefix the sliding layers do not hold whole was shifted")

    prefix.shifted = unshiftable
    assert generate_batch(model, tokenizer, prompts, 8, prefix) == generate_batch(model, tokenizer, prompts, 8)
