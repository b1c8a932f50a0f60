"""Commands about suites and scorers: suites list|validate|export-lm-eval, refusals, scorers."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from tunebench.harness.cli.app import (
    app,
    console,
    handles_bad_input,
    suites_app,
)
from tunebench.harness.core.errors import BadInput, Problem, did_you_mean
from tunebench.harness.core.files import writable_folder


@app.command()
@handles_bad_input
def scorers(show: Optional[str] = typer.Option(None, help="Also list the check items this scorer gets wrong "
                                                          "(labels, json, similarity, refusal, policy, pii).")):
    """How far each automatic scorer agrees with hand labels on its check set (95% Wilson intervals),
    and the anonymiser's recall per PII type and false positives on its labelled texts."""
    from tunebench.harness.core.metrics import TRUSTED
    from tunebench.harness.scorers.reliability import CHECKERS, TITLES, disagreements, measure

    known = [*CHECKERS, "pii"]
    if show is not None and show not in known:
        raise BadInput(f"unknown scorer {show!r}{did_you_mean(show, known)}; scorers: {', '.join(known)}",
                       field="--show")
    table = Table("scorer", "real outputs [95% CI]", "n", "hard cases [95% CI]", "n", "status",
                  title="automatic scorers against hand labels")
    by_set = {(a.scorer, a.check_set): a for a in measure()}
    for name in CHECKERS:
        real, hard = by_set[(name, "representative")], by_set[(name, "hard")]
        table.add_row(TITLES[name], _cell(real.row), str(real.row.n), _cell(hard.row), str(hard.row.n),
                      "trusted" if real.trusted else f"FLAGGED (lower bound below {TRUSTED:.0%})")
    console.print(table)
    console.print("real outputs: sampled from runs of the suites' variants and labelled by hand (decides the flag); "
                  "hard cases: written on purpose (a stress figure)", highlight=False)
    _anonymiser_table(show == "pii")
    if show and show != "pii":
        for check_set in ("representative", "hard"):
            for miss in disagreements(show, check_set):
                console.print({"set": check_set, **miss}, highlight=False)


def _cell(row) -> str:
    return f"{row.value:.3f} [{row.ci_low:.2f}, {row.ci_high:.2f}]"


def _anonymiser_table(show: bool) -> None:
    """The anonymiser on ``checks/pii.jsonl``: a span counts as removed when 80% of its characters are."""
    from tunebench.harness.core.pii.measure import check_set, score, table_rows

    result = score(check_set())
    table = Table("PII type", "recall [95% CI]", "n", "target", title=f"anonymiser on {result.texts} labelled texts "
                  f"(English and Italian; {result.texts_per_second:.0f} texts/s)")
    for row in table_rows(result):
        table.add_row(*row)
    console.print(table)
    if show:
        for miss in result.misses:
            console.print(f"missed {miss['type']}: {miss['value']!r} ({miss['id']})", highlight=False)
        for fp in result.false_positives:
            console.print(f"replaced outside PII: {fp['text']} ({fp['id']})", highlight=False)


@suites_app.command("list")
@handles_bad_input
def suites_list():
    """The built-in suites."""
    from tunebench.harness.core.suites import builtin_suites_dir, list_builtin, load_suite
    from tunebench.harness.orchestration.probe import PROBE_TASK

    table = Table("suite", "task", "splits", "description")
    for name in list_builtin():
        s = load_suite(name)
        table.add_row(name, s.config.task_type, ", ".join(f"{k} {len(s.split(k))}" for k in s.config.splits),
                      s.config.description)
    probe_items = sum(1 for _ in (builtin_suites_dir() / "general_probe" / "probe.jsonl").open())
    table.add_row("general_probe", "multiple choice (lm-eval)", f"test {probe_items}",
                  f"General-capability probe for forgetting: lm-eval task {PROBE_TASK}.")
    console.print(table)


@suites_app.command("validate")
@handles_bad_input
def suites_validate(path: str = typer.Argument(..., help="Suite folder or built-in name.")):
    """Check suite.yaml, policy.yaml and every split, and that each reference answer scores right under the
    suite's own scorers (its facts stated, its policy rules kept); exit 2 listing every problem with file,
    line and field."""
    from tunebench.harness.core.suites import load_suite
    from tunebench.harness.scorers.references import reference_problems

    if path == "general_probe":  # listed beside the suites, but an lm-eval task: its own files are checked
        return _validate_probe()
    suite = load_suite(path)
    problems = reference_problems(suite)
    if problems:
        raise BadInput(problems=problems)
    counts = {split: len(suite.split(split)) for split in suite.config.splits}
    console.print(f"{suite.name}: ok ({', '.join(f'{k} {v}' for k, v in counts.items())})")


