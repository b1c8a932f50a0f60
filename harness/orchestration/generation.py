"""Batched greedy generation on a loaded causal LM (left padding, stop sequences, shared prefixes).

Prompt strategies repeat one prefix for every item of a split (the instruction, the few-shot
examples, the policy text): hundreds of tokens that are the same for every item. ``SharedPrefix``
runs that prefix once and hands its key/value cache to every batch, so each item pays only for
its own tokens. The layout is plain left padding, ``[padding][prefix][item]``, with the prefix's
cache shifted right by each row's padding: positions are counted from the attention mask and
sliding attention windows (counted in slots by transformers) see no padding inside a row, so each
row sees exactly what it would see alone, and the outputs are those of plain generation
(``tests/harness/orchestration/test_generation.py`` checks it on every run of ``make test``, past
the sliding window too).
"""

from __future__ import annotations

import copy
import os
import warnings
import weakref

import torch

from tunebench.harness.core.parsing import truncate_at_stop
from tunebench.harness.core.prompts import STOP_SEQUENCES

# transformers 5.2x renames past_key_values to cache; the old name works on every 5.x this supports
warnings.filterwarnings("ignore", message=".*past_key_values.*deprecated", category=FutureWarning)

MIN_SHARED_TOKENS = 24  # below this, splitting the prompt is not worth its bookkeeping


class StopStrings:
    """Stops a row once a stop string ends inside its last token: the rows ``StopStringCriteria`` stops,
    decided from each token's text instead of its per-step tensor bookkeeping (the demo's generation
    stage: 313 s with ``stop_strings``, 262 s with this, on an AMD EPYC: BENCHMARKS.md "The demo";
    ``tests/harness/orchestration/test_generation.py`` checks that it stops the rows transformers stops).

    Each token's text is decoded once per tokenizer (a few seconds for a 262k vocabulary); a step
    looks at the last few tokens of each row, as text.
    """

    _texts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # tokenizer -> each token's text

    def __init__(self, tokenizer, stops: tuple[str, ...] = STOP_SEQUENCES):
        if tokenizer not in self._texts:
            self._texts[tokenizer] = tokenizer.batch_decode([[i] for i in range(len(tokenizer))])
        self.pieces, self.stops = self._texts[tokenizer], stops
        self.span = max(map(len, stops)) + 2  # tokens to look back: each carries >= 1 character, or none

    def _stops(self, row: list[int]) -> bool:
        texts = [self.pieces[t] if 0 <= t < len(self.pieces) else "" for t in row]
        tail, last = "".join(texts), len(texts[-1])
        # a match ends inside the last token when it starts after len(tail) - last - len(stop)
        return any(tail.find(stop, max(0, len(tail) - last - len(stop) + 1)) >= 0 for stop in self.stops)

    def __call__(self, input_ids, scores, **kwargs) -> torch.BoolTensor:
        done = [self._stops(row) for row in input_ids[:, -self.span:].tolist()]
        return torch.tensor(done, dtype=torch.bool, device=input_ids.device)


def _generate(model, tokenizer, input_ids, attention_mask, max_new_tokens: int, cache=None) -> list[str]:
    from transformers import StoppingCriteriaList

    with torch.inference_mode():
        out = model.generate(
            input_ids=input_ids, attention_mask=attention_mask, past_key_values=cache, max_new_tokens=max_new_tokens,
            do_sample=False, top_p=None, top_k=None, temperature=None, pad_token_id=tokenizer.pad_token_id,
            stopping_criteria=StoppingCriteriaList([StopStrings(tokenizer)]),
        )
    new_tokens = out[:, input_ids.shape[1]:]
    return [truncate_at_stop(t) for t in tokenizer.batch_decode(new_tokens, skip_special_tokens=True)]


def generate_batch(model, tokenizer, prompts: list[str], max_new_tokens: int,
                   prefix: SharedPrefix | None = None) -> list[str]:
    """Greedy completions of ``prompts``, cut at the first stop sequence.

    Prompts are tokenised exactly as in training (``tokenizer(prompt)``, special tokens included),
    left-padded so every row ends where its generation starts; with ``prefix``, the shared start
    is taken from its cache (unless the prefix is longer than a sliding layer keeps: then a plain batch).
    """
    if prefix is not None and prefix.whole and all(prefix.covers(p) for p in prompts):
        return prefix.generate(model, prompts, max_new_tokens)
    encoded = tokenizer(prompts, return_tensors="pt", padding=True).to(model.device)
    return _generate(model, tokenizer, encoded["input_ids"], encoded["attention_mask"], max_new_tokens)


