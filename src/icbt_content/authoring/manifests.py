"""The YAML an author writes: programme.yaml and the front matter of modules and pages."""

from __future__ import annotations

from pydantic import Field

from icbt_content.model.base import ContentModel, Id
from icbt_content.model.programme import EXIT_URL, OutcomeMeasures, Rename, Unlock


class ProgrammeManifest(ContentModel):
    """programme.yaml"""

    id: Id
    title: str
    version: str
    condition: str
    description: str = ""
    source_locale: str = "en-GB"
    unlock: Unlock = "in-order"
    modules: tuple[Id, ...] = Field(min_length=1)
    measures: tuple[Id, ...] = ()
    weekly: tuple[Id, ...] = ()
    """Measures asked every week on the check-in page; each must also be under `measures:`."""
    migrations: tuple[Rename, ...] = ()
    outcome_measures: OutcomeMeasures | None = None
    """The depression and anxiety measures for NHS Talking Therapies outcomes; by default, the
    listed measures with those roles (a disorder-specific one in place of the anxiety one)."""
    sensitive: bool = False
    """Show "Exit this page" on every page: a button and Shift pressed three times leave at once."""
    exit_url: str = EXIT_URL
    """The neutral https site "Exit this page" goes to."""
    neutral_titles: bool = False
    """Give every page a neutral title, so browser history does not name the programme's topic."""


class ModuleFrontMatter(ContentModel):
    """The front matter of modules/<id>/module.md"""

    title: str
    summary: str = ""
    core: bool = True


class PageFrontMatter(ContentModel):
    """The front matter of a page."""

    title: str
    id: Id | None = None
    distressing: bool = False


class CheckInFrontMatter(ContentModel):
    """The front matter of check-in.md"""

    title: str = Field(min_length=1)
    summary: str = ""


class CrisisFrontMatter(ContentModel):
    """The front matter of crisis.md"""

    title: str = "Need help now?"
