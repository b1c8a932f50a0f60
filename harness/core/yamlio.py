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


# Patterns of the typed configs, in words (a bad value gets these, not the regular expression)
PATTERN_WORDS = {
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$": "letters, digits, '_', '.' and '-', starting with a letter or digit "
                                     "(no '/', no spaces: a name becomes a folder and a column value)",
    r"^https?://": "a URL that starts with http:// or https://",
}


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
    twice = list(_duplicate_keys(node))
    if twice:
        raise BadInput(problems=[Problem(f"{key!r} is written twice (first on line {first}): YAML would keep "
                                         "only the later one and drop the other without a word; write it once",
                                         path, line, ".".join(map(str, (*where, key))))
                                 for where, key, first, line in twice])
    return data, node


def _duplicate_keys(node: yaml.Node | None, where: tuple = ()):
    """(path, key, first line, repeated line) of every key written twice in one mapping, at any depth."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name, line = getattr(key, "value", None), key.start_mark.line + 1
            if isinstance(name, str) and name in seen:
                yield where, name, seen[name], line
            elif isinstance(name, str):
                seen[name] = line
            yield from _duplicate_keys(value, (*where, name))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*where, index))


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
    elif err["type"] == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        allowed = PATTERN_WORDS.get(pattern, f"text matching {pattern}")
        message = f"{err.get('input')!r} is not allowed here: use {allowed}"
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
