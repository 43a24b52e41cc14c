"""Guard against third-party requests: no external src, href of a resource, or CSS url()."""

from __future__ import annotations

import re

from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.render.offline.precache import is_worker

# Resource-loading attributes (not ordinary <a href> links, which clients may follow).
_HTML_RESOURCE = re.compile(
    r"<(?:script|img|audio|video|source|track|iframe|embed|object|link)\b[^>]*?"
    r"\s(?:src|href|data|poster|srcset)\s*=\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:)?//",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
_JS_NETWORK = re.compile(r"\b(?:fetch|XMLHttpRequest|WebSocket|sendBeacon|EventSource)\s*\(")


def find_external_resources(files: dict[str, bytes]) -> list[Diagnostic]:
    """Report any file that would make the browser contact another host."""
    found = []
    for path, content in sorted(files.items()):
        if path.endswith(".html"):
            pattern = _HTML_RESOURCE
        elif path.endswith(".css"):
            pattern = _CSS_URL
        elif is_worker(path):
            # A programme's service worker fetches, but only the listed files of its own
            # origin (render/static/worker/sw.js checks the origin before it answers).
            continue
        elif path.endswith(".js"):
            pattern = _JS_NETWORK
        else:
            continue
        text = content.decode("utf-8", "replace")
        match = pattern.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            found.append(
                diagnostic(
                    "ICBT701",
                    f"'{path}' would load something from another host or the network",
                    path,
                    line,
                    hint="serve every asset from the site itself",
                )
            )
    return found
