"""YAML reading that keeps line numbers, so errors can point at the line of a bad field.

Validation reports every problem of a file at once, each with its line and field; an unknown
field says which field was probably meant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from harness.core.errors import BadInput, Problem, did_you_mean
from harness.core.textfiles import read_text


def load_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse ``path`` with ``yaml.safe_load`` and also return its node tree for line lookups."""
    text = read_text(path)
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BadInput(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", file=path,
                       line=mark.line + 1 if mark else None) from None
    return data, node


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the value at ``loc`` (keys and list indices), or of its nearest parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = [(k, v) for k, v in node.value if k.value == key]
            if not match:
                return line
            k, node = match[0]
            line = k.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def validate(model: type[BaseModel], data: Any, node: yaml.Node | None, path: Path) -> Any:
    """``model.model_validate(data)``; every pydantic error becomes a located ``Problem``."""
    if not isinstance(data, dict):
        what = "the file is empty" if data is None else f"got a {type(data).__name__}"
        raise BadInput(f"must be a YAML mapping with fields: {', '.join(model.model_fields)} ({what})",
                       file=path, line=1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(model, err, node, path) for err in exc.errors()]
        raise BadInput(problems=problems) from None


def _problem(model: type[BaseModel], err: dict, node: yaml.Node | None, path: Path) -> Problem:
    loc = tuple(err["loc"])
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        valid = _fields_at(model, loc[:-1])
        message = f"unknown field{did_you_mean(loc[-1], valid)}; valid fields here: {', '.join(valid)}"
    elif err["type"] == "missing":
        message = "required field is missing"
    elif err["type"] in ("literal_error", "union_tag_invalid", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        got = err.get("input") if err["type"] != "union_tag_invalid" else err.get("ctx", {}).get("tag")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        message = f"{message} (got {got!r}){did_you_mean(got, choices)}"
    elif "input" in err and err["type"].endswith(("_type", "_parsing")):
        message = f"{message} (got {err['input']!r})"
    return Problem(message, path, line_of(node, loc), ".".join(str(p) for p in loc) or None)


def _fields_at(model: type[BaseModel], parent: tuple) -> list[str]:
    """Field names of the (nested) model found by following ``parent`` keys from ``model``."""
    for part in parent:
        if isinstance(part, int) or part not in model.model_fields:
            continue
        annotation = model.model_fields[part].annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        for cand in list(candidates):
            candidates += list(getattr(cand, "__args__", ()))
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), model)
    return list(model.model_fields)
