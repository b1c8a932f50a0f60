"""Scoring by choices: log-likelihoods equal a plain one-pair-at-a-time computation, the chosen
labels are the argmax, and lm-eval's own multiple-choice task on the export gives the same accuracy."""

import json
import os
import shutil
import subprocess
import sys

import pytest
import torch
from typer.testing import CliRunner

from tunebench.harness.cli import app
from tunebench.harness.core.models import load_base_model
from tunebench.harness.core.prompts import render_prompts
from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.store import metrics, samples
from tunebench.harness.core.suites import builtin_suites_dir, load_suite
from tunebench.harness.orchestration.choices import (choose, encode_pair, first_context, loglikelihoods,
                                                     scores_with_shared_context)
from tunebench.harness.orchestration.pipeline import run_experiment
from tests.conftest import write_spec


def _naive(model, tokenizer, context, continuation) -> float:
    context_ids, continuation_ids = encode_pair(tokenizer, context, continuation)
    ids = torch.tensor([context_ids + continuation_ids])
    with torch.inference_mode():
        logprobs = torch.log_softmax(model(input_ids=ids).logits.float()[0, :-1], dim=-1)
    return float(sum(logprobs[len(context_ids) - 1 + k, t] for k, t in enumerate(continuation_ids)))


def test_batched_loglikelihoods_equal_one_at_a_time(tiny_model_dir):
    model, tokenizer, _ = load_base_model(str(tiny_model_dir))
    pairs = [("Ticket: VPN down\nCategory:", " network"), ("Ticket: a much longer ticket text here\nCategory:",
                                                            " hardware"), ("Short:", " x y z"), ("Ends with space ", "a")]
    batched = loglikelihoods(model, tokenizer, pairs, batch_size=3)
    assert batched == pytest.approx([_naive(model, tokenizer, c, x) for c, x in pairs], abs=1e-3)


def test_shared_context_scores_equal_one_pair_at_a_time(tiny_model_dir):
    model, tokenizer, _ = load_base_model(str(tiny_model_dir))
    contexts = ["Ticket: VPN down\nCategory:", "Ticket: the printer on floor 3 jams all the time\nCategory:", "x:"]
    labels = ["network", "hardware", "self_care", "brute_force"]
    shared = scores_with_shared_context(model, tokenizer, contexts, labels, batch_size=4)
    for context, row in zip(contexts, shared):
        assert row == pytest.approx([_naive(model, tokenizer, context, f" {label}") for label in labels], abs=1e-3)
    lengths = {len(encode_pair(tokenizer, contexts[0], f" {label}")[1]) for label in labels}
    assert 1 in lengths and max(lengths) > 1, "the labels should mix one-token and longer continuations"
    everywhere = scores_with_shared_context(model, tokenizer, contexts, labels, batch_size=4, only_needed_rows=False)
    for row, reference in zip(shared, everywhere):  # projecting only the positions read changes no score
        assert row == pytest.approx(reference, abs=1e-5)
    from tunebench.harness.orchestration.generation import SharedPrefix

    head = "Route the ticket to a category and a priority, and answer in two lines.\n\nTicket: example\nCategory: x\n\n"
    with_head = [head + c for c in contexts]
    prefix = SharedPrefix.for_prompts(model, tokenizer, with_head)
    assert prefix is not None and prefix.text == head
    reused = scores_with_shared_context(model, tokenizer, with_head, labels, batch_size=4, prefix=prefix)
    for context, row in zip(with_head, reused):  # the instruction's cache, computed once, changes nothing
        assert row == pytest.approx([_naive(model, tokenizer, context, f" {label}") for label in labels], abs=1e-3)


def test_choose_takes_the_argmax_field_by_field(tiny_model_dir):
    model, tokenizer, _ = load_base_model(str(tiny_model_dir))
    suite = load_suite("it_tickets")
    prompts = render_prompts(suite, suite.split("test")[:3], "zero-shot")
    for prompt, result in zip(prompts, choose(model, tokenizer, suite, prompts, batch_size=8)):
        for field, scores in result["loglik"].items():
            assert result["labels"][field] == max(scores, key=scores.get)
        context = prompt + f" {result['labels']['category']}\nPriority:"
        priority = {label: _naive(model, tokenizer, context, f" {label}") for label in suite.config.labels["priority"]}
        assert max(priority, key=priority.get) == result["labels"]["priority"]  # conditioned on the chosen category


def _assert_fields_score_as_whole_contexts(model, tokenizer, suite, prompts, batch_size):
    """``choose``'s log-likelihoods, field by field, equal the whole context up to that field (the chosen
    labels before it included) scored one pair at a time."""
    fields = list(suite.config.labels.items())
    for prompt, result in zip(prompts, choose(model, tokenizer, suite, prompts, batch_size=batch_size)):
        context = first_context(suite, prompt)
        for index, (field, labels) in enumerate(fields):
            assert result["loglik"][field] == pytest.approx(
                {label: _naive(model, tokenizer, context, f" {label}") for label in labels}, abs=1e-3)
            if index + 1 < len(fields):
                context += f" {result['labels'][field]}\n{fields[index + 1][0].capitalize()}:"


