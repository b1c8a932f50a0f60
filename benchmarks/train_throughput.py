"""Training throughput: tunebench's LoRA trainer vs a plain transformers ``Trainer`` script.

Both train the same LoRA config on the same tokenised examples (IT suite, plain prompt) from the
same base model, in child processes of this one, one after the other (never concurrently on a
2-core machine). The reference is what a user would write with stock transformers: right
padding, ``model(**batch, labels=...)`` loss over full logits. Prints tokens/s and the ratio.

    .venv/bin/python benchmarks/train_throughput.py [--model gemma-3-270m] [--items 64] [--steps 8]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time


def child(mode: str, model_ref: str, items: int, batch_size: int) -> dict:
    import copy

    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments

    from tunebench.harness.core.models import load_base_model
    from tunebench.harness.core.spec import TrainingConfig, Variant
    from tunebench.harness.core.suites import load_suite
    from tunebench.trainers.data import prepare
    from tunebench.trainers.loss import CompletionOnlyTrainer

    torch.manual_seed(0)
    model, tokenizer, _ = load_base_model(model_ref)
    config = TrainingConfig(train_size=items, batch_size=batch_size)
    data = prepare(Variant(name="bench", kind="adapter", prompt="plain"), config, [load_suite("it_tickets")],
                   tokenizer)
    model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, target_modules="all-linear",
                                             task_type="CAUSAL_LM"))
    args = TrainingArguments(output_dir="/tmp/tunebench-bench", per_device_train_batch_size=batch_size,
                             num_train_epochs=1, learning_rate=2e-4, save_strategy="no", report_to="none",
                             logging_steps=1000, disable_tqdm=True, use_cpu=not torch.cuda.is_available())
    if mode == "reference":
        tok = copy.copy(tokenizer)
        tok.padding_side = "right"
        trainer_cls = Trainer
    else:
        tok = tokenizer
        trainer_cls = CompletionOnlyTrainer
    trainer = trainer_cls(model=model, args=args, train_dataset=data.train, processing_class=tok,
                          data_collator=DataCollatorForSeq2Seq(tok, padding=True, label_pad_token_id=-100))
    start = time.perf_counter()
    result = trainer.train()
    seconds = time.perf_counter() - start
    tokens = data.counts["train_tokens"]
    return {"mode": mode, "seconds": seconds, "tokens": tokens, "tokens_per_s": tokens / seconds,
            "final_loss": result.training_loss}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="gemma-3-270m")
    parser.add_argument("--items", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--child", choices=["reference", "tunebench"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.model, args.items, args.batch_size)))
        return
    results = {}
    for mode in ("reference", "tunebench"):
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--model", args.model,
                              "--items", str(args.items), "--batch-size", str(args.batch_size)],
                             check=True, capture_output=True, text=True)
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
        r = results[mode]
        print(f"{mode:10s} {r['tokens']} tokens in {r['seconds']:.1f} s = {r['tokens_per_s']:.1f} tokens/s "
              f"(train loss {r['final_loss']:.3f})")
    ratio = results["tunebench"]["tokens_per_s"] / results["reference"]["tokens_per_s"]
    print(f"ratio tunebench / plain Trainer: {ratio:.2f}x tokens/s "
          f"({args.items} items, batch {args.batch_size}, model {args.model})")


if __name__ == "__main__":
    main()
