"""Safe YAML with line numbers, and pydantic validation that reports file:line diagnostics.

Only plain YAML is accepted: no anchors, aliases or tags. Every mapping key and value keeps the line
it was written on, so a validation error can point at the exact line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.reader import Reader
from yaml.resolver import Resolver

try:
    from yaml._yaml import CParser

    _FAST = True
except ImportError:  # PyYAML built without libyaml: its own reader only
    CParser = object  # type: ignore[assignment,misc]
    _FAST = False

from icbt_content.diagnostics import Diagnostic, diagnostic, did_you_mean
from icbt_content.errors import IcbtError
from icbt_content.limits import MAX_YAML_CHARS, MAX_YAML_DEPTH, MAX_YAML_NODES

PathKey = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass
class LocatedYaml:
    """Parsed YAML data with the line (1-based, in the whole file) of every value."""

    data: Any
    file: str
    lines: dict[PathKey, int] = field(default_factory=dict)
    first_line: int = 1
    cols: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int:
        """Line of the deepest known value on ``path``."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return self.first_line

    def col_of(self, path: PathKey) -> int:
        """Column (1-based) of the deepest known value on ``path``."""
        for end in range(len(path), -1, -1):
            if tuple(path[:end]) in self.lines:
                return self.cols.get(tuple(path[:end]), 1)
        return 1

    def at(self, code: str, message: str, path: PathKey, hint: str = "") -> Diagnostic:
        """A diagnostic at the value on ``path`` in this file."""
        return diagnostic(
            code, message, self.file, self.line_of(path), self.col_of(path), hint=hint
        )


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that does not resolve dates or other implicit types beyond the JSON ones."""


# Keep dates and times as strings: content should not change type by looking like a date.
_NoAliasLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

_ALIASES_REFUSED = "YAML anchors and aliases are not allowed"
_WRITE_IN_FULL = "write the value out in full"


class _Refused(IcbtError):
    def __init__(
        self, message: str, line: int, col: int = 1, code: str = "ICBT105", hint: str = ""
    ) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.code = code
        self.hint = hint or "use plain YAML values only"


class _PlainChecks(Composer):
    """Composes plain YAML only, stopping at the first anchor or alias and at the size limits.

    Checking while composing (not after) is what keeps an alias bomb harmless: nothing is
    expanded, and nothing deeper or larger than the limits is ever built.
    """

    offset = 0
    depth = 0
    nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[attr-defined]
        mark = event.start_mark
        line = (mark.line if mark else 0) + 1 + self.offset
        col = (mark.column if mark else 0) + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(_ALIASES_REFUSED, line, col, hint=_WRITE_IN_FULL)
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise _Refused(
                f"YAML block has more than {MAX_YAML_NODES} values",
                line,
                col,
                code="ICBT115",
                hint="split the content into smaller files",
            )
        if self.depth >= MAX_YAML_DEPTH:
            raise _Refused(
                f"YAML is nested more than {MAX_YAML_DEPTH} levels deep",
                line,
                col,
                code="ICBT115",
                hint="content YAML needs only a few levels: check the brackets and indentation",
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _PlainComposer(_PlainChecks, _NoAliasLoader):
    """The checks over PyYAML's own reader: what every problem is reported from."""

    def __init__(self, text: str, offset: int) -> None:
        _NoAliasLoader.__init__(self, text)
        self.offset = offset


class _FastComposer(_PlainChecks, CParser, Resolver):
    """The same checks over events read by libyaml (four times as quick as PyYAML's reader),
    composed by PyYAML's composer so every node keeps its line and column."""

    yaml_implicit_resolvers = _NoAliasLoader.yaml_implicit_resolvers

    def __init__(self, text: str, offset: int) -> None:
        CParser.__init__(self, text)
        Composer.__init__(self)
        Resolver.__init__(self)
        self.offset = offset


def _build(
    node: yaml.Node,
    path: PathKey,
    lines: dict[PathKey, int],
    offset: int,
    cols: dict[PathKey, int] | None = None,
) -> Any:
    cols = {} if cols is None else cols
    line = node.start_mark.line + 1 + offset
    lines[path] = line
    cols[path] = node.start_mark.column + 1
    if node.tag not in _STANDARD_TAGS:
        raise _Refused(f"tag '{node.tag}' is not allowed", line)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(
                    "mapping keys must be plain text", key_node.start_mark.line + 1 + offset
                )
            key = str(_NoAliasLoader.construct_scalar(_LOADER, key_node))
            if key == "<<":
                raise _Refused(
                    "merge keys (<<) are not allowed", key_node.start_mark.line + 1 + offset
                )
            if key in result:
                raise _Refused(
                    f"the key '{key}' appears twice", key_node.start_mark.line + 1 + offset
                )
            result[key] = _build(value_node, (*path, key), lines, offset, cols)
            lines[(*path, key)] = key_node.start_mark.line + 1 + offset
            cols[(*path, key)] = key_node.start_mark.column + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, offset, cols) for i, item in enumerate(node.value)]
    try:
        return _LOADER.construct_object(node, deep=True)
    finally:
        # The loader is shared by every file read: it must not keep the node it was given (it
        # remembers each one it constructs, which held every scalar of every file read).
        _LOADER.constructed_objects.pop(node, None)
        _LOADER.recursive_objects.pop(node, None)


