"""A therapist's message in a connected site: Markdown made into safe DOM nodes, never HTML.

Each case is the Markdown a therapist might send (or an attacker put in a Communication) and the
HTML the Messages page shows for it (loop/safemarkdown.js).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

STATIC = Path(__file__).parent.parent.parent / "src" / "icbt_content" / "render" / "static"

CASES = [
    ("plain", "Hello Sam.", "<p>Hello Sam.</p>"),
    ("paragraphs", "One.\n\nTwo\nlines.", "<p>One.</p><p>Two<br>lines.</p>"),
    (
        "emphasis",
        "**Well** done, *really* _well_.",
        "<p><strong>Well</strong> done, <em>really</em> <em>well</em>.</p>",
    ),
    ("code", "Type `1 < 2`", "<p>Type <code>1 &lt; 2</code></p>"),
    ("bullets", "- one\n* two", "<ul><li>one</li><li>two</li></ul>"),
    ("numbers", "1. one\n2) two", "<ol><li>one</li><li>two</li></ol>"),
    ("heading as text", "## Week 2", "<p>Week 2</p>"),
    (
        "https link",
        "[worksheet](https://example.org/a?b=1)",
        '<p><a href="https://example.org/a?b=1" rel="noopener noreferrer">worksheet</a></p>',
    ),
    (
        "mail link",
        "[mail](mailto:team@example.org)",
        '<p><a href="mailto:team@example.org" rel="noopener noreferrer">mail</a></p>',
    ),
    (
        "tel link",
        "[call](tel:+441234567890)",
        '<p><a href="tel:+441234567890" rel="noopener noreferrer">call</a></p>',
    ),
    ("javascript link", "[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("data link", "[x](data:text/html,hi)", "<p>[x](data:text/html,hi)</p>"),
    ("http link", "[x](http://example.org)", "<p>[x](http://example.org)</p>"),
    ("relative link", "[x](/admin)", "<p>[x](/admin)</p>"),
    ("script", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    (
        "event attribute",
        '<img src=x onerror="alert(1)">',
        '<p>&lt;img src=x onerror="alert(1)"&gt;</p>',
    ),
    (
        "html in link text",
        "[<b>x</b>](https://example.org)",
        '<p><a href="https://example.org" rel="noopener noreferrer">&lt;b&gt;x&lt;/b&gt;</a></p>',
    ),
    ("empty", "", ""),
    # A guidance template's section_link() is relative to the programme's home in the client's
    # language; the Messages page is one folder below it.
    (
        "section link",
        "[look back](your-model/#self-focus)",
        '<p><a href="../your-model/#self-focus" rel="noopener noreferrer">look back</a></p>',
    ),
    ("dot segments stay text", "[x](a/../../b/)", "<p>[x](a/../../b/)</p>"),
    ("scheme-like stays text", "[x](vbscript:x)", "<p>[x](vbscript:x)</p>"),
    ("protocol-relative stays text", "[x](//evil.example/)", "<p>[x](//evil.example/)</p>"),
    # The sandbox escapes punctuation in a client's values; the reader sees the punctuation.
    ("backslash escape", "PHQ-9 \\(depression\\)", "<p>PHQ-9 (depression)</p>"),
    ("escaped emphasis", "\\*not emphasis\\*", "<p>*not emphasis*</p>"),
    (
        "escape in link text",
        "[Your goals \\(week 1\\)](your-goals/)",
        '<p><a href="../your-goals/" rel="noopener noreferrer">Your goals (week 1)</a></p>',
    ),
    ("escaped bracket is no link", "\\[x](https://e.org)", "<p>[x](https://e.org)</p>"),
]

#: The way from the Messages page to the programme's home, as connect.js passes it.
ROOT = "../"


@pytest.fixture
def markdown_page(page: Page, serve: Callable[[Path], str]) -> Page:
    page.goto(serve(STATIC) + "loop/safemarkdown.js")
    page.evaluate("async () => { window.md = await import('./safemarkdown.js'); }")
    return page


@pytest.mark.parametrize(("markdown", "html"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_message_markdown(markdown_page: Page, markdown: str, html: str) -> None:
    shown = markdown_page.evaluate(
        """(text) => {
          const box = document.createElement("div");
          box.appendChild(window.md.renderMessage(text[0], text[1]));
          return box.innerHTML;
        }""",
        [markdown, ROOT],
    )
    assert shown == html
