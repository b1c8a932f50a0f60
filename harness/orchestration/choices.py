"""Classification scored by choices: the log-likelihood of every allowed label, field by field.

What lm-eval's multiple-choice tasks do, on tunebench's own prompts: for each label field in
order, the context is the prompt plus the answer so far ("...Category:"), each allowed label is
scored as the continuation " <label>", the most likely one is chosen and the next field is
conditioned on it ("...Category: network\\nPriority:"). A model that knows the answer but does not
write the exact label lines still gets it right here, so "knows it but cannot format it" shows as
a gap between accuracy by choices and accuracy by generation.

Context and continuation are tokenised exactly as lm-eval's ``HFLM._encode_pair`` does (the
pair is encoded whole and split at the context's length), which is what makes the exported
multiple-choice task give the same accuracy (tests/harness/orchestration/test_choices.py).

The context is computed once per item and its key/value cache is shared by every allowed label
(``scores_with_shared_context``): a few-shot prompt of 300 tokens and ten labels of two tokens
cost one 300-token pass and ten 2-token passes, not ten 302-token passes. ``loglikelihoods`` (every
pair on its own, left-padded so the vocabulary projection runs only at the continuation) is the
reference it is tested against, and the path for pairs whose tokenisation does not split cleanly.
"""

from __future__ import annotations

import contextlib
import copy

import torch

from tunebench.harness.core.heads import rows_only
from tunebench.harness.core.suites import Suite
from tunebench.harness.orchestration.generation import SharedPrefix  # importing it also quiets past_key_values' rename warning


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


