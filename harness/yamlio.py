"""YAML reading that keeps line numbers, so errors can point at the line of a bad field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from harness.errors import BadInput


def load_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse ``path`` with ``yaml.safe_load`` and also return its node tree for line lookups."""
    if not path.is_file():
        raise BadInput("file not found", file=path)
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BadInput(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=path,
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
    """``model.model_validate(data)``, turning the first pydantic error into a located ``BadInput``."""
    if not isinstance(data, dict):
        raise BadInput(f"must be a YAML mapping with fields: {', '.join(model.model_fields)}",
                       file=path, line=1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        err = errors[0]
        loc = tuple(err["loc"])
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = f"unknown field; valid fields here: {', '.join(_fields_at(model, loc[:-1]))}"
        elif err["type"] == "literal_error":
            message = f"{message} (got {err.get('input')!r})"
        if len(errors) > 1:
            message += f" (and {len(errors) - 1} more problem(s))"
        raise BadInput(message, file=path, line=line_of(node, loc),
                       field=".".join(str(p) for p in loc) or None) from None


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
