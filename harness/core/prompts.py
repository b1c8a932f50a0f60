"""The ONE prompt renderer, shared by training and evaluation.

A mismatch between the text an adapter was trained on and the text it is evaluated on silently
ruins a comparison, so trainers/ and harness/orchestration/runner.py both call ``render_prompt``
and ``render_completion`` and nothing else builds prompts.

Format (the embedded model is a base model without a chat template, good at few-shot)::

    <instruction>            (zero-shot, few-shot, policy)

    Ticket: <example text>   (few-shot, k times)
    Category: network
    Priority: high

    Ticket: <item text>
    Category:                (prompt strategies end with the first answer label: the answer cue)
    ------------------------ prompt ends here; the completion follows
     <label>
    Priority: <label>

A prompt engineer writing for a base model ends the prompt where the answer starts: without the
cue a base model tends to continue the ticket ("Ticket: I have a ticket for...") and a prompted
variant is judged on format, not knowledge. ``plain`` (what an adapter is trained on) has no cue:
the adapter learns to write the whole answer. Scorers read ``answer_cue + output``.
"""

from __future__ import annotations

import json
import random
from typing import Any, Callable

from tunebench.harness.core.suites import Suite

STOP_SEQUENCES = ("\n\n",)


def _input_block(suite: Suite, item: dict[str, Any]) -> str:
    """The item as the model sees it; generation and extraction prompts end with '<Answer>:'."""
    cfg = suite.config
    block = ""
    if cfg.context_field and item.get(cfg.context_field):
        block += f"{cfg.context_label}: {str(item[cfg.context_field]).strip()}\n"
    block += f"{cfg.input_label}: {item[cfg.input_field].strip()}\n"
    if cfg.task_type != "classification":
        block += f"{cfg.output_label}:"
    return block


def answer_cue(suite: Suite, strategy: str) -> str:
    """What a prompt of ``strategy`` ends with and its completion leaves out: the first label line's
    name ("Category:") for classification prompts other than plain; empty otherwise (generation and
    extraction prompts end with "Answer:" under every strategy)."""
    if suite.config.task_type != "classification" or strategy == "plain":
        return ""
    return f"{next(iter(suite.config.labels)).capitalize()}:"


def render_completion(suite: Suite, item: dict[str, Any], strategy: str = "plain") -> str:
    """The target text after the prompt of ``strategy``: ``Field: label`` lines (classification,
    plus the optional response line; without the answer cue the prompt ends with), the reference
    answer (generation) or the target as one-line JSON (extraction)."""
    cfg = suite.config
    cue = answer_cue(suite, strategy)
    if cue:
        return render_completion(suite, item)[len(cue):]
    if cfg.task_type == "classification":
        lines = [f"{field.capitalize()}: {item[field]}" for field in cfg.labels]
        if cfg.response_field:  # the free-text line after the labels, kept on one line
            lines.append(f"{cfg.response_label}: {' '.join(item[cfg.response_field].split())}")
        return "\n".join(lines)
    target = item[cfg.target_field]
    text = json.dumps(target, ensure_ascii=False) if cfg.task_type == "extraction" else target.strip()
    return " " + " ".join(text.split("\n\n"))  # one paragraph: a blank line is the stop sequence


def chat_wrapper(tokenizer) -> Callable[[str], str] | None:
    """For a model whose tokenizer has a chat template: the prompt body as one user turn, followed
    by the template's assistant prefix (the answer cue comes after it). ``None`` for base models
    without a template (the embedded default), whose prompts stay plain text."""
    if not getattr(tokenizer, "chat_template", None):
        return None
    bos = tokenizer.bos_token or ""

    def wrap(body: str) -> str:
        text = tokenizer.apply_chat_template([{"role": "user", "content": body}], tokenize=False,
                                             add_generation_prompt=True)
        return text[len(bos):] if bos and text.startswith(bos) else text  # the tokenizer adds BOS itself

    return wrap


def render_prompt(suite: Suite, item: dict[str, Any], strategy: str,
                  shots: list[dict[str, Any]] | None = None, chat: Callable[[str], str] | None = None) -> str:
    """Prompt text for ``item`` under ``strategy`` (zero-shot | few-shot | policy | plain); ``chat``
    (``chat_wrapper``) puts prompt strategies in the model's chat template."""
    if strategy == "plain":
        return _input_block(suite, item)
    head = suite.config.instruction.strip() + "\n\n"
    if strategy == "few-shot":
        if not shots:
            raise ValueError("few-shot needs examples")
        head += "".join(_input_block(suite, s) + render_completion(suite, s) + "\n\n" for s in shots)
    elif strategy == "policy":
        if not suite.policy or not suite.policy.prompt:
            raise ValueError(f"suite {suite.name} has no policy prompt (policy.yaml 'prompt')")
        head += suite.policy.prompt.strip() + "\n\n"
    elif strategy != "zero-shot":
        raise ValueError(f"unknown prompt strategy {strategy!r}")
    body = head + _input_block(suite, item)
    if chat is not None:
        answer = suite.config.output_label + ":"
        body = chat(body.removesuffix(answer).rstrip("\n")) + (answer if body.endswith(answer) else "")
    return body + answer_cue(suite, strategy)


def render_prompts(suite: Suite, items: list[dict[str, Any]], strategy: str, k: int | None = None,
                   chat: Callable[[str], str] | None = None) -> list[str]:
    """Prompts for ``items`` under ``strategy``; few-shot examples are chosen once for all items."""
    shots = few_shot_examples(suite, k or suite.config.prompts.few_shot_k) if strategy == "few-shot" else None
    return [render_prompt(suite, item, strategy, shots, chat) for item in items]


def few_shot_examples(suite: Suite, k: int, seed: int = 0) -> list[dict[str, Any]]:
    """``k`` training items, deterministic, covering as many (field, label) pairs as possible.

    Greedy set cover in a seeded shuffled order: each pick adds the most labels not shown yet (the
    first field's labels first), so the examples show the model the label sets, not one class.
    """
    pool = list(suite.split("train"))
    random.Random(seed).shuffle(pool)
    fields = list(suite.config.labels)
    if not fields:
        return pool[:k]
    chosen: list[dict[str, Any]] = []
    shown: set[tuple[str, str]] = set()
    while len(chosen) < min(k, len(pool)):
        def gain(item: dict[str, Any]) -> tuple[int, int]:
            new = {(f, str(item[f])) for f in fields} - shown
            return (int((fields[0], str(item[fields[0]])) in new), len(new))
        best = max((i for i in pool if i not in chosen), key=gain)  # max keeps the first of equals
        chosen.append(best)
        shown |= {(f, str(best[f])) for f in fields}
    return chosen
