"""Helpers for the MkDocs plugin tests: fixture trees and built host sites."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fixture_files import read_fixture, write_files

FIXTURES = Path(__file__).parent / "fixtures"


def write_tree(root: Path, text: str) -> None:
    """Write the files of a fixture in which each file starts at a line ``-- path --``."""
    fixture = read_fixture(text)
    write_files(root, {name: body.rstrip("\n") + "\n" for name, body in fixture.sections.items()})


@dataclass
class Built:
    """The result of ``mkdocs build`` on a host site."""

    returncode: int
    output: str
    site: Path

    def html(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")
