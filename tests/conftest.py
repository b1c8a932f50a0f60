"""Shared fixtures: a tiny causal LM built from a config (fast end-to-end tests) and temp homes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunebench.harness.core.suites import builtin_suites_dir

TINY_SUITE_ITEMS = 40


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep tests away from the user's cache, except the real-model test which shares it on purpose."""
    monkeypatch.setenv("TUNEBENCH_HOME", str(tmp_path_factory.getbasetemp() / "home"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def build_tiny_model(folder: Path, corpus: list[str], family: str = "gemma3") -> Path:
    """A 2-layer text model (``family``: Gemma 3, or Llama for a second, different model) and a
    byte-level BPE tokenizer trained on ``corpus``."""
    from tokenizers import (
        Tokenizer,
        decoders,
        models,
        pre_tokenizers,
        processors,
        trainers,
    )
    from transformers import (
        Gemma3ForCausalLM,
        Gemma3TextConfig,
        LlamaConfig,
        LlamaForCausalLM,
        PreTrainedTokenizerFast,
    )

    special = ["<pad>", "<eos>", "<bos>", "<unk>"]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=600, special_tokens=special,
                                                        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    tok.post_processor = processors.TemplateProcessing(single="<bos> $A", special_tokens=[("<bos>", 2)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="<eos>",
                                   bos_token="<bos>", unk_token="<unk>", padding_side="left")
    shape = dict(vocab_size=tok.get_vocab_size(), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                 num_attention_heads=2, num_key_value_heads=1, head_dim=32, max_position_embeddings=1024,
                 pad_token_id=0, initializer_range=0.3, eos_token_id=1, bos_token_id=2)
    model_class, config = (Gemma3ForCausalLM, Gemma3TextConfig(**shape, sliding_window=128)) if family == "gemma3" \
        else (LlamaForCausalLM, LlamaConfig(**shape, tie_word_embeddings=True))
    # A wide init: with the default 0.02 the tied output embeddings cap the logits near 1, so a
    # LoRA on a random model could not become confident about anything.
    import torch

    torch.manual_seed(0)
    model_class(config).save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    from tunebench.harness.core.prompts import render_completion, render_prompt
    from tunebench.harness.core.suites import load_suite

    suite = load_suite("it_tickets")
    corpus = [render_prompt(suite, i, "zero-shot") + render_completion(suite, i, "zero-shot")
              for i in suite.split("train")[:200]]
    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"), corpus)


@pytest.fixture
def suite_copy(tmp_path) -> Path:
    """A small writable copy of the IT suite, for breaking it in tests."""
    src = builtin_suites_dir() / "it_tickets"
    dst = tmp_path / "it_small"
    dst.mkdir()
    for name in ("suite.yaml", "policy.yaml"):
        (dst / name).write_text((src / name).read_text())
    for split in ("train", "val", "test", "ood", "safety"):
        lines = (src / f"{split}.jsonl").read_text().splitlines()[:TINY_SUITE_ITEMS]
        (dst / f"{split}.jsonl").write_text("\n".join(lines) + "\n")
    return dst


@pytest.fixture
def tiny_spec(tmp_path, tiny_model_dir, suite_copy) -> Path:
    """Two prompt variants and one adapter on the tiny model and the small IT suite copy."""
    return write_spec(
        tmp_path / "tiny.yaml", name="tiny", base_model=str(tiny_model_dir), suites=[str(suite_copy)],
        splits=["test", "ood", "safety"], robustness_items=20, overfitting_items=20,
        training={"rank": 8, "alpha": 16, "dropout": 0.0, "learning_rate": 1e-2, "epochs": 40, "batch_size": 8},
        generation_batch_size=8,
        variants=[{"name": "zero-shot", "kind": "prompt"},
                  {"name": "few-shot", "kind": "prompt", "prompt": "few-shot", "k": 2},
                  {"name": "lora", "kind": "adapter", "prompt": "plain"}])


def write_spec(path: Path, **fields) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(fields, sort_keys=False))
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (tests/postgres.py), or a skip that says why."""
    from tests.postgres import start_postgres

    server = start_postgres()
    if isinstance(server, str):
        print(f"\ntunebench: PostgreSQL tests skipped: {server}")
        pytest.skip(server)
    yield server
    server.stop()
