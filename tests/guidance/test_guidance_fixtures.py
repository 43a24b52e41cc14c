"""Guidance templates as data: fixture files in tests/fixtures/guidance, dot format.

Each fixture is ``title / . / input / . / expected / .`` (read by markdown-it's
``read_fixture_file``). Set ICBT_UPDATE_FIXTURES=1 to rewrite the expected sections after a
deliberate change, then review the diff.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from icbt_content.diagnostics import ContentError, Diagnostic
from icbt_content.guidance import (
    check_template,
    default_section_url,
    load_template,
    render_guidance_template,
    validate_context,
)
from icbt_content.model.guidance import GuidanceContext, GuidanceTemplate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "guidance"
FRONT_MATTER = "---\ntitle: Test message\nwhen: other\n---\n"
NAMES_TEMPLATE = "{{ client.first_name }}\n\nHello {{ client.first_name }}!\n"
SECTIONS: dict[str, set[str]] = {
    module: set(anchors)
    for module, anchors in json.loads((FIXTURES / "sections.json").read_text()).items()
}


def _context(name: str) -> GuidanceContext:
    return validate_context(json.loads((FIXTURES / name).read_text()))


def _write(project: Path, text: str) -> tuple[GuidanceTemplate | None, list[Diagnostic]]:
    path = project / "programmes" / "demo" / "guidance" / "message.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_template(path, project)


def _formatted(diagnostics: list[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in sorted(diagnostics))


def _loaded(project: Path, text: str) -> GuidanceTemplate:
    template, problems = _write(project, text)
    assert template is not None, _formatted(problems)
    return template


def render_markdown_case(project: Path, body: str) -> str:
    template = _loaded(project, FRONT_MATTER + body)
    context = _context("context.json")
    return render_guidance_template(template, context, section_url=default_section_url).markdown


def render_minimal_case(project: Path, body: str) -> str:
    template = _loaded(project, FRONT_MATTER + body)
    context = _context("context-minimal.json")
    return render_guidance_template(template, context, section_url=default_section_url).markdown


def render_html_case(project: Path, body: str) -> str:
    template = _loaded(project, FRONT_MATTER + body)
    context = _context("context.json")
    return render_guidance_template(template, context, section_url=default_section_url).html


def name_case(project: Path, name_json: str) -> str:
    template = _loaded(project, FRONT_MATTER + NAMES_TEMPLATE)
    data = json.loads((FIXTURES / "context.json").read_text())
    data["client"] = {"first_name": json.loads(name_json)}
    context = validate_context(data)
    return render_guidance_template(template, context, section_url=default_section_url).html


def render_error_case(project: Path, body: str) -> str:
    template = _loaded(project, FRONT_MATTER + body)
    context = _context("context-minimal.json")
    with pytest.raises(ContentError) as caught:
        render_guidance_template(template, context, section_url=default_section_url)
    return _formatted(caught.value.diagnostics)


def check_case(project: Path, body: str) -> str:
    template = _loaded(project, FRONT_MATTER + body)
    return _formatted(check_template(template, sections=SECTIONS, modules=set(SECTIONS)))


def front_matter_case(project: Path, text: str) -> str:
    template, problems = _write(project, text)
    if template is not None:
        problems += check_template(template, sections=SECTIONS, modules=set(SECTIONS))
    return _formatted(problems)


CASES: dict[str, Callable[[Path, str], str]] = {
    "render.md": render_markdown_case,
    "render-minimal.md": render_minimal_case,
    "render-html.md": render_html_case,
    "names.md": name_case,
    "render-errors.md": render_error_case,
    "check.md": check_case,
    "front-matter.md": front_matter_case,
}


def _params() -> list[object]:
    params: list[object] = []
    for file_name in CASES:
        for index, (line, title, given, expected) in enumerate(
            read_fixture_file(FIXTURES / file_name)
        ):
            params.append(
                pytest.param(file_name, index, given, expected, id=f"{file_name}:{line}:{title}")
            )
    return params


@pytest.mark.parametrize(("file_name", "index", "given", "expected"), _params())
def test_fixture(file_name: str, index: int, given: str, expected: str, tmp_path: Path) -> None:
    given = given.removesuffix("\n") if file_name == "names.md" else given
    actual = CASES[file_name](tmp_path, given)
    if os.environ.get("ICBT_UPDATE_FIXTURES") == "1":
        _update(FIXTURES / file_name, index, expected, actual)
        return
    assert actual == expected


def _update(path: Path, index: int, old: str, new: str) -> None:
    """Replace the expected section of the ``index``-th fixture in ``path``."""
    line = read_fixture_file(path)[index][0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    dots = [i for i in range(line, len(lines)) if lines[i].rstrip() == "."][:3]
    start, end = dots[1] + 1, dots[2]
    assert "".join(lines[start:end]) == old
    if new and not new.endswith("\n"):
        new += "\n"
    lines[start:end] = [new] if new else []
    path.write_text("".join(lines), encoding="utf-8")
