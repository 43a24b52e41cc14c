"""Fixtures: the i18n sample project (a programme, French and Arabic catalogs) in a tmp folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

I18N_FIXTURES = Path(__file__).parent.parent / "fixtures" / "i18n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/i18n/project that a test may change."""
    target = tmp_path / "project"
    shutil.copytree(I18N_FIXTURES / "project", target)
    return target
