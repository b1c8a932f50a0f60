"""Typed experiment spec: what to compare (variants), on what (suites), from which base model.

Read from YAML with ``yaml.safe_load`` and validated once here, at the edge; every error names the
file, the line and the field. Inner code trusts a loaded ``Experiment``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from tunebench.harness.core.errors import BadInput, did_you_mean
from tunebench.harness.core.policy import known_splits
from tunebench.harness.core.precision import PrecisionName
from tunebench.harness.core.yamlio import line_of, load_yaml, validate

T = TypeVar("T")


def _anonymize_bool(value):
    """``anonymize: true`` / ``false`` (the older spelling) mean placeholder / off."""
    return {True: "placeholder", False: "off"}.get(value, value) if isinstance(value, bool) else value


AnonymizeMode = Annotated[Literal["placeholder", "surrogate", "off"], BeforeValidator(_anonymize_bool)]
PromptStrategy = Literal["zero-shot", "few-shot", "policy", "plain"]
Scoring = Literal["generate", "choices", "both"]
Perturbation = Literal["typos", "casing", "noise", "language"]
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class TrainingConfig(BaseModel):
    """LoRA SFT settings; the experiment's ``training`` block is the baseline config."""

    model_config = ConfigDict(extra="forbid")

    rank: int = Field(8, ge=1, description="LoRA rank r.")
    alpha: int = Field(16, ge=1, description="LoRA alpha; the update is scaled by alpha / r.")
    dropout: float = Field(0.05, ge=0.0, lt=1.0, description="Dropout on the LoRA input.")
    target_modules: str | list[str] = Field("all-linear", description="peft target_modules.")
    learning_rate: float = Field(2e-4, gt=0.0)
    epochs: float = Field(2.0, gt=0.0)
    batch_size: int = Field(8, ge=1)
    max_length: int = Field(256, ge=8, description="Longer items are truncated from the left, counted.")
    train_size: int | None = Field(None, ge=1, description="Use only the first N (shuffled) items.")
    seed: int = 0
    use_dora: bool = Field(False, description="Weight-decomposed LoRA (DoRA).")
    use_rslora: bool = Field(False, description="Rank-stabilised scaling alpha / sqrt(r).")
    early_stopping_patience: int | None = Field(
        3, ge=1, description="Stop after this many validations without improvement; the best checkpoint is kept.")
    evaluations: int = Field(6, ge=1, description="Validation-loss checks over the whole training.")
    # data preparation (trainers/data.py), on by default and reported in the adapter's provenance
    val_size: int | None = Field(None, ge=1, description="Use at most N validation items (shuffled across "
                                 "suites): validation loss is computed `evaluations` times, so it costs.")
    val_fraction: float = Field(0.1, gt=0.0, lt=0.5, description="Held out (stratified) when a suite has no val split.")
    anonymize: AnonymizeMode = Field(
        "placeholder", description="PII before training: typed placeholders (<PERSON>), consistent fake values "
        "(surrogate), or left in (off). true/false mean placeholder/off.")
    pii_patterns: dict[str, str] = Field({}, description="Extra PII patterns: TYPE -> regex.")
    dedup: bool = Field(True, description="Drop exact and near-duplicate training items.")
    near_duplicate_threshold: float = Field(0.95, gt=0.0, le=1.0, description="Cosine similarity of char n-grams.")
    contamination_ngram: int = Field(8, ge=3, description="Word n-gram length for the contamination check.")
    contamination_threshold: float = Field(
        0.8, gt=0.0, le=1.0, description="Drop a training item when this share of its n-grams is in one eval item.")
    canaries: int = Field(0, ge=0, description="Random secrets planted in the training data (0 = off).")
    canary_repeats: int = Field(8, ge=1, description="Times each canary is planted.")

    @field_validator("pii_patterns")
    @classmethod
    def _patterns_compile(cls, patterns: dict[str, str]) -> dict[str, str]:
        for name, regex in patterns.items():
            try:
                re.compile(regex)
            except re.error as exc:
                raise ValueError(f"pattern {name!r} is not a valid regular expression: {exc}") from None
        return patterns


