"""Fixtures for the LHC-Forms tests: this folder served on 127.0.0.1 (the harness page and
LHC-Forms from ``npm ci`` here, which ``scripts/test`` runs). Chromium is the session's shared
``browser`` (tests/conftest.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HERE = Path(__file__).parent
LFORMS = HERE / "node_modules" / "lforms" / "dist" / "lforms"


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
