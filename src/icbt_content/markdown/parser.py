"""The Markdown parser all content goes through: CommonMark, tables, no raw HTML."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from markdown_it import MarkdownIt, rules_block
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

#: How much Markdown (in characters) is kept parsed for reuse: a programme's blocks are parsed
#: while it is loaded and rendered from that parse in its source locale; each translation is
#: parsed while its catalog is checked and rendered from that parse in its locale. Tokens take
#: about 28 bytes of memory per character of Markdown, so the parses kept are bounded by the size
#: of their text (a count of blocks would let a locale's long blocks push the source's out).
PARSED_TEXT_KEPT = 2_000_000

#: Resolves a relative link written by an author to the URL used in the site (or None: broken).
LinkResolver = Callable[[str], str | None]


def make_parser(*, safe_links: bool = True) -> MarkdownIt:
    """Build a parser: CommonMark + tables + strikethrough, raw HTML off, safe links only.

    Emphasis also opens and closes next to CJK text and punctuation (see ``cjk``).

    Authors may write ``{#id}`` before a heading and no other attribute.

    ``safe_links=False`` keeps unsafe links as link tokens so the checker can report them;
    such a parser is never used to render.
    """
    _quiet_rule_logs()
    md = (
        MarkdownIt(
            "commonmark",
            {"html": False, "typographer": False, "maxNesting": MAX_BLOCK_NESTING, **_OFF},
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


#: Options markdown-it's rules look up with ``options.get(name, False)``: set, so each look-up
#: (one per paragraph or list for some) finds its value rather than raising and catching a
#: KeyError inside the options mapping (a tenth of the time of parsing inline text).
_OFF: Final = {
    name: False
    for name in (
        "alerts",
        "inline_definitions",
        "store_labels",
        "strikethrough_single_tilde",
        "tasklists",
    )
}


class _Quiet:
    """Stands in for the logger of a markdown-it block rule: each rule logs a debug message
    every time it is tried (780,000 calls in a build of 1,000 pages), shown to no one."""

    def debug(self, *args: object, **kwargs: object) -> None:
        """Say nothing."""


@cache
def _quiet_rule_logs() -> None:
    """Silence markdown-it's block rules' debug messages, unless its debug log is on."""
    if logging.getLogger("markdown_it").isEnabledFor(logging.DEBUG):
        return
    for info in pkgutil.iter_modules(rules_block.__path__, rules_block.__name__ + "."):
        module = importlib.import_module(info.name)
        if isinstance(getattr(module, "LOGGER", None), logging.Logger):
            setattr(module, "LOGGER", _Quiet())  # noqa: B010 (a module of markdown-it)


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
    # A copy: the token stream is shared (see parse_markdown) and rendered once per page URL.
    token = tokens[idx].copy(attrs=dict(tokens[idx].attrs))
    href = str(token.attrGet("href") or "")
    token.attrSet("href", _resolve(href, env))
    if href.startswith("https:"):
        token.attrSet("rel", "noopener noreferrer")
    return self.renderToken([token], 0, options, env)


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx].copy(attrs=dict(tokens[idx].attrs))
    src = str(token.attrGet("src") or "")
    token.attrSet("src", _resolve(src, env))
    token.attrSet("loading", "lazy")
    return self.image([token], 0, options, env)


def _render_nothing(*_: Any) -> str:
    return ""


@dataclass(frozen=True)
class ParsedMarkdown:
    """A block of Markdown parsed once, for every stage that reads it (never mutate it)."""

    tokens: list[Token]
    renders_as_parsed: bool
    """Every link, image and link reference in it is safe, so the rendering parser (which
    refuses unsafe ones) makes these very tokens."""
    lines: bool = True
    """Its tokens' line maps are the text's; False for a translated block put together from the
    parses of its source and its translations (:func:`keep_rendered`), which renders the same."""


def parse_markdown(
    text: str, anchors: Sequence[str] | None = None, *, lines: bool = True
) -> ParsedMarkdown:
    """Parse a block of Markdown, or reuse the parse of the same text with the same anchors.

    ``anchors`` fixes heading ids in order, as in :func:`render_markdown`. Parsed with
    :func:`checking_parser`, so the segmenter sees unsafe links too; a block with one is
    rendered by parsing it again with the rendering parser. ``lines=False``: the tokens are
    only rendered, so their line maps need not be the text's.
    """
    key = (text, tuple(anchors) if anchors else None)
    parsed = _PARSED.get(key)
    if parsed is not None and (parsed.lines or not lines):
        return parsed
    env: dict[str, Any] = {}
    if key[1] is not None:
        env["anchors"] = list(key[1])
    tokens = checking_parser().parse(text, env)
    parsed = ParsedMarkdown(tokens, _renders_as_parsed(tokens, env))
    _PARSED.keep(key, parsed)
    return parsed


def parse_inline(text: str) -> tuple[Token, ...]:
    """The inline tokens of one paragraph's text, parsed once while kept (never mutate them):
    what the block parser makes of the paragraph's content ``text``."""
    if not _INLINE_SYNTAX.search(text):
        return (Token("text", "", 0, content=text),) if text else ()
    key = (text, INLINE)
    parsed = _PARSED.get(key)
    if parsed is None:
        found = checking_parser().parseInline(text, {})
        parsed = ParsedMarkdown(list(found[0].children or []) if found else [], False)
        _PARSED.keep(key, parsed)
    return tuple(parsed.tokens)


def keep_parsed(text: str, anchors: Sequence[str], tokens: list[Token]) -> None:
    """Keep the tokens the load stage parsed ``text`` into (a block cut from its page, lines
    counted from the block's first line), so later stages need not parse it again.

    The tokens must be what :func:`parse_markdown` would make of ``text``: the load stage keeps
    only blocks of a page without link reference definitions (a block cut from a page with some
    may use one defined in another block).
    """
    key = (text, tuple(anchors) if anchors else None)
    _PARSED.keep(key, ParsedMarkdown(tokens, _renders_as_parsed(tokens, {})))


def hand_on_inline(text: str) -> tuple[Token, ...]:
    """:func:`parse_inline`, for the last time: the parse is let go of (its tokens live on in
    the block they are handed on to), so it takes no room among the parses kept."""
    tokens = parse_inline(text)
    _PARSED.forget((text, INLINE))
    return tokens


def keep_rendered(text: str, anchors: Sequence[str] | None, tokens: list[Token]) -> None:
    """Keep tokens that render as the parse of ``text`` would, but whose line maps may not be
    its own (a translated block built from parses already made): for rendering only."""
    key = (text, tuple(anchors) if anchors else None)
    if key not in _PARSED:
        _PARSED.keep(key, ParsedMarkdown(tokens, _renders_as_parsed(tokens, {}), lines=False))


#: A character that may start inline syntax (or that the parser rewrites or an attribute
#: rule reads): text with none of them parses to one text token, as is, with no parse needed.
_INLINE_SYNTAX: Final = re.compile(r"[\n\r\0\\`~*_\[\]!<>&{}]")
#: The anchors part of the key of a paragraph's inline parse (a block's is a tuple or None).
INLINE: Final = "inline"
_Key = tuple[str, tuple[str, ...] | str | None]


class ParseMemo:
    """Parses kept for reuse, the least recently used let go first, at most ``limit``
    characters of Markdown in all (see :data:`PARSED_TEXT_KEPT`)."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.size = 0
        self._kept: OrderedDict[_Key, ParsedMarkdown] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._kept

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: _Key) -> ParsedMarkdown | None:
        parsed = self._kept.get(key)
        if parsed is not None:
            self._kept.move_to_end(key)
        return parsed

    def forget(self, key: _Key) -> None:
        if self._kept.pop(key, None) is not None:
            self.size -= len(key[0])

    def keep(self, key: _Key, parsed: ParsedMarkdown) -> None:
        old = self._kept.pop(key, None)
        if old is not None:
            self.size -= len(key[0])
        self._kept[key] = parsed
        self.size += len(key[0])
        limit = PARSED_TEXT_KEPT if self.limit is None else self.limit
        while self.size > limit and len(self._kept) > 1:
            gone, _ = self._kept.popitem(last=False)
            self.size -= len(gone[0])


_PARSED = ParseMemo()


def _renders_as_parsed(tokens: list[Token], env: dict[str, Any]) -> bool:
    references = env.get("references", {}).values()
    return all(is_safe_url(str(ref.get("href", ""))) for ref in references) and _safe_links(tokens)


def _safe_links(tokens: Iterable[Token]) -> bool:
    for token in tokens:
        if token.type == "link_open" and not is_safe_url(str(token.attrGet("href") or "")):
            return False
        if token.type == "image" and not is_safe_url(str(token.attrGet("src") or "")):
            return False
        if token.children and not _safe_links(token.children):
            return False
    return True


def render_markdown(
    text: str,
    *,
    resolve_link: LinkResolver | None = None,
    anchors: Sequence[str] | None = None,
    inline: bool = False,
) -> str:
    """Render untrusted Markdown to safe HTML.

    ``resolve_link`` maps relative links to site URLs; ``anchors`` fixes heading ids in order
    (so translated headings keep the source anchors).
    """
    md = shared_parser()
    env: dict[str, Any] = {"resolve_link": resolve_link}
    if anchors:
        env["anchors"] = list(anchors)
    if inline:
        return str(md.renderInline(text, env))
    parsed = parse_markdown(text, anchors, lines=False)
    if not parsed.renders_as_parsed:
        return str(md.render(text, env))
    return str(md.renderer.render(parsed.tokens, md.options, env))
