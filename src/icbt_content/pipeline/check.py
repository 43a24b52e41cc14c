"""The load, localise and validate stages run together: what ``icbt check``, the build and every
output start from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from icbt_content.authoring.loader import LoadedProgramme, PageReader, read_programme
from icbt_content.diagnostics import ContentError, Diagnostic, diagnostic
from icbt_content.i18n.localise import LocalisedProgramme, localise
from icbt_content.localised import load_localised
from icbt_content.model.programme import Programme
from icbt_content.paths import StrPath, as_path
from icbt_content.project import programme_folders
from icbt_content.validate import validate_locale, validate_programme


@dataclass
class CheckedProgramme:
    """A programme through the load, localise and validate stages."""

    loaded: LoadedProgramme
    """The programme as written; its diagnostics: the load stage's, and the validate stage's on
    the programme as written."""
    localised: list[LocalisedProgramme] = field(default_factory=list)
    """The programme in each locale it is published in, its source locale first."""
    localise_problems: list[Diagnostic] = field(default_factory=list)
    """The problems of publishing it in its locales (catalogs, crisis services, safety words)."""
    locale_problems: list[Diagnostic] = field(default_factory=list)
    """The validate stage's problems of the translated locales, that the source does not have."""


#: The validate stage on a programme as written (:func:`~icbt_content.validate.validate_programme`,
#: or a preview's, which counts the readability of a page only when its text changed).
Validator = Callable[[LoadedProgramme], list[Diagnostic]]


def check_programme_in_locales(
    root: Path,
    project: Path,
    *,
    read_page: PageReader | None = None,
    validate: Validator = validate_programme,
) -> CheckedProgramme:
    """Load a programme folder, localise it, then validate it as written and in each locale.

    ``read_page`` and ``validate`` stand in for the load stage's page reader and the validate
    stage (a preview passes ones that remember what did not change); the result is the same.
    """
    loaded = read_programme(root, project, read_page=read_page)
    localised, localise_problems = localise(project, loaded)
    loaded.diagnostics.extend(validate(loaded))
    checked = CheckedProgramme(loaded, localised, localise_problems)
    checked.locale_problems = validate_locales(loaded, localised)
    return checked


def validate_locales(
    loaded: LoadedProgramme, localised: list[LocalisedProgramme]
) -> list[Diagnostic]:
    """The validate stage on each translated locale of a validated programme."""
    source = list(loaded.diagnostics)
    return [problem for item in localised[1:] for problem in validate_locale(loaded, item, source)]


def locale_problems(project: Path, loaded: LoadedProgramme) -> list[Diagnostic]:
    """For a programme through :func:`check_programme`: the problems of publishing it in its
    locales, and those the validate stage finds in its translated locales."""
    localised, found = localise(project, loaded)
    return [*found, *validate_locales(loaded, localised)]


def check_programme(root: Path, project: Path | None = None) -> LoadedProgramme:
    """Load a programme folder and validate it as written (for the outputs of the source)."""
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
