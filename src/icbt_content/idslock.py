"""ids.lock: the exercise and field ids clients' answers are saved under, as released."""

from __future__ import annotations

import json
from pathlib import Path

from icbt_content.model.programme import Programme

LOCK_FILE = "ids.lock"


def current_ids(programme: Programme) -> dict[str, list[str]]:
    """Exercise id -> its field ids, sorted, for the lock file."""
    return {
        exercise.id: sorted(f.id for f in exercise.fields)
        for exercise in sorted(programme.exercises(), key=lambda e: e.id)
    }


def write_lock(programme: Programme, folder: Path) -> Path:
    """Record the programme's current exercise and field ids."""
    path = folder / LOCK_FILE
    data = {"programme": programme.id, "exercises": current_ids(programme)}
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_lock(folder: Path) -> dict[str, list[str]] | None:
    path = folder / LOCK_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    exercises = data.get("exercises", {})
    return {str(k): [str(f) for f in v] for k, v in exercises.items()}
