"""Helpers for the MkDocs plugin tests: fixture trees and built host sites."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
_SECTION = re.compile(r"^-- (?P<path>\S+) --$", re.MULTILINE)


def write_tree(root: Path, text: str) -> None:
    """Write the files of a fixture in which each file starts at a line ``-- path --``."""
    matches = list(_SECTION.finditer(text))
    for match, after in zip(matches, [*matches[1:], None], strict=False):
        end = after.start() if after else len(text)
        path = root / match.group("path")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text[match.end() + 1 : end].rstrip("\n") + "\n", encoding="utf-8")


@dataclass
class Built:
    """The result of ``mkdocs build`` on a host site."""

    returncode: int
    output: str
    site: Path

    def html(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")
