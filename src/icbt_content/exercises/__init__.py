"""Exercise types: built-ins and the registry third-party packages extend."""

from icbt_content.exercises.registry import ENTRY_POINT_GROUP, exercise_types
from icbt_content.exercises.types import ExerciseOptions, ExerciseType

__all__ = ["ENTRY_POINT_GROUP", "ExerciseOptions", "ExerciseType", "exercise_types"]
