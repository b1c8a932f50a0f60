"""Training data preparation, on by default and reported in the adapter's provenance.

Per suite: exact and near-duplicate removal → contamination check against every evaluation split
of every suite in the experiment → stratified train/val split (when the suite has no val) → PII
anonymisation → optional canaries. Then the shared prompt renderer and tokenisation with the loss
on completion tokens only: prompt positions get label -100, so the adapter learns to answer, not to
reproduce tickets. Items longer than ``max_length`` lose prompt tokens from the left (the
completion is kept whole) and are counted, never silently.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import Counter
from dataclasses import dataclass, field

from sklearn.model_selection import train_test_split

from tunebench.harness.core.canaries import make_canaries, plant
from tunebench.harness.core.pii import redact
from tunebench.harness.core.prompts import chat_wrapper, render_completion, render_prompts
from tunebench.harness.core.spec import TrainingConfig, Variant
from tunebench.harness.core.suites import Suite
from tunebench.trainers.contamination import ContaminationIndex
from tunebench.trainers.dedup import dedup
from tunebench.trainers.loss import IGNORE_INDEX

EVAL_SPLITS = ("test", "ood", "safety")


@dataclass
class PreparedData:
    train: list[dict] = field(default_factory=list)  # {"input_ids", "labels"}
    val: list[dict] = field(default_factory=list)
    sha256: str = ""  # hash of the rendered texts: part of the adapter's cache key
    counts: dict[str, int] = field(default_factory=dict)
    report: dict = field(default_factory=dict)  # anonymisation, dedup, contamination, canaries


def render_pairs(variant: Variant, suite: Suite, items: list[dict], tokenizer=None) -> list[tuple[str, str]]:
    """(prompt, completion) per item, rendered exactly as the runner renders them at evaluation."""
    prompts = render_prompts(suite, items, variant.prompt, variant.k, chat_wrapper(tokenizer) if tokenizer else None)
    return list(zip(prompts, (render_completion(suite, item, variant.prompt) for item in items)))


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


def contamination_index(eval_suites: list[Suite], n: int) -> ContaminationIndex:
    texts = {f"{s.name}/{split}/{item['id']}": item[s.config.input_field]
             for s in eval_suites for split in EVAL_SPLITS if s.has_split(split) for item in s.split(split)}
    return ContaminationIndex(texts, n)


def clean_split(suite: Suite, config: TrainingConfig, index: ContaminationIndex, report: dict
                ) -> tuple[list[dict], list[dict]]:
    """Train and val items of one suite after dedup, contamination check and the val split."""
    field_name = suite.config.input_field
    items = list(suite.split("train"))
    if config.dedup:
        keep, dropped = dedup([i[field_name] for i in items], config.near_duplicate_threshold)
        items = [items[k] for k in keep]
        for key, value in dropped.items():
            report[key] += value
    clean = []
    for item in items:
        overlap, ref = index.check(item[field_name])
        if overlap >= config.contamination_threshold:
            report["contaminated"].append({"suite": suite.name, "id": item["id"], "overlaps": ref,
                                           "overlap": round(overlap, 3)})
        else:
            clean.append(item)
    if suite.has_split("val"):
        return clean, list(suite.split("val"))
    stratify = None
    if suite.config.labels:  # generation and extraction suites have nothing to stratify on
        first = next(iter(suite.config.labels))
        labels = [i[first] for i in clean]
        counts, n_val = Counter(labels), math.ceil(len(clean) * config.val_fraction)
        # Stratify when sklearn can: every label twice, and room in val for one of each.
        stratify = labels if min(counts.values()) >= 2 and n_val >= len(counts) else None
    train, val = train_test_split(clean, test_size=config.val_fraction, random_state=config.seed,
                                  stratify=stratify)
    return train, val


def prepare(variant: Variant, config: TrainingConfig, suites: list[Suite], tokenizer,
            eval_suites: list[Suite] | None = None) -> PreparedData:
    """Train and val examples for one adapter variant, with the data-preparation report."""
    report: dict = {"exact_duplicates": 0, "near_duplicates": 0, "contaminated": [], "pii": Counter(),
                    "pii_value_sha256": set(), "canaries": []}
    index = contamination_index(eval_suites or suites, config.contamination_ngram)
    train_pairs, val_pairs = [], []  # ((prompt, completion), PII values replaced in that item)
    pool = 0
    for suite in suites:
        train, val = clean_split(suite, config, index, report)
        pool += len(train) + len(val)
        random.Random(config.seed).shuffle(train)
        replaced: dict[str, Counter] = {}
        if config.anonymize != "off":
            train, val = (_anonymize(suite, part, config, report, replaced) for part in (train, val))
        if config.canaries:
            secrets = make_canaries(config.canaries, config.seed)
            train, planted = plant(train, suite.config.input_field, secrets, config.canary_repeats, config.seed)
            report["canaries"] += [{**p, "suite": suite.name} for p in planted]
        for items, out in ((train, train_pairs), (val, val_pairs)):
            counts = [replaced.get(i["id"], Counter()) for i in items]
            out += zip(render_pairs(variant, suite, items, tokenizer), counts)
    random.Random(config.seed).shuffle(train_pairs)
    if config.train_size:
        train_pairs = train_pairs[: config.train_size]
    if config.val_size:
        random.Random(config.seed + 1).shuffle(val_pairs)
        val_pairs = val_pairs[: config.val_size]
    pii_in_used_items = sum((counts for _, counts in train_pairs + val_pairs), Counter())
    train_pairs, val_pairs = [pair for pair, _ in train_pairs], [pair for pair, _ in val_pairs]

    data = PreparedData()
    data.sha256 = hashlib.sha256(json.dumps([train_pairs, val_pairs]).encode()).hexdigest()
    truncated = 0
    for pairs, out in ((train_pairs, data.train), (val_pairs, data.val)):
        for prompt, completion in pairs:
            example, cut = tokenize_pair(tokenizer, prompt, completion, config.max_length)
            truncated += cut
            out.append(example)
    data.counts = {"train_items": len(data.train), "val_items": len(data.val), "truncated_items": truncated,
                   "train_tokens": sum(len(e["input_ids"]) for e in data.train),
                   "train_completion_tokens": sum(sum(t != IGNORE_INDEX for t in e["labels"]) for e in data.train),
                   "pool_items": pool,  # the suites' clean train items the adapter's items were drawn from
                   "exact_duplicates_dropped": report["exact_duplicates"],  # these three: from the whole pool
                   "near_duplicates_dropped": report["near_duplicates"],
                   "contaminated_dropped": len(report["contaminated"]),
                   "pii_replaced": sum(pii_in_used_items.values()),  # in the items it trained and validated on
                   "pii_replaced_in_pool": sum(report["pii"].values())}
    data.report = {**report, "pii": dict(report["pii"]), "anonymize": config.anonymize,
                   "pii_by_type": dict(sorted(pii_in_used_items.items())),  # of the items it trained and validated on
                   "pii_value_sha256": sorted(report["pii_value_sha256"])}
    return data


def _anonymize(suite: Suite, items: list[dict], config: TrainingConfig, report: dict,
               replaced: dict[str, Counter]) -> list[dict]:
    """Copies of ``items`` with PII replaced in the input (``config.anonymize``: placeholders or
    surrogates in the suite's language); counts and value hashes go to ``report``, the count per
    type of each item to ``replaced`` (by item id).

    Only hashes of the PII values are kept: enough to detect a trained value in a model output
    later, without the provenance file itself becoming a store of personal data.
    """
    out = []
    for item in items:
        clean, found = redact(item[suite.config.input_field], config.pii_patterns, config.anonymize, config.seed,
                              suite.config.language)
        replaced[item["id"]] = Counter(kind for kind, _ in found)
        for kind, value in found:
            report["pii"][kind] += 1
            report["pii_value_sha256"].add(hashlib.sha256(value.encode()).hexdigest())
        out.append({**item, suite.config.input_field: clean})
    return out
