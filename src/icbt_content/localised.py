"""A programme in one locale, as its readers get it: translations and adaptations applied.

This is the public way to read translated content; the build, the exports and the MkDocs plugin
use the same localise stage (:mod:`icbt_content.i18n.localise`), so what a caller gets here is
what the site shows.
"""

from __future__ import annotations

from dataclasses import replace

from icbt_content.authoring.loader import LoadedProgramme, read_programme
from icbt_content.deployment import load_deployment
from icbt_content.diagnostics import ContentError, Diagnostic, Diagnostics
from icbt_content.errors import NotFoundError
from icbt_content.i18n.localise import (
    LocalisedProgramme,
    localise,
    localise_source,
    localise_to,
)
from icbt_content.paths import StrPath, as_path
from icbt_content.validate import validate_programme


def load_localised(
    path: StrPath, locale: str | None = None, *, project: StrPath | None = None
) -> LocalisedProgramme:
    """Load a programme folder in ``locale`` (default: its source locale).

    The result's ``programme`` has the locale's translations and adaptations applied; a module
    whose translation is unfinished is served whole in the source locale, and
    ``module_locales`` says which locale each module's text is in. ``project`` (the folder with
    ``programmes/`` and ``locales/``) defaults to two levels above ``path``. Raises
    :class:`~icbt_content.diagnostics.ContentError` when the content or the translation has
    errors, and :class:`~icbt_content.errors.NotFoundError` when the programme is not published
    in ``locale``; warnings are in the result's ``warnings``.
    """
    _, localised, found = localise_folder(path, locale, project=project)
    return replace(localised, warnings=tuple(Diagnostics(found).warnings))


def localise_folder(
    path: StrPath, locale: str | None = None, *, project: StrPath | None = None
) -> tuple[LoadedProgramme, LocalisedProgramme, list[Diagnostic]]:
    """Load, check and localise a programme folder; return it as read, localised, and warnings."""
    root = as_path(path)
    project_root = as_path(project) if project is not None else root.resolve().parent.parent
    loaded = read_programme(root, project_root)
    loaded.diagnostics.extend(validate_programme(loaded))
    found = Diagnostics(loaded.diagnostics)
    if found.errors or loaded.programme is None:
        raise ContentError(found.errors or list(found))
    # Only the locale asked for: problems of other locales are not this caller's to fix.
    wanted = locale or loaded.programme.source_locale
    match: LocalisedProgramme | None
    if wanted == loaded.programme.source_locale:
        deployment, problems = load_deployment(project_root)
        found.extend(problems)
        match, problems = localise_source(project_root, loaded.programme, deployment)
    else:
        match, problems = localise_to(project_root, loaded, wanted)
    found.extend(problems)
    if found.errors:
        raise ContentError(found.errors)
    if match is None:
        others, _ = localise(project_root, loaded)
        published = ", ".join(lp.locale.code for lp in others) or "none"
        raise NotFoundError(
            f"programme '{loaded.programme.id}' is not published in '{wanted}' "
            f"(published: {published})"
        )
    return loaded, match, list(found)
