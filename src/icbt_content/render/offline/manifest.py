"""The web app manifest of a programme in one locale: what the browser needs to install it."""

from __future__ import annotations

import json
from typing import Any

from icbt_content.render.offline.icons import BACKGROUND_COLOUR, ICONS, THEME_COLOUR
from icbt_content.render.offline.precache import scope
from icbt_content.sitemap import relative_url

MANIFEST = "manifest.webmanifest"
#: Shown where a launcher has little room (the manifest's short_name), at most this long.
SHORT_NAME_CHARS = 12


def manifest_path(programme_id: str, locale: str) -> str:
    """Where the manifest of a programme in ``locale`` is in the site."""
    return scope(programme_id, locale) + MANIFEST


def web_app_manifest(
    programme_id: str, locale: str, direction: str, name: str, description: str = ""
) -> dict[str, Any]:
    """The manifest: the programme's home in ``locale`` as an installed app.

    ``name`` is what the app is called on the device (a programme with neutral titles passes
    its neutral title, so the home screen does not name the topic either).
    """
    here = scope(programme_id, locale)
    manifest: dict[str, Any] = {
        "id": "./",
        "name": name,
        "short_name": _short(name),
        "start_url": "./",
        "scope": "./",
        "lang": locale,
        "dir": direction if direction in ("ltr", "rtl") else "auto",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": relative_url(here, icon.path),
                "sizes": f"{icon.size}x{icon.size}",
                "type": "image/png",
                "purpose": icon.purpose,
            }
            for icon in ICONS
        ],
    }
    if description:
        manifest["description"] = description
    return manifest


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest as the file the site serves."""
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _short(name: str) -> str:
    """``name`` if it is short, else its first words that fit, else its first characters."""
    if len(name) <= SHORT_NAME_CHARS:
        return name
    words = name.split()
    short = ""
    for word in words:
        longer = f"{short} {word}".strip()
        if len(longer) > SHORT_NAME_CHARS:
            break
        short = longer
    return short or name[:SHORT_NAME_CHARS]
