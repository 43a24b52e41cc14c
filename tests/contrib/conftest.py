"""Fixtures for the MkDocs plugin: a small project and a host MkDocs site built around it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from plugin_helpers import FIXTURES, Built, write_tree


@pytest.fixture
def host(tmp_path: Path) -> Path:
    """A project with the mini programme and a host MkDocs site with one page of its own."""
    write_tree(tmp_path, (FIXTURES / "mini-project.txt").read_text(encoding="utf-8"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Our service\n\nWelcome.\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def build_host(host: Path) -> Callable[[str], Built]:
    """Write ``mkdocs.yml`` from the given text and run ``mkdocs build --strict``."""

    def build(config: str) -> Built:
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

    return build
