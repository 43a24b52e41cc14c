"""Author media in chromium: a refused file is not in the site, and the headers would stop it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from playwright.sync_api import Page

from icbt_content import build_site

pytestmark = pytest.mark.browser

#: An SVG that writes to the site's storage when it runs.
ACTIVE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    "<script>localStorage.setItem('pwned', 'yes'); document.title = 'ran';</script></svg>"
)


def _rules(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("  "):
            name, _, value = line.strip().partition(": ")
            rules[-1][1].append((name, value))
        else:
            rules.append((line, []))
    return rules


class _HeadersFileHandler(SimpleHTTPRequestHandler):
    """Serves a folder with its ``_headers`` as Cloudflare Pages does: every matching rule
    applies, and values of a header set by several rules are joined with a comma."""

    rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []

    def log_message(self, format: str, *args: object) -> None:
        return

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        joined: dict[str, list[str]] = {}
        for pattern, headers in self.rules:
            matches = path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern
            if matches:
                for name, value in headers:
                    joined.setdefault(name, []).append(value)
        for name, values in joined.items():
            self.send_header(name, ", ".join(values))
        super().end_headers()


@pytest.fixture
def serve_with_headers() -> Iterator[Callable[[Path], str]]:
    servers: list[ThreadingHTTPServer] = []

    def start(site: Path) -> str:
        handler = type(
            "Handler",
            (_HeadersFileHandler,),
            {"rules": _rules((site / "_headers").read_text(encoding="utf-8"))},
        )
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _storage(page: Page, base: str) -> object:
    page.goto(base + "demo/en-GB/start/welcome/")
    return page.evaluate("localStorage.getItem('pwned')")


def test_a_refused_svg_cannot_be_opened(
    page: Page, basic_project: Path, serve_with_headers: Callable[[Path], str]
) -> None:
    assert build_site(basic_project).ok
    (basic_project / "programmes/demo/media/evil.svg").write_text(ACTIVE_SVG)
    (basic_project / "programmes/demo/media/worksheet.html").write_text(
        "<script>localStorage.setItem('pwned', 'yes')</script>"
    )
    report = build_site(basic_project)
    assert not report.ok
    assert {d.code for d in report.diagnostics.errors} == {"ICBT111", "ICBT112"}
    base = serve_with_headers(basic_project / "site")
    for name in ("evil.svg", "worksheet.html"):
        response = page.goto(base + f"demo/media/{name}")
        assert response is not None and response.status == 404
    assert _storage(page, base) is None


def test_the_headers_keep_a_file_that_slipped_through_from_the_sites_storage(
    page: Page,
    basic_project: Path,
    serve_with_headers: Callable[[Path], str],
    serve: Callable[[Path], str],
) -> None:
    assert build_site(basic_project).ok
    site = basic_project / "site"
    # Put an active file into the built site by hand, as if a check had missed it.
    (site / "demo/media/slipped.svg").write_text(ACTIVE_SVG)
    base = serve_with_headers(site)
    response = page.goto(base + "demo/media/slipped.svg")
    assert response is not None and response.status == 200
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert page.title() != "ran"
    assert _storage(page, base) is None
    # Without the headers the same file runs in the site's origin: what they prevent.
    plain = serve(site)
    page.goto(plain + "demo/media/slipped.svg")
    assert page.title() == "ran"
    assert _storage(page, plain) == "yes"


def test_pages_keep_working_under_the_headers(
    page: Page, basic_project: Path, serve_with_headers: Callable[[Path], str]
) -> None:
    assert build_site(basic_project).ok
    base = serve_with_headers(basic_project / "site")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    response = page.goto(base + "demo/en-GB/start/welcome/")
    assert response is not None
    assert "sandbox" not in response.headers["content-security-policy"]
    page.get_by_label("How low do you feel right now?").fill("42")
    page.locator("form[data-exercise='mood-now'] button[type=submit]").click()
    page.reload()
    assert page.get_by_label("How low do you feel right now?").input_value() == "42"
    assert page.locator("img[src$='cycle.svg']").evaluate("img => img.naturalWidth") > 0
    assert not [e for e in errors if "Content Security Policy" in e]
