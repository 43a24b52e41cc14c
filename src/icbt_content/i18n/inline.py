"""Inline Markdown in a normalised form: the text of a msgid.

Re-wrapping a paragraph, or writing ``_x_`` instead of ``*x*``, must not change a msgid, or every
translation of it would be lost. So a msgid is not the source text: it is the inline tokens written
back out in one canonical way (soft line breaks as spaces, ``*`` for emphasis, ``**`` for strong,
backslash escapes only where a character would otherwise be read as markup).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it.token import Token

#: Maps an image source as written to the one to use (for adapted images).
ImageMap = Callable[[str], str]

_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
_BLOCK_START = re.compile(r"^(?:[#>%|]|[-+=](?=\s|$)|:::|\{#|~~~|\+\+\+)")
#: The characters :func:`escape_text` may escape: text without them is written as it is.
_ESCAPABLE = re.compile(r"[\\`*\[\]_~<&]")


def _escape_char(text: str, i: int) -> bool:
    ch = text[i]
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in "\\`*[]":
        return True
    if ch == "_":
        # Inside a word an underscore never opens or closes emphasis.
        return not (before.isalnum() and after.isalnum())
    if ch == "~":
        return True
    if ch == "<":
        return after.isalpha() or after in "/!?"
    return False


def escape_text(text: str, line_start: bool = False) -> str:
    """Escape ``text`` so that it reads back as the same text, not as markup."""
    if _ESCAPABLE.search(text) is None:
        return escape_line_start(text) if line_start else text
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == "&" and _ENTITY.match(text, i):
            out.append("\\&")
        elif _escape_char(text, i):
            out.append("\\" + ch)
        else:
            out.append(ch)
    result = "".join(out)
    if line_start:
        result = escape_line_start(result)
    return result


def escape_line_start(text: str) -> str:
    """Escape a character at the start of a line that would start a block (``#``, ``-``...)."""
    ordered = _ORDERED.match(text)
    if ordered:
        return ordered.group(1) + "\\" + ordered.group(2) + text[ordered.end() :]
    if _BLOCK_START.match(text):
        return "\\" + text
    return text


def _code(content: str) -> str:
    runs = [len(m) for m in re.findall(r"`+", content)]
    fence = "`" * (max(runs, default=0) + 1)
    # CommonMark strips one space from each end of a code span unless it is only spaces.
    edges = content.startswith(("`", " ")) or content.endswith(("`", " "))
    pad = " " if edges and content.strip(" ") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _destination(url: str, title: str) -> str:
    if not url or re.search(r"[\s<>]", url) or url.count("(") != url.count(")"):
        url = "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    if title:
        url += ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return url


def inline_markdown(tokens: Sequence[Token], images: ImageMap | None = None) -> str:
    """Write inline tokens back out as normalised Markdown."""
    out: list[str] = []
    links: list[str] = []
    skip_until_close = False
    line_start = True
    for token in tokens:
        kind = token.type
        if skip_until_close:
            if kind == "link_close":
                skip_until_close = False
            continue
        piece = ""
        if kind == "text":
            # Runs of spaces show as one space: write them as one.
            piece = escape_text(re.sub(r"[ \t]{2,}", " ", token.content), line_start)
        elif kind == "softbreak":
            piece = " "
        elif kind == "hardbreak":
            out.append("\\\n")
            line_start = True
            continue
        elif kind in ("em_open", "em_close"):
            piece = "*"
        elif kind in ("strong_open", "strong_close"):
            piece = "**"
        elif kind in ("s_open", "s_close"):
            piece = "~~"
        elif kind == "code_inline":
            piece = _code(token.content)
        elif kind == "link_open":
            href = str(token.attrGet("href") or "")
            if token.markup == "autolink":
                # The text child holds the address as written (without an added "mailto:").
                piece = "<" + _autolink_text(tokens, token, href) + ">"
                skip_until_close = True
            else:
                title = str(token.attrGet("title") or "")
                links.append(_destination(href, title))
                piece = "["
                if out and _ends_with_bang(out[-1]):
                    out[-1] = out[-1][:-1] + "\\!"  # "![" would start an image
        elif kind == "link_close":
            piece = "](" + (links.pop() if links else "") + ")"
        elif kind == "image":
            src = str(token.attrGet("src") or "")
            if images is not None:
                src = images(src)
            title = str(token.attrGet("title") or "")
            alt = inline_markdown(token.children or [])
            piece = f"![{alt}]({_destination(src, title)})"
        else:
            piece = escape_text(token.content)
        out.append(piece)
        if piece:
            line_start = False
    return "".join(out)


def _ends_with_bang(text: str) -> bool:
    """True if ``text`` ends with an unescaped '!'."""
    if not text.endswith("!"):
        return False
    slashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
    return slashes % 2 == 0


def _autolink_text(tokens: Sequence[Token], token: Token, href: str) -> str:
    position = list(tokens).index(token)
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    if following is not None and following.type == "text" and following.content:
        return following.content
    return href


def plain_text(tokens: Sequence[Token]) -> str:
    """The words of inline tokens, without markup (for word counts and headings)."""
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(plain_text(token.children or []))
    return "".join(parts)