def scores_with_shared_context(model, tokenizer, contexts: list[str], labels: list[str],
                               batch_size: int = 16, prefix=None, only_needed_rows: bool = True) -> list[list[float]]:
    """Per context, the log-likelihood of " <label>" for every label; each context is run once and its
    cache repeated for the labels. With ``prefix`` (a ``generation.SharedPrefix`` the contexts start
    with: instruction, few-shot examples) only each context's own tokens are run. ``only_needed_rows``
    (off: the reference for tests and benchmarks) projects onto the vocabulary only the positions a
    score reads: one per context, plus those inside labels of more than one token."""
    encoded = [[encode_pair(tokenizer, c, f" {label}") for label in labels] for c in contexts]
    out: list[list[float] | None] = [None] * len(contexts)
    clean = [k for k, pairs in enumerate(encoded) if all(p[0] == pairs[0][0] and p[1] for p in pairs)]
    for k in sorted(set(range(len(contexts))) - set(clean)):  # a label that merges with the context's end
        out[k] = loglikelihoods(model, tokenizer, [(contexts[k], f" {label}") for label in labels], batch_size)
    clean.sort(key=lambda k: len(encoded[k][0][0]))
    shared = prefix.ids if prefix is not None else None
    groups = [[k for k in clean if shared and encoded[k][0][0][:len(shared)] == shared and
               len(encoded[k][0][0]) > len(shared)]]
    groups.append([k for k in clean if k not in set(groups[0])])
    step = max(1, batch_size // 2)
    for group, use in zip(groups, (prefix, None)):
        for start in range(0, len(group), step):
            batch = group[start:start + step]
            for k, scores in zip(batch, _shared_batch(model, tokenizer, [encoded[k] for k in batch], use,
                                                                 only_needed_rows)):
                out[k] = scores
    return out  # type: ignore[return-value]


def _shared_batch(model, tokenizer, rows: list[list[tuple[list[int], list[int]]]], prefix=None,
                  only_needed_rows: bool = True) -> list[list[float]]:
    n_labels = len(rows[0])
    skip = len(prefix.ids) if prefix is not None else 0
    contexts = [pairs[0][0][skip:] for pairs in rows]  # each context's own tokens, after the shared prefix
    width = max(map(len, contexts))
    pad = tokenizer.pad_token_id
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for r, context in enumerate(contexts):
        ids[r, width - len(context):] = torch.tensor(context)
        mask[r, width - len(context):] = 1
    if prefix is not None:  # [prefix][padding][own tokens]: positions count only real tokens, as alone
        mask = torch.cat([torch.ones(len(rows), skip, dtype=torch.long), mask], dim=1)
        past = copy.deepcopy(prefix.cache)
        past.batch_repeat_interleave(len(rows))
    else:
        past = None
    positions = ((mask.cumsum(-1) - 1).clamp(min=0))[:, skip:]
    device = model.device
    with torch.inference_mode():
        first = model(input_ids=ids.to(device), attention_mask=mask.to(device), position_ids=positions.to(device),
                      use_cache=True, logits_to_keep=1, past_key_values=past)
        cache = first.past_key_values
        first_logprobs = torch.log_softmax(first.logits[:, -1].float(), dim=-1).cpu()
        continuations = [pairs[j][1] for pairs in rows for j in range(n_labels)]
        # position t of a continuation predicts its token t + 1: the last one predicts nothing, so a label
        # of one token needs no second pass and only the positions inside longer labels are projected
        wanted = [(i, t) for i, tokens in enumerate(continuations) for t in range(len(tokens) - 1)]
        later: dict[tuple[int, int], float] = {}
        if wanted:
            cache.batch_repeat_interleave(n_labels)  # row r's cache serves its n_labels continuations
            longest = max(map(len, continuations))
            cont = torch.full((len(continuations), longest), pad, dtype=torch.long)
            cont_mask = torch.zeros_like(cont)
            for i, tokens in enumerate(continuations):
                cont[i, :len(tokens)] = torch.tensor(tokens)
                cont_mask[i, :len(tokens)] = 1
            full_mask = torch.cat([mask.repeat_interleave(n_labels, dim=0), cont_mask], dim=1)
            start = mask.sum(-1).repeat_interleave(n_labels).unsqueeze(-1)
            cont_positions = start + torch.arange(longest).unsqueeze(0)
            where = torch.zeros(len(continuations), longest, dtype=torch.bool)
            for i, t in wanted:
                where[i, t] = True
            projected = rows_only(model, where) if only_needed_rows else contextlib.nullcontext()
            with projected:
                logits = model(input_ids=cont.to(device), attention_mask=full_mask.to(device),
                               position_ids=cont_positions.to(device), past_key_values=cache).logits.float()
            logprobs = torch.log_softmax(logits, dim=-1).cpu()
            for k, (i, t) in enumerate(wanted):
                row = logprobs[0, k] if only_needed_rows else logprobs[i, t]
                later[(i, t)] = float(row[continuations[i][t + 1]])
    scores = []
    for r in range(len(rows)):
        mine = []
        for j in range(n_labels):
            i = r * n_labels + j
            tokens = continuations[i]
            mine.append(float(first_logprobs[r, tokens[0]]) + sum(later[(i, t)] for t in range(len(tokens) - 1)))
        scores.append(mine)
    return scores


def choose(model, tokenizer, suite: Suite, prompts: list[str], batch_size: int = 16) -> list[dict]:
    """Per prompt: {"labels": field -> chosen label, "loglik": field -> label -> log-likelihood}."""
    fields = list(suite.config.labels.items())
    contexts = [first_context(suite, p) for p in prompts]
    prefix = SharedPrefix.for_prompts(model, tokenizer, contexts)
    results: list[dict] = [{"labels": {}, "loglik": {}} for _ in prompts]
    for index, (field, labels) in enumerate(fields):
        scores = scores_with_shared_context(model, tokenizer, contexts, labels, batch_size, prefix)
        for k, context in enumerate(contexts):
            mine = dict(zip(labels, scores[k]))
            best = max(labels, key=lambda label: mine[label])  # ties: the first label, as lm-eval's argmax
            results[k]["labels"][field] = best
            results[k]["loglik"][field] = {label: round(v, 5) for label, v in mine.items()}
            if index + 1 < len(fields):
                contexts[k] = f"{context} {best}\n{fields[index + 1][0].capitalize()}:"
    return results
