"""Classification scored by choices: the log-likelihood of every allowed label, field by field.

What lm-eval's multiple-choice tasks do, on tunebench's own prompts: for each label field in
order, the context is the prompt plus the answer so far ("...Category:"), each allowed label is
scored as the continuation " <label>", the most likely one is chosen and the next field is
conditioned on it ("...Category: network\\nPriority:"). A model that knows the answer but does not
write the exact label lines still gets it right here, so "knows it but cannot format it" shows as
a gap between accuracy by choices and accuracy by generation.

Context and continuation are tokenised exactly as lm-eval's ``HFLM._encode_pair`` does (the
pair is encoded whole and split at the context's length), which is what makes the exported
multiple-choice task give the same accuracy (tests/harness/orchestration/test_lm_eval_export.py).
Batches are left-padded so every continuation ends at the last position and the 262k-token
vocabulary projection is computed only for the continuation (``logits_to_keep``).
"""

from __future__ import annotations

import torch

from harness.core.suites import Suite


def first_context(suite: Suite, prompt: str) -> str:
    """The prompt, ending with the first label line's name (prompt strategies already end with it)."""
    head = f"{next(iter(suite.config.labels)).capitalize()}:"
    return prompt if prompt.endswith(head) else prompt + head


def encode_pair(tokenizer, context: str, continuation: str) -> tuple[list[int], list[int]]:
    """lm-eval's encoding: trailing spaces move to the continuation; the whole is encoded and split."""
    spaces = len(context) - len(context.rstrip())
    if spaces:
        continuation, context = context[-spaces:] + continuation, context[:-spaces]
    whole = tokenizer(context + continuation)["input_ids"]
    context_ids = tokenizer(context)["input_ids"]
    return context_ids, whole[len(context_ids):]


def loglikelihoods(model, tokenizer, pairs: list[tuple[str, str]], batch_size: int = 16) -> list[float]:
    """Sum of log-probabilities of each continuation after its context."""
    encoded = [encode_pair(tokenizer, c, x) for c, x in pairs]
    order = sorted(range(len(pairs)), key=lambda i: len(encoded[i][0]) + len(encoded[i][1]))
    scores = [0.0] * len(pairs)
    pad = tokenizer.pad_token_id
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        rows = [encoded[i][0] + encoded[i][1] for i in batch]
        width, keep = max(map(len, rows)), max(len(encoded[i][1]) for i in batch) + 1
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for r, row in enumerate(rows):  # left padding: every continuation ends at the last position
            ids[r, width - len(row):] = torch.tensor(row)
            mask[r, width - len(row):] = 1
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        with torch.inference_mode():
            logits = model(input_ids=ids.to(model.device), attention_mask=mask.to(model.device),
                           position_ids=positions.to(model.device), logits_to_keep=keep).logits.float()
        logprobs = torch.log_softmax(logits[:, :-1], dim=-1).cpu()  # position t predicts token t + 1
        for r, i in enumerate(batch):
            continuation = encoded[i][1]
            n = len(continuation)
            window = logprobs[r, keep - 1 - n:]
            scores[i] = float(window.gather(-1, torch.tensor(continuation).unsqueeze(-1)).sum())
    return scores


def choose(model, tokenizer, suite: Suite, prompts: list[str], batch_size: int = 16) -> list[dict]:
    """Per prompt: {"labels": field -> chosen label, "loglik": field -> label -> log-likelihood}."""
    fields = list(suite.config.labels.items())
    contexts = [first_context(suite, p) for p in prompts]
    results: list[dict] = [{"labels": {}, "loglik": {}} for _ in prompts]
    for index, (field, labels) in enumerate(fields):
        pairs = [(context, f" {label}") for context in contexts for label in labels]
        scores = loglikelihoods(model, tokenizer, pairs, batch_size)
        for k, context in enumerate(contexts):
            mine = dict(zip(labels, scores[k * len(labels):(k + 1) * len(labels)]))
            best = max(labels, key=lambda label: mine[label])  # ties: the first label, as lm-eval's argmax
            results[k]["labels"][field] = best
            results[k]["loglik"][field] = {label: round(v, 5) for label, v in mine.items()}
            if index + 1 < len(fields):
                contexts[k] = f"{context} {best}\n{fields[index + 1][0].capitalize()}:"
    return results