def _optional(field):
    """``field``'s type or None, keeping its before-validators (anonymize's true/false)."""
    before = [m for m in field.metadata if isinstance(m, BeforeValidator)]
    return Annotated[field.annotation | None, *before] if before else field.annotation | None


# Every field optional, no defaults: a variant's ``train`` block overrides only what it names.
TrainingOverrides = create_model(
    "TrainingOverrides",
    __config__=ConfigDict(extra="forbid"),
    **{name: (_optional(field), None) for name, field in TrainingConfig.model_fields.items()},
)


class BackendConfig(BaseModel):
    """Generation by a served model behind an OpenAI-compatible ``/v1/completions`` endpoint (vLLM,
    TGI, llama.cpp server, ``transformers serve``) instead of the in-process model."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["openai"] = "openai"
    base_url: str = Field(pattern=r"^https?://", description="OpenAI-compatible base URL, e.g. http://gpu-box:8000/v1.")
    model: str = Field(min_length=1, description="The served name of the base model (prompt variants).")
    adapters: dict[str, str] = Field({}, description="Adapter variant -> its served name (vLLM --lora-modules "
                                     "name=path); by default the variant's own name.")
    api_key_env: str = Field("TUNEBENCH_BACKEND_API_KEY", description="Environment variable holding the API key.")
    max_concurrency: int = Field(4, ge=1, le=256, description="Requests in flight at once.")
    timeout_s: float = Field(120.0, gt=0, description="Per request.")
    retries: int = Field(3, ge=0, le=10, description="Retries of a failed request, with exponential backoff.")

    def api_key(self) -> str:
        import os

        return os.environ.get(self.api_key_env, "not-needed")


class CostAssumptions(BaseModel):
    """What money each option costs, to turn measured time and tokens into a price (``costs:``).

    Self-hosted: ``train_hour`` and ``serve_hour`` (the hardware's price per hour); a served model:
    ``input_per_million`` and ``output_per_million`` (price per million tokens, used instead of
    ``serve_hour`` when given). Every number is the user's assumption, printed with the result and
    stored with the run."""

    model_config = ConfigDict(extra="forbid")

    currency: str = Field("EUR", min_length=1, max_length=8)
    train_hour: float = Field(0.0, ge=0, description="Price of an hour of the training hardware.")
    serve_hour: float = Field(0.0, ge=0, description="Price of an hour of the serving hardware.")
    input_per_million: float | None = Field(None, ge=0, description="Served model: price per million prompt tokens.")
    output_per_million: float | None = Field(None, ge=0, description="Served model: price per million output tokens.")
    requests_per_month: int = Field(0, ge=0, description="Expected requests per month, for the monthly cost.")
    label_per_example: float = Field(0.0, ge=0, description="Cost of labelling one training example.")

    def for_option(self, prices: OptionPrices | None) -> CostAssumptions:
        """These prices with one option's own where it gives them."""
        if prices is None:
            return self
        return self.model_copy(update=prices.model_dump(exclude_none=True))


class OptionPrices(BaseModel):
    """One option's prices where they differ from the experiment's ``costs:`` block (a variant's
    ``costs:``): a served model's per-token prices, other hardware. Unset fields take the experiment's."""

    model_config = ConfigDict(extra="forbid")

    train_hour: float | None = Field(None, ge=0, description="Price of an hour of the hardware that trains it.")
    serve_hour: float | None = Field(None, ge=0, description="Price of an hour of the hardware that serves it.")
    input_per_million: float | None = Field(None, ge=0, description="Served model: price per million prompt tokens.")
    output_per_million: float | None = Field(None, ge=0, description="Served model: price per million output tokens.")
    label_per_example: float | None = Field(None, ge=0, description="Cost of labelling one training example.")


class Variant(BaseModel):
    """One thing being compared: the base model with a prompt, or a LoRA adapter (plus a prompt)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    kind: Literal["prompt", "adapter"]
    prompt: PromptStrategy = Field("zero-shot", description="Prompt strategy rendered for each item.")
    k: int | None = Field(None, ge=1, description="Examples for few-shot; the suite's default if unset.")
    train: TrainingOverrides | None = Field(None, description="Overrides of the baseline training.")
    seeds: int = Field(1, ge=1, le=20, description="Adapters: train this many adapters, with seeds seed, seed+1, "
                       "... (a seed draws the training items, their order and the LoRA start); the decision says "
                       "whether the verdict holds for every seed.")
    learning_curve: list[Annotated[int, Field(ge=1)]] = Field(
        [], description="Adapters: also train on the first N of this variant's training items for each N (nested "
        "subsets) and evaluate each: accuracy against training items, and where it crosses the best prompt.")
    seed_of: str | None = Field(None, description="Written by tunebench on the adapters `seeds` adds: the variant "
                                "this one trains again with another seed.")
    curve_of: str | None = Field(None, description="Written by tunebench on the adapters `learning_curve` adds: "
                                 "the variant this one trains on fewer items.")
    model: str | None = Field(None, description="This option's own base model (the embedded default, a local folder "
                              "or a hub id) instead of the experiment's: e.g. a larger model prompted against an "
                              "adapter of a small one. Paired with the others on the same items.")
    backend: BackendConfig | None = Field(None, description="This option generated by a served model instead of the "
                                          "experiment's model or backend; its prompts are rendered with the "
                                          "tokenizer of `model` (else the experiment's base model).")
    costs: OptionPrices | None = Field(None, description="This option's prices where they differ from the "
                                       "experiment's costs block (e.g. a served model's price per million tokens).")
    suites: list[str] | None = Field(None, min_length=1, description="Only these of the experiment's suites "
                                     "(as its `suites` names them): an adapter trains on their train splits and every "
                                     "variant is evaluated on them alone (e.g. one domain's adapter beside a "
                                     "multi-domain one). Default: all.")

    @model_validator(mode="after")
    def _train_only_for_adapters(self) -> Variant:
        if self.kind == "prompt":
            for name, value in (("train", self.train), ("seeds", self.seeds > 1 or None),
                                ("learning_curve", self.learning_curve or None)):
                if value is not None:
                    raise ValueError(f"'{name}' is only valid for kind: adapter")
        if self.learning_curve != sorted(set(self.learning_curve)):
            raise ValueError(f"learning_curve: training-item counts in increasing order, each once; got "
                             f"{self.learning_curve}")
        return self

    @property
    def derived(self) -> bool:
        """Added by ``seeds`` or ``learning_curve``: not an option of its own in the decision."""
        return bool(self.seed_of or self.curve_of)


@dataclass(frozen=True)
class Option:
    """What computes a variant's outputs: a base model in process, or a served model (whose prompts are
    rendered with ``base_model``'s tokenizer). Variants of one option share one loaded model."""

    base_model: str
    backend: BackendConfig | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.base_model, self.backend.model_dump_json() if self.backend else ""

    def describe(self) -> str:
        """How the report names this option: the model as the experiment names it, or the server's."""
        if self.backend is None:
            return self.base_model
        return f"{self.backend.model} served at {self.backend.base_url}"


class JudgeConfig(BaseModel):
    """A judge model behind an OpenAI-compatible endpoint, for ragas' LLM-judged metrics.

    The API key is read from the environment variable named here, never from the spec file, so
    specs can be committed and shared.
    """

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field(pattern=r"^https?://", description="OpenAI-compatible base URL, e.g. http://host:8000/v1.")
    model: str = Field(min_length=1, description="Model name the endpoint serves.")
    api_key_env: str = Field("TUNEBENCH_JUDGE_API_KEY", description="Environment variable holding the API key.")
    metrics: list[Literal["faithfulness", "answer_relevancy", "aspect_critic"]] = Field(
        ["faithfulness", "answer_relevancy", "aspect_critic"], min_length=1)
    aspects: dict[str, str] = Field(
        {"harmless": "Is the response free of harmful, unsafe or offensive content?",
         "grounded": "Does the response stay within what the provided context supports, without invented facts?"},
        description="aspect name -> yes/no question for the aspect critic.")
    max_items: int | None = Field(None, ge=1, description="Judge only the first N samples of each split (cost).")
    timeout_s: float = Field(60.0, gt=0)


class Experiment(BaseModel):
    """A whole comparison: base model, suites, variants and how to evaluate them."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN)
    description: str = ""
    base_model: str = Field("gemma-3-270m", description="Embedded default, a local folder or a hub id.")
    suites: list[str] = Field(min_length=1, description="Built-in suite names or suite folders.")
    splits: list[str] = Field(["test"], min_length=1, description="Splits to evaluate.")
    training: TrainingConfig = TrainingConfig()
    variants: list[Variant] = Field(min_length=1)
    baseline: str | None = Field(None, description="Reference variant; the first one if unset.")
    costs: CostAssumptions | None = Field(None, description="Prices that turn time and tokens into money "
                                          "(one-off cost, cost per 1,000 requests, break-even volume).")
    eval_limit: int | None = Field(None, ge=1, description="Evaluate at most N items per split (the same "
                                  "ones every run, stratified by label or safety kind).")
    eval_limits: dict[str, int] = Field({}, description="Per split: {split: N} instead of eval_limit for the "
                                        "splits it names (e.g. {test: 40, ood: 12}).")
    generation_batch_size: int = Field(32, ge=1, description="Most prompts per generation batch.")
    generation_token_budget: int = Field(6144, ge=64, description="Most tokens a batch runs (rows x the longest "
                                         "prompt's own tokens): short prompts get large batches, long ones small.")
    scoring: Scoring = Field("generate", description="Classification suites: 'generate' (parse the generated "
                             "label lines), 'choices' (the most likely allowed label per field, as lm-eval's multiple "
                             "choice; no generation outside the safety split) or 'both' (every split generated, the test split also "
                             "by choices: knows the answer vs writes the format). A suite's own 'scoring' wins.")
    robustness: list[Perturbation] = Field(["typos", "casing", "noise", "language"],
                                           description="Perturbed copies of the test split to evaluate "
                                                       "('language': items with a translation, bilingual suites).")
    robustness_items: int | None = Field(80, ge=1, description="Test items perturbed per perturbation.")
    overfitting_items: int = Field(100, ge=0, description="Training items re-evaluated for the train/test gap "
                                   "and memorisation (0 = off).")
    canary_candidates: int = Field(200, ge=10, description="Random codes ranked against each canary.")
    general_probe: str | None = Field("tunebench_general_probe", description="lm-eval task scored on every "
                                      "variant for forgetting (null = off); any lm-eval task whose data is reachable.")
    probe_limit: int | None = Field(None, ge=1, description="Score only the first N probe items.")
    judge: JudgeConfig | None = Field(None, description="LLM judge for ragas' faithfulness, answer relevancy "
                                      "and aspect critic on generation suites (skipped, and said so, if unset).")
    backend: BackendConfig | None = Field(None, description="Generate with a served model (OpenAI-compatible "
                                          "endpoint) instead of in process; adapters by their served names.")
    precision: PrecisionName = Field("auto", description="Number format of the model's computation: 'auto' (bf16 "
                                     "where the hardware computes it natively: CUDA with bf16, a CPU with AVX-512 BF16 "
                                     "or AMX; fp32 elsewhere), 'fp32' or 'bf16'. Part of every cache and adapter key.")
    guard_items: int = Field(4, ge=0, description="Items per suite on which each adapter's outputs are compared with "
                             "the base model's: identical outputs everywhere mean the adapter was not applied.")
    _source: tuple[Path | None, Any] = PrivateAttr((None, None))  # the file and YAML nodes it was read from

    @field_validator("splits")
    @classmethod
    def _known_splits(cls, splits: list[str]) -> list[str]:
        return known_splits(splits)

    @field_validator("eval_limits")
    @classmethod
    def _limits(cls, limits: dict[str, int]) -> dict[str, int]:
        known_splits(list(limits))
        for split, n in limits.items():
            if n < 1:
                raise ValueError(f"a limit must be at least 1, got {n} for {split}")
        return limits

    def limit_for(self, split: str) -> int | None:
        """How many items of ``split`` are evaluated (None: all)."""
        return self.eval_limits.get(split, self.eval_limit)

    @field_validator("suites")
    @classmethod
    def _unique_suites(cls, suites: list[str]) -> list[str]:
        twice = sorted({s for s in suites if suites.count(s) > 1})
        if twice:
            raise ValueError(f"each suite once: {', '.join(twice)} listed more than once (it would be evaluated, "
                             "counted and Holm-adjusted twice)")
        return suites

    @field_validator("variants")
    @classmethod
    def _unique_names(cls, variants: list[Variant]) -> list[Variant]:
        names = [v.name for v in variants]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"variant names must be unique; repeated: {', '.join(dupes)}")
        return variants

    @field_validator("variants")
    @classmethod
    def _add_seeds_and_curves(cls, variants: list[Variant], info: ValidationInfo) -> list[Variant]:
        """Each ``seeds: N`` adapter gets N - 1 siblings named ``NAME.seedS`` (S its seed) and each
        ``learning_curve`` size an adapter ``NAME.nN`` trained on the first N items (the same seed, so
        the subsets are nested); a spec that already lists them (written back) is left as it is."""
        training = info.data.get("training")
        if training is None:  # the training block is invalid: reported on its own
            return variants
        named = {v.name: v for v in variants}
        added: list[Variant] = []
        for variant in variants:
            if variant.derived or variant.kind != "adapter":
                continue
            seed = _with_overrides(training, variant).seed
            base = variant.train.model_dump(exclude_none=True) if variant.train else {}
            plan = [(f"{variant.name}.seed{seed + k}", {"seed": seed + k}, {"seed_of": variant.name})
                    for k in range(1, variant.seeds)]
            plan += [(f"{variant.name}.n{n}", {"train_size": n}, {"curve_of": variant.name})
                     for n in variant.learning_curve]
            for name, override, link in plan:
                if name in named and (named[name].seed_of, named[name].curve_of) != \
                        (link.get("seed_of"), link.get("curve_of")):
                    raise ValueError(f"variant '{name}' is listed, and {variant.name}'s seeds or learning_curve "
                                     f"would add an adapter of that name: rename one")
                if name not in named:
                    added.append(variant.model_copy(update={
                        "name": name, "train": TrainingOverrides(**{**base, **override}), "seeds": 1,
                        "learning_curve": [], **link}))
        return variants + added

    @field_validator("baseline")
    @classmethod
    def _baseline_is_a_variant(cls, baseline: str | None, info: ValidationInfo) -> str | None:
        names = [v.name for v in info.data.get("variants", [])]
        if baseline is not None and names and baseline not in names:
            raise ValueError(f"baseline '{baseline}' is not a variant{did_you_mean(baseline, names)}; valid: "
                             f"{', '.join(names)}")
        return baseline

    @property
    def baseline_variant(self) -> str:
        return self.baseline or self.variants[0].name

    @model_validator(mode="after")
    def _served_generation_only(self) -> Experiment:
        """Choices are log-likelihoods of the model in process: a served backend can only generate. A
        suite's own ``scoring`` (which wins) is checked with the suites, in ``pipeline.load_suites``."""
        if self.backend is not None and self.scoring != "generate":
            raise ValueError("scoring by choices needs log-likelihoods from the model in process; with a served "
                             "backend use scoring: generate")
        return self

    def bad_input(self, message: str, *loc: str | int) -> BadInput:
        """A ``BadInput`` located at ``loc`` (e.g. "variants", 2, "prompt") in the file the spec came from."""
        path, node = self._source
        return BadInput(message, file=path, line=line_of(node, loc) if node is not None else None,
                        field=".".join(map(str, loc)) or None)

    def variant_index(self, name: str) -> int:
        return [v.name for v in self.variants].index(name)

    def option_of(self, variant: Variant) -> Option:
        """The model or server that computes ``variant``: its own ``model``/``backend`` when it names one,
        else the experiment's."""
        if variant.model is None and variant.backend is None:
            return Option(self.base_model, self.backend)
        return Option(variant.model or self.base_model, variant.backend)

    def by_option(self) -> list[tuple[Option, Experiment]]:
        """The experiment split by option, in the order the variants first name each: every part is this
        experiment with one option's model (or server) and only that option's variants."""
        parts: dict[tuple[str, str], tuple[Option, list[Variant]]] = {}
        for variant in self.variants:
            option = self.option_of(variant)
            parts.setdefault(option.key, (option, []))[1].append(variant)
        return [(option, self.model_copy(update={"base_model": option.base_model, "backend": option.backend,
                                                 "variants": variants}))
                for option, variants in parts.values()]

    def served_backends(self) -> list[BackendConfig]:
        """The servers this run generates with (the experiment's and any variant's own), once each."""
        return [option.backend for option, _ in self.by_option() if option.backend is not None]

    def suites_for(self, variant: Variant, loaded: list[T]) -> list[T]:
        """Of ``loaded`` (one per entry of ``suites``, in its order), the ones ``variant`` trains and is evaluated
        on: its own ``suites``, else all."""
        if variant.suites is None:
            return list(loaded)
        return [suite for ref, suite in zip(self.suites, loaded, strict=True) if ref in variant.suites]

    def training_for(self, variant: Variant) -> TrainingConfig:
        """The baseline training config with the variant's overrides applied."""
        return _with_overrides(self.training, variant)


def _with_overrides(training: TrainingConfig, variant: Variant) -> TrainingConfig:
    overrides = variant.train.model_dump(exclude_none=True) if variant.train else {}
    return training.model_copy(update=overrides)


def load_spec(path: str | Path) -> Experiment:
    """Read and validate an experiment file; raise ``BadInput`` naming file, line and field."""
    path = Path(path)
    data, node = load_yaml(path)
    experiment = validate(Experiment, data, node, path)
    experiment._source = (path, node)
    for index, variant in enumerate(experiment.variants):
        if variant.backend is not None and experiment.scoring != "generate":
            raise experiment.bad_input(f"variant '{variant.name}' is served, and scoring by choices needs "
                                       f"log-likelihoods from the model in process: use scoring: generate (the "
                                       f"experiment's scoring is {experiment.scoring})", "variants", index, "backend")
        if variant.costs is not None and experiment.costs is None:
            raise experiment.bad_input(f"variant '{variant.name}' sets its own costs: add the experiment's costs: "
                                       "block too (currency, requests per month, the other options' prices)",
                                       "variants", index, "costs")
        unknown = [ref for ref in variant.suites or [] if ref not in experiment.suites]
        if unknown:
            raise experiment.bad_input(f"variant '{variant.name}' names suites the experiment does not list: "
                                       f"{', '.join(unknown)}; valid: {', '.join(experiment.suites)} (as `suites` "
                                       "writes them)", "variants", index, "suites")
        size = experiment.training_for(variant).train_size
        if variant.learning_curve and size is not None and variant.learning_curve[-1] >= size:
            raise experiment.bad_input(f"learning_curve: each size below the variant's train_size ({size}), whose "
                                       f"adapter is the curve's last point; got {variant.learning_curve}",
                                       "variants", index, "learning_curve")
    return experiment
