"""Length-grouped training batches in random order.

transformers' ``group_by_length`` sorts each mega-batch (up to 50 batches) by length, longest first.
Suites differ in length, so its batches come task by task: the demo's 80 steps went support, legal,
triage, tickets, security, then again, and each task's loss jumped back up when its turn came (the
loss curve spiked at steps 4, 21, 41 and 61). Here the batches are formed the same way (no more
padding than ``group_by_length``) and then shuffled, so tasks interleave step by step.
"""

from __future__ import annotations

import torch
from transformers.trainer_pt_utils import LengthGroupedSampler, get_length_grouped_indices


class ShuffledLengthBatches(LengthGroupedSampler):
    """``LengthGroupedSampler``'s batches, yielded in a random order (torch's generator: ``set_seed`` decides)."""

    def __iter__(self):
        indices = get_length_grouped_indices(self.lengths, self.batch_size, generator=self.generator)
        batches = [indices[i:i + self.batch_size] for i in range(0, len(indices), self.batch_size)]
        order = torch.randperm(len(batches), generator=self.generator).tolist()
        return iter([index for b in order for index in batches[b]])
