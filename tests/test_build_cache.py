"""The build cache: a rebuild takes unchanged programmes from it, byte for byte what building them
gives; an edit rebuilds exactly the programmes it touches; a corrupt entry is built again; the
cache stays within its size limit and out of the project and the site."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from icbt_content import build_site
from icbt_content.commandline import run
from icbt_content.pipeline import cache as cache_module
from icbt_content.pipeline.build import BuildReport
from icbt_content.pipeline.cache import BuildCache

FIXTURES = Path(__file__).parent / "fixtures"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_project(root: Path) -> Path:
    """The i18n fixture (programme demo in en-GB, fr, ar) and a second programme, other, that
    has no translations."""
    target = root / "project"
    shutil.copytree(FIXTURES / "i18n" / "project", target)
    other = target / "programmes" / "other"
    shutil.copytree(target / "programmes" / "demo", other)
    manifest = other / "programme.yaml"
    manifest.write_text(manifest.read_text().replace("id: demo", "id: other", 1))
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


class Builds:
    """Builds of one project, each into a new folder, with one cache.

    The first build may be given (``first``): a cold build of the same sources made once for
    the module, its site and cache copied in (the cache's keys are digests of what a build
    reads, not of where the project is)."""

    def __init__(
        self, project: Path, root: Path, first: tuple[BuildReport, Path, Path] | None = None
    ) -> None:
        self.project = project
        self.root = root
        self.cache = root / "cache"
        self.count = 0
        self.first = first

    def __call__(self, *, cached: bool = True, jobs: int = 1) -> tuple[BuildReport, Path]:
        self.count += 1
        out = self.root / f"site-{self.count}"
        if self.count == 1 and self.first is not None and cached and jobs == 1:
            report, site, cache_folder = self.first
            shutil.copytree(site, out)
            shutil.copytree(cache_folder, self.cache)
            return report, out
        cache = BuildCache(self.cache) if cached else None
        report = build_site(self.project, out, cache=cache, jobs=jobs)
        assert report.ok, [d.format() for d in report.diagnostics]
        return report, out


@pytest.fixture(scope="module")
def cold_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, Path, Path]:
    """The project's first build with an empty cache, made once: its report, site and cache."""
    root = tmp_path_factory.mktemp("cold")
    first = Builds(make_project(root), root)
    report, site = first()
    assert report.cached == 0
    return report, site, first.cache


@pytest.fixture
def builds(project: Path, tmp_path: Path, cold_build: tuple[BuildReport, Path, Path]) -> Builds:
    return Builds(project, tmp_path, first=cold_build)


def formatted(report: BuildReport) -> list[str]:
    return [d.format() for d in report.diagnostics]


def test_a_rebuild_takes_every_programme_from_the_cache(builds: Builds) -> None:
    cold, cold_site = builds()
    assert cold.cached == 0
    warm, warm_site = builds()
    assert warm.cached == 2
    uncached, uncached_site = builds(cached=False)
    assert uncached.cached == 0
    assert tree(warm_site) == tree(cold_site) == tree(uncached_site)
    assert formatted(warm) == formatted(cold) == formatted(uncached)
    assert formatted(cold), "the fixture has diagnostics, so that keeping them is tested"
    assert (warm.pages, warm.files, warm.locales) == (cold.pages, cold.files, cold.locales)
    parallel, parallel_site = builds(jobs=2)
    assert parallel.cached == 2 and tree(parallel_site) == tree(cold_site)


def _edit_page(project: Path) -> None:
    page = project / "programmes" / "demo" / "modules" / "start" / "01-welcome.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")


def _edit_catalog(project: Path) -> None:
    catalog = project / "locales" / "fr" / "demo.po"
    text = catalog.read_text()
    catalog.write_text(text.replace("Programme de démonstration", "Programme d'essai", 1))


def _edit_template(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "base.html").write_text(
        (Path(cache_module.__file__).parents[1] / "render" / "templates" / "base.html")
        .read_text()
        .replace("</body>", "<!-- local --></body>", 1)
    )


