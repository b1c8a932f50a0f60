"""Variants on one loaded base model: adapters are loaded into one ``PeftModel`` and switched
with ``set_adapter`` / ``disable_adapter``, never reloaded."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Iterator

from tunebench.harness.core.adapters import Adapter
from tunebench.harness.core.spec import Variant


@dataclass(frozen=True)
class VariantState:
    """What evaluating one variant needs, built once per variant: the variant and, for adapter
    variants, its checked adapter (provenance, content hash, PII hashes, canaries)."""

    variant: Variant
    adapter: Adapter | None = None
    served_name: str | None = None  # with a served backend: the model name the server gives this variant

    @property
    def name(self) -> str:
        return self.variant.name

    @property
    def adapter_sha(self) -> str:
        """Part of every cache key: 'none' for the plain base model; a served adapter by its served name."""
        if self.adapter:
            return self.adapter.sha256
        return f"served:{self.served_name}" if self.served_name and self.variant.kind == "adapter" else "none"

    @property
    def provenance(self) -> dict | None:
        return self.adapter.provenance if self.adapter else None

    @property
    def pii_hashes(self) -> set[str]:
        return self.adapter.pii_hashes if self.adapter else set()


class VariantSwitch:
    """Activates one variant at a time on the shared base model (peft adapter switching)."""

    def __init__(self, model):
        self.base, self.peft = model, None
        self.loaded: dict[str, str] = {}  # variant name -> its adapter's name inside peft

    def load(self, adapter: Adapter) -> None:
        """Load a checked adapter once. Inside peft it is named "adapter0", "adapter1", ...: peft names
        torch modules after adapters, and a module name cannot hold the "." a variant name may have
        ("lora.v2", or the "lora.seed1" that ``seeds`` adds)."""
        from peft import PeftModel

        if adapter.name in self.loaded:
            return
        name = f"adapter{len(self.loaded)}"
        if self.peft is None:
            self.peft = PeftModel.from_pretrained(self.base, str(adapter.folder), adapter_name=name)
            self.peft.eval()
        else:
            self.peft.load_adapter(str(adapter.folder), adapter_name=name)
        self._match_base_dtype(name)
        self.loaded[adapter.name] = name

    def _match_base_dtype(self, name: str) -> None:
        """In bf16 evaluation the adapter's weights compute in bf16 too: peft loads them in fp32, and a
        bf16 model with fp32 LoRA layers casts every layer's input back and forth at every token."""
        dtype = next(self.base.parameters()).dtype
        if dtype == next(p for n, p in self.peft.named_parameters() if f".{name}." in n).dtype:
            return
        for param_name, param in self.peft.named_parameters():
            if f".{name}." in param_name:
                param.data = param.data.to(dtype)

    def close(self) -> None:
        """Remove every loaded adapter's layers: the base model is shared (``load_base_model`` is cached),
        so the next run in this process must find it as it was loaded."""
        if self.peft is not None:
            self.base = self.peft.unload()
            self.base.eval()
            self.peft, self.loaded = None, {}

    @contextlib.contextmanager
    def active(self, state: VariantState | None) -> Iterator[object]:
        """The model to generate with: the variant's adapter active, or the plain base model."""
        adapter = state.adapter if state else None
        if self.peft is None:
            yield self.base
        elif adapter is None:
            with self.peft.disable_adapter():
                yield self.peft
        else:
            self.peft.set_adapter(self.loaded[adapter.name])
            yield self.peft
