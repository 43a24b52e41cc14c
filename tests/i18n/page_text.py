"""Read a built page as a reader's browser does: each text with the language it is marked with."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from icbt_content.i18n.catalog import Catalog, load_po
from icbt_content.markdown import render_markdown

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_VOID |= {"track", "wbr"}
#: Elements whose text is not prose: code, scripts, styles, the page title (checked elsewhere).
_NOT_PROSE = {"code", "pre", "script", "style", "title", "template"}
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class PageText:
    """One run of text of a page and the language it is marked with."""

    lang: str
    text: str
    element: str


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.found: list[PageText] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        lang = dict(attrs).get("lang") or (self.stack[-1][1] if self.stack else "")
        self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if not text or not self.stack or any(t in _NOT_PROSE for t, _ in self.stack):
            return
        self.found.append(PageText(self.stack[-1][1], text, self.stack[-1][0]))


def page_texts(path: Path) -> list[PageText]:
    """Every run of prose of a page, with its language."""
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.found


def untranslated(po: Path) -> list[str]:
    """The source texts of a catalog's messages that have no published translation, as readers
    see them (Markdown rendered, one text per run between tags)."""
    catalog, _ = load_po(po, po.name)
    assert isinstance(catalog, Catalog)
    texts: list[str] = []
    for entry in catalog.active():
        if entry.translated and not entry.fuzzy:
            continue
        shown = _TAG.sub("\n", render_markdown(entry.msgid))
        texts.extend(" ".join(run.split()) for run in html.unescape(shown).split("\n"))
    # Pieces of punctuation between two links ('.', ', ') are in no language.
    return [text for text in texts if sum(c.isalpha() for c in text) >= 2]


def unmarked(site: Path, lang: str, source_texts: list[str]) -> list[str]:
    """Texts known to be in the source language that sit in an element of language ``lang``.

    A text matches a known source text when it is one exactly, or is a part of one of at least 20
    characters (a sentence with a link in it is read in pieces).
    """
    exact = set(source_texts)
    long = [t for t in source_texts if len(t) >= 20]
    found = []
    for page in sorted(site.rglob("*.html")):
        for item in page_texts(page):
            if item.lang != lang:
                continue
            if item.text in exact or (len(item.text) >= 20 and any(item.text in t for t in long)):
                found.append(f"{page.relative_to(site)}: <{item.element}> {item.text[:70]}")
    return found
