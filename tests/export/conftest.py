"""Fixtures for the export tests: the small fixture programme, loaded once."""

from __future__ import annotations

import pytest
from export_helpers import PROJECT

from icbt_content.authoring.loader import load_programme
from icbt_content.model.programme import Programme


@pytest.fixture(scope="session")
def mini() -> Programme:
    return load_programme(PROJECT / "programmes" / "mini")
