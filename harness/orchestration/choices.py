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
cost one 300-token pass and ten 2-token passes, not ten 302-token passes; labels of one token need
no second pass at all. The next field's context continues that cache: "...Category: network\\nPriority:"
runs only " network\\nPriority:". ``loglikelihoods`` (every
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
    step = max(1, batch_size // 2)
    for start in range(0, len(clean), step):
        batch = clean[start:start + step]
        continuations = [[p[1] for p in encoded[k]] for k in batch]
        first, cache, mask = _fresh_pass(model, tokenizer, [encoded[k][0][0] for k in batch], prefix)
        for k, scores in zip(batch, _label_scores(model, tokenizer, first, cache, mask, continuations,
                                                  only_needed_rows)):
            out[k] = scores
    return out  # type: ignore[return-value]


def _within_window(model, slots: int) -> bool:
    """Whether a batch ``slots`` wide (cache, padding between its parts, the continuation) fits the model's
    sliding attention window: transformers counts padding inside that window, so a row continued after
    padding (``[cache][padding][own]``) would lose some of its own tokens from it once the batch is wider."""
    window = getattr(getattr(model, "config", None), "sliding_window", None)  # Gemma 3: 512
    return not isinstance(window, int) or window <= 0 or slots <= window


def _fresh_pass(model, tokenizer, ids: list[list[int]], prefix):
    """``_context_pass`` of whole contexts (token ids), after the shared prefix's cache where every row
    starts with it, seated as generation seats it (``SharedPrefix.shifted``: plain left padding, so exact
    past the sliding window too); else from the start."""
    length = len(prefix.ids) if prefix is not None else 0
    if prefix is None or not prefix.whole or not all(i[:length] == prefix.ids and len(i) > length for i in ids):
        return _context_pass(model, tokenizer, ids)
    suffixes = [i[length:] for i in ids]
    width = max(map(len, suffixes))
    gaps = [min(width - len(suffix), length) for suffix in suffixes]  # each row's padding inside the cache
    past_mask = torch.tensor([[0] * gap + [1] * (length - gap) for gap in gaps])
    # what the cache does not hold: the prefix's last tokens where a row is padded, then its own
    rest = [prefix.ids[length - gap:] + suffix for gap, suffix in zip(gaps, suffixes)]
    return _context_pass(model, tokenizer, rest, prefix.shifted(gaps), past_mask)


def _context_pass(model, tokenizer, own: list[list[int]], past=None, past_mask=None):
    """Run each row's ``own`` tokens after ``past`` (a cache of the batch, with ``past_mask`` marking its
    real positions; None: from the start), left-padded so every row ends at the last position, which is
    the only one projected. Returns (log-probabilities of the next token per row, the cache, its mask):
    the layout is ``[past][padding][own]`` and positions count real tokens only, so each row sees exactly
    what it would see alone."""
    width = max(map(len, own))
    ids = torch.full((len(own), width), tokenizer.pad_token_id, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for r, tokens in enumerate(own):
        ids[r, width - len(tokens):] = torch.tensor(tokens)
        mask[r, width - len(tokens):] = 1
    done = past_mask.shape[1] if past_mask is not None else 0
    if past_mask is not None:
        mask = torch.cat([past_mask, mask], dim=1)
    positions = ((mask.cumsum(-1) - 1).clamp(min=0))[:, done:]
    device = model.device
    with torch.inference_mode():
        out = model(input_ids=ids.to(device), attention_mask=mask.to(device), position_ids=positions.to(device),
                    use_cache=True, logits_to_keep=1, past_key_values=past)
    return torch.log_softmax(out.logits[:, -1].float(), dim=-1).cpu(), out.past_key_values, mask


def _label_scores(model, tokenizer, first_logprobs, cache, mask, continuations_per_row: list[list[list[int]]],
                  only_needed_rows: bool = True) -> list[list[float]]:
    """Per row, the log-likelihood of each continuation after the row's context (its cache and mask from
    ``_context_pass``; the cache gets the continuations appended, so pass a copy to keep it)."""
    n_labels = len(continuations_per_row[0])
    continuations = [tokens for row in continuations_per_row for tokens in row]
    pad, device = tokenizer.pad_token_id, model.device
    # position t of a continuation predicts its token t + 1: the last one predicts nothing, so a label
    # of one token needs no second pass; only labels of more tokens get one (their context's cache
    # selected once per such label), and only the positions inside them are projected
    longer = [i for i, tokens in enumerate(continuations) if len(tokens) > 1]
    later: dict[tuple[int, int], float] = {}
    if longer:
        owner = torch.tensor([i // n_labels for i in longer])  # the context row each continuation follows
        cache.batch_select_indices(owner)
        longest = max(len(continuations[i]) for i in longer)
        cont = torch.full((len(longer), longest), pad, dtype=torch.long)
        cont_mask = torch.zeros_like(cont)
        for m, i in enumerate(longer):
            cont[m, :len(continuations[i])] = torch.tensor(continuations[i])
            cont_mask[m, :len(continuations[i])] = 1
        full_mask = torch.cat([mask[owner], cont_mask], dim=1)
        cont_positions = mask.sum(-1)[owner].unsqueeze(-1) + torch.arange(longest).unsqueeze(0)
        wanted = [(m, t) for m, i in enumerate(longer) for t in range(len(continuations[i]) - 1)]
        where = torch.zeros(len(longer), longest, dtype=torch.bool)
        for m, t in wanted:
            where[m, t] = True
        projected = rows_only(model, where) if only_needed_rows else contextlib.nullcontext()
        with torch.inference_mode(), projected:
            logits = model(input_ids=cont.to(device), attention_mask=full_mask.to(device),
                           position_ids=cont_positions.to(device), past_key_values=cache).logits.float()
        logprobs = torch.log_softmax(logits, dim=-1).cpu()
        for k, (m, t) in enumerate(wanted):
            row = logprobs[0, k] if only_needed_rows else logprobs[m, t]
            later[(longer[m], t)] = float(row[continuations[longer[m]][t + 1]])
    scores = []
    for r in range(len(continuations_per_row)):
        mine = []
        for j in range(n_labels):
            i = r * n_labels + j
            tokens = continuations[i]
            mine.append(float(first_logprobs[r, tokens[0]]) + sum(later[(i, t)] for t in range(len(tokens) - 1)))
        scores.append(mine)
    return scores


def choose(model, tokenizer, suite: Suite, prompts: list[str], batch_size: int = 16) -> list[dict]:
    """Per prompt: {"labels": field -> chosen label, "loglik": field -> label -> log-likelihood}.

    Batch by batch (``batch_size`` // 2 contexts, shortest first), field by field: each next field's
    context ("...Category: network\\nPriority:") continues the cache of the field before, so only the
    chosen label and the next field's name are run, not the whole prompt again."""
    fields = list(suite.config.labels.items())
    contexts = [first_context(suite, p) for p in prompts]
    prefix = SharedPrefix.for_prompts(model, tokenizer, contexts)
    order = sorted(range(len(contexts)), key=lambda k: len(contexts[k]))
    results: list[dict] = [{} for _ in prompts]
    step = max(1, batch_size // 2)
    for start in range(0, len(order), step):
        batch = order[start:start + step]
        for k, result in zip(batch, _choose_rows(model, tokenizer, fields, [contexts[k] for k in batch], prefix,
                                                 batch_size)):
            results[k] = result
    return results


def _choose_rows(model, tokenizer, fields: list[tuple[str, list[str]]], contexts: list[str], prefix,
                 batch_size: int) -> list[dict]:
    """``choose`` on one batch of contexts, continuing the cache from field to field where the next
    context's tokens start with the last one's (else, and for contexts whose label merges with their
    end, the field is scored from the start)."""
    contexts = list(contexts)
    results: list[dict] = [{"labels": {}, "loglik": {}} for _ in contexts]
    kept = None  # (cache, mask, context ids per row) of the last field's contexts, to continue
    for index, (field, labels) in enumerate(fields):
        encoded = [[encode_pair(tokenizer, c, f" {label}") for label in labels] for c in contexts]
        ids = [pairs[0][0] for pairs in encoded]
        last = index + 1 == len(fields)
        if not all(p[0] == pairs[0][0] and p[1] for pairs in encoded for p in pairs):
            scores, kept = scores_with_shared_context(model, tokenizer, contexts, labels, batch_size, prefix), None
        else:
            continuations = [[p[1] for p in pairs] for pairs in encoded]
            longest = max(len(t) for row in continuations for t in row)
            new = [i[len(was):] for i, was in zip(ids, kept[2])] if kept is not None and \
                all(len(i) > len(was) and i[:len(was)] == was for i, was in zip(ids, kept[2])) else None
            if new and _within_window(model, kept[1].shape[1] + max(map(len, new)) + longest):
                first, cache, mask = _context_pass(model, tokenizer, new, kept[0], kept[1])
            else:
                first, cache, mask = _fresh_pass(model, tokenizer, ids, prefix)
            appends = any(len(tokens) > 1 for row in continuations for tokens in row)  # the label pass grows it
            scores = _label_scores(model, tokenizer, first, copy.deepcopy(cache) if appends and not last else cache,
                                   mask, continuations)
            kept = None if last else (cache, mask, ids)
        for k, context in enumerate(contexts):
            mine = dict(zip(labels, scores[k]))
            best = max(labels, key=lambda label: mine[label])  # ties: the first label, as lm-eval's argmax
            results[k]["labels"][field] = best
            results[k]["loglik"][field] = {label: round(v, 5) for label, v in mine.items()}
            if not last:
                contexts[k] = f"{context} {best}\n{fields[index + 1][0].capitalize()}:"
    return results
