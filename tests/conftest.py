"""Shared fixtures: sample projects copied into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture
def basic_project(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/projects/basic that a test may change."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "projects" / "basic", target)
    return target
