"""Heading anchors: every heading gets a stable id, from ``{#id}`` or from its words."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from icbt_content.ids import is_reserved_id, is_valid_id, slugify, unique


def heading_anchors_plugin(md: MarkdownIt) -> None:
    """Give each heading an ``id``; ``env["anchors"]`` may fix ids by heading order.

    An author's ``{#id}`` that is not a valid id, or is one the site reserves, is not used: the
    heading gets an id from its words, and the token's ``meta["refused_id"]`` keeps what was
    written for the checker to report. So every id in the output is valid and the author's own.
    """
    md.core.ruler.push("heading_anchors", _add_anchors)


def is_author_id(value: str) -> bool:
    """Whether an author may give an element this id."""
    return is_valid_id(value) and not is_reserved_id(value)


def _add_anchors(state: StateCore) -> None:
    taken: set[str] = state.env.setdefault("taken_anchors", set())
    counters: dict[str, int] = state.env.setdefault("anchor_counters", {})
    fixed: list[str] | None = state.env.get("anchors")
    tokens = state.tokens
    index = 0
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        explicit = str(token.attrGet("id") or "")
        if fixed is not None and index < len(fixed):
            anchor = fixed[index]
        elif explicit and is_author_id(explicit):
            anchor = explicit
        else:
            if explicit:
                token.meta["refused_id"] = explicit
            anchor = unique(slugify(tokens[i + 1].content), taken, counters)
        taken.add(anchor)
        token.attrSet("id", anchor)
        index += 1
