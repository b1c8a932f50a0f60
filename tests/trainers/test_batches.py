import torch
from transformers import TrainingArguments
from transformers.trainer_pt_utils import get_length_grouped_indices

from tunebench.trainers.batches import ShuffledLengthBatches
from tunebench.trainers.loss import CompletionOnlyTrainer

# Two "suites": 80 short items and 80 long ones, interleaved as a shuffled training set would be.
LENGTHS = [20 + i % 7 if i % 2 else 150 + i % 11 for i in range(160)]


def _batches(indices: list[int], size: int) -> list[tuple[int, ...]]:
    return [tuple(indices[i:i + size]) for i in range(0, len(indices), size)]


def test_same_batches_as_group_by_length_in_random_order():
    """Every item once; the batches are transformers' length groups (no more padding); their order is
    not longest-first by mega-batch, so the two lengths alternate instead of coming in two runs."""
    torch.manual_seed(0)
    grouped = _batches(get_length_grouped_indices(LENGTHS, 8), 8)
    torch.manual_seed(0)
    ours = _batches(list(ShuffledLengthBatches(8, lengths=LENGTHS)), 8)
    assert sorted(i for b in ours for i in b) == list(range(len(LENGTHS)))
    assert sorted(ours) == sorted(grouped)
    long_first = [max(LENGTHS[i] for i in b) > 100 for b in grouped]
    long_ours = [max(LENGTHS[i] for i in b) > 100 for b in ours]
    runs = lambda flags: 1 + sum(a != b for a, b in zip(flags, flags[1:]))  # noqa: E731
    megabatches = 4  # transformers: min(160 // (8 * 4), 50) = 5 batches per mega-batch, long ones first
    assert runs(long_first) <= 2 * megabatches
    assert runs(long_ours) > 2 * megabatches


def test_seed_decides_the_order():
    torch.manual_seed(1)
    first = list(ShuffledLengthBatches(8, lengths=LENGTHS))
    torch.manual_seed(1)
    assert list(ShuffledLengthBatches(8, lengths=LENGTHS)) == first
    torch.manual_seed(2)
    assert list(ShuffledLengthBatches(8, lengths=LENGTHS)) != first


def test_trainer_uses_it_for_group_by_length(tiny_model_dir, tmp_path):
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    data = [{"input_ids": [1] * n, "labels": [1] * n} for n in LENGTHS[:32]]
    for strategy, kind in (("group_by_length", ShuffledLengthBatches), ("random", torch.utils.data.RandomSampler)):
        args = TrainingArguments(output_dir=str(tmp_path), per_device_train_batch_size=4, use_cpu=True,
                                 train_sampling_strategy=strategy, report_to="none")
        sampler = CompletionOnlyTrainer(model=model, args=args, train_dataset=data)._get_train_sampler()
        assert type(sampler) is kind
        assert sorted(sampler) == list(range(32))
