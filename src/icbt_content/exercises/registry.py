"""The exercise type registry, filled from the ``icbt_content.exercise_types`` entry points."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from icbt_content.errors import ExerciseTypeError
from icbt_content.exercises.types import ExerciseType

ENTRY_POINT_GROUP = "icbt_content.exercise_types"


@cache
def exercise_types() -> dict[str, ExerciseType]:
    """Every installed exercise type by name, independent of import order."""
    found: dict[str, ExerciseType] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)):
        kind = ep.load()
        if not isinstance(kind, ExerciseType):
            raise ExerciseTypeError(f"entry point {ep.value} is not an ExerciseType")
        found.setdefault(kind.name, kind)
    return dict(sorted(found.items()))
