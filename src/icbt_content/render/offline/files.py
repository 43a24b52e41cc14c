"""The offline files of a site, as the build's render stage yields them.

:func:`programme_offline_files` runs with each programme in each locale (its manifest);
:class:`OfflineSite` follows every file written and adds, at the end, the app icons and each
programme's service worker.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources

from icbt_content.render.offline.icons import icon_files
from icbt_content.render.offline.keepcopy import copy_request
from icbt_content.render.offline.manifest import (
    MANIFEST,
    manifest_bytes,
    manifest_path,
    web_app_manifest,
)
from icbt_content.render.offline.precache import WORKER, kept, precache_urls, scope, version
from icbt_content.render.site import ProgrammeRenderer, RenderedFile


@cache
def _worker_source() -> str:
    """The worker's script, after which the build writes each scope's cache list (read once:
    every programme and locale has a worker)."""
    return (resources.files("icbt_content.render") / "static" / "worker" / "sw.js").read_text(
        "utf-8"
    )


#: The kind (:attr:`RenderedFile.kind`) of a web app manifest.
MANIFEST_KIND = "manifest"


def programme_offline_files(renderer: ProgrammeRenderer) -> Iterator[RenderedFile]:
    """The web app manifest of the renderer's programme in its locale, and the request for its
    copy (:func:`~icbt_content.render.offline.keepcopy.with_copies` makes the copy)."""
    programme = renderer.programme
    neutral = programme.neutral_titles
    manifest = web_app_manifest(
        programme.id,
        renderer.code,
        renderer.locale.direction,
        renderer._("Online course") if neutral else programme.title,
        "" if neutral else programme.description,
    )
    yield RenderedFile(
        manifest_path(programme.id, renderer.code), manifest_bytes(manifest), kind=MANIFEST_KIND
    )
    yield copy_request(programme, scope(programme.id, renderer.code))


class OfflineSite:
    """Follows the files of a site as they are written, keeping only their digests, and gives
    the files that need them all: the app icons and each programme's service worker, whose cache
    list and version come from the files that went past."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, bytes]] = {}

    def add(self, rendered: RenderedFile) -> None:
        """Note a file written to the site."""
        self._seen[rendered.path] = (rendered.kind, rendered.digest)

    def site_files(self) -> Iterator[RenderedFile]:
        """The app icons, then a service worker for each programme and locale that has a
        manifest among the files noted (each noted too)."""
        for path, content in icon_files().items():
            icon = RenderedFile(path, content, kind="asset")
            self.add(icon)
            yield icon
        scopes = sorted(
            p.removesuffix(MANIFEST) for p, (k, _) in self._seen.items() if k == MANIFEST_KIND
        )
        for scope_path in scopes:
            worker = worker_file(scope_path, self._seen)
            self.add(worker)
            yield worker


def worker_file(scope_path: str, seen: dict[str, tuple[str, bytes]]) -> RenderedFile:
    """The service worker of ``scope_path`` (``seen``: each file's kind and content digest):
    the worker script after its cache list."""
    listed = {path: digest for path, (kind, digest) in seen.items() if kept(scope_path, path, kind)}
    offline = {
        "scope": scope_path,
        "version": version(listed),
        "files": precache_urls(scope_path, listed),
    }
    head = (
        "/* Written by icbt build: the offline copy of this programme in this language. */\n"
        f"const OFFLINE = {json.dumps(offline, indent=1, sort_keys=True)};\n"
    )
    script = head + _worker_source()
    return RenderedFile(scope_path + WORKER, script.encode("utf-8"), kind="worker")
