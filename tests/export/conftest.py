"""Fixtures for the export tests: the small fixture programme, loaded once."""

from __future__ import annotations

import pytest
from export_helpers import PROJECT

from icbt_content.model.programme import Programme
from icbt_content.pipeline.check import load_programme


@pytest.fixture(scope="session")
def mini() -> Programme:
    return load_programme(PROJECT / "programmes" / "mini")
