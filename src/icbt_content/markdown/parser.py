"""The Markdown parser all content goes through: CommonMark, tables, no raw HTML."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin

from icbt_content.limits import MAX_BLOCK_NESTING
from icbt_content.markdown.anchors import heading_anchors_plugin
from icbt_content.markdown.attributes import author_attributes_plugin
from icbt_content.markdown.cjk import cjk_emphasis_plugin
from icbt_content.markdown.links import is_safe_url

#: Resolves a relative link written by an author to the URL used in the site (or None: broken).
LinkResolver = Callable[[str], str | None]


def make_parser(*, safe_links: bool = True) -> MarkdownIt:
    """Build a parser: CommonMark + tables + strikethrough, raw HTML off, safe links only.

    Emphasis also opens and closes next to CJK text and punctuation (see ``cjk``).

    Authors may write ``{#id}`` before a heading and no other attribute.

    ``safe_links=False`` keeps unsafe links as link tokens so the checker can report them;
    such a parser is never used to render.
    """
    md = (
        MarkdownIt(
            "commonmark",
            {"html": False, "typographer": False, "maxNesting": MAX_BLOCK_NESTING},
        )
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(colon_fence_plugin)
        .use(author_attributes_plugin)
        .use(myst_block_plugin)
        .use(heading_anchors_plugin)
        .use(cjk_emphasis_plugin)
    )
    md.validateLink = is_safe_url if safe_links else _any_link  # type: ignore[method-assign]
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("myst_line_comment", _render_nothing)
    md.add_render_rule("myst_block_break", _render_nothing)
    md.add_render_rule("myst_target", _render_nothing)
    md.add_render_rule("front_matter", _render_nothing)
    md.add_render_rule("colon_fence", _render_nothing)
    return md


@cache
def shared_parser() -> MarkdownIt:
    """One rendering parser per process: building it is the expensive part."""
    return make_parser()


@cache
def checking_parser() -> MarkdownIt:
    """A parser that keeps unsafe links, for reporting them. Never render with it."""
    return make_parser(safe_links=False)


def _any_link(url: str) -> bool:
    return True


def _resolve(href: str, env: EnvType) -> str:
    resolver: LinkResolver | None = env.get("resolve_link")
    if resolver is None:
        return href
    resolved = resolver(href)
    return resolved if resolved is not None else href


def _render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    token.attrSet("href", _resolve(href, env))
    if href.startswith("https:"):
        token.attrSet("rel", "noopener noreferrer")
    return self.renderToken(tokens, idx, options, env)


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    token.attrSet("src", _resolve(src, env))
    token.attrSet("loading", "lazy")
    return self.image(tokens, idx, options, env)


def _render_nothing(*_: Any) -> str:
    return ""


def render_markdown(
    text: str,
    *,
    resolve_link: LinkResolver | None = None,
    anchors: list[str] | None = None,
    inline: bool = False,
) -> str:
    """Render untrusted Markdown to safe HTML.

    ``resolve_link`` maps relative links to site URLs; ``anchors`` fixes heading ids in order
    (so translated headings keep the source anchors).
    """
    md = shared_parser()
    env: dict[str, Any] = {"resolve_link": resolve_link}
    if anchors is not None:
        env["anchors"] = anchors
    if inline:
        return str(md.renderInline(text, env))
    return str(md.render(text, env))
