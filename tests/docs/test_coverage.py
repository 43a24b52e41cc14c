"""What the code can do is documented: a new exercise type, directive, template variable, measure
field or plugin option cannot be added without the docs mentioning it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest
from docs_helpers import DOCS, hooks

from icbt_content.authoring.pages import CALLOUT_STYLES, DIRECTIVES
from icbt_content.contrib.mkdocs import IcbtPluginConfig
from icbt_content.exercises import exercise_types
from icbt_content.guidance import ALLOWED_FILTERS
from icbt_content.measures import builtin_measures
from icbt_content.model import measure as measure_model
from icbt_content.model.guidance import GuidanceContext, GuidanceFrontMatter, Occasion


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _rendered_examples(name: str) -> list[str]:
    return [m.group("body") for m in hooks().RENDERED.finditer(_page(name))]


@pytest.mark.parametrize("name", sorted(exercise_types()))
def test_every_exercise_type_has_a_rendered_example(name: str) -> None:
    examples = _rendered_examples("authoring.md")
    assert any(f"::: exercise {name}\n" in body for body in examples)
    assert f"`{name}`" in _page("authoring.md")


@pytest.mark.parametrize("name", sorted({*DIRECTIVES, *CALLOUT_STYLES} - {"video"}))
def test_every_directive_has_a_rendered_example(name: str) -> None:
    examples = _rendered_examples("authoring.md")
    assert any(re.search(rf"^::: {name}\b", body, re.MULTILINE) for body in examples)


def test_video_is_described_with_audio() -> None:
    assert "`video` works like `audio`" in _page("authoring.md")


def _fields(model: type) -> list[str]:
    return [name for name in model.model_fields if name not in ("source", "wording_supplied")]


@pytest.mark.parametrize(
    "model",
    [
        measure_model.Measure,
        measure_model.OptionSet,
        measure_model.ResponseOption,
        measure_model.MeasureItem,
        measure_model.RiskRule,
        measure_model.Subscale,
        measure_model.Band,
        measure_model.MissingAnswers,
    ],
    ids=lambda model: model.__name__,
)
def test_every_measure_field_is_documented(model: type) -> None:
    page = _page("measures-and-guidance.md")
    missing = [name for name in _fields(model) if f"`{name}`" not in page]
    assert not missing


def test_every_measure_licence_and_role_is_documented() -> None:
    page = _page("measures-and-guidance.md")
    for value in [*get_args(measure_model.Licence), *get_args(measure_model.MeasureRole)]:
        assert f"`{value}`" in page, value


def test_every_guidance_variable_helper_and_filter_is_documented() -> None:
    page = _page("measures-and-guidance.md")
    names = [*_fields(GuidanceContext), *_fields(GuidanceFrontMatter), *get_args(Occasion)]
    names += [f"{name}(" for name in ("section_link", "plural")]
    for name in names:
        assert f"`{name}" in page, name
    for name in ALLOWED_FILTERS:
        assert f"`{name}`" in page, name


def test_every_plugin_option_is_documented() -> None:
    page = _page("mkdocs-plugin.md")
    for name, _ in IcbtPluginConfig._schema:
        assert f"| `{name}` |" in page, name


@pytest.mark.parametrize("measure_id", sorted(builtin_measures()))
def test_every_builtin_measure_is_in_the_built_docs(measure_id: str, built_docs: Path) -> None:
    html = (built_docs / "measures-and-guidance" / "index.html").read_text(encoding="utf-8")
    assert f"<td><code>{measure_id}</code></td>" in html
