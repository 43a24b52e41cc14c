"""A build holds one programme at a time: what a programme's build read (its catalogs, megabytes
each at scale) is let go of once it is built, in one process and in workers alike."""

from __future__ import annotations

import shutil
from pathlib import Path

from icbt_content import build_site
from icbt_content.i18n import translations
from icbt_content.pipeline import parallel
from icbt_content.pipeline.unit import UnitContext

FIXTURE = Path(__file__).parent / "fixtures" / "i18n" / "project"


def test_a_programmes_catalogs_are_let_go_after_it_is_built(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    folder = next(p for p in sorted((project / "programmes").iterdir()) if p.is_dir())
    unit = parallel.build_unit(UnitContext(project), folder)
    assert unit.passed and len(unit.locales) > 1, unit.checked
    assert translations._read_translations.cache_info().currsize == 0


def test_a_build_keeps_no_catalog_once_done(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    report = build_site(project, tmp_path / "site", jobs=1)
    assert report.ok, [d.format() for d in report.diagnostics]
    assert len(next(iter(report.locales.values()))) > 1
    assert translations._read_translations.cache_info().currsize == 0
