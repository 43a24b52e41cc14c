"""``{#id}`` before a heading: the only attribute authors may write.

mdit-py-plugins' block attributes accept any class, ``data-*`` or other attribute on any block.
Content must not imitate the site's own markup (the scripts find their data by attributes), so
only ``id`` is kept, and only on headings. What was refused is noted in the token's ``meta``
(``refused_attrs``, with the line of the ``{...}`` in ``attrs_line``) for the checker to report.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.attrs import attrs_block_plugin


def author_attributes_plugin(md: MarkdownIt) -> None:
    """Block attributes limited to ``{#id}`` on headings."""
    attrs_block_plugin(md, allowed=("id",))
    md.core.ruler.before("attr", "attr_lines", _note_lines)
    md.core.ruler.after("attr", "attr_headings_only", _headings_only)


def _note_lines(state: StateCore) -> None:
    """Remember, on the block an attribute line applies to, where it was written."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "attrs_block" or not token.map:
            continue
        target = i + 1
        while target < len(tokens) and tokens[target].type == "attrs_block":
            target += 1
        if target < len(tokens) and tokens[target].nesting >= 0:
            meta = tokens[target].meta
            meta.setdefault("attrs_line", token.map[0])
            meta.setdefault("written_attrs", []).extend(token.attrs)


def _headings_only(state: StateCore) -> None:
    for token in state.tokens:
        written = token.meta.get("written_attrs")
        if not written:
            continue
        refused = {str(name) for name in written if name != "id"}
        if token.type != "heading_open" and "id" in token.attrs:
            del token.attrs["id"]
            refused.add("id")
        if refused:
            token.meta["refused_attrs"] = sorted(refused)
