"""Fuzzing what authors write: page bodies, front matter, directives, headings and anchors.

(These replace the whole-build properties of tests/test_properties.py, with more channels and
one page rendered per example instead of a whole site.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fuzz_helpers import (
    FUZZ,
    PAGE,
    any_text,
    deep,
    headings,
    lines_of,
    load_and_render,
    project_copy,
    text_chars,
)
from hypothesis import given
from hypothesis import strategies as st

from icbt_content import render_markdown
from icbt_content.authoring.pages import CALLOUT_STYLES, DIRECTIVES
from icbt_content.ids import is_reserved_id, is_valid_id


@pytest.fixture(scope="module")
def project() -> Iterator[Path]:
    with project_copy() as path:
        yield path


def _page(project: Path, text: str) -> str | None:
    (project / PAGE).write_text(text, encoding="utf-8")
    return load_and_render(project)


markdown_blocks = lines_of(
    text_chars,
    st.sampled_from(["# T", "## T", "- a", "1. a", "> q", "```", "---", "| a | b |", "|-|-|"]),
    st.sampled_from(["[l](02-reflect.md#x)", "![alt](../../media/cycle.svg)", "[x](javascript:1)"]),
    deep("> "),
    deep("- "),
    deep("*"),
    deep("[", "]"),
    deep("`"),
    deep("|"),
)


@FUZZ
@given(body=markdown_blocks | any_text)
def test_any_page_body_renders_or_reports(project: Path, body: str) -> None:
    _page(project, "---\ntitle: Any\n---\n\n" + body)


@FUZZ
@given(front=any_text | lines_of(text_chars, deep("["), deep("  a:\n"), st.just("&a x")))
def test_any_front_matter_renders_or_reports(project: Path, front: str) -> None:
    _page(project, f"---\n{front}\n---\n\nSome text.\n")


directive_names = st.sampled_from(sorted({*DIRECTIVES, *CALLOUT_STYLES})) | st.text(max_size=12)


@st.composite
def directives(draw: st.DrawFn) -> str:
    name = draw(directive_names).replace("\n", " ")
    argument = draw(
        st.sampled_from(["", "reflection", "phq9", "Title {#box-id}", "T {#main}", "T {#0}"])
        | st.text(max_size=40)
    ).replace("\n", " ")
    body = draw(any_text | lines_of(text_chars, st.just("id: x\ntitle: T"), deep("[")))
    fence = draw(st.sampled_from([":::", "::::", ""]))
    return f"::: {name} {argument}\n{body}\n{fence}"


@FUZZ
@given(blocks=st.lists(directives(), min_size=1, max_size=4))
def test_any_directive_renders_or_reports(project: Path, blocks: list[str]) -> None:
    _page(project, "---\ntitle: Any\n---\n\nIntro.\n\n" + "\n\n".join(blocks) + "\n")


#: Attributes Markdown itself writes; an author can add none (only ``{#id}`` on headings).
MARKDOWN_ATTRIBUTES = {"id", "href", "src", "alt", "title", "rel", "loading", "start", "style"}


@FUZZ
@given(text=headings())
def test_any_headings_and_anchors_give_valid_unique_ids(project: Path, text: str) -> None:
    for attributes in re.findall(r"<\w+([^>]*)>", render_markdown(text)):
        names = set(re.findall(r'\s([^\s=]+)="', attributes))
        assert names <= MARKDOWN_ATTRIBUTES, attributes
    html = _page(project, "---\ntitle: Headings\n---\n\n" + text)
    if html is None:
        return  # refused with diagnostics (checked in load_and_render)
    main = html[html.index("<main") : html.index("</main>")]
    anchors = re.findall(r'<h[1-6] id="([^"]*)"', main)
    assert all(is_valid_id(a) and not is_reserved_id(a) for a in anchors), anchors
    assert len(anchors) == len(set(anchors))
