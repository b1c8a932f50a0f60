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


def test_detection_reads_this_machine():
    """Whatever this machine is, the answer comes from torch's CPU checks or /proc/cpuinfo, not a guess."""
    import torch

    found = precision.native_bf16()
    if torch.cuda.is_available():
        assert found is None or found.startswith("CUDA")
    else:
        has = torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()
        assert (found is not None) == has
