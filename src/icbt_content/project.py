"""Where everything of a project lives: the one place that decides each path.

Layout::

    programmes/<id>/             a programme: programme.yaml, modules/, measures/, guidance/, media/
    locales/<locale>/            locale.yaml, <programme>.po, interface.po, measures/, adaptations/
    templates/                   the project's own site templates (override the package's)
    licensed/                    wording of measures that need permission, never published
    site/                        where ``icbt build`` writes by default
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROGRAMMES = "programmes"
LOCALES = "locales"
TEMPLATES = "templates"
LICENSED = "licensed"
SITE = "site"
MANIFEST = "programme.yaml"


@dataclass(frozen=True)
class Project:
    """A project folder and the paths of what it holds."""

    root: Path

    @property
    def programmes(self) -> Path:
        return self.root / PROGRAMMES

    @property
    def locales(self) -> Path:
        return self.root / LOCALES

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES

    @property
    def licensed(self) -> Path:
        return self.root / LICENSED

    @property
    def site(self) -> Path:
        """The default output folder of a build."""
        return self.root / SITE

    def programme(self, programme_id: str) -> Path:
        return self.programmes / programme_id

    def locale(self, code: str) -> Path:
        return self.locales / code

    def adaptations(self, locale: str, programme_id: str) -> Path:
        """A locale's adapted passages of one programme."""
        return self.locale(locale) / "adaptations" / programme_id

    def measure_translation(self, locale: str, measure_id: str) -> Path:
        """The validated translation of a measure for a locale."""
        return self.locale(locale) / "measures" / f"{measure_id}.yaml"

    def programme_folders(self, programme_ids: list[str] | None = None) -> list[Path]:
        """The programme folders, sorted, optionally only the named ones."""
        root = self.programmes
        folders = (
            sorted(p for p in root.iterdir() if (p / MANIFEST).is_file()) if root.is_dir() else []
        )
        if programme_ids:
            wanted = set(programme_ids)
            folders = [f for f in folders if f.name in wanted]
        return folders


def programme_folders(project: Path, programme_ids: list[str] | None = None) -> list[Path]:
    """The programme folders of a project, sorted, optionally only the named ones."""
    return Project(project).programme_folders(programme_ids)
