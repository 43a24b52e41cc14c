"""The offline files of a site, as the build's render stage yields them.

:func:`programme_offline_files` runs with each programme in each locale (its manifest);
:func:`offline_files` wraps the stream of every other file of the site and adds, at its end, the
app icons and each programme's service worker, whose cache list and version come from the files
that went past.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from importlib import resources

from icbt_content.render.offline.icons import icon_files
from icbt_content.render.offline.manifest import (
    MANIFEST,
    manifest_bytes,
    manifest_path,
    web_app_manifest,
)
from icbt_content.render.offline.precache import WORKER, kept, precache_urls, version
from icbt_content.render.site import ProgrammeRenderer, RenderedFile

#: The worker's script, after which the build writes each scope's cache list.
WORKER_SOURCE = resources.files("icbt_content.render") / "static" / "worker" / "sw.js"


def programme_offline_files(renderer: ProgrammeRenderer) -> Iterator[RenderedFile]:
    """The web app manifest of the renderer's programme in its locale."""
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
        manifest_path(programme.id, renderer.code), manifest_bytes(manifest), kind="manifest"
    )


def offline_files(files: Iterable[RenderedFile]) -> Iterator[RenderedFile]:
    """``files``, then the app icons and a service worker for each programme and locale that
    has a manifest among them."""
    seen: dict[str, RenderedFile] = {}
    for rendered in files:
        seen[rendered.path] = rendered
        yield rendered
    for path, content in icon_files().items():
        icon = RenderedFile(path, content, kind="asset")
        seen[path] = icon
        yield icon
    scopes = sorted(p.removesuffix(MANIFEST) for p, f in seen.items() if f.kind == "manifest")
    for scope_path in scopes:
        yield worker_file(scope_path, seen.values())


def worker_file(scope_path: str, files: Iterable[RenderedFile]) -> RenderedFile:
    """The service worker of ``scope_path``: the worker script after its cache list."""
    listed = {f.path: f.content for f in files if kept(scope_path, f.path, f.kind)}
    offline = {
        "scope": scope_path,
        "version": version(listed),
        "files": precache_urls(scope_path, listed),
    }
    head = (
        "/* Written by icbt build: the offline copy of this programme in this language. */\n"
        f"const OFFLINE = {json.dumps(offline, indent=1, sort_keys=True)};\n"
    )
    script = head + WORKER_SOURCE.read_text("utf-8")
    return RenderedFile(scope_path + WORKER, script.encode("utf-8"), kind="worker")
