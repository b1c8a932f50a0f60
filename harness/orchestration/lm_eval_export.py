"""Export a suite's splits as lm-eval tasks, so any lm-eval user can run them.

Per split the export writes ``<task>.jsonl`` (each item with the prompt rendered by tunebench's
one renderer, the target completion and the original item), ``<task>.yaml`` (a ``generate_until``
task: greedy, the same stop sequence and max new tokens as tunebench) and one
``tunebench_scoring.py`` whose ``process_results`` scores each generation with tunebench's own
accuracy scorer. Same prompts, same generation settings, same scoring: the lm-eval CLI's ``acc``
on an exported split equals tunebench's accuracy on it
(tests/harness/orchestration/test_lm_eval_export.py checks exactly that).

Run with: ``lm_eval --model hf --model_args pretrained=MODEL[,peft=ADAPTER] --include_path DIR
--tasks <task> --batch_size 8``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.files import writable_folder
from tunebench.harness.core.prompts import STOP_SEQUENCES, answer_cue, render_completion, render_prompts
from tunebench.harness.core.spec import PromptStrategy
from tunebench.harness.core.suites import Suite
from tunebench.harness.orchestration.choices import first_context

SCORING_MODULE = '''"""process_results for tunebench-exported tasks: tunebench's own accuracy scorer, per item."""
from functools import lru_cache


@lru_cache(maxsize=None)
def _suite(folder):
    """A built-in suite's name, or the suite's folder relative to this file (the export moves as a whole)."""
    from pathlib import Path

    from tunebench.harness.core.suites import load_suite

    here = Path(__file__).parent / folder
    return load_suite(str(here) if here.is_dir() else folder)


def process_results(doc, results):
    import json

    from tunebench.harness.scorers.accuracy import ACCURACY
    from tunebench.harness.scorers.base import ScoringContext

    suite = _suite(doc["suite_folder"])
    context = ScoringContext(suite, "test", [json.loads(doc["item_json"])], [doc.get("cue", "") + results[0]])
    score = ACCURACY.score(context).samples[0]  # accuracy reads no split: "test" stands for any
    return {"acc": float(score.value == 1.0)}
