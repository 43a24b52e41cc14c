"""Fixtures for the measure tests: the built-in measures, loaded once."""

from __future__ import annotations

import pytest
from measure_helpers import builtin

from icbt_content.model.measure import Measure


@pytest.fixture(scope="session")
def phq9() -> Measure:
    return builtin("phq9")


@pytest.fixture(scope="session")
def gad7() -> Measure:
    return builtin("gad7")


@pytest.fixture(scope="session")
def pcl5() -> Measure:
    return builtin("pcl5")
