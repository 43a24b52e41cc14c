"""Checks on the inline side of a translation: markup, HTML and invisible characters.

A translation is re-parsed with the renderer's own parser and compared with its source: the same
emphasis, strong emphasis, strikethrough, code spans, links and images, and no delimiter left
over that would reach the page as a literal ``**``. HTML is any tag a browser would read as one,
found by the CommonMark definition of a tag, not by a list of dangerous names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it.token import Token

from icbt_content.markdown import checking_parser, parse_inline

#: Every bidirectional and invisible formatting control a translation may not contain.
INVISIBLE_CONTROLS = re.compile("[\u200b-\u200f\u061c\ufeff\u202a-\u202e\u2066-\u2069]")

#: The inline markup a translation keeps, as token type -> what a translator calls it (links and
#: images are compared by their targets, ICBT603).
MARKUP_NAMES: dict[str, str] = {
    "em_open": "emphasis (*...*)",
    "strong_open": "strong emphasis (**...**)",
    "s_open": "strikethrough (~~...~~)",
    "code_inline": "code span (`...`)",
}

_TAG = re.compile(r"<(?:/?[A-Za-z]|!|\?)[^<>\n]{0,60}>?")
_ESCAPED = re.compile(r"\\[\\`*_~\[\]]")
#: What is left of a delimiter that opened or closed nothing.
_STRAY = re.compile(r"\*+|`+|~~+|(?<![^\W_])_+|_+(?![^\W_])")
#: Text without any of these characters parses to plain text only (no markup, no tag, no
#: entity that decodes to one): most messages, which the checks then need not parse.
_MARKUP_CHARS = re.compile(r"[*_~`&]")
_TAG_CHARS = re.compile(r"[<&]")


@dataclass(frozen=True)
class InlineProblem:
    """One inline difference between a translation and its source."""

    code: str
    message: str
    hint: str


@lru_cache(maxsize=64)
def block_tokens(text: str) -> tuple[Token, ...]:
    """The tokens of a message, parsed once for all the checks of one entry (never mutate
    them)."""
    return tuple(checking_parser().parse(text, {}))


def one_paragraph(text: str) -> bool:
    """Whether ``text`` is one line that starts with a letter: whatever else it holds, it
    parses to one paragraph (no other block starts with a letter; most messages are such)."""
    return "\n" not in text and "\r" not in text and text[:1].isalpha()


def inline_children(text: str) -> tuple[Token, ...]:
    """The inline tokens of a message, block after block (never mutate them). A message of
    one paragraph is parsed inline alone: the same tokens, without the block rules, kept for
    the render of the translated page (see :func:`~icbt_content.markdown.parse_inline`)."""
    if one_paragraph(text):
        return parse_inline(text.strip())
    return tuple(
        child
        for block in block_tokens(text)
        if block.type == "inline"
        for child in block.children or []
    )


def _inline_tokens(text: str) -> Iterable[Token]:
    return _flatten(inline_children(text))


def _flatten(tokens: Iterable[Token]) -> Iterable[Token]:
    for token in tokens:
        yield token
        if token.type == "image":
            yield from _flatten(token.children or [])


def inline_markup(text: str) -> Counter[str]:
    """How many of each kind of inline markup ``text`` parses to."""
    if not _MARKUP_CHARS.search(text):
        return Counter()
    return Counter(t.type for t in _inline_tokens(text) if t.type in MARKUP_NAMES)


def stray_delimiters(text: str) -> list[str]:
    """Delimiters (``*``, ``**``, backticks, ``~~``, ``_``) shown as text: markup left open."""
    found: list[str] = []
    if not _MARKUP_CHARS.search(text):
        return found
    for token in _inline_tokens(_ESCAPED.sub("", text)):
        if token.type == "text":
            found.extend(m.group(0) for m in _STRAY.finditer(token.content))
    return found


def html_tags(text: str) -> Counter[str]:
    """Every HTML tag, comment or processing instruction in ``text`` (outside code spans).

    Anything a browser could start a tag with counts (``<svg/onload=...>``, ``<!--``, ``<?``),
    whether or not CommonMark would call it a tag.
    """
    found: Counter[str] = Counter()
    if not _TAG_CHARS.search(text):
        return found
    for token in _inline_tokens(text):
        if token.type == "text":
            found.update(m.group(0) for m in _TAG.finditer(token.content))
    return found


def invisible_problems(translation: str) -> list[InlineProblem]:
    """An invisible or bidirectional control character in a translation."""
    match = INVISIBLE_CONTROLS.search(translation)
    if match is None:
        return []
    return [
        InlineProblem(
            "ICBT607",
            f"the translation contains the invisible control character U+{ord(match.group(0)):04X}",
            "delete it: the site sets the direction of each language itself, and invisible "
            "characters can make a text read differently from what it shows",
        )
    ]


def html_problems(source: str, translation: str) -> list[InlineProblem]:
    """HTML in a translation that is not in its source."""
    if not _TAG_CHARS.search(translation):
        return []  # it has none (most translations)
    added = html_tags(translation) - html_tags(source)
    if not added:
        return []
    return [
        InlineProblem(
            "ICBT605",
            f"the translation adds HTML: {', '.join(sorted(added))[:80]}",
            "write plain text or Markdown (*emphasis*, **strong**, [links](target))",
        )
    ]


def inline_structure_problems(source: str, translation: str) -> list[InlineProblem]:
    """Inline markup a translation loses, adds or leaves unclosed."""
    found: list[InlineProblem] = []
    if not _MARKUP_CHARS.search(source) and not _MARKUP_CHARS.search(translation):
        return found  # neither has any (most messages)
    stray = stray_delimiters(translation)
    if stray and len(stray) > len(stray_delimiters(source)):
        found.append(
            InlineProblem(
                "ICBT617",
                f"'{stray[0]}' opens or closes nothing: it would be shown as text",
                "close each *emphasis*, **strong** and `code` as in the source, or write "
                "\\* to show the character itself",
            )
        )
    want, got = inline_markup(source), inline_markup(translation)
    if want != got:
        found.append(
            InlineProblem(
                "ICBT616",
                f"inline markup differs from the source: {_difference(want, got)}",
                "keep each *emphasis*, **strong**, ~~strikethrough~~ and `code` of the source, "
                "once each, around the words that translate them",
            )
        )
    return found


def _difference(want: Counter[str], got: Counter[str]) -> str:
    parts = []
    for kind, name in MARKUP_NAMES.items():
        if want[kind] != got[kind]:
            parts.append(f"{name} {want[kind]} in the source, {got[kind]} here")
    return "; ".join(parts)
