"""The site's app icons, drawn at build time: a white ring on the site's accent colour.

Written as PNG with :mod:`zlib` and :mod:`struct` (no imaging library), the same bytes on every
build. The maskable icon keeps its ring inside the central circle of 40% radius that every
launcher's mask leaves visible.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass
from functools import cache

#: The site's accent and background colours (``--accent`` and ``--bg`` in site.css).
THEME_COLOUR = "#005a9c"
BACKGROUND_COLOUR = "#ffffff"
_ACCENT = (0x00, 0x5A, 0x9C)
_WHITE = (0xFF, 0xFF, 0xFF)


@dataclass(frozen=True)
class Icon:
    """One icon of the web app manifest."""

    name: str
    size: int
    purpose: str
    ring: float
    """The ring's outer radius, as a share of the icon's size."""

    @property
    def path(self) -> str:
        """Where the icon is in the site."""
        return f"assets/icons/{self.name}"


ICONS = (
    Icon("icon-192.png", 192, "any", 0.34),
    Icon("icon-512.png", 512, "any", 0.34),
    Icon("icon-maskable-512.png", 512, "maskable", 0.26),
)


@cache
def icon_png(icon: Icon) -> bytes:
    """The PNG of ``icon``."""
    size = icon.size
    centre = size / 2
    outer = icon.ring * size
    inner = outer * 0.62
    background = bytes(_ACCENT)
    white = bytes(_WHITE)
    rows = []
    for y in range(size):
        dy = y + 0.5 - centre
        row = bytearray(background * size)
        for start, end in _spans(dy, centre, outer, inner, size):
            row[start * 3 : end * 3] = white * (end - start)
        rows.append(b"\0" + bytes(row))
    return _png(size, size, b"".join(rows))


def _spans(
    dy: float, centre: float, outer: float, inner: float, size: int
) -> list[tuple[int, int]]:
    """The columns of one row inside the ring: between the outer and the inner circle."""
    if abs(dy) >= outer:
        return []
    half_outer = math.sqrt(outer * outer - dy * dy)
    left, right = round(centre - half_outer), round(centre + half_outer)
    if abs(dy) >= inner:
        return [(max(left, 0), min(right, size))]
    half_inner = math.sqrt(inner * inner - dy * dy)
    return [
        (max(left, 0), round(centre - half_inner)),
        (round(centre + half_inner), min(right, size)),
    ]


def _png(width: int, height: int, raw: bytes) -> bytes:
    """An 8-bit RGB PNG of filtered scanlines ``raw``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def icon_files() -> dict[str, bytes]:
    """Every icon, by its path in the site."""
    return {icon.path: icon_png(icon) for icon in ICONS}
