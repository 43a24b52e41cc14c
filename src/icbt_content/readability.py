"""Flesch reading ease for English client pages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from markdown_it.token import Token

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Estimate the syllables of an English word (a standard heuristic)."""
    w = word.lower()
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(_VOWEL_GROUPS.findall(w)))


_READ = frozenset({"text", "code_inline"})
_BREAKS = frozenset({"softbreak", "hardbreak"})


def block_text(children: Iterable[Token]) -> str:
    """The words of one block (a paragraph, heading or list item) from its inline tokens, as a
    reader reads them, a line break parting the words either side: the text of the source and
    of every translation is read by this one function, so the same words score the same."""
    parts: list[str] = []
    for token in children:
        if token.type in _READ:
            parts.append(token.content)
        elif token.type in _BREAKS:
            parts.append(" ")
    return "".join(parts)


def flesch_reading_ease(runs: list[str]) -> float | None:
    """Flesch reading ease of text blocks; None when there are too few words to judge."""
    words = sentences = syllable_count = 0
    for run in runs:
        found = _WORD.findall(run)
        if not found:
            continue
        words += len(found)
        syllable_count += sum(map(syllables, found))
        # A heading or list item without a full stop still ends a sentence.
        sentences += max(1, len(_SENTENCE_END.findall(run)))
    if words < 30:
        return None
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllable_count / words)
