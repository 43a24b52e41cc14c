"""A block of Markdown is parsed once: the segmenter and the renderer share its token stream,
rendering never changes it, and a block with an unsafe link renders as the rendering parser
alone would render it."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from markdown_it.token import Token

from icbt_content.authoring.documents import parse_document
from icbt_content.authoring.loader import read_programme
from icbt_content.authoring.pages import read_blocks
from icbt_content.i18n.segments import Scope, Segmenter
from icbt_content.markdown import (
    checking_parser,
    parse_inline,
    parse_markdown,
    parser,
    render_markdown,
    shared_parser,
)
from icbt_content.model.blocks import Callout, Prose

ROOT = Path(__file__).resolve().parents[1]

UNSAFE = [
    "[call](javascript:alert(1)) now",
    "![a cat](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x]\n\n[x]: javascript:alert(1)",
    "[a ![b](javascript:x)](https://example.org)",
]
SAFE = [
    "# Title\n\nSee [the next page](02-next.md#why) and ![a map](map.svg).",
    "[x]\n\n[x]: https://example.org",
    "- one\n- [two](https://example.org)\n\n| a | b |\n|---|---|\n| [c](c.md) | d |",
]


@pytest.mark.parametrize("text", UNSAFE + SAFE)
def test_renders_as_the_rendering_parser_does(text: str) -> None:
    assert render_markdown(text) == shared_parser().render(text, {"resolve_link": None})


@pytest.mark.parametrize("text", UNSAFE)
def test_unsafe_blocks_are_parsed_again_to_render(text: str) -> None:
    assert not parse_markdown(text).renders_as_parsed


@pytest.mark.parametrize("text", SAFE)
def test_safe_blocks_render_from_their_parse(text: str) -> None:
    assert parse_markdown(text).renders_as_parsed


def test_rendering_leaves_the_shared_tokens_as_parsed() -> None:
    text = "[next](02-next.md) ![a map](map.svg)"
    first = render_markdown(text, resolve_link=lambda href: f"one/{href}")
    second = render_markdown(text, resolve_link=lambda href: f"two/{href}")
    assert 'href="one/02-next.md"' in first and 'src="one/map.svg"' in first
    assert 'href="two/02-next.md"' in second and 'src="two/map.svg"' in second
    assert "one/" not in second


def test_the_segmenter_and_the_renderer_share_one_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "## Why it keeps going\n\nAvoiding the party *keeps* the fear.\n\n- a\n- b"
    parser = checking_parser()
    calls: list[str] = []
    real = parser.parse

    def counted(src: str, env: object = None) -> object:
        calls.append(src)
        return real(src, env)  # type: ignore[arg-type]

    monkeypatch.setattr(parser, "parse", counted)
    segmenter = Segmenter()
    segmenter.markdown(text, Scope("m/p"), 1, ["why-it-keeps-going"])
    render_markdown(text, anchors=["why-it-keeps-going"])
    render_markdown(text, anchors=["why-it-keeps-going"])
    assert calls.count(text) <= 1
    assert [s.context for s in segmenter.segments] == [
        "m/p#why-it-keeps-going",
        "m/p#why-it-keeps-going.p1",
        "m/p#why-it-keeps-going.li1",
        "m/p#why-it-keeps-going.li2",
    ]


def _tokens(tokens: list[Token]) -> list[dict[str, object]]:
    return [t.as_dict(filter=lambda key, _: key != "meta") for t in tokens]


@pytest.mark.parametrize("programme", ["sad", "ptsd"])
def test_the_load_stage_keeps_what_parsing_each_block_makes(
    programme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parser, "_PARSED", parser.ParseMemo(limit=10**9))
    loaded = read_programme(ROOT / "programmes" / programme, ROOT)
    assert loaded.programme is not None
    blocks = [
        block
        for module in loaded.programme.modules
        for page in module.pages
        for block in page.blocks
        if isinstance(block, Prose | Callout)
    ]
    kept = [b for b in blocks if (b.markdown, b.anchors or None) in parser._PARSED]
    assert len(kept) > len(blocks) * 0.9
    for block in kept:
        env = {"anchors": list(block.anchors)} if block.anchors else {}
        fresh = checking_parser().parse(block.markdown, env)
        assert _tokens(parse_markdown(block.markdown, block.anchors).tokens) == _tokens(fresh)


def test_a_page_with_link_references_is_parsed_again_by_block() -> None:
    text = "---\ntitle: T\n---\n\nSee [the guide][g].\n\n:::note Box\nAlso [the guide][g].\n:::\n"
    doc = parse_document(text + "\n[g]: https://example.org\n", "p.md")
    assert doc.link_references
    parts = read_blocks(doc)
    html = "".join(render_markdown(b.markdown) for b in parts.blocks if isinstance(b, Prose))
    # As when every block was parsed on its own: a reference defined in another block is not
    # one in this block.
    assert html == shared_parser().render("See [the guide][g].", {"resolve_link": None})
    assert "<a" not in html


def test_plain_messages_are_checked_without_parsing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The catalog checks parse a message only when it may hold markup, links or blocks, and
    the build parses each block of the source once."""
    from icbt_content.i18n import inline_checks
    from icbt_content.pipeline.build import build_site

    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "i18n" / "project", project)
    monkeypatch.setattr(parser, "_PARSED", parser.ParseMemo(limit=10**9))
    inline_checks.block_tokens.cache_clear()
    counting = checking_parser()
    calls: Counter[str] = Counter()
    real = counting.parse

    def counted(src: str, env: object = None) -> object:
        calls[src] += 1
        return real(src, env)  # type: ignore[arg-type]

    monkeypatch.setattr(counting, "parse", counted)
    report = build_site(project, tmp_path / "site")
    assert report.locales["demo"] == ["en-GB", "ar", "fr"]
    assert "Read a page each day." not in calls
    assert "Lisez une page par jour." not in calls
    welcome = (project / "programmes/demo/modules/start/01-welcome.md").read_text("utf-8")
    blocks = [text for text in calls if text.strip() and text in welcome]
    assert blocks and all(calls[text] == 1 for text in blocks)


@pytest.mark.parametrize(
    "text",
    [
        "Avoiding the party keeps the fear going.",
        "  spaced:  a-b = c % 5 #tag @me ^ $ + ; 'quoted' \"too\"  ",
        "إذا كنت لا تستطيع الحفاظ على سلامتك، فاطلب المساعدة الآن.",
        "如果你無法保持安全，請立即求助。",
        "",
        "with *markup*",
        "a [link](x.md) and <https://example.org> &amp; `code` ~~gone~~ \\* {#id}",
        "two\nlines",
    ],
)
def test_inline_parses_are_what_the_parser_makes(text: str) -> None:
    parsed = checking_parser().parseInline(text, {})
    fresh = parsed[0].children or [] if parsed else []
    assert _tokens(list(parse_inline(text))) == _tokens(fresh)
