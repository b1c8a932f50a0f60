"""Training examples: the shared prompt renderer, completion-only labels, honest truncation.

Loss is on the completion tokens only: prompt positions get label -100, so the adapter learns to
answer, not to reproduce tickets. Items longer than ``max_length`` lose prompt tokens from the
left (the completion is kept whole) and are counted, never silently.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field

from harness.prompts import few_shot_examples, render_completion, render_prompt
from harness.spec import TrainingConfig, Variant
from harness.suites import Suite

IGNORE_INDEX = -100


@dataclass
class PreparedData:
    train: list[dict] = field(default_factory=list)  # {"input_ids", "labels"}
    val: list[dict] = field(default_factory=list)
    truncated: int = 0
    sha256: str = ""  # hash of the rendered texts: part of the adapter's cache key
    counts: dict[str, int] = field(default_factory=dict)


def render_pairs(variant: Variant, suite: Suite, items: list[dict]) -> list[tuple[str, str]]:
    shots = few_shot_examples(suite, variant.k or suite.config.prompts.few_shot_k) \
        if variant.prompt == "few-shot" else None
    return [(render_prompt(suite, item, variant.prompt, shots), render_completion(suite, item))
            for item in items]


def tokenize_pair(tokenizer, prompt: str, completion: str, max_length: int) -> tuple[dict, bool]:
    """input_ids = prompt (+BOS, as at evaluation) + completion + EOS; labels mask the prompt."""
    prompt_ids = tokenizer(prompt)["input_ids"]
    completion_ids = tokenizer(completion, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
    keep = max_length - len(completion_ids)
    truncated = len(prompt_ids) > keep
    if truncated:
        prompt_ids = prompt_ids[-max(keep, 1):]
    ids = prompt_ids + completion_ids
    return {"input_ids": ids, "labels": [IGNORE_INDEX] * len(prompt_ids) + completion_ids}, truncated


def prepare(variant: Variant, config: TrainingConfig, suites: list[Suite], tokenizer) -> PreparedData:
    """Train (and val, where suites have one) examples for one adapter variant."""
    train_pairs, val_pairs = [], []
    for suite in suites:
        items = list(suite.split("train"))
        random.Random(config.seed).shuffle(items)
        train_pairs += render_pairs(variant, suite, items)
        if suite.has_split("val"):
            val_pairs += render_pairs(variant, suite, suite.split("val"))
    random.Random(config.seed).shuffle(train_pairs)
    if config.train_size:
        train_pairs = train_pairs[: config.train_size]
    data = PreparedData()
    data.sha256 = hashlib.sha256(json.dumps([train_pairs, val_pairs]).encode()).hexdigest()
    for pairs, out in ((train_pairs, data.train), (val_pairs, data.val)):
        for prompt, completion in pairs:
            example, cut = tokenize_pair(tokenizer, prompt, completion, config.max_length)
            data.truncated += cut
            out.append(example)
    data.counts = {"train_items": len(data.train), "val_items": len(data.val),
                   "truncated_items": data.truncated,
                   "train_tokens": sum(len(e["input_ids"]) for e in data.train),
                   "train_completion_tokens": sum(sum(t != IGNORE_INDEX for t in e["labels"]) for e in data.train)}
    return data