def test_every_field_scores_as_its_whole_context_would(tiny_model_dir):
    """The second field continues the first field's cache (only " <label>\\nSeverity:" is run): each of
    its scores equals the whole conditioned context scored from scratch, labels of several tokens too.
    Plain prompts of the shortest items: the tiny model's sliding window is 128 tokens, and a left-padded
    row longer than that loses window slots to its padding (transformers counts them), which this test is
    not about."""
    model, tokenizer, _ = load_base_model(str(tiny_model_dir))
    suite = load_suite("cybersecurity")
    items = sorted(suite.split("test"), key=lambda item: len(item[suite.config.input_field]))[:5]
    prompts = render_prompts(suite, items, "plain")
    assert max(len(tokenizer(p)["input_ids"]) for p in prompts) < 100
    labels = next(iter(suite.config.labels.values()))
    assert max(len(encode_pair(tokenizer, prompts[0], f" {label}")[1]) for label in labels) > 1
    _assert_fields_score_as_whole_contexts(model, tokenizer, suite, prompts, batch_size=4)  # batches of 2


def test_contexts_past_the_sliding_window_score_as_they_would_alone(tiny_model_dir):
    """Zero-shot contexts of 130-170 tokens against the tiny model's 128-token window: a shared prefix
    with padding after it would cost the padded rows window slots (0.45 nats on one label, measured);
    the prefix's cache is seated as in plain left padding (``SharedPrefix.shifted``), so each row scores
    as it would alone (fails with the old ``[prefix][padding][own]`` layout, checked)."""
    model, tokenizer, _ = load_base_model(str(tiny_model_dir))
    suite = load_suite("cybersecurity")
    prompts = render_prompts(suite, suite.split("test")[:5], "zero-shot")
    lengths = [len(tokenizer(p)["input_ids"]) for p in prompts]
    assert max(lengths) > 128 and len(set(lengths)) > 1
    _assert_fields_score_as_whole_contexts(model, tokenizer, suite, prompts, batch_size=8)


@pytest.fixture
def triage_copy(tmp_path):
    src, dst = builtin_suites_dir() / "healthcare_triage", tmp_path / "triage"
    dst.mkdir()
    for name in ("suite.yaml", "policy.yaml"):
        shutil.copy(src / name, dst / name)
    for split in ("train", "test", "safety"):
        lines = (src / f"{split}.jsonl").read_text().splitlines()[:40]
        (dst / f"{split}.jsonl").write_text("\n".join(lines) + "\n")
    text = (dst / "suite.yaml").read_text()
    (dst / "suite.yaml").write_text(text.replace("  val: val.jsonl\n", "").replace("  ood: ood.jsonl\n", ""))
    return dst


def test_choices_accuracy_equals_lm_eval_multiple_choice(tiny_model_dir, triage_copy, tmp_path):
    spec = write_spec(tmp_path / "choices.yaml", name="choices", precision="fp32",  # as lm-eval loads it
                      base_model=str(tiny_model_dir),
                      suites=[str(triage_copy)], splits=["test"], robustness=[], overfitting_items=0,
                      general_probe=None, scoring="both", variants=[{"name": "few-shot", "kind": "prompt",
                                                                      "prompt": "few-shot", "k": 2}])
    store, run_id = run_experiment(load_spec(spec), tmp_path / "out")
    frame = store.frame(metrics, run_id=run_id)
    ours = frame[(frame.split == "test") & (frame.metric == "accuracy.choices")].value.item()
    assert {"accuracy", "format_valid", "accuracy.choices"} <= set(frame[frame.split == "test"].metric)
    per_item = {r.item_id: r.values_json["accuracy.choices"]
                for r in store.frame(samples, run_id=run_id).itertuples()}

    export = tmp_path / "tasks"
    result = CliRunner().invoke(app, ["suites", "export-lm-eval", str(triage_copy), "--out", str(export),
                                      "--split", "test", "--prompt", "few-shot", "--k", "2", "--choices"])
    assert result.exit_code == 0, result.output
    task = "tunebench_healthcare_triage_test_few_shot_choices_urgency"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.run(
        [sys.executable, "-m", "lm_eval", "--model", "hf", "--model_args", f"pretrained={tiny_model_dir},dtype=float32",
         "--include_path", str(export), "--tasks", task, "--batch_size", "8", "--device", "cpu",
         "--output_path", str(tmp_path / "lm-eval"), "--log_samples"], capture_output=True, text=True, env=env,
        timeout=600, cwd=export)  # the export's paths are relative to its folder
    assert proc.returncode == 0, proc.stderr[-3000:]
    theirs = json.loads(next((tmp_path / "lm-eval").rglob("results_*.json")).read_text())["results"][task]["acc,none"]
    logged = [json.loads(line) for line in next((tmp_path / "lm-eval").rglob(f"samples_{task}_*.jsonl"))
              .read_text().splitlines()]
    assert len(logged) == len(per_item) == 40
    assert {s["doc"]["id"]: s["acc"] for s in logged} == per_item
    print(f"accuracy by choices: tunebench {ours:.3f}, lm-eval multiple_choice {theirs:.3f}")
    assert theirs == pytest.approx(ours)
