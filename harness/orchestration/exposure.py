"""Canary exposure measurement on a loaded model (Carlini et al. 2019, "The Secret Sharer").

Each planted secret is scored against ``n`` random codes from the same space by the model's
log-likelihood of the whole canary text rendered with the variant's own prompt (the texts differ
only in the code, so the shared tokens cancel out in the ranking). The rank in the full space is
estimated from the sample, as in the paper: rank ≈ 1 + |R| · (share of sampled codes that the
model finds more likely than the secret).
"""

from __future__ import annotations

import random

import torch

from tunebench.harness.core.canaries import TEMPLATE
from tunebench.harness.core.prompts import render_prompt
from tunebench.harness.core.suites import Suite
from tunebench.harness.scorers.overfitting import exposure


def text_logprobs(model, tokenizer, texts: list[str], batch_size: int = 32) -> list[float]:
    """Log-likelihood of each text (every token after the first), batched with right padding."""
    scores = []
    for start in range(0, len(texts), batch_size):
        encoded = [tokenizer(t)["input_ids"] for t in texts[start:start + batch_size]]
        width = max(len(e) for e in encoded)
        ids = torch.full((len(encoded), width), tokenizer.pad_token_id)
        mask = torch.zeros_like(ids)
        for row, seq in enumerate(encoded):
            ids[row, : len(seq)] = torch.tensor(seq)
            mask[row, : len(seq)] = 1
        with torch.inference_mode():
            logits = model(input_ids=ids.to(model.device), attention_mask=mask.to(model.device)).logits.float()
        logprobs = torch.log_softmax(logits[:, :-1], dim=-1).cpu()
        targets = ids[:, 1:]
        token_lp = logprobs.gather(-1, targets.unsqueeze(-1)).squeeze(-1) * mask[:, 1:]
        scores += token_lp.sum(dim=1).tolist()
    return scores


def canary_exposures(model, tokenizer, suite: Suite, variant, canaries: list[dict], n: int) -> list[dict]:
    """Exposure of each canary planted in this suite's training data, with the variant's prompt."""
    results = []
    for canary in canaries:
        if canary.get("suite") != suite.name:
            continue
        space = canary["space"]
        rng = random.Random(f"exposure-{canary['secret']}")
        candidates = [c for c in (f"{rng.randrange(space):06d}" for _ in range(n)) if c != canary["secret"]]
        strategy = "plain" if variant.prompt == "few-shot" else variant.prompt
        texts = [render_prompt(suite, {"id": "canary", suite.config.input_field: TEMPLATE.format(code)}, strategy)
                 for code in [canary["secret"], *candidates]]
        scores = text_logprobs(model, tokenizer, texts)
        more_likely = sum(s > scores[0] for s in scores[1:])
        rank = 1 + space * more_likely / len(candidates)
        results.append({"repeats": canary["repeats"], "rank": rank, "space": space,
                        "exposure": exposure(rank, space)})
    return results
