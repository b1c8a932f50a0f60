import pytest

from tunebench.harness.core import precision
from tunebench.harness.core.precision import Precision, resolve_precision


@pytest.fixture(autouse=True)
def _fresh():
    resolve_precision.cache_clear()
    yield
    resolve_precision.cache_clear()


def test_auto_takes_bf16_only_where_the_hardware_computes_it(monkeypatch):
    monkeypatch.setattr(precision, "native_bf16", lambda: "CPU with avx512_bf16")
    assert resolve_precision("auto") == Precision("bf16", "auto: CPU with avx512_bf16")
    resolve_precision.cache_clear()
    monkeypatch.setattr(precision, "native_bf16", lambda: None)
    chosen = resolve_precision("auto")
    assert chosen.name == "fp32" and "no native bf16" in chosen.reason
    assert "slower" in resolve_precision("bf16").reason  # allowed, and said to be slow here
    assert resolve_precision("fp32").name == "fp32"


def test_the_precision_marks_the_model_identity_and_fp32_keeps_earlier_keys():
    assert Precision("fp32", "x").model_identity("abc") == "abc"
    assert Precision("bf16", "x").model_identity("abc") == "abc+bf16"


def test_detection_falls_back_to_the_cpu_flags(monkeypatch):
    """Without torch's CPU checks (older builds), the kernel's CPU flags decide; no flag, no bf16."""
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported"):
        monkeypatch.delattr(torch.cpu, name, raising=False)
    monkeypatch.setattr(precision, "_cpu_flags", lambda: {"avx2", "amx_bf16"})
    assert precision.native_bf16() == "CPU with amx_bf16"
    monkeypatch.setattr(precision, "_cpu_flags", lambda: {"avx2", "fma"})
    assert precision.native_bf16() is None
