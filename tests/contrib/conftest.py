"""Fixtures for the MkDocs plugin: a small project and a host MkDocs site built around it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from plugin_helpers import Built, build_mkdocs, write_host


@pytest.fixture
def host(tmp_path: Path) -> Path:
    """A project with the mini programme and a host MkDocs site with one page of its own."""
    return write_host(tmp_path)


@pytest.fixture
def build_host(host: Path) -> Callable[[str], Built]:
    """Write ``mkdocs.yml`` from the given text and run ``mkdocs build --strict``."""
    return partial(build_mkdocs, host)
