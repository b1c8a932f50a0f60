"""YAML reading that keeps line numbers, so errors can point at the line of a bad field.

Validation reports every problem of a file at once, each with its line and field; an unknown
field says which field was probably meant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from tunebench.harness.core.errors import BadInput, Problem, did_you_mean
from tunebench.harness.core.files import read_text


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
    elif err["type"] == "union_tag_invalid":  # a policy rule's `type`
        ctx = err.get("ctx", {})
        choices = [c.strip(" '") for c in str(ctx.get("expected_tags", "")).split(",") if c.strip(" '")]
        what, tag = str(ctx.get("discriminator", "type")).strip("'"), ctx.get("tag")
        message = f"unknown {what} {tag!r}{did_you_mean(tag, choices)}; valid: {', '.join(choices)}"
    elif err["type"] in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        message = f"{message} (got {err.get('input')!r}){did_you_mean(err.get('input'), choices)}"
    elif "input" in err and err["type"].endswith(("_type", "_parsing")):
        message = f"{message} (got {err['input']!r})"
    return Problem(message, path, line_of(node, loc), ".".join(str(p) for p in loc) or None)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models inside an annotation (``list[Rule]``, ``X | None``, a tagged union)."""
    found, stack = [], [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, BaseModel):
            found.append(current)
        stack += list(getattr(current, "__args__", ()))
        if getattr(current, "__origin__", None) is not None and not getattr(current, "__args__", ()):
            stack.append(current.__origin__)  # Annotated[Union[...], Field(...)] keeps the union in __origin__
    return found


def _fields_at(model: type[BaseModel], parent: tuple) -> list[str]:
    """Field names of the (nested) model found by following ``parent`` keys from ``model``.

    In a tagged union (a policy rule) pydantic puts the tag in the path: ``rules.3.forbidden.terms``.
    """
    candidates = [model]
    for part in parent:
        if isinstance(part, int):
            continue
        current = candidates[0]
        if part in current.model_fields:
            candidates = _models_in(current.model_fields[part].annotation) or candidates
            continue
        tagged = [c for c in candidates if part in str(c.model_fields.get("type").annotation)] \
            if all("type" in c.model_fields for c in candidates) else []
        if tagged:
            candidates = tagged
    return list(candidates[0].model_fields)
