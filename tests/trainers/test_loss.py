import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, DataCollatorForSeq2Seq

from tunebench.harness.core.spec import TrainingConfig, Variant
from tunebench.harness.core.suites import load_suite
from tunebench.trainers.data import prepare
from tunebench.trainers.loss import completion_loss


def test_completion_loss_equals_the_full_logits_loss(tiny_model_dir):
    """Keeping only the tail logits must not change the loss: compare with transformers' own loss."""
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    data = prepare(Variant(name="a", kind="adapter", prompt="zero-shot"), TrainingConfig(train_size=6),
                   [load_suite("it_tickets")], tok)
    with torch.no_grad():
        # One row at a time, unpadded: transformers computes logits everywhere and masks the loss.
        singles = []
        for example in data.train:
            ids = torch.tensor([example["input_ids"]])
            out = model(input_ids=ids, labels=torch.tensor([example["labels"]]))
            singles.append((out.loss.item(), sum(t != -100 for t in example["labels"])))
        expected = sum(loss * n for loss, n in singles) / sum(n for _, n in singles)
        batch = DataCollatorForSeq2Seq(tok, padding=True, label_pad_token_id=-100)(data.train)
        assert (batch["attention_mask"][:, 0] == 0).any(), "the batch should be left-padded"
        loss, outputs = completion_loss(model, batch)
    assert outputs.logits.shape[1] < batch["input_ids"].shape[1]
    assert abs(loss.item() - expected) < 1e-4
