"""`icbt serve`: build into a temporary folder, serve it on 127.0.0.1, rebuild on change."""

from __future__ import annotations

import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RELOAD_SCRIPT = b"""(function () {
  var seen = null;
  function poll() {
    fetch("/__icbt_version", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) { if (seen !== null && v !== seen) location.reload(); seen = v; })
      .catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""


class _State:
    version = 0


def _handler(site: Path, state: _State) -> type[SimpleHTTPRequestHandler]:
    class PreviewHandler(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            if self.path == "/__icbt_version":
                return self._send(str(state.version).encode(), "text/plain")
            if self.path == "/__icbt_reload.js":
                return self._send(RELOAD_SCRIPT, "text/javascript")
            target = Path(self.translate_path(self.path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                # Preview only: allow the reload script to ask for the build version.
                html = target.read_bytes().replace(b"connect-src 'none'", b"connect-src 'self'")
                html = html.replace(b"</body>", b'<script src="/__icbt_reload.js"></script></body>')
                return self._send(html, "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return PreviewHandler


def serve(project: Path, *, host: str = "127.0.0.1", port: int = 8000, strict: bool = False) -> int:
    """Serve a live preview until interrupted."""
    from watchfiles import watch

    from icbt_content.build import build_site

    site = Path(tempfile.mkdtemp(prefix="icbt-preview-")) / "site"
    state = _State()

    def rebuild() -> None:
        report = build_site(project, site, strict=strict)
        for item in report.diagnostics:
            print(item.format(), file=sys.stderr)
        if report.ok:
            state.version += 1
            print(f"rebuilt {report.pages} pages in {report.seconds:.2f}s", file=sys.stderr)
        else:
            print("build failed; still showing the last good build", file=sys.stderr)

    rebuild()
    server = ThreadingHTTPServer((host, port), partial(_handler(site, state)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving on http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)", file=sys.stderr)
    watched = [p for p in (project / "programmes", project / "locales", project / "templates")]
    try:
        for _ in watch(*[p for p in watched if p.exists()]):
            rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
