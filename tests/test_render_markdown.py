"""Markdown in, safe HTML out: fixtures in tests/fixtures/render/markdown.md (dot format)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file

from icbt_content.markdown import render_markdown
from icbt_content.markdown.cjk import cjk_emphasis_plugin
from icbt_content.markdown.links import is_safe_url

FIXTURE = Path(__file__).parent / "fixtures" / "render" / "markdown.md"


@pytest.mark.parametrize(
    ("line", "title", "source", "expected"),
    read_fixture_file(FIXTURE),
    ids=[f"{item[0]}-{item[1]}" for item in read_fixture_file(FIXTURE)],
)
def test_render(line: int, title: str, source: str, expected: str) -> None:
    assert render_markdown(source).strip() == expected.strip()


def test_translated_headings_keep_source_anchors() -> None:
    html = render_markdown("## Pourquoi ça continue", anchors=["why-it-keeps-going"])
    assert html == '<h2 id="why-it-keeps-going">Pourquoi ça continue</h2>\n'


def test_links_resolve_through_the_site_map() -> None:
    html = render_markdown("[next](02-next.md#a)", resolve_link=lambda href: "../next/#a")
    assert 'href="../next/#a"' in html


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://x.org", True),
        ("mailto:a@b.c", True),
        ("tel:999", True),
        ("../a.md", True),
        ("#here", True),
        ("http://x.org", False),
        ("//evil.example/x", False),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("%6Aavascript:alert(1)", False),
        ("data:text/html;base64,xx", False),
        ("file:///etc/passwd", False),
    ],
)
def test_link_scheme_allowlist(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def test_fill_replaces_only_plain_names() -> None:
    from icbt_content.render.environment import fill

    assert fill("Module {module} of {modules}", module="2", modules="10") == "Module 2 of 10"
    assert (
        fill("{module.__class__} {module!r} {0}", module="x") == "{module.__class__} {module!r} {0}"
    )


CJK_FIXTURE = Path(__file__).parent / "fixtures" / "render" / "cjk.md"


@pytest.mark.parametrize(
    ("line", "title", "source", "expected"),
    read_fixture_file(CJK_FIXTURE),
    ids=[f"{item[0]}-{item[1]}" for item in read_fixture_file(CJK_FIXTURE)],
)
def test_render_cjk_emphasis(line: int, title: str, source: str, expected: str) -> None:
    assert render_markdown(source).strip() == expected.strip()


def _commonmark() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab é بت *_~.,!?()[]`\n-«»", max_size=40))
def test_text_without_cjk_parses_exactly_as_commonmark(text: str) -> None:
    assert _commonmark().use(cjk_emphasis_plugin).render(text) == _commonmark().render(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 中文。，「」 *_~`[]()\n", max_size=40))
def test_any_text_next_to_cjk_renders(text: str) -> None:
    assert isinstance(_commonmark().use(cjk_emphasis_plugin).render(text), str)
