"""A build holds one programme at a time: what a programme's build read (its catalogs, megabytes
each at scale) is let go of once it is built, in one process and in workers alike."""

from __future__ import annotations

import shutil
from pathlib import Path

from icbt_content import build_site
from icbt_content.authoring import yamlsafe
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


def test_reading_yaml_keeps_nothing_of_what_it_read() -> None:
    # One loader reads every YAML block of a build: it kept each scalar node it constructed
    # (about 100 KiB a programme of 100 pages, 10 MiB at 10,000 pages, in every process).
    for number in range(50):
        located, problems = yamlsafe.load_yaml(f"title: Page {number}\nitems: [a, 1, true]\n", "x")
        assert problems == [] and located is not None
        assert located.data == {"title": f"Page {number}", "items": ["a", 1, True]}
    assert yamlsafe._LOADER.constructed_objects == {}
    assert yamlsafe._LOADER.recursive_objects == {}


def test_a_build_keeps_no_yaml_node(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    assert build_site(project, tmp_path / "site", jobs=1).ok
    assert yamlsafe._LOADER.constructed_objects == {}