'''


def task_name(suite: Suite, split: str, strategy: str) -> str:
    return f"tunebench_{suite.name}_{split}_{strategy.replace('-', '_')}"


@dataclass(frozen=True)
class ExportOptions:
    """What ``export_lm_eval`` exports and how (``tunebench suites export-lm-eval``'s options).

    ``splits``: the splits to export; ``None``: every split with targets (test, ood, val, train).
    ``strategy`` and ``k``: the prompt strategy rendered for each item and, for few-shot, the number of
    examples (``None``: the suite's ``few_shot_k``). ``limit``: at most N items per split, the ones
    ``eval_limit: N`` evaluates. ``choices``: classification suites as lm-eval ``multiple_choice``
    tasks, one per label field, scored like tunebench's ``scoring: choices`` (for a suite with one
    label field the accuracy is the same; later fields are conditioned on the gold earlier labels,
    where tunebench conditions on its own earlier choices).
    """

    splits: list[str] | None = None
    strategy: PromptStrategy = "zero-shot"
    k: int | None = None
    limit: int | None = None
    choices: bool = False


def export_lm_eval(suite: Suite, out: Path, options: ExportOptions = ExportOptions()) -> list[str]:
    """Write the task files for ``options.splits`` (default: every split with targets) into ``out``;
    return the task names. Safety items have no targets: that split is not exported."""
    splits, strategy, k, limit, choices = options.splits, options.strategy, options.k, options.limit, options.choices
    if splits and "safety" in splits:
        raise BadInput("the safety split has no targets to score; export test, ood, val or train", field="--split")
    if choices and suite.config.task_type != "classification":
        raise BadInput(f"--choices needs a classification suite; {suite.name} is {suite.config.task_type}",
                       field="--choices")
    splits = splits or [s for s in ("test", "ood", "val", "train") if suite.has_split(s)]
    writable_folder(out, "--out")
    (out / "tunebench_scoring.py").write_text(SCORING_MODULE)
    names = []
    for split in splits:
        if choices:
            names += _export_choices(suite, out, split, options)
            continue
        items = suite.subset(split, limit)  # the items `eval_limit: N` evaluates
        name = task_name(suite, split, strategy)
        prompts = render_prompts(suite, items, strategy, k)
        cue = answer_cue(suite, strategy)  # the prompt ends with it; the scorer reads it back in front
        data = out / f"{name}.jsonl"
        with open(data, "w", encoding="utf-8") as f:
            for item, prompt in zip(items, prompts):
                f.write(json.dumps({"id": item["id"], "prompt": prompt, "target": render_completion(suite, item, strategy),
                                    "cue": cue, "item_json": json.dumps(item, ensure_ascii=False),
                                    "suite_folder": _suite_ref(suite, out)}, ensure_ascii=False) + "\n")
        (out / f"{name}.yaml").write_text(_task_yaml(suite, split, strategy, name, Path(data.name)))
        names.append(name)
    return names


def _suite_ref(suite: Suite, out: Path) -> str:
    """How the scoring module finds the suite: a built-in suite by name, any other by its folder relative
    to the export folder, so the export holds no absolute path."""
    from tunebench.harness.core.suites import builtin_suites_dir

    if suite.folder.resolve().parent == builtin_suites_dir().resolve():
        return suite.name
    return os.path.relpath(suite.folder.resolve(), out.resolve())


def _task_yaml(suite: Suite, split: str, strategy: str, name: str, data: Path) -> str:
    generation = {"until": list(STOP_SEQUENCES), "do_sample": False, "max_gen_toks": suite.config.max_new_tokens}
    # Written by hand: the !function tag is lm-eval's own YAML extension.
    return "\n".join([
        f"# lm-eval task exported by `tunebench suites export-lm-eval {suite.name}`: split '{split}',",
        f"# prompt strategy '{strategy}', scored by tunebench's accuracy scorer. Paths are relative to this",
        "# folder: run lm_eval from here (cd FOLDER && lm_eval --include_path . --tasks NAME ...).",
        f"task: {name}",
        "dataset_path: json",
        f"dataset_kwargs: {{data_files: {{test: {json.dumps(str(data))}}}}}",
        "test_split: test",
        "output_type: generate_until",
        'doc_to_text: "{{prompt}}"',
        'doc_to_target: "{{target}}"',
        f"generation_kwargs: {json.dumps(generation)}",
        "process_results: !function tunebench_scoring.process_results",
        "metric_list:",
        "  - {metric: acc, aggregation: mean, higher_is_better: true}",
        "metadata: {version: 1}",
        "",
    ])


def _export_choices(suite: Suite, out: Path, split: str, options: ExportOptions) -> list[str]:
    """One ``multiple_choice`` task per label field of a classification suite, for ``split``."""
    strategy = options.strategy
    items = suite.subset(split, options.limit)
    prompts = render_prompts(suite, items, strategy, options.k)
    fields = list(suite.config.labels.items())
    names = []
    for index, (field, labels) in enumerate(fields):
        name = f"{task_name(suite, split, strategy)}_choices_{field}"
        data = out / f"{name}.jsonl"
        with open(data, "w", encoding="utf-8") as f:
            for item, prompt in zip(items, prompts):
                context = first_context(suite, prompt)
                for earlier, _ in fields[:index]:  # conditioned on the gold earlier labels
                    nxt = fields[fields.index((earlier, suite.config.labels[earlier])) + 1][0]
                    context += f" {item[earlier]}\n{nxt.capitalize()}:"
                f.write(json.dumps({"id": item["id"], "context": context, "choices": labels,
                                    "gold": labels.index(item[field])}, ensure_ascii=False) + "\n")
        (out / f"{name}.yaml").write_text("\n".join([
            f"# lm-eval multiple-choice task exported by `tunebench suites export-lm-eval {suite.name} --choices`:",
            f"# split '{split}', prompt strategy '{strategy}', label field '{field}'.",
            f"task: {name}",
            "dataset_path: json",
            f"dataset_kwargs: {{data_files: {{test: {json.dumps(data.name)}}}}}",
            "test_split: test",
            "output_type: multiple_choice",
            'doc_to_text: "{{context}}"',
            'doc_to_choice: "{{choices}}"',
            'doc_to_target: "{{gold}}"',
            'target_delimiter: " "',
            "metric_list:",
            "  - {metric: acc, aggregation: mean, higher_is_better: true}",
            "metadata: {version: 1}",
            "",
        ]))
        names.append(name)
    return names
