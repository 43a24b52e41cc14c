"""Fixtures for the LHC-Forms tests: Debian chromium through Playwright, and this folder served
on 127.0.0.1 (the harness page and LHC-Forms from ``npm ci`` here, which ``scripts/test`` runs)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

HERE = Path(__file__).parent
LFORMS = HERE / "node_modules" / "lforms" / "dist" / "lforms"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="session")
def harness_url() -> Iterator[str]:
    """Serve this folder; return the harness page's URL."""
    if not (LFORMS / "webcomponent" / "main.js").is_file():
        pytest.fail(
            "LHC-Forms is not installed: run `npm ci` in tests/lforms (scripts/test does it)"
        )
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(HERE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/harness.html"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
