"""What a programme's service worker keeps for offline use, and the version of it.

One worker per programme and locale, at ``<programme>/<locale>/sw.js``: its scope is that
locale's folder, so it serves the client's pages in their language and leaves every other
programme and locale to its own worker. It keeps the pages of that folder (not the therapist
guide), the programme's media and the site's assets: every file a page of the client's can load.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable

from icbt_content.sitemap import relative_url

WORKER = "sw.js"
#: A worker is exactly ``<programme>/<locale>/sw.js`` (an optional leading ``/`` for URL paths);
#: never a file of a programme's media.
WORKER_PATH = re.compile(r"^/?[^/]+/(?!media/)[^/]+/sw\.js$")
#: Kinds of file (:attr:`RenderedFile.kind`) a client never needs offline.
NOT_KEPT = frozenset({"therapist", "headers", "index", "worker"})


def scope(programme_id: str, locale: str) -> str:
    """The folder a programme's worker in ``locale`` controls, relative to the site root."""
    return f"{programme_id}/{locale}/"


def is_worker(path: str) -> bool:
    """True for the site path (or URL path) of a programme's service worker."""
    return WORKER_PATH.match(path) is not None


def kept(scope_path: str, path: str, kind: str) -> bool:
    """True when the worker of ``scope_path`` keeps the site file ``path`` for offline use."""
    if kind in NOT_KEPT:
        return False
    programme_id = scope_path.split("/", 1)[0]
    return path.startswith((scope_path, f"{programme_id}/media/", "assets/"))


def precache_urls(scope_path: str, paths: Iterable[str]) -> list[str]:
    """The URLs of ``paths`` relative to the worker, sorted: a page as its folder (``./``,
    ``module/``), the address it is linked by."""
    urls = []
    for path in paths:
        url = relative_url(scope_path, path)
        if posixpath.basename(url) == "index.html":
            folder = posixpath.dirname(url)
            url = f"{folder}/" if folder else "./"
        urls.append(url)
    return sorted(urls)


def version(digests: dict[str, bytes]) -> str:
    """A digest of the listed files' paths and content digests (sha256): a build that changes
    any of them publishes a new version."""
    digest = hashlib.sha256()
    for path in sorted(digests):
        digest.update(path.encode("utf-8") + b"\0")
        digest.update(digests[path])
    return digest.hexdigest()[:20]
