"""Where a project keeps its programmes: the one place that finds programme folders."""

from __future__ import annotations

from pathlib import Path

PROGRAMMES = "programmes"
MANIFEST = "programme.yaml"


def programme_folders(project: Path, programme_ids: list[str] | None = None) -> list[Path]:
    """The programme folders of a project, sorted, optionally only the named ones."""
    root = project / PROGRAMMES
    folders = sorted(p for p in root.iterdir() if (p / MANIFEST).is_file()) if root.is_dir() else []
    if programme_ids:
        wanted = set(programme_ids)
        folders = [f for f in folders if f.name in wanted]
    return folders
