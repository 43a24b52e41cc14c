"""Heading anchors: every heading gets a stable id, from ``{#id}`` or from its words."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from icbt_content.ids import slugify, unique


def heading_anchors_plugin(md: MarkdownIt) -> None:
    """Give each heading an ``id``; ``env["anchors"]`` may fix ids by heading order."""
    md.core.ruler.push("heading_anchors", _add_anchors)


def _add_anchors(state: StateCore) -> None:
    taken: set[str] = state.env.setdefault("taken_anchors", set())
    fixed: list[str] | None = state.env.get("anchors")
    tokens = state.tokens
    index = 0
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        explicit = token.attrGet("id")
        if fixed is not None and index < len(fixed):
            anchor = fixed[index]
        elif explicit:
            anchor = str(explicit)
        else:
            anchor = unique(slugify(tokens[i + 1].content), taken)
        taken.add(anchor)
        token.attrSet("id", anchor)
        index += 1
