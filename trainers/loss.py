"""Completion-only loss that computes the vocabulary projection only where the loss is.

Written here because transformers computes logits for every position and masks the loss
afterwards; with Gemma's 262k-token vocabulary that projection is most of a training step's
work on CPU. Batches are left-padded, so every row's completion ends at the last position and
``logits_to_keep`` (a transformers forward argument) keeps just the tail that predicts
completion tokens. Position ids count from each row's first real token, exactly as in batched
generation, so training and evaluation see the same positions.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from transformers import Trainer

IGNORE_INDEX = -100


def completion_loss(model, inputs: dict, num_items: torch.Tensor | int | None = None):
    """(loss, outputs) for a left-padded batch whose ``labels`` mask the prompt with -100."""
    labels = inputs["labels"]
    mask = inputs["attention_mask"]
    position_ids = (mask.long().cumsum(-1) - 1).clamp(min=0)
    first = int((labels != IGNORE_INDEX).float().argmax(dim=1).min())  # earliest labelled position
    keep = labels.shape[1] - first + 1  # +1: the position before a token predicts it
    outputs = model(input_ids=inputs["input_ids"], attention_mask=mask, position_ids=position_ids,
                    logits_to_keep=keep)
    logits = outputs.logits[:, :-1].float()
    target = labels[:, first:].to(logits.device)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1),
                           ignore_index=IGNORE_INDEX, reduction="sum")
    denominator = num_items if num_items is not None else (target != IGNORE_INDEX).sum()
    return loss / denominator, outputs


class CompletionOnlyTrainer(Trainer):
    """transformers' Trainer with ``completion_loss``; everything else is the stock Trainer."""

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        loss, outputs = completion_loss(model, inputs, num_items_in_batch)
        return (loss, outputs) if return_outputs else loss
