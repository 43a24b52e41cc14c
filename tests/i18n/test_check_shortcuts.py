"""The translation checks skip parsing a message that cannot hold what they look for, and the
segmenter skips escaping text that has nothing to escape; what they find is what the long way
finds."""

from __future__ import annotations

from collections import Counter

import pytest
from markdown_it.token import Token

from icbt_content.i18n import inline, inline_checks
from icbt_content.i18n.checks import block_structure, link_targets
from icbt_content.i18n.inline_checks import (
    MARKUP_NAMES,
    block_tokens,
    html_tags,
    inline_markup,
    stray_delimiters,
)

TEXTS = [
    "Welcome to the programme.",
    "Prógrámmé 1",
    "你好，欢迎。",
    "مرحبا بكم في البرنامج",
    "Über alles",
    "10 minutes a day",
    "1. The first step",
    "- a list item",
    "# A heading",
    "> a quotation",
    "Word\n\nAnother paragraph",
    "Word\n===",
    "Sam's *day* and __night__",
    "a ~~struck~~ word and `code`",
    "Tom &amp; Jerry",
    "x &lt;script&gt; y",
    "an &#42;entity&#42; star",
    "see [the page](next.md) and ![a map](map.svg)",
    "<https://example.org>",
    "<b>bold</b> text",
    "snake_case_word and 2*3",
    "    indented code",
    "Tab\there",
    "Trailing spaces  ",
    "Sam [x]: not a reference",
    "Line one\rline two",
    "A line with a <b>tag</b> and *more* `code` [and](a.md) ![img](b.png)",
]


def _parsed_inline(text: str) -> list[Token]:
    """The inline tokens of every block of ``text``, the long way."""
    children = (
        child
        for block in block_tokens(text)
        if block.type == "inline"
        for child in block.children or []
    )
    return list(inline_checks._flatten(children))


@pytest.mark.parametrize("text", TEXTS)
def test_a_shortcut_finds_what_parsing_finds(text: str) -> None:
    inline = _parsed_inline(text)
    assert [t.as_dict() for t in inline_checks._inline_tokens(text)] == [
        t.as_dict() for t in inline
    ]
    assert inline_markup(text) == Counter(t.type for t in inline if t.type in MARKUP_NAMES)
    tags: Counter[str] = Counter()
    for token in inline:
        if token.type == "text":
            tags.update(m.group(0) for m in inline_checks._TAG.finditer(token.content))
    assert html_tags(text) == tags
    escaped = _parsed_inline(inline_checks._ESCAPED.sub("", text))
    stray = [
        m.group(0)
        for token in escaped
        if token.type == "text"
        for m in inline_checks._STRAY.finditer(token.content)
    ]
    assert stray_delimiters(text) == stray
    parsed = [t.type for t in block_tokens(text) if t.type not in ("inline", "softbreak")]
    assert block_structure(text) == parsed
    targets = [
        str(t.attrGet("href") or t.attrGet("src") or "")
        for t in inline
        if t.type in ("link_open", "image")
    ]
    assert link_targets(text) == targets


def _escaped_char_by_char(text: str, line_start: bool) -> str:
    out = []
    for i, ch in enumerate(text):
        if ch == "&" and inline._ENTITY.match(text, i):
            out.append("\\&")
        elif inline._escape_char(text, i):
            out.append("\\" + ch)
        else:
            out.append(ch)
    result = "".join(out)
    return inline.escape_line_start(result) if line_start else result


@pytest.mark.parametrize("text", [*TEXTS, "# not a heading", "1. not a list", "a < b", "x_y"])
@pytest.mark.parametrize("line_start", [False, True])
def test_text_without_escapable_characters_is_written_as_it_is(text: str, line_start: bool) -> None:
    assert inline.escape_text(text, line_start) == _escaped_char_by_char(text, line_start)
