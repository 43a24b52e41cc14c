"""Helpers for the MkDocs plugin tests: fixture trees and built host sites."""

from __future__ import annotations

import subprocess
import sys
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


def write_host(folder: Path) -> Path:
    """Write the project with the mini programme and a host MkDocs site with one page of its own."""
    write_tree(folder, (FIXTURES / "mini-project.txt").read_text(encoding="utf-8"))
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text("# Our service\n\nWelcome.\n", encoding="utf-8")
    return folder


def build_mkdocs(host: Path, config: str) -> Built:
    """Write ``mkdocs.yml`` from ``config`` in ``host`` and run ``mkdocs build --strict``."""
    (host / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = host / "out"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=host,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Built(result.returncode, result.stdout + result.stderr, site)
