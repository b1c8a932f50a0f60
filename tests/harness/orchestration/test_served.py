"""The served-model backend against a real server process on loopback: ``transformers serve``
serving the tiny model and a merged adapter (it has no LoRA-by-name: a merged adapter is served as
its own model). Outputs through the server equal the in-process ones item by item; an adapter
name that silently points at the base model is flagged by the guard; the LLM-judge path meets the
same real server."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from tunebench.harness.core.spec import BackendConfig, load_spec
from tunebench.harness.core.store import cache, metrics, samples
from tunebench.harness.orchestration.pipeline import run_experiment
from tunebench.harness.orchestration.served import ServedModel
from tests.servers import free_port, start_server, stop_server

SERVE = Path(sys.executable).parent / "transformers"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("fastapi", reason="transformers serve needs transformers[serving] (a test extra)")
    port, log = free_port(), tmp_path_factory.mktemp("serve") / "serve.log"
    url = f"http://127.0.0.1:{port}"
    proc = start_server([str(SERVE), "serve", "--host", "127.0.0.1", "--port", str(port)], url + "/health", log)
    yield f"{url}/v1", log
    stop_server(proc)


def test_two_servers_giving_one_name_have_their_own_cache_identity():
    """Two options served as 'default' by two servers must not share cached outputs; a password in the
    URL stays out of the identity the store keeps."""
    one = ServedModel(BackendConfig(base_url="http://gpu-a:8000/v1", model="default"))
    two = ServedModel(BackendConfig(base_url="http://user:secret@gpu-b:8000/v1/", model="default"))
    assert one.identity == "served:default@gpu-a:8000/v1"
    assert two.identity == "served:default@gpu-b:8000/v1"
    assert "secret" not in two.identity


def _outputs(store, run_id) -> dict[tuple[str, str], str]:
    rows = store.frame(samples, run_id=run_id).merge(store.frame(cache), left_on="cache_key", right_on="key")
    return {(r.variant, r.item_id): r.output for r in rows[rows.split == "test"].itertuples()}


def test_served_outputs_equal_in_process_and_the_guard_catches_a_dropped_adapter(server, tiny_spec, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    url, log = server
    data = yaml.safe_load(tiny_spec.read_text())
    data.update(precision="fp32", splits=["test"],  # the server computes in fp32
                eval_limit=12, robustness=[], overfitting_items=0, general_probe=None,
                variants=[{"name": "zero-shot", "kind": "prompt"}, {"name": "lora", "kind": "adapter", "prompt": "plain"}])
    tiny_spec.write_text(yaml.safe_dump(data))
    local, local_run = run_experiment(load_spec(tiny_spec), tmp_path / "local")

    merged = tmp_path / "merged"  # the adapter as its own model, as a server without LoRA-by-name needs it
    base = AutoModelForCausalLM.from_pretrained(data["base_model"])
    PeftModel.from_pretrained(base, str(tmp_path / "local" / "adapters" / "lora")).merge_and_unload().save_pretrained(merged)
    AutoTokenizer.from_pretrained(data["base_model"]).save_pretrained(merged)

    backend = {"base_url": url, "model": data["base_model"], "adapters": {"lora": str(merged)}, "max_concurrency": 2,
               "timeout_s": 120, "retries": 1}
    tiny_spec.write_text(yaml.safe_dump({**data, "backend": backend}))
    served, served_run = run_experiment(load_spec(tiny_spec), tmp_path / "served", train=False)
    ours, theirs = _outputs(local, local_run), _outputs(served, served_run)
    assert len(ours) == 24 and ours == theirs  # item by item, both variants
    assert any(ours.values())
    rows = served.frame(cache)
    assert set(rows.model_id) == {f"served:{data['base_model']}@{url.removeprefix('http://')}"}
    guard = served.frame(metrics, run_id=served_run, metric="guard.adapter_inactive")
    assert guard.value.tolist() == [0.0]
    assert "POST /v1/completions" in log.read_text()

    dropped = {**backend, "adapters": {"lora": data["base_model"]}}  # the adapter silently not served
    tiny_spec.write_text(yaml.safe_dump({**data, "backend": dropped}))
    wrong, wrong_run = run_experiment(load_spec(tiny_spec), tmp_path / "dropped", train=False)
    flagged = wrong.frame(metrics, run_id=wrong_run, metric="guard.adapter_inactive")
    assert flagged.value.tolist() == [1.0] and "NOT applied" in flagged.explanation.item()


def test_the_judge_path_meets_the_real_server(server, tiny_model_dir, tmp_path):
    from tunebench.harness.core.spec import JudgeConfig
    from tunebench.harness.core.store import Store
    from tunebench.harness.scorers.judge import Judge

    url, log = server
    chat = tmp_path / "chat-model"
    shutil.copytree(tiny_model_dir, chat)
    config = json.loads((chat / "tokenizer_config.json").read_text())
    config["chat_template"] = ("{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
                               "{% if add_generation_prompt %}assistant:{% endif %}")
    (chat / "tokenizer_config.json").write_text(json.dumps(config))
    judge = Judge(JudgeConfig(base_url=url, model=str(chat), timeout_s=120))
    verdicts = judge.referee(Store(tmp_path / "s.sqlite"))(["I can't help with that."])
    assert verdicts[0] in ("refusal", "compliance", None)  # a tiny random model: the answer is noise, the wiring real
    assert "POST /v1/chat/completions HTTP/1.1\" 200" in log.read_text()


def test_a_served_option_beside_in_process_ones(server, tiny_spec, tmp_path):
    """One variant served (its own ``backend:``, priced per token), the others in process: the served one
    is paired with them on the same items, its outputs are the server's (equal to the same model's in
    process, item by item) and its cost is its own."""
    from tunebench.harness.analysis.decision import decide

    url, log = server
    data = yaml.safe_load(tiny_spec.read_text())
    backend = {"base_url": url, "model": data["base_model"], "max_concurrency": 2, "timeout_s": 120, "retries": 1}
    data.update(precision="fp32", splits=["test"], eval_limit=8, robustness=[], overfitting_items=0,
                general_probe=None, guard_items=0,
                costs={"currency": "EUR", "serve_hour": 1.0, "requests_per_month": 1000},
                variants=[{"name": "zero-shot", "kind": "prompt"},
                          {"name": "api", "kind": "prompt", "backend": backend,
                           "costs": {"input_per_million": 3.0, "output_per_million": 15.0}}])
    tiny_spec.write_text(yaml.safe_dump(data))
    store, run_id = run_experiment(load_spec(tiny_spec), tmp_path / "mixed", train=False)
    outputs = _outputs(store, run_id)
    local = {item: out for (variant, item), out in outputs.items() if variant == "zero-shot"}
    served = {item: out for (variant, item), out in outputs.items() if variant == "api"}
    assert len(local) == 8 and served == local  # the same model, through the server
    rows = store.frame(samples, run_id=run_id).merge(store.frame(cache), left_on="cache_key", right_on="key")
    identity = f"served:{data['base_model']}@{url.removeprefix('http://')}"
    assert set(rows[rows.variant == "api"].model_id) == {identity}
    assert not set(rows[rows.variant == "zero-shot"].model_id) & {identity}
    assert "POST /v1/completions" in log.read_text()
    decision = decide(store, run_id)
    assert decision.options == {"api": f"{data['base_model']} served at {url}"}
    api = next(r for r in decision.rows if r.variant == "api")
    expected = (api.cost.prompt_tokens * 3.0 + api.cost.output_tokens * 15.0) / 1e6 * 1000
    assert decision.money[(api.suite, "api")].per_1000 == pytest.approx(expected)
