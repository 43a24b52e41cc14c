"""Fixtures for the guidance loop: a real FHIR R4 server and a real OpenID Connect provider.

``fhir_servers`` starts both once per test session (``tests/servers/``, installed with ``npm ci``
when needed) on free loopback ports and stops them at the end. ``fhir_server_control`` lets a test
kill the FHIR server and start it again; the server keeps its data in a journal, so what it had
stored is there after the restart, as with a real server and its database. ``smart_app_origin``
serves the test pages of ``pages/`` with the vendored fhirclient under ``/vendor/fhirclient/``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

import pytest
from browser_thread import BrowserThread
from fhir_servers import FhirServers, NodeServer, start_servers

PAGES = Path(__file__).parent / "pages"


@pytest.fixture(scope="session")
def fhir_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FhirServers]:
    """The running servers, their URLs, test users (alex and jordan: clients; sam: therapist)."""
    servers = start_servers(tmp_path_factory.mktemp("fhir-servers"))
    try:
        yield servers
    finally:
        servers.fhir.stop()
        servers.auth.stop()


@pytest.fixture
def fhir_server_control(fhir_servers: FhirServers) -> Iterator[NodeServer]:
    """The FHIR server's process, to ``kill()`` and ``start()``; running again after the test."""
    yield fhir_servers.fhir
    if not fhir_servers.fhir.running:
        fhir_servers.fhir.start()


class _TestPages(SimpleHTTPRequestHandler):
    """The test pages, and the package's vendored scripts under /vendor/."""

    vendor = Path(str(resources.files("icbt_content.render") / "static" / "vendor"))

    def translate_path(self, path: str) -> str:
        if path.startswith("/vendor/"):
            return str(self.vendor / path.removeprefix("/vendor/").split("?")[0])
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="session")
def smart_app_origin() -> Iterator[str]:
    """The origin (http://127.0.0.1:PORT) serving ``pages/`` and ``/vendor/fhirclient/``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_TestPages, directory=str(PAGES)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def loop_browser() -> Iterator[BrowserThread]:
    """Chromium for the guidance-loop tests: ``loop_browser.run(lambda browser: ...)``."""
    browser = BrowserThread()
    try:
        yield browser
    finally:
        browser.close()