class SharedPrefix:
    """The common start of a split's prompts, run once; its cache serves every batch of the split."""

    def __init__(self, model, tokenizer, text: str):
        self.tokenizer, self.text = tokenizer, text
        self.ids = tokenizer(text)["input_ids"]
        with torch.inference_mode():
            self.cache = model(input_ids=torch.tensor([self.ids], device=model.device), use_cache=True).past_key_values
        self._suffixes: dict[str, list[int] | None] = {}

    @classmethod
    def for_prompts(cls, model, tokenizer, prompts: list[str]) -> SharedPrefix | None:
        """The longest common start of ``prompts`` that ends a paragraph ("\\n\\n"), if it is long enough."""
        if len(prompts) < 2:
            return None
        common = os.path.commonprefix(prompts)
        cut = common.rfind("\n\n")
        if cut < 0:
            return None
        text = common[:cut + 2]
        if len(tokenizer(text)["input_ids"]) < MIN_SHARED_TOKENS:
            return None
        return cls(model, tokenizer, text)

    def _suffix(self, prompt: str) -> list[int] | None:
        """The prompt's own tokens, when prefix + suffix tokenise exactly as the whole prompt."""
        if prompt not in self._suffixes:
            whole = self.tokenizer(prompt)["input_ids"]
            ok = prompt.startswith(self.text) and whole[:len(self.ids)] == self.ids
            self._suffixes[prompt] = whole[len(self.ids):] if ok and len(whole) > len(self.ids) else None
        return self._suffixes[prompt]

    def covers(self, prompt: str) -> bool:
        return self._suffix(prompt) is not None

    def generate(self, model, prompts: list[str], max_new_tokens: int) -> list[str]:
        input_ids, attention_mask, cache = self.batch(model, prompts)
        return _generate(model, self.tokenizer, input_ids, attention_mask, max_new_tokens, cache)

    def batch(self, model, prompts: list[str]):
        """(input ids, attention mask, cache) of ``prompts`` as one batch, laid out as plain left padding
        (``[padding][prefix][suffix]``, every row ending at the same slot). The cache holds each row's first
        ``len(prefix)`` slots: its padding, then the prefix's keys and values shifted right by it; what
        is run is the rest (the prefix's last tokens where the row is padded, and the suffix). The layout
        is the plain batch's, so sliding attention windows, which transformers counts in slots, see what
        each row alone would; a padded row runs as many prefix tokens again as it has padding (the old
        ``[prefix][padding][suffix]`` layout ran as many padding slots, and cost rows past the window some
        of their own tokens: BENCHMARKS.md "The demo")."""
        suffixes = [self._suffix(p) for p in prompts]
        width = max(map(len, suffixes))
        pad = self.tokenizer.pad_token_id
        gaps = [width - len(suffix) for suffix in suffixes]
        rows = [[pad] * gap + self.ids + suffix for gap, suffix in zip(gaps, suffixes)]
        masks = [[0] * gap + [1] * (len(self.ids) + len(suffix)) for gap, suffix in zip(gaps, suffixes)]
        device = model.device
        return torch.tensor(rows, device=device), torch.tensor(masks, device=device), self.shifted(gaps)

    @property
    def whole(self) -> bool:
        """Every layer of the cache holds the whole prefix as keys and values (a sliding layer keeps only its
        window's last tokens, and a recurrent layer keeps a state: such a prefix cannot be shifted, and its
        prompts run in a plain batch)."""
        layers = getattr(self.cache, "layers", None) or []
        return bool(layers) and all(getattr(layer, "keys", None) is not None
                                    and layer.keys.shape[-2] == len(self.ids) for layer in layers)

    def shifted(self, gaps: list[int]):
        """The prefix cache for a batch: row ``i`` holds ``gaps[i]`` padding slots (zeros, masked out) and
        then the prefix's first ``len(prefix) - gaps[i]`` keys and values."""
        cache = copy.deepcopy(self.cache)
        length = len(self.ids)
        for layer in cache.layers:
            keys, values = layer.keys, layer.values  # [1, heads, length, head_dim]
            shifted_keys, shifted_values = [], []
            for gap in gaps:
                gap = min(gap, length)
                blank = keys.new_zeros(keys.shape[:-2] + (gap, keys.shape[-1]))
                shifted_keys.append(torch.cat([blank, keys[:, :, :length - gap]], dim=-2))
                shifted_values.append(torch.cat([blank.to(values.dtype), values[:, :, :length - gap]], dim=-2))
            layer.keys, layer.values = torch.cat(shifted_keys), torch.cat(shifted_values)
        return cache