def _validate_probe() -> None:
    """The forgetting probe's lm-eval task file and its items (one JSON object per line)."""
    from tunebench.harness.core.records import read_jsonl
    from tunebench.harness.core.suites import builtin_suites_dir
    from tunebench.harness.core.yamlio import load_yaml
    from tunebench.harness.orchestration.probe import PROBE_TASK

    folder = builtin_suites_dir() / "general_probe"
    load_yaml(folder / "general_probe.yaml")
    records, problems = read_jsonl(folder / "probe.jsonl", "probe items")
    if problems:
        raise BadInput(problems=problems)
    console.print(f"general_probe: ok (lm-eval multiple-choice task {PROBE_TASK}, test {len(records)})")


@suites_app.command("export-lm-eval")
@handles_bad_input
def suites_export_lm_eval(
        suite_ref: str = typer.Argument(..., metavar="SUITE", help="Suite folder or built-in name."),
        out: Path = typer.Option(..., "--out", help="Folder for the task YAMLs and data."),
        split: Optional[list[str]] = typer.Option(None, help="Split to export (repeatable); default all with targets."),
        prompt: str = typer.Option("zero-shot", help="Prompt strategy: zero-shot, few-shot, policy or plain."),
        k: Optional[int] = typer.Option(None, min=1, help="Few-shot examples (default: the suite's few_shot_k)."),
        limit: Optional[int] = typer.Option(None, min=1, help="At most N items per split (the ones eval_limit picks)."),
        choices: bool = typer.Option(False, "--choices", help="Classification: multiple-choice tasks (one per label "
                                                               "field) instead of generation tasks.")):
    """Write lm-eval task YAMLs for a suite's splits (same prompts, settings and scoring as tunebench)."""
    from typing import get_args

    from tunebench.harness.core.spec import PromptStrategy
    from tunebench.harness.core.suites import load_suite
    from tunebench.harness.orchestration.lm_eval_export import ExportOptions, export_lm_eval

    strategies = get_args(PromptStrategy)
    if prompt not in strategies:
        raise BadInput(f"unknown prompt strategy {prompt!r}{did_you_mean(prompt, strategies)}; valid: "
                       f"{', '.join(strategies)}", field="--prompt")
    suite = load_suite(suite_ref)
    for name in split or []:
        suite.split(name)  # an unknown split is bad input naming the suite's splits
    names = export_lm_eval(suite, out, ExportOptions(split, prompt, k, limit, choices))
    console.print(f"wrote {len(names)} task(s) to {out}: {', '.join(names)}")
    console.print(f"run: lm_eval --model hf --model_args pretrained=MODEL --include_path {out} "
                  f"--tasks {names[0]} --batch_size 8")


@app.command()
@handles_bad_input
def refusals(infile: Path = typer.Argument(..., metavar="IN.jsonl", help='Rows {"prompt", "response"}.'),
             out: Path = typer.Option(..., "--out", help="Where to write the labelled rows (JSONL).")):
    """Label each response refusal or compliance (with a score); report agreement if rows carry labels."""
    import json

    from tunebench.harness.core.records import read_jsonl
    from tunebench.harness.scorers.refusals import agreement, detect

    records, problems = read_jsonl(infile, "input file")
    for lineno, row in records:
        if not isinstance(row.get("response"), str):
            problems.append(Problem('each line needs a "response" string', infile, lineno, "response"))
    if problems:
        raise BadInput(problems=sorted(problems, key=lambda p: p.line or 0))
    if not records:
        raise BadInput('the input file has no rows: write one JSON object per line, {"prompt": ..., "response": ...}',
                       file=infile, line=1)
    if out.is_dir():
        raise BadInput("--out must name a file (JSONL), not a folder", file=out, field="--out")
    writable_folder(out.parent, "--out")
    rows = [row for _, row in records]
    verdicts = detect([r["response"] for r in rows],
                      prompts=[r["prompt"] if isinstance(r.get("prompt"), str) else "" for r in rows])
    tmp = out.with_suffix(out.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for row, v in zip(rows, verdicts):
            label = "compliance" if v.label == "empty" else v.label
            f.write(json.dumps({**row, "refusal_label": label, "refusal_score": round(v.score, 4),
                                "tier": v.tier, "explanation": v.explanation}, ensure_ascii=False) + "\n")
    tmp.replace(out)
    console.print(f"labelled {len(rows)} rows -> {out}")
    labelled = [r for r in rows if r.get("label") in ("refusal", "partial", "compliance")]
    if labelled:
        result = agreement(labelled)
        console.print(f"agreement with the rows' labels: {result['agreement']:.3f} "
                      f"(Cohen's kappa {result['cohen_kappa']:.3f}, n={result['n']})")
        for name, part in (("side", result["sides"]), ("tier", result["tiers"])):
            console.print(f"  by {name}: " + ", ".join(
                f"{key} {v['agreement']:.3f} (n={v['n']})" for key, v in part.items() if v["n"]), highlight=False)
    tiers = {}
    for v in verdicts:
        tiers[v.tier] = tiers.get(v.tier, 0) + 1
    console.print("verdicts by tier: " + ", ".join(f"{t} {n}" for t, n in sorted(tiers.items())), highlight=False)


