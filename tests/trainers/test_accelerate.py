"""The training entry point under ``accelerate launch``: DDP with 2 CPU processes (gloo)."""

import json
import os
import subprocess
import sys


def test_two_process_ddp_training_writes_one_loadable_adapter(tiny_spec, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    out = tmp_path / "out"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    # accelerate's multi-process launcher (torchrun underneath); without a GPU, Trainer runs DDP on
    # the CPU with the gloo backend. (``--cpu`` alone would start one process unless MPI is set up.)
    cmd = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
           "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no",
           "-m", "tunebench.harness.cli", "train", str(tiny_spec), "--out", str(out)]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    folder = out / "adapters" / "lora"
    provenance = json.loads((folder / "tunebench.json").read_text())
    assert provenance["processes"] == 2
    assert not list((out / "adapters").glob(".*partial*")), "a partial folder was left behind"
    base = AutoModelForCausalLM.from_pretrained(provenance["base_model"])
    PeftModel.from_pretrained(base, str(folder))