_LOADER = _NoAliasLoader("")


def load_yaml(
    text: str, file: str, first_line: int = 1
) -> tuple[LocatedYaml | None, list[Diagnostic]]:
    """Parse ``text`` (which starts at ``first_line`` of ``file``) as safe, plain YAML."""
    offset = first_line - 1
    if len(text) > MAX_YAML_CHARS:
        return None, [
            diagnostic(
                "ICBT100",
                f"YAML block is larger than {MAX_YAML_CHARS} characters",
                file,
                first_line,
                hint="split the content into smaller files",
            )
        ]
    if _FAST and not Reader.NON_PRINTABLE.search(text):
        try:
            return _located(_FastComposer, text, file, first_line), []
        except _Refused as exc:  # found by the same checks, at the same marks
            return None, [diagnostic(exc.code, str(exc), file, exc.line, exc.col, hint=exc.hint)]
        except (yaml.YAMLError, ValueError, TypeError):
            pass  # reported below, in PyYAML's words
    try:
        return _located(_PlainComposer, text, file, first_line), []
    except _Refused as exc:
        return None, [diagnostic(exc.code, str(exc), file, exc.line, exc.col, hint=exc.hint)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if "alias" in problem or "anchor" in problem:
            return None, [
                diagnostic("ICBT105", _ALIASES_REFUSED, file, line, col, hint=_WRITE_IN_FULL)
            ]
        return None, [
            diagnostic(
                "ICBT101",
                f"invalid YAML: {problem}",
                file,
                line,
                col,
                hint="check indentation, and put text containing ': ' or '#' in quotes",
            )
        ]
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        return None, [diagnostic("ICBT101", f"invalid YAML value: {exc}", file, first_line)]


def _located(
    kind: type[_PlainComposer | _FastComposer], text: str, file: str, first_line: int
) -> LocatedYaml:
    offset = first_line - 1
    composer = kind(text, offset)
    try:
        node = composer.get_single_node()
    finally:
        composer.dispose()
    if node is None:
        return LocatedYaml({}, file, {(): first_line}, first_line)
    lines: dict[PathKey, int] = {}
    cols: dict[PathKey, int] = {}
    data = _build(node, (), lines, offset, cols)
    return LocatedYaml(data, file, lines, first_line, cols)


def validate(
    model: type[M],
    located: LocatedYaml,
    *,
    extra: Mapping[str, Any] | None = None,
    what: str = "",
) -> tuple[M | None, list[Diagnostic]]:
    """Validate located YAML against a pydantic model, turning errors into diagnostics.

    ``extra`` adds values that do not come from the YAML (such as a source location).
    """
    data = located.data
    if not isinstance(data, dict):
        return None, [
            diagnostic(
                "ICBT104",
                f"{what or 'this block'} must be a mapping of 'field: value' lines",
                located.file,
                located.first_line,
            )
        ]
    try:
        return model.model_validate({**data, **(extra or {})}), []
    except ValidationError as exc:
        return None, errors_to_diagnostics(exc, located, model, what)


def errors_to_diagnostics(
    exc: ValidationError, located: LocatedYaml, model: type[BaseModel], what: str = ""
) -> list[Diagnostic]:
    """Turn pydantic errors into diagnostics at the lines the values were written on."""
    found: list[Diagnostic] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        line = located.line_of(loc)
        col = located.col_of(loc)
        dotted = ".".join(str(p) for p in loc)
        kind = error["type"]
        if kind == "extra_forbidden":
            candidates = _fields_at(model, loc[:-1])
            found.append(
                diagnostic(
                    "ICBT102",
                    f"unknown field '{dotted}'" + (f" in {what}" if what else ""),
                    located.file,
                    line,
                    col,
                    hint=did_you_mean(str(loc[-1]), candidates)
                    or f"allowed fields: {', '.join(sorted(candidates))}",
                )
            )
        elif kind == "missing":
            found.append(
                diagnostic(
                    "ICBT103",
                    f"missing required field '{dotted}'" + (f" in {what}" if what else ""),
                    located.file,
                    line,
                    col,
                    hint=f"add a line '{loc[-1]}: ...'",
                )
            )
        elif "pattern" in kind or (kind == "string_too_long"):
            found.append(
                diagnostic(
                    "ICBT202",
                    f"'{error.get('input')}' is not a valid id for '{dotted}'",
                    located.file,
                    line,
                    col,
                    hint="ids are lower-case letters, digits and hyphens, starting with a letter",
                )
            )
        else:
            found.append(
                diagnostic(
                    "ICBT104",
                    f"invalid value for '{dotted}': {error['msg']}",
                    located.file,
                    line,
                    col,
                )
            )
    return found


def _fields_at(model: type[BaseModel], path: PathKey) -> list[str]:
    """Field names allowed at ``path`` inside ``model`` (best effort, for hints)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}).keys())


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
