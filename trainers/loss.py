"""Completion-only loss that computes the vocabulary projection only for the tokens the loss is on.

Written here because transformers computes logits for every position and masks the loss
afterwards; with Gemma's 262k-token vocabulary that projection is most of a training step's
work on CPU, and its fp32 logits (positions x 262,144 x 4 bytes, several copies through softmax and
backward) most of its memory. Two cuts, both exact:
- batches are left-padded, so every row's completion ends at the last position and
  ``logits_to_keep`` (a transformers forward argument) keeps just the tail that holds completions;
- within that tail, the output projection sees only the positions that predict a labelled token
  (``harness/core/heads.rows_only``), so a short completion in a batch with a long one costs its
  own rows, not the longest one's;
- those rows are projected and their loss and gradient computed chunk by chunk (``head_loss.py``):
  no (rows x vocabulary) tensor outlives its chunk.
Position ids count from each row's first real token, exactly as in batched generation, so training
and evaluation see the same positions.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from transformers import Trainer

from tunebench.harness.core.heads import rows_only
from tunebench.trainers.batches import ShuffledLengthBatches
from tunebench.trainers.head_loss import head_loss

IGNORE_INDEX = -100


def completion_loss(model, inputs: dict, num_items: torch.Tensor | int | None = None):
    """(loss, outputs) for a left-padded batch whose ``labels`` mask the prompt with -100; ``outputs.logits``
    holds one row per labelled token (then zero-row padding, see ``rows_only``): its hidden state, which
    ``head_loss`` projects (its logits for a model that caps them)."""
    labels = inputs["labels"]
    mask = inputs["attention_mask"]
    position_ids = (mask.long().cumsum(-1) - 1).clamp(min=0)
    first = int((labels != IGNORE_INDEX).float().argmax(dim=1).min())  # earliest labelled position
    keep = labels.shape[1] - first + 1  # +1: the position before a token predicts it
    target = labels[:, labels.shape[1] - keep + 1:]  # what each kept position but the last predicts
    labelled = target != IGNORE_INDEX
    where = torch.cat([labelled, torch.zeros_like(labelled[:, :1])], dim=1)  # the last position predicts nothing
    head = getattr(model, "module", model).get_output_embeddings()
    fused = getattr(getattr(model, "config", None), "final_logit_softcapping", None) is None  # Gemma 2 caps logits
    with rows_only(model, where, project=not fused):
        outputs = model(input_ids=inputs["input_ids"], attention_mask=mask, position_ids=position_ids,
                        logits_to_keep=keep)
    rows = outputs.logits[0, :int(labelled.sum())]
    wanted = target[labelled].to(rows.device)
    scale = 1.0 / float(num_items if num_items is not None else labelled.sum())
    if fused:  # ``outputs.logits`` holds the hidden rows
        return head_loss(rows, head.weight, wanted, scale), outputs
    return F.cross_entropy(rows.float(), wanted, reduction="sum") * scale, outputs


class CompletionOnlyTrainer(Trainer):
    """transformers' Trainer with ``completion_loss`` and, for ``group_by_length``, length-grouped batches
    in random order (``batches.py``); everything else is the stock Trainer."""

    def _get_train_sampler(self, train_dataset=None):
        dataset = train_dataset if train_dataset is not None else self.train_dataset
        if self.args.train_sampling_strategy != "group_by_length" or dataset is None:
            return super()._get_train_sampler(train_dataset)
        return ShuffledLengthBatches(self.args.train_batch_size * self.args.gradient_accumulation_steps,
                                     dataset=dataset)

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        loss, outputs = completion_loss(model, inputs, num_items_in_batch)
        return (loss, outputs) if return_outputs else loss
