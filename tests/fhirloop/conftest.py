"""Fixtures for the guidance loop: a real FHIR R4 server and a real OpenID Connect provider.

``fhir_servers`` starts both once per test session (``tests/servers/``, installed with ``npm ci``
when needed) on free loopback ports and stops them at the end. ``fhir_server_control`` lets a test
kill the FHIR server and start it again; the server keeps its data in a journal, so what it had
stored is there after the restart, as with a real server and its database. ``smart_app_origin``
serves the test pages of ``pages/`` with the vendored fhirclient under ``/vendor/fhirclient/``.
``connected_site`` is the sample site connected to both, built once.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from browser_thread import BrowserThread
from connected_site import build_connected
from fhir_servers import FhirServers, NodeServer, start_servers

from icbt_content.render.environment import CSP

PAGES = Path(__file__).parent / "pages"


@pytest.fixture(scope="session")
def fhir_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FhirServers]:
    """The running servers, their URLs, test users (clients alex, jordan, robin, kim; sam)."""
    servers = start_servers(tmp_path_factory.mktemp("fhir-servers"))
    try:
        yield servers
    finally:
        servers.fhir.stop()
        servers.auth.stop()


@pytest.fixture(scope="session")
def connected_site(fhir_servers: FhirServers, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The connected sample site, built once per session (its project beside it, in
    ``project/``); the tests serve and read it, never change it."""
    return build_connected(tmp_path_factory.mktemp("connected"), fhir_servers)


@pytest.fixture
def fhir_server_control(fhir_servers: FhirServers) -> Iterator[NodeServer]:
    """The FHIR server's process, to ``kill()`` and ``start()``; running again after the test."""
    yield fhir_servers.fhir
    if not fhir_servers.fhir.running:
        fhir_servers.fhir.start()


class _TestPages(SimpleHTTPRequestHandler):
    """The test pages, and the package's vendored scripts under /vendor/, with a CSP."""

    vendor = Path(str(resources.files("icbt_content.render") / "static" / "vendor"))

    def __init__(self, *args: Any, csp: str, **kwargs: Any) -> None:
        self.csp = csp
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()

    def translate_path(self, path: str) -> str:
        if path.startswith("/vendor/"):
            return str(self.vendor / path.removeprefix("/vendor/").split("?")[0])
        return super().translate_path(path)

    def log_message(self, format: str, *args: object) -> None:
        return


def connected_site_csp(servers: FhirServers) -> str:
    """The site's Content-Security-Policy, with connect-src opened to the two servers only."""
    fhir_origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(servers.fhir_base))
    csp = CSP.replace("connect-src 'none'", f"connect-src {fhir_origin} {servers.issuer}")
    assert csp != CSP, "the site's CSP no longer has connect-src 'none'"
    return csp


@pytest.fixture(scope="session")
def smart_app_origin(fhir_servers: FhirServers) -> Iterator[str]:
    """The origin (http://127.0.0.1:PORT) serving ``pages/`` and ``/vendor/fhirclient/``.

    Pages are served with the site's CSP, connect-src allowing the FHIR and authorisation servers.
    """
    handler = partial(_TestPages, directory=str(PAGES), csp=connected_site_csp(fhir_servers))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
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
