from pathlib import Path

import pytest

from tunebench.harness.cli import demo_spec_path
from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.suites import list_builtin


def test_demo_spec_has_prompt_and_adapter_variants():
    spec = load_spec(demo_spec_path())
    kinds = {v.name: v.kind for v in spec.variants}
    assert kinds == {"zero-shot": "prompt", "few-shot": "prompt", "lora-baseline": "adapter", "lora-it": "adapter",
                     "lora-it.seed1": "adapter", "lora-it.n24": "adapter", "lora-it.n48": "adapter"}
    assert {v.seed_of or v.curve_of for v in spec.variants if v.derived} == {"lora-it"}, \
        "issue 22: the demo shows seeds and a learning curve"
    assert spec.baseline_variant == "zero-shot"
    assert set(spec.suites) == set(list_builtin()), "the demo evaluates every built-in suite"
    assert spec.limit_for("test") >= 40, "issue 17: at least 40 test items per suite"


def test_the_variants_example_trains_variant_adapters():
    spec = load_spec(Path(demo_spec_path()).with_name("variants.yaml"))
    configs = {v.name: spec.training_for(v) for v in spec.variants if v.kind == "adapter"}
    assert len(configs) >= 4
    baseline = configs.pop("lora-baseline")
    assert all(config != baseline for config in configs.values()), "each variant changes the training"


