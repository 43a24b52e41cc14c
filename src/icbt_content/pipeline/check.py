"""The load and validate stages run together: what ``icbt check`` and every output start from."""

from __future__ import annotations

from pathlib import Path

from icbt_content.authoring.loader import LoadedProgramme, read_programme
from icbt_content.diagnostics import ContentError, Diagnostic, diagnostic
from icbt_content.localised import load_localised
from icbt_content.model.programme import Programme
from icbt_content.paths import StrPath, as_path
from icbt_content.project import programme_folders
from icbt_content.validate import validate_programme


def check_programme(root: Path, project: Path | None = None) -> LoadedProgramme:
    """Load a programme folder (the load stage), then validate it (the validate stage)."""
    loaded = read_programme(root, project)
    loaded.diagnostics.extend(validate_programme(loaded))
    return loaded


def check_project(project: Path, programme_ids: list[str] | None = None) -> list[LoadedProgramme]:
    """Load and validate every programme of a project."""
    return [check_programme(f, project) for f in programme_folders(project, programme_ids)]


def load_programme(
    path: StrPath, *, locale: str | None = None, project: StrPath | None = None
) -> Programme:
    """Load and validate a programme folder; raise :class:`ContentError` on any error.

    With ``locale``, return it as published in that locale (see
    :func:`~icbt_content.localised.load_localised`, which also says each module's locale).
    """
    if locale is not None:
        return load_localised(path, locale, project=project).programme
    root = as_path(path)
    loaded = check_programme(root)
    if loaded.diagnostics.errors or loaded.programme is None:
        raise ContentError(loaded.diagnostics.errors or _nothing_loaded(root))
    return loaded.programme


def _nothing_loaded(root: Path) -> list[Diagnostic]:
    return [diagnostic("ICBT106", "no programme could be loaded", root.as_posix())]
