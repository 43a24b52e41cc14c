"""The console's preview shows a message exactly as the connected site does.

The cases are the site's own (tests/browser/test_loop_markdown.py, run there against
loop/safemarkdown.js in chromium): the same Markdown must give the same HTML here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from icbt_content.console.preview import client_view

SITE_CASES = Path(__file__).parent.parent / "browser" / "test_loop_markdown.py"


def site_cases() -> list[tuple[str, str, str]]:
    spec = importlib.util.spec_from_file_location("site_markdown_cases", SITE_CASES)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.CASES)


CONSOLE_CASES = [
    ("crlf", "One.\r\n\r\nTwo", "<p>One.</p><p>Two</p>"),
    (
        "quote in a link",
        '[x](https://e.org/"a)',
        '<p><a href="https://e.org/&quot;a" rel="noopener noreferrer">x</a></p>',
    ),
]


@pytest.mark.parametrize(
    ("markdown", "html"),
    [c[1:] for c in [*site_cases(), *CONSOLE_CASES]],
    ids=[c[0] for c in [*site_cases(), *CONSOLE_CASES]],
)
def test_the_preview_is_what_the_site_shows(markdown: str, html: str) -> None:
    assert str(client_view(markdown)) == html
