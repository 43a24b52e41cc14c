"""Emphasis next to Chinese, Japanese and Korean text.

CommonMark decides whether ``**`` opens or closes emphasis from the characters on each side, as if
words were separated by spaces. Chinese writes none, so ``**重點。**然後`` never closes: the
closing ``**`` follows punctuation and precedes a letter. Following the idea of the CommonMark
"CJK-friendly" draft, a CJK character next to a delimiter run counts like punctuation or a space
when the run is classified; text with no CJK character next to a delimiter parses exactly as
CommonMark says.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from types import MethodType

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Scanned, StateInline

_Tokenize = Callable[[StateInline, bool], bool]

#: Variation selectors follow the character they modify: look past them.
_VARIATION = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


def is_cjk(char: str) -> bool:
    """Whether ``char`` is written without spaces around it: wide East Asian or Hangul."""
    if not char or char < _FIRST_WIDE or char.isspace():
        return False
    code = ord(char)
    if 0x1F000 <= code <= 0x1FAFF:  # emoji and symbols are wide but separated by spaces
        return False
    if unicodedata.east_asian_width(char) in _WIDE:
        return True
    return 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xAC00 <= code <= 0xD7AF


_WIDE = ("W", "F", "H")
#: No character before this one is wide (U+0378 in Unicode 14): Latin text needs no look-up.
_FIRST_WIDE = next(chr(c) for c in range(0x110000) if unicodedata.east_asian_width(chr(c)) in _WIDE)


def _is_variation(char: str) -> bool:
    return char >= _FIRST_VARIATION and any(low <= ord(char) <= high for low, high in _VARIATION)


_FIRST_VARIATION = chr(_VARIATION[0][0])


def _char_before(src: str, start: int) -> str:
    pos = start - 1
    while pos > 0 and _is_variation(src[pos]):
        pos -= 1
    return src[pos] if pos >= 0 else " "


def _punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def scan_delims(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """CommonMark's delimiter scan, with a CJK neighbour counted as punctuation."""
    src = state.src
    marker = src[start]
    pos = start
    while pos < state.posMax and src[pos] == marker:
        pos += 1
    last = _char_before(src, start)
    following = src[pos] if pos < state.posMax else " "

    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
    last_punct, next_punct = _punct(last), _punct(following)
    cjk = is_cjk(last) or is_cjk(following)

    left_flanking = not next_space and (not next_punct or last_space or last_punct or cjk)
    right_flanking = not last_space and (not last_punct or next_space or next_punct or cjk)
    can_open = left_flanking and (can_split_word or not right_flanking or last_punct)
    can_close = right_flanking and (can_split_word or not left_flanking or next_punct)
    return Scanned(can_open, can_close, pos - start)


def _cjk_aware(tokenize: _Tokenize) -> _Tokenize:
    def rule(state: StateInline, silent: bool) -> bool:
        if "scanDelims" not in vars(state):
            state.scanDelims = MethodType(scan_delims, state)  # type: ignore[method-assign]
        return tokenize(state, silent)

    return rule


def cjk_emphasis_plugin(md: MarkdownIt) -> None:
    """Let ``*``, ``**`` and ``~~`` open and close next to CJK text and punctuation."""
    ruler = md.inline.ruler
    for rule in list(ruler.__rules__):
        if rule.name in ("emphasis", "strikethrough"):
            ruler.at(rule.name, _cjk_aware(rule.fn), {"alt": rule.alt})