def _edit_deployment(project: Path) -> None:
    (project / "deploy.yaml").write_text("crisis_max_age_months: 12\n")


def _edit_code(project: Path) -> None:
    cache_module.code_version.cache_clear()
    real = cache_module.code_version()
    cache_module.code_version = lambda: real + "-next"  # type: ignore[assignment]


#: An edit, and the programmes it must rebuild (the others come from the cache).
EDITS: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "page": (_edit_page, {"demo"}),
    "catalog": (_edit_catalog, {"demo"}),
    "template": (_edit_template, {"demo", "other"}),
    "deploy.yaml": (_edit_deployment, {"demo", "other"}),
    "code version": (_edit_code, {"demo", "other"}),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_an_edit_rebuilds_what_it_touches(
    edit: str, builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    change, rebuilt = EDITS[edit]
    monkeypatch.setattr(cache_module, "code_version", cache_module.code_version)
    builds()
    change(builds.project)
    warm, warm_site = builds()
    assert warm.cached == 2 - len(rebuilt)
    cold, cold_site = builds(cached=False)
    assert tree(warm_site) == tree(cold_site)
    assert formatted(warm) == formatted(cold)
    again, _ = builds()
    assert again.cached == 2


def test_a_corrupt_entry_is_built_again(builds: Builds) -> None:
    _, cold_site = builds()
    entries = sorted((builds.cache / "units").rglob("*"))
    entries = [e for e in entries if e.is_file()]
    assert len(entries) == 2
    damaged = bytearray(entries[0].read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    entries[0].write_bytes(bytes(damaged))
    entries[1].write_bytes(entries[1].read_bytes()[:100])
    warm, warm_site = builds()
    assert warm.cached == 0
    assert tree(warm_site) == tree(cold_site)
    again, _ = builds()
    assert again.cached == 2, "the damaged entries were written again"


def test_the_cache_is_pruned_to_its_limit(builds: Builds, project: Path) -> None:
    builds()
    for _ in range(3):
        _edit_page(project)
        builds()
    units = builds.cache / "units"
    sizes = [p.stat().st_size for p in units.rglob("*") if p.is_file()]
    assert len(sizes) == 5  # other once, demo four times
    limit = max(sizes) * 2 + 1
    small = BuildCache(builds.cache, limit=limit)
    removed = small.prune()
    left = [p for p in units.rglob("*") if p.is_file()]
    assert len(removed) == 3 and sum(p.stat().st_size for p in left) <= limit
    report = build_site(project, builds.root / "after-prune", cache=BuildCache(builds.cache))
    assert report.cached == 2, "the newest entries were kept"


def test_entries_are_written_whole(builds: Builds) -> None:
    builds()
    names = [p.name for p in (builds.cache / "units").rglob("*") if p.is_file()]
    assert names and not [n for n in names if n.startswith(".tmp-")]


def test_the_command_line_cache(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    common = ["build", "--project", str(project), "-q", "--jobs", "1", "--cache-dir", str(cache)]
    assert run([*common, "--out", str(tmp_path / "one")]) == 0
    assert any((cache / "units").rglob("*"))
    assert run([*common, "--out", str(tmp_path / "two")]) == 0
    assert run([*common[:-2], "--no-cache", "--out", str(tmp_path / "three")]) == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two") == tree(tmp_path / "three")
    assert list(project.rglob(".tmp-*")) == []


@pytest.mark.parametrize("inside", ["site", "site/cache", "programmes/cache", "locales"])
def test_the_cache_is_never_in_the_site_or_the_sources(
    inside: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["build", "--project", str(project), "--cache-dir", str(project / inside)]
    assert run(args) == 2
    assert "choose another (--cache-dir)" in capsys.readouterr().err
    assert not (project / "site").exists()


def test_the_default_cache_is_the_users(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = cache_module.default_cache_dir(project)
    assert folder.parent == tmp_path / "xdg" / "icbt-content"
    assert cache_module.default_cache_dir(tmp_path / "elsewhere") != folder
    assert run(["build", "--project", str(project), "-q", "--jobs", "1"]) == 0
    assert any((folder / "units").rglob("*"))
