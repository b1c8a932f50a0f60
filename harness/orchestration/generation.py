"""Batched greedy generation on a loaded causal LM (left padding, stop sequences)."""

from __future__ import annotations

import torch

from harness.core.parsing import truncate_at_stop
from harness.core.prompts import STOP_SEQUENCES


def generate_batch(model, tokenizer, prompts: list[str], max_new_tokens: int) -> list[str]:
    """Greedy completions of ``prompts``, cut at the first stop sequence.

    Prompts are tokenised exactly as in training (``tokenizer(prompt)``, special tokens included),
    left-padded so every row ends where its generation starts.
    """
    encoded = tokenizer(prompts, return_tensors="pt", padding=True).to(model.device)
    with torch.inference_mode():
        out = model.generate(
            **encoded, max_new_tokens=max_new_tokens, do_sample=False, top_p=None, top_k=None,
            temperature=None, pad_token_id=tokenizer.pad_token_id,
            stop_strings=list(STOP_SEQUENCES), tokenizer=tokenizer,
        )
    new_tokens = out[:, encoded["input_ids"].shape[1]:]
    return [truncate_at_stop(t) for t in tokenizer.batch_decode(new_tokens, skip_special_tokens=True)]
