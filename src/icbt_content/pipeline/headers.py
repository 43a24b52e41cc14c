"""Hosting headers: a Content-Security-Policy for every file of the site, and the others.

Pages carry their policy in a ``<meta>`` element, but a ``<meta>`` covers only the page: a
media file opened on its own has none. The server must send, for every file:

- pages (``.html``, and folder URLs ending in ``/``): :data:`PAGE_CSP`, the policy of the
  pages' ``<meta>`` (:data:`icbt_content.render.environment.CSP`);
- a programme's service worker (``<programme>/<locale>/sw.js``): :data:`WORKER_CSP`, which
  lets it fetch from the site itself and nothing else (it keeps the site's files for offline use);
- everything else: :data:`FILE_CSP`, which lets nothing load or run and puts the file in a
  sandbox (an origin of its own, without scripts), so even a file that slipped through the
  media checks could not read the clients' saved answers;
- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``.

The build writes a ``_headers`` file (the format of Netlify and Cloudflare Pages) into the
site (:func:`headers_file`); :func:`server_config` gives the same rules for nginx, Apache and
Caddy (the hosting page of the documentation is generated from it). All of them come from the
constants here.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from icbt_content.render.environment import CSP
from icbt_content.render.offline.precache import is_worker

PAGE_CSP = CSP
#: For anything that is not a page: load nothing, run nothing, in an origin of its own.
FILE_CSP = (
    "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox"
)
#: For a programme's service worker: it may fetch the site's own files, and load nothing else.
WORKER_CSP = "default-src 'none'; connect-src 'self'"
COMMON = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"))
HEADERS_FILE = "_headers"


def is_page(url_path: str) -> bool:
    """True for a URL path (or file path) that is a page of the site."""
    return url_path.endswith((".html", "/")) or url_path == ""


def headers_for(url_path: str, page_csp: str = PAGE_CSP) -> list[tuple[str, str]]:
    """The headers of one URL path of the site."""
    csp = {"page": page_csp, "worker": WORKER_CSP, "file": FILE_CSP}[_kind(url_path)]
    return [("Content-Security-Policy", csp), *COMMON]


def headers_file(paths: Iterable[str], page_csp: str = PAGE_CSP) -> str:
    """The ``_headers`` file of a site whose files are ``paths`` (relative, ``/``-separated).

    ``/*`` gives every URL the page policy and the shared headers; then each folder whose files
    are all other files (``/assets/*``, ``/<programme>/media/*``), or each such file in a folder
    of pages, gets :data:`FILE_CSP`. ``page_csp`` is the pages' policy (a site connected to its
    service's FHIR server opens connect-src to that server and its authorisation server). A
    file matched by both gets both policies: hosts that join
    the values of a header set by several rules (Cloudflare Pages) send the two, and a browser
    enforces every policy it is sent, so the file is held to both; hosts that take the most
    specific rule (Netlify) send :data:`FILE_CSP`. A page is only ever matched by ``/*``.
    Each service worker gets :data:`WORKER_CSP` in a rule of its own. On a host that joins
    rules it is held to the ``/*`` policy as well, so that policy also lets ``connect-src``
    reach ``'self'`` (:func:`worker_reachable`): the worker fetches the site's files to keep
    them. Pages lose nothing by it: each is held to its ``<meta>`` policy too, which does not.
    """
    return _headers_file(tuple(paths), page_csp)


@lru_cache(maxsize=2)
def _headers_file(paths: tuple[str, ...], page_csp: str) -> str:
    """:func:`headers_file` (a preview asks again for the same files)."""
    tree: dict[str, object] = {}
    for path in sorted(paths):
        if path == HEADERS_FILE:
            continue
        node = tree
        *folders, name = path.split("/")
        for folder in folders:
            node = node.setdefault(folder, {})  # type: ignore[assignment]
        node[name] = None
    lines = [
        "# Written by icbt build: the hosting headers of this site (see docs/hosting.md).",
        "/*",
        f"  Content-Security-Policy: {worker_reachable(page_csp)}",
        *(f"  {name}: {value}" for name, value in COMMON),
    ]
    for pattern in _file_rules(tree, ""):
        lines += [pattern, f"  Content-Security-Policy: {FILE_CSP}"]
    for path in sorted(p for p in paths if is_worker(p)):
        lines += [f"/{path}", f"  Content-Security-Policy: {WORKER_CSP}"]
    return "\n".join(lines) + "\n"


def worker_reachable(csp: str) -> str:
    """``csp`` with ``'self'`` among its ``connect-src`` sources (``'none'`` dropped)."""
    directives = [d.strip() for d in csp.split(";") if d.strip()]
    found = False
    changed = []
    for directive in directives:
        name, *values = directive.split()
        if name == "connect-src":
            found = True
            kept = [v for v in values if v != "'none'"]
            directive = " ".join([name, *dict.fromkeys(["'self'", *kept])])
        changed.append(directive)
    if not found:
        changed.append("connect-src 'self'")
    return "; ".join(changed)


def _kind(path: str) -> str:
    """Which policy a file of the site gets: ``page``, ``worker`` or ``file``."""
    if is_page(path):
        return "page"
    return "worker" if is_worker(path) else "file"


def _kinds(node: dict[str, object], prefix: str) -> set[str]:
    found: set[str] = set()
    for name, child in node.items():
        if isinstance(child, dict):
            found |= _kinds(child, f"{prefix}{name}/")
        else:
            found.add(_kind(prefix + name))
    return found


def _file_rules(node: dict[str, object], prefix: str) -> list[str]:
    """URL patterns that cover every file under ``node`` that is neither a page nor a
    worker, and no page or worker."""
    kinds = _kinds(node, prefix)
    if kinds == {"file"}:
        return [f"/{prefix}*"] if prefix else ["/*"]
    if "file" not in kinds:
        return []
    rules: list[str] = []
    for name, child in sorted(node.items()):
        if isinstance(child, dict):
            rules += _file_rules(child, f"{prefix}{name}/")
        elif _kind(prefix + name) == "file":
            rules.append(f"/{prefix}{name}")
    return rules


def server_config(server: str) -> str:
    """The same headers as a configuration snippet for ``nginx``, ``apache`` or ``caddy``."""
    return _SERVERS[server]()


def _nginx() -> str:
    common = "".join(f'        add_header {n} "{v}" always;\n' for n, v in COMMON)
    return (
        "# Inside the server { } block that serves the built site (root /srv/site;).\n"
        "# nginx drops inherited add_header lines in a location that has its own: so each\n"
        "# location repeats them.\n"
        "location / {\n"
        f'        add_header Content-Security-Policy "{FILE_CSP}" always;\n'
        f"{common}"
        "}\n"
        "location ~ (\\.html|/)$ {\n"
        f'        add_header Content-Security-Policy "{PAGE_CSP}" always;\n'
        f"{common}"
        "}\n"
        "location ~ ^/[^/]+/[^/]+/sw\\.js$ {\n"
        f'        add_header Content-Security-Policy "{WORKER_CSP}" always;\n'
        f"{common}"
        "}\n"
    )


def _apache() -> str:
    common = "".join(f'Header always set {n} "{v}"\n' for n, v in COMMON)
    return (
        "# In the <VirtualHost> or <Directory> of the built site, or its .htaccess\n"
        "# (needs mod_headers). Folder URLs are served from index.html, which is a page.\n"
        f"{common}"
        '<FilesMatch "\\.html$">\n'
        f'    Header always set Content-Security-Policy "{PAGE_CSP}"\n'
        "</FilesMatch>\n"
        '<FilesMatch "^(?!.*\\.html$)">\n'
        f'    Header always set Content-Security-Policy "{FILE_CSP}"\n'
        "</FilesMatch>\n"
        "# A programme's service worker (<programme>/<locale>/sw.js): after the rule above.\n"
        '<FilesMatch "^sw\\.js$">\n'
        f'    Header always set Content-Security-Policy "{WORKER_CSP}"\n'
        "</FilesMatch>\n"
    )


def _caddy() -> str:
    common = "".join(f'\t\t{n} "{v}"\n' for n, v in COMMON)
    return (
        "# In the site block of the Caddyfile (root * /srv/site and file_server).\n"
        "@pages path / *.html */\n"
        "@workers path_regexp ^/[^/]+/[^/]+/sw\\.js$\n"
        "@files {\n"
        "\tnot path / *.html */\n"
        "\tnot path_regexp ^/[^/]+/[^/]+/sw\\.js$\n"
        "}\n"
        "header {\n"
        f"{common}"
        "}\n"
        f'header @pages Content-Security-Policy "{PAGE_CSP}"\n'
        f'header @files Content-Security-Policy "{FILE_CSP}"\n'
        f'header @workers Content-Security-Policy "{WORKER_CSP}"\n'
    ).replace("\t\t", "\t")


_SERVERS = {"nginx": _nginx, "apache": _apache, "caddy": _caddy}
SERVERS = tuple(_SERVERS)
