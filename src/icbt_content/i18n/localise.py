"""Localise stage: a programme in each locale it is published in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from icbt_content.adaptation.resources import LocaleInfo, load_locale
from icbt_content.authoring.loader import LoadedProgramme
from icbt_content.diagnostics import Diagnostics
from icbt_content.model.programme import Programme


@dataclass
class LocalisedProgramme:
    """A programme as served in one locale, with notices for modules served in another."""

    programme: Programme
    locale: LocaleInfo
    notices: dict[str, str] = field(default_factory=dict)
    """Module id -> notice shown on its pages (for example 'not yet translated')."""
    translate: Callable[[str], str] | None = None
    """Translates interface strings of the templates into this locale."""


def localise(
    project: Path, loaded: LoadedProgramme, found: Diagnostics
) -> Iterator[LocalisedProgramme]:
    """The programme in each locale it is published in: its source locale first."""
    assert loaded.programme is not None
    source = loaded.programme.source_locale
    info, problems = load_locale(project, source)
    found.extend(problems)
    yield LocalisedProgramme(loaded.programme, info)
