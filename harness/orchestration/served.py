"""Generation by a served model: any OpenAI-compatible ``/v1/completions`` endpoint.

For teams whose models live on a GPU server (vLLM with ``--enable-lora --lora-modules
name=path``, TGI, a llama.cpp server, ``transformers serve``): the experiment names the
endpoint, and each adapter variant by the model name the server gives it. Requests run
``max_concurrency`` at a time, each with a timeout and retries with exponential backoff; results
go into the same content-addressed cache as in-process generation, committed as they arrive, so
an interrupted run resumes where it stopped. The raw text is cut at the stop sequence exactly as
in-process outputs are.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.parsing import truncate_at_stop
from tunebench.harness.core.prompts import STOP_SEQUENCES
from tunebench.harness.core.spec import BackendConfig


class ServedModel:
    """One endpoint; ``complete`` sends prompts to the model (or adapter) name given."""

    def __init__(self, config: BackendConfig):
        self.config = config
        self.client = httpx.Client(base_url=config.base_url.rstrip("/"), timeout=config.timeout_s,
                                   headers={"Authorization": f"Bearer {config.api_key()}"})

    @property
    def identity(self) -> str:
        """The model identity in this endpoint's cache keys: ``served:<model>@<host/path>``. The address
        is part of it because two servers may give different models one name (two options served as
        ``default``); credentials in the URL are left out."""
        url = urlsplit(self.config.base_url.rstrip("/"))
        host = url.hostname or ""
        if url.port:
            host += f":{url.port}"
        return f"served:{self.config.model}@{host}{url.path}"

    def model_name(self, variant: str | None) -> str:
        """The served name of a variant's adapter (``adapters`` in the config; the variant's own name by
        default), or the base model's for prompt variants."""
        if variant is None:
            return self.config.model
        return self.config.adapters.get(variant, variant)

    def check(self) -> list[str]:
        """The model names the endpoint serves; ``BadInput`` when it cannot be reached at all."""
        try:
            response = self.client.get("/models")
            response.raise_for_status()
            return [m.get("id", "") for m in response.json().get("data", [])]
        except (httpx.HTTPError, ValueError) as exc:
            raise BadInput(f"the served model at {self.config.base_url} did not answer /models ({exc}); start the "
                           "server or fix backend.base_url", field="backend.base_url") from None

    def _one(self, model: str, prompt: str, max_new_tokens: int) -> str:
        payload = {"model": model, "prompt": prompt, "max_tokens": max_new_tokens, "temperature": 0,
                   "stop": list(STOP_SEQUENCES)}
        delay = 1.0
        for attempt in range(self.config.retries + 1):
            try:
                response = self.client.post("/completions", json=payload)
                if response.status_code < 500 and response.status_code != 429:
                    response.raise_for_status()
                    return truncate_at_stop(response.json()["choices"][0]["text"])
                error = f"HTTP {response.status_code}: {response.text[:200]}"
            except httpx.TimeoutException:
                error = f"timed out after {self.config.timeout_s} s"
            except httpx.TransportError as exc:
                error = str(exc)
            if attempt < self.config.retries:
                time.sleep(delay)
                delay *= 2
        raise RuntimeError(f"the served model {model!r} at {self.config.base_url} failed {self.config.retries + 1} "
                           f"times: {error}")

    def complete(self, model: str, prompts: list[str], max_new_tokens: int) -> list[str]:
        """Outputs in the order of ``prompts``; at most ``max_concurrency`` requests in flight."""
        with ThreadPoolExecutor(max_workers=self.config.max_concurrency) as pool:
            return list(pool.map(lambda p: self._one(model, p, max_new_tokens), prompts))