def test_variant_overrides_apply_on_top_of_baseline_training(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("name: e\nsuites: [it_tickets]\ntraining: {rank: 8, epochs: 2}\nvariants:\n"
                    "  - {name: a, kind: adapter, train: {rank: 4}}\n")
    spec = load_spec(path)
    cfg = spec.training_for(spec.variants[0])
    assert (cfg.rank, cfg.epochs) == (4, 2.0)


@pytest.mark.parametrize("text, line, field, words", [
    ("name: e\nsuites: [it_tickets]\nvariants:\n  - name: a\n    kind: adaptor\n", 5, "variants.0.kind",
     "'prompt' or 'adapter'"),
    ("name: e\nsuites: [it_tickets]\nvariants:\n  - name: a\n    kind: adapter\n    train:\n      rnak: 4\n",
     7, "variants.0.train.rnak", "valid fields here: rank"),
    ("name: e\nsuites: []\nvariants:\n  - {name: a, kind: prompt}\n", 2, "suites", "at least 1"),
    ("name: e\nsuites: [x]\nvariants:\n  - {name: a, kind: prompt}\n  - {name: a, kind: prompt}\n", 3,
     "variants", "unique"),
    ("name: e\nsuites: [x]\nvariants:\n  - {name: a, kind: prompt}\nbaseline: zz\n", 5, "baseline",
     "valid: a"),
    ("name: e\nsuites: [x\nvariants: []\n", 3, None, "not valid YAML"),
    ("- just\n- a list\n", 1, None, "mapping"),
    ("name: e\nsuites: [x]\neval_limits: {tset: 4}\nvariants:\n  - {name: a, kind: prompt}\n", 3, "eval_limits",
     "did you mean 'test'"),
    ("name: e\nsuites: [x]\neval_limits: {test: 0}\nvariants:\n  - {name: a, kind: prompt}\n", 3, "eval_limits",
     "at least 1"),
    ("name: e\nsuites: [x]\nprecision: fp16\nvariants:\n  - {name: a, kind: prompt}\n", 3, "precision", "bf16"),
])
def test_bad_specs_name_line_and_field(tmp_path, text, line, field, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(BadInput) as info:
        load_spec(path)
    err = info.value
    assert err.file == path and err.line == line and err.field == field
    assert words in str(err)


def test_missing_spec_file():
    with pytest.raises(BadInput, match="file not found"):
        load_spec(Path("/nonexistent/experiment.yaml"))


def test_eval_limit_per_split(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("name: e\nsuites: [it_tickets]\neval_limit: 8\neval_limits: {test: 40, ood: 12}\nvariants:\n"
                    "  - {name: a, kind: prompt}\n")
    spec = load_spec(path)
    assert (spec.limit_for("test"), spec.limit_for("ood"), spec.limit_for("safety")) == (40, 12, 8)


def test_the_readme_ci_example_files_load():
    """The README's CI job names examples/ci/support.yaml and examples/ci/gate.yaml: both are valid."""
    from tunebench.harness.analysis.gate import load_gate

    folder = Path(demo_spec_path()).parent / "ci"
    spec = load_spec(folder / "support.yaml")
    gate = load_gate(folder / "gate.yaml")
    assert {v.name for v in spec.variants} >= {"lora-prod", "lora-candidate"} and spec.baseline == "lora-prod"
    assert gate.on_inconclusive == "fail" and any(c.rule == "floor" for c in gate.checks)


def test_the_economics_example_trains_seeds_and_a_learning_curve():
    spec = load_spec(Path(demo_spec_path()).with_name("economics.yaml"))
    derived = {v.name for v in spec.variants if v.derived}
    assert derived == {"lora.seed1", "lora.seed2", "lora.n32", "lora.n96", "lora.n240"}
    assert spec.costs is not None and spec.costs.label_per_example > 0


def test_seeds_and_learning_curve_add_adapters(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("name: e\nsuites: [it_tickets]\ntraining: {train_size: 200, seed: 3}\nvariants:\n"
                    "  - {name: few, kind: prompt, prompt: few-shot}\n"
                    "  - {name: lora, kind: adapter, prompt: plain, train: {rank: 4}, seeds: 3, "
                    "learning_curve: [32, 64]}\n")
    spec = load_spec(path)
    added = {v.name: (v.seed_of, v.curve_of, spec.training_for(v).seed, spec.training_for(v).train_size,
                      spec.training_for(v).rank) for v in spec.variants if v.derived}
    assert added == {"lora.seed4": ("lora", None, 4, 200, 4), "lora.seed5": ("lora", None, 5, 200, 4),
                     "lora.n32": (None, "lora", 3, 32, 4), "lora.n64": (None, "lora", 3, 64, 4)}
    again = type(spec).model_validate(spec.model_dump())  # a spec written back with its added adapters
    assert [v.name for v in again.variants] == [v.name for v in spec.variants]


@pytest.mark.parametrize("variant, words", [
    ("{name: p, kind: prompt, seeds: 2}", "'seeds' is only valid for kind: adapter"),
    ("{name: p, kind: prompt, learning_curve: [8]}", "'learning_curve' is only valid for kind: adapter"),
    ("{name: a, kind: adapter, learning_curve: [64, 32]}", "increasing order"),
    ("{name: a, kind: adapter, learning_curve: [32, 300]}", "below the variant's train_size (200)"),
])
def test_bad_seeds_and_curves_are_located(tmp_path, variant, words):
    path = tmp_path / "bad.yaml"
    path.write_text(f"name: e\nsuites: [it_tickets]\ntraining: {{train_size: 200}}\nvariants:\n  - {variant}\n")
    with pytest.raises(BadInput) as error:
        load_spec(path)
    assert words in str(error.value) and error.value.line == 5 and error.value.field.startswith("variants.0")


def test_an_added_adapter_may_not_take_a_listed_name(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: e\nsuites: [it_tickets]\nvariants:\n  - {name: lora, kind: adapter, seeds: 2}\n"
                    "  - {name: lora.seed1, kind: adapter, train: {rank: 4}}\n")
    with pytest.raises(BadInput, match="variant 'lora.seed1' is listed") as error:
        load_spec(path)
    assert (error.value.line, error.value.field) == (3, "variants")


def test_variants_name_their_own_model_or_server_and_share_it_by_option(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("name: e\nsuites: [it_tickets]\nbase_model: small\nvariants:\n"
                    "  - {name: zero, kind: prompt}\n"
                    "  - {name: big-few, kind: prompt, prompt: few-shot, model: big}\n"
                    "  - {name: lora, kind: adapter, prompt: plain, seeds: 2}\n"
                    "  - {name: big-lora, kind: adapter, prompt: plain, model: big}\n"
                    "  - name: api\n    kind: prompt\n"
                    "    backend: {base_url: 'http://127.0.0.1:9/v1', model: served-big}\n")
    spec = load_spec(path)
    parts = [(option.describe(), [v.name for v in part.variants], part.base_model)
             for option, part in spec.by_option()]
    assert parts == [("small", ["zero", "lora", "lora.seed1"], "small"),
                     ("big", ["big-few", "big-lora"], "big"),
                     ("served-big served at http://127.0.0.1:9/v1", ["api"], "small")]
    part = spec.by_option()[2][1]
    assert part.backend.model == "served-big" and part.training == spec.training  # everything else the run's


@pytest.mark.parametrize("extra, variant, field, words", [
    ("scoring: both\n", "{name: api, kind: prompt, backend: {base_url: 'http://h/v1', model: m}}", "backend",
     "use scoring: generate"),
    ("", "{name: api, kind: prompt, costs: {input_per_million: 2.5}}", "costs", "add the experiment's costs"),
    ("costs: {currency: EUR}\n", "{name: api, kind: prompt, costs: {per_token: 2.5}}", "costs.per_token",
     "input_per_million"),
])
def test_bad_options_are_located_at_the_variant(tmp_path, extra, variant, field, words):
    path = tmp_path / "bad.yaml"
    path.write_text(f"name: e\nsuites: [it_tickets]\n{extra}variants:\n  - {variant}\n")
    with pytest.raises(BadInput) as error:
        load_spec(path)
    assert words in str(error.value) and error.value.field == f"variants.0.{field}"
    assert error.value.line == (5 if extra else 4)
