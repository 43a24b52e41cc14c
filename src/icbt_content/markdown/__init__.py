"""Markdown parsing and safe rendering; our markdown-it plugins, one file each."""

from icbt_content.markdown.links import is_safe_url
from icbt_content.markdown.parser import (
    checking_parser,
    hand_on_inline,
    keep_parsed,
    keep_rendered,
    make_parser,
    parse_inline,
    parse_markdown,
    render_markdown,
    shared_parser,
)

__all__ = [
    "checking_parser",
    "hand_on_inline",
    "is_safe_url",
    "keep_parsed",
    "keep_rendered",
    "make_parser",
    "parse_inline",
    "parse_markdown",
    "render_markdown",
    "shared_parser",
]
