from pathlib import Path

import pytest

from tunebench.harness.cli import demo_spec_path
from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.suites import list_builtin


def test_demo_spec_has_prompt_and_adapter_variants():
    spec = load_spec(demo_spec_path())
    kinds = {v.name: v.kind for v in spec.variants}
    assert kinds == {"zero-shot": "prompt", "few-shot": "prompt", "lora-baseline": "adapter"}
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
