"""ids.lock: the exercise and field ids clients' answers are saved under, as released."""

from __future__ import annotations

import json
from pathlib import Path

from icbt_content.errors import InvalidArgumentError
from icbt_content.limits import MAX_MANIFEST_BYTES, kilobytes
from icbt_content.model.programme import Programme

LOCK_FILE = "ids.lock"


def current_ids(programme: Programme) -> dict[str, list[str]]:
    """Exercise id -> its field ids, sorted, for the lock file."""
    return {
        exercise.id: sorted(f.id for f in exercise.fields)
        for exercise in sorted(programme.exercises(), key=lambda e: e.id)
    }


def current_repeatable(programme: Programme) -> list[str]:
    """Ids of the exercises that keep dated entries (``repeatable: true``), sorted."""
    return sorted(e.id for e in programme.exercises() if e.repeatable)


def write_lock(programme: Programme, folder: Path) -> Path:
    """Record the programme's current exercise and field ids, and which exercises repeat."""
    path = folder / LOCK_FILE
    data: dict[str, object] = {"programme": programme.id, "exercises": current_ids(programme)}
    repeatable = current_repeatable(programme)
    if repeatable:  # only when there are some, so older lock files stay as they were
        data["repeatable"] = repeatable
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_lock(folder: Path) -> dict[str, list[str]] | None:
    """The recorded ids, or None without a lock file; ValueError saying why it is unusable."""
    path = folder / LOCK_FILE
    if not path.is_file():
        return None
    with path.open("rb") as stream:
        raw = stream.read(MAX_MANIFEST_BYTES + 1)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise InvalidArgumentError(f"it is larger than {kilobytes(MAX_MANIFEST_BYTES)}")
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise InvalidArgumentError("it is nested too deeply") from None
    exercises = data.get("exercises", {}) if isinstance(data, dict) else None
    if not isinstance(exercises, dict) or not all(isinstance(v, list) for v in exercises.values()):
        raise InvalidArgumentError("it is not a map of exercise ids to field ids")
    return {str(k): [str(f) for f in v] for k, v in exercises.items()}


def read_locked_repeatable(folder: Path) -> list[str]:
    """The exercises recorded as repeatable in the lock file (none without one)."""
    path = folder / LOCK_FILE
    if not path.is_file():
        return []
    data = json.loads(path.read_bytes()[: MAX_MANIFEST_BYTES + 1].decode("utf-8"))
    found = data.get("repeatable", []) if isinstance(data, dict) else []
    return [str(x) for x in found] if isinstance(found, list) else []
