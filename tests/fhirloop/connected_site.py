"""Build a site connected to the test servers, and serve it as a host would (with _headers)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from fhir_servers import FhirServers

from icbt_content.pipeline import build_site

REPO = Path(__file__).resolve().parents[2]


def deploy_yaml(servers: FhirServers) -> str:
    """deploy.yaml of a trial on this machine, connected to the test servers."""
    return (
        "connection: fhir\n"
        "fhir:\n"
        f"  base_url: {servers.fhir_base}\n"
        f"  authorization_server: {servers.issuer}\n"
        "  client_id: icbt-site\n"
        "  console_client_id: icbt-console\n"
        "  canonical_base: https://icbt.test/fhir\n"
        "service:\n"
        "  name: Example Talking Therapies\n"
        '  contact: "0300 000 0000"\n'
        "  risk_response: one working day\n"
        "  risk_response_hours: 24\n"
    )


def connected_project(root: Path, servers: FhirServers, unlock: str = "by-therapist") -> Path:
    """The SAD sample programme in all its locales, its modules opened by the therapist."""
    shutil.copytree(REPO / "programmes" / "sad", root / "programmes" / "sad")
    shutil.copytree(REPO / "locales", root / "locales")
    manifest = root / "programmes" / "sad" / "programme.yaml"
    text = manifest.read_text(encoding="utf-8").replace("unlock: in-order", f"unlock: {unlock}")
    manifest.write_text(text, encoding="utf-8")
    (root / "deploy.yaml").write_text(deploy_yaml(servers), encoding="utf-8")
    return root


def build_connected(root: Path, servers: FhirServers) -> Path:
    """Build the connected sample site; return its folder."""
    project = connected_project(root / "project", servers)
    report = build_site(project, root / "site")
    assert report.ok and not report.diagnostics.errors, [d.format() for d in report.diagnostics]
    return root / "site"


def page_headers(site: Path) -> dict[str, str]:
    """The headers ``_headers`` gives every page (the ``/*`` rule)."""
    lines = (site / "_headers").read_text(encoding="utf-8").splitlines()
    start = lines.index("/*") + 1
    found: dict[str, str] = {}
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        name, _, value = line.strip().partition(": ")
        found[name] = value
    return found


class _Host(SimpleHTTPRequestHandler):
    """A static host that sends the site's own hosting headers with every page."""

    def __init__(self, *args: Any, headers: dict[str, str], **kwargs: Any) -> None:
        self.site_headers = headers
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        path = self.path.split("?")[0]
        if path.endswith(("/", ".html")):
            for name, value in self.site_headers.items():
                self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def hosted(site: Path) -> Iterator[str]:
    """Serve the site on 127.0.0.1 with its _headers; yield its base URL (ending in /)."""
    handler = partial(_Host, directory=str(site), headers=page_headers(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
