"""How much one Markdown text may hold, so parsing and rendering it stays quick.

Parsing is linear but not cheap, and a page is parsed several times per locale: the characters
Markdown gives meaning to are counted before parsing (a cheap scan), the links, headings and
nesting after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markdown_it.token import Token

from icbt_content.limits import (
    MAX_BACKTICKS,
    MAX_BLOCK_NESTING,
    MAX_BRACKETS,
    MAX_EMPHASIS_MARKS,
    MAX_HEADINGS,
    MAX_LINKS,
    MAX_TABLE_CELLS,
    MAX_TABLE_COLUMNS,
)

_SPLIT = "split it into smaller pages"


@dataclass(frozen=True)
class Excess:
    """A limit a text goes over, and the 1-based line where it does."""

    message: str
    line: int = 1
    hint: str = _SPLIT


#: Characters counted before parsing: (the characters, the limit, what they are to an author).
_MARKS: tuple[tuple[str, int, str], ...] = (
    ("*_~", MAX_EMPHASIS_MARKS, "emphasis markers (*, _ or ~)"),
    ("[", MAX_BRACKETS, "square brackets (links)"),
    ("`", MAX_BACKTICKS, "backticks"),
    ("|", MAX_TABLE_CELLS, "table cells (|)"),
)


def text_over_budget(text: str, factor: int = 1) -> Excess | None:
    """The first character limit ``text`` goes over, before it is parsed.

    ``factor`` scales the counted limits for a file that holds many pages' text (a catalog).
    """
    for chars, page_limit, what in _MARKS:
        limit = page_limit * factor
        if sum(text.count(c) for c in chars) > limit:
            return Excess(f"more than {limit} {what} in one file", _line_of(text, chars, limit))
    if factor == 1 and text.count("|") > MAX_TABLE_COLUMNS:
        for number, line in enumerate(text.split("\n"), start=1):
            # A table is as wide as its delimiter row (|---|:--:|): cells past it in other rows
            # are dropped by the parser, and bars elsewhere (a template's filters) are no table.
            if (
                _DELIMITER_ROW.match(line)
                and len(_DELIMITER_CELL.findall(line)) > MAX_TABLE_COLUMNS
            ):
                return Excess(
                    f"a table row has more than {MAX_TABLE_COLUMNS} columns",
                    max(1, number - 1),  # the header row, above the delimiter row
                    "split the table into narrower tables",
                )
    return None


_DELIMITER_ROW = re.compile(r"^ {0,3}\|?(?:\s*:?-+:?\s*\|)+\s*(?::?-+:?\s*)?$")
_DELIMITER_CELL = re.compile(r":?-+:?")


def _line_of(text: str, chars: str, limit: int) -> int:
    """Line of the character that goes over ``limit``."""
    pattern = re.compile("[" + re.escape(chars) + "]")
    for count, match in enumerate(pattern.finditer(text), start=1):
        if count > limit:
            return text.count("\n", 0, match.start()) + 1
    return 1


def tokens_over_budget(tokens: Iterable[Token]) -> Excess | None:
    """The first limit a parsed text goes over: links, headings, nesting."""
    links = headings = 0
    for token in tokens:
        line = token.map[0] + 1 if token.map else 1
        # markdown-it silently drops what lies deeper than its nesting limit: say so instead.
        if token.level >= MAX_BLOCK_NESTING - 1:
            return Excess(
                f"quotes and lists are nested too deep (over {MAX_BLOCK_NESTING} levels of markup)",
                line,
                "nest lists and quotes a few levels at most",
            )
        if token.type == "heading_open":
            headings += 1
            if headings > MAX_HEADINGS:
                return Excess(f"more than {MAX_HEADINGS} headings in one file", line)
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type in ("link_open", "image"):
                links += 1
                if links > MAX_LINKS:
                    return Excess(f"more than {MAX_LINKS} links and images in one file", line)
    return None
