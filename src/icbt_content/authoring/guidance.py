"""Read guidance/<id>.md templates and message contexts, with file:line diagnostics."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from icbt_content.authoring.documents import read_document, read_text
from icbt_content.authoring.yamlsafe import LocatedYaml, errors_to_diagnostics, load_yaml, validate
from icbt_content.diagnostics import ContentError, Diagnostic, diagnostic
from icbt_content.ids import is_valid_id
from icbt_content.limits import MAX_TEMPLATE_BYTES
from icbt_content.model.base import SourceLocation
from icbt_content.model.guidance import GuidanceContext, GuidanceFrontMatter, GuidanceTemplate
from icbt_content.paths import StrPath, as_path


def load_guidance(
    directory: StrPath, project_root: StrPath
) -> tuple[list[GuidanceTemplate], list[Diagnostic]]:
    """Read every ``*.md`` in a programme's ``guidance/`` folder, in file name order."""
    directory = as_path(directory)
    project_root = as_path(project_root)
    templates: list[GuidanceTemplate] = []
    found: list[Diagnostic] = []
    if not directory.is_dir():
        return templates, found
    for path in sorted(directory.glob("*.md")):
        template, problems = load_template(path, project_root)
        found.extend(problems)
        if template is not None:
            templates.append(template)
    return templates, found


def load_template(
    path: StrPath, project_root: StrPath
) -> tuple[GuidanceTemplate | None, list[Diagnostic]]:
    """Read one guidance template: YAML front matter between ``---`` lines, then the body."""
    path = as_path(path)
    project_root = as_path(project_root)
    shown = _relative(path, project_root)
    doc, problems = read_document(path, shown, limit=MAX_TEMPLATE_BYTES)
    if doc is None:
        return None, problems
    found = list(doc.diagnostics)
    template_id = path.stem
    if not is_valid_id(template_id):
        found.append(
            diagnostic(
                "ICBT202",
                f"'{path.name}' does not make a valid template id",
                shown,
                hint="name the file with lower-case letters, digits and hyphens: welcome.md",
            )
        )
    if doc.body_start == 1:
        unclosed = doc.text.startswith("---")
        found.append(
            diagnostic(
                "ICBT101" if unclosed else "ICBT103",
                "the front matter is not closed"
                if unclosed
                else "the guidance template has no front matter",
                shown,
                hint="add a line '---' after the front matter"
                if unclosed
                else "start the file with '---', 'title: ...', 'when: ...' and a closing '---'",
            )
        )
        return None, found
    if doc.diagnostics:
        return None, found  # the YAML itself is broken
    front, problems = validate(GuidanceFrontMatter, doc.front_matter, what="guidance front matter")
    found.extend(problems)
    body = "\n".join(doc.lines[doc.body_start - 1 :])
    if not body.strip():
        found.append(
            diagnostic(
                "ICBT511",
                "the guidance template has no message text",
                shown,
                doc.body_start,
                hint="write the message below the front matter",
            )
        )
    if front is None or found:
        return None, found
    lines = doc.front_matter.lines
    template = GuidanceTemplate(
        id=template_id,
        title=front.title,
        when=front.when,
        module=front.module,
        body=body,
        body_line=doc.body_start,
        field_lines={str(key[0]): line for key, line in lines.items() if len(key) == 1},
        source=SourceLocation(file=shown, line=1),
    )
    return template, []


def load_context(path: StrPath, shown: str | None = None) -> GuidanceContext:
    """Read a message context from a JSON file; raise ContentError with file:line on problems."""
    path = as_path(path)
    shown = shown or path.as_posix()
    text, problems = read_text(path, shown)
    if text is None:
        raise ContentError(problems)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(
            [diagnostic("ICBT104", f"invalid JSON: {exc.msg}", shown, exc.lineno, exc.colno)]
        ) from None
    except RecursionError:
        raise ContentError(
            [diagnostic("ICBT104", "the JSON is nested too deeply for a message context", shown)]
        ) from None
    # JSON is YAML: reading it again through the YAML loader gives every key its line.
    located, _ = load_yaml(text, shown)
    if located is None or located.data != data:
        located = LocatedYaml(data, shown)
    return validate_context(data, file=shown, located=located)


def validate_context(
    data: Mapping[str, Any] | GuidanceContext,
    *,
    file: str = "<context>",
    located: LocatedYaml | None = None,
) -> GuidanceContext:
    """Validate a message context; raise ContentError (unknown, missing or invalid fields)."""
    if isinstance(data, GuidanceContext):
        return data
    located = located or LocatedYaml(data, file)
    if not isinstance(data, Mapping):
        raise ContentError(
            [diagnostic("ICBT104", "the message context must be a JSON object", file)]
        )
    try:
        return GuidanceContext.model_validate(dict(data))
    except ValidationError as exc:
        raise ContentError(
            errors_to_diagnostics(exc, located, GuidanceContext, "the message context")
        ) from None


def _relative(path: Path, project_root: Path) -> str:
    try:
        return path.resolve().relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
