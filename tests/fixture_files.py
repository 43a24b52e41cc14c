"""The one reader of multi-file fixtures written inline, Hugo-style.

A line ``-- name --`` starts a section; lines before the first one describe the case::

    What the case shows.
    -- programmes/demo/modules/m/01-page.md --
    ---
    title: P
    ---
    -- expected --
    programmes/demo/modules/m/01-page.md:1:1: error: ... [ICBT309]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SECTION = re.compile(r"^-- (.+?) --$", re.MULTILINE)


@dataclass(frozen=True)
class FixtureFile:
    """A fixture split into its description and its named sections, in order."""

    description: str
    sections: dict[str, str]
    """Section name (a path, or ``expected``) -> its text as written, up to the next section."""

    def files(self, *, outputs: tuple[str, ...] = ()) -> dict[str, str]:
        """The sections that are files: all but the ``outputs``."""
        return {name: body for name, body in self.sections.items() if name not in outputs}


def read_fixture(text: str) -> FixtureFile:
    """Split a fixture into its sections (the newline after each ``-- name --`` line dropped)."""
    parts = SECTION.split(text)
    sections: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        sections[name] = body[1:] if body.startswith("\n") else body
    return FixtureFile(parts[0].strip("\n"), sections)


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write files under ``root``, making their folders."""
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
