import pytest
import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM, AutoTokenizer, DataCollatorForSeq2Seq

from tunebench.harness.core.heads import ROW_BUCKET
from tunebench.harness.core.spec import TrainingConfig, Variant
from tunebench.harness.core.suites import load_suite
from tunebench.trainers.data import prepare
from tunebench.trainers.head_loss import HEAD_CHUNK, head_loss
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
    labelled = int((batch["labels"] != -100).sum())
    assert outputs.logits.shape[0] == 1 and labelled <= outputs.logits.shape[1] < labelled + ROW_BUCKET, \
        "only the labelled tokens"
    assert abs(loss.item() - expected) < 1e-4


def test_completion_loss_gradients_match_the_full_logits_loss(tiny_model_dir):
    """Through peft (as training runs it), the LoRA gradients of the row-selected loss are those of
    transformers' own loss over full logits."""
    from peft import LoraConfig, get_peft_model

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    tok.padding_side = "left"
    data = prepare(Variant(name="a", kind="adapter", prompt="zero-shot"), TrainingConfig(train_size=4),
                   [load_suite("it_tickets")], tok)
    batch = DataCollatorForSeq2Seq(tok, padding=True, label_pad_token_id=-100)(data.train)
    grads = []
    for ours in (True, False):
        torch.manual_seed(0)
        model = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model_dir),
                               LoraConfig(r=4, target_modules="all-linear", lora_dropout=0.0, init_lora_weights=False))
        if ours:
            loss = completion_loss(model, batch)[0]
        else:
            positions = (batch["attention_mask"].cumsum(-1) - 1).clamp(min=0)
            loss = model(**batch, position_ids=positions).loss
        loss.backward()
        grads.append(torch.cat([p.grad.flatten() for n, p in sorted(model.named_parameters()) if p.requires_grad]))
    assert torch.allclose(grads[0], grads[1], atol=1e-5, rtol=1e-4)
    assert grads[0].abs().sum() > 0


@pytest.mark.parametrize("rows_dtype, weight_dtype", [(torch.float32, torch.float32), (torch.bfloat16, torch.bfloat16),
                                                      (torch.float32, torch.bfloat16)])
def test_the_chunked_head_loss_equals_the_unfused_one_across_chunks(rows_dtype, weight_dtype):
    """More rows than one chunk: the same loss and the same gradient for the rows as cross-entropy over
    the whole logits under bf16 autocast (the weight frozen, as LoRA leaves it); fp32 rows with a bf16
    weight are what a bf16 run's final norm hands the loss."""
    torch.manual_seed(0)
    rows = torch.randn(2 * HEAD_CHUNK + 37, 48, dtype=rows_dtype)
    weight = torch.randn(1000, 48, dtype=weight_dtype)
    target = torch.randint(0, 1000, (len(rows),))
    results = []
    for fused in (True, False):
        leaf = rows.clone().requires_grad_(True)
        if fused:
            loss = head_loss(leaf, weight, target, 1 / 7)
        else:
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=weight_dtype == torch.bfloat16):
                logits = F.linear(leaf, weight)
            loss = F.cross_entropy(logits.float(), target, reduction="sum") / 7
        loss.backward()
        results.append((loss.detach(), leaf.grad))
    (ours, our_grad), (theirs, their_grad) = results
    assert torch.allclose(ours, theirs, rtol=1e-5)
    assert our_grad.dtype == rows_dtype
    if weight_dtype == torch.bfloat16:  # the same casts in the same order: the same bits
        assert torch.equal(our_grad, their_grad)
    else:  # fp32: exp(logits - logsumexp) against log_softmax's backward, a few ulps apart
        assert torch.allclose(our_grad, their_grad, atol=1e-6, rtol=1e-5)
