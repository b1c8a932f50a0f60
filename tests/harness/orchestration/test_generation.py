"""Generation from a shared prefix's cache gives exactly the outputs of plain generation."""

from tunebench.harness.core.models import load_base_model
from tunebench.harness.core.prompts import render_prompts
from tunebench.harness.core.suites import load_suite
from tunebench.harness.orchestration.generation import SharedPrefix, generate_batch


def test_shared_prefix_generation_equals_plain_generation(tiny_model_dir):
    model, tokenizer, _ = load_base_model(str(tiny_model_dir))
    suite = load_suite("it_tickets")
    prompts = render_prompts(suite, suite.split("test")[:6], "few-shot", 2)
    prefix = SharedPrefix.for_prompts(model, tokenizer, prompts)
    assert prefix is not None and prefix.text.endswith("\n\n") and len(prefix.ids) > 40
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
