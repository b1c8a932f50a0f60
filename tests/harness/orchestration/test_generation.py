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
