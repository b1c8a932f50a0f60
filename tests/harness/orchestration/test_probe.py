"""The general-capability probe through lm-eval, checked against our own log-likelihood argmax."""

import json

import pytest

from tunebench.harness.core.suites import builtin_suites_dir
from tunebench.harness.orchestration.exposure import text_logprobs
from tunebench.harness.orchestration.probe import run_probe


def _model(tiny_model_dir):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    return AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval(), tok


def test_probe_set_is_large_and_varied():
    items = [json.loads(line) for line in (builtin_suites_dir() / "general_probe" / "probe.jsonl").open()]
    assert len(items) >= 200 and len({i["question"] for i in items}) == len(items)
    assert len({i["subject"] for i in items}) >= 5
    assert all(0 <= i["answer"] < len(i["choices"]) == 4 for i in items)


def test_lm_eval_accuracy_equals_our_loglikelihood_argmax(tiny_model_dir):
    model, tok = _model(tiny_model_dir)
    limit = 24
    result = run_probe(model, tok, limit=limit, batch_size=8)
    items = [json.loads(line) for line in (builtin_suites_dir() / "general_probe" / "probe.jsonl").open()][:limit]
    hits = 0
    for item in items:
        texts = [f"Question: {item['question']}\nAnswer: {c}" for c in item["choices"]]
        scores = text_logprobs(model, tok, texts)
        hits += max(range(4), key=scores.__getitem__) == item["answer"]
    assert result["n"] == limit
    assert result["accuracy"] == pytest.approx(hits / limit)


def test_probe_runs_on_a_peft_wrapped_model(tiny_model_dir):
    from peft import LoraConfig, get_peft_model

    model, tok = _model(tiny_model_dir)
    wrapped = get_peft_model(model, LoraConfig(r=2, target_modules="all-linear", task_type="CAUSAL_LM"))
    assert run_probe(wrapped, tok, limit=8, batch_size=8)["n"] == 8
