"""Helpers for the measure tests (a plain module, so tests can import it by name)."""

from __future__ import annotations

from pathlib import Path

from icbt_content.measures import builtin_measures, load_measure
from icbt_content.model.measure import Measure

FIXTURES = Path(__file__).parent.parent / "fixtures" / "measures"
REPO = Path(__file__).parent.parent.parent


def builtin(measure_id: str) -> Measure:
    """Load a built-in measure, failing the test if it has any diagnostic."""
    measure, found = load_measure(builtin_measures()[measure_id], REPO)
    assert measure is not None and not found, [d.format() for d in found]
    return measure
