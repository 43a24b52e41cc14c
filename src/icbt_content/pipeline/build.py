"""The build: load -> localise -> validate -> render -> write (atomically).

The unit of work is one programme in all its locales (:func:`icbt_content.pipeline.unit.
build_programme`). The build runs the units in the order of the programme folders and streams
each unit's files into the staged site as it comes, so it holds one programme's model and files
at a time, not the project's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from icbt_content.deployment import load_deployment
from icbt_content.diagnostics import Diagnostic, Diagnostics, diagnostic
from icbt_content.i18n.gate import catalog_currency
from icbt_content.loop.connected_site import site_csp, vendor_files
from icbt_content.model.deployment import Deployment, wording
from icbt_content.outputs import SITE, check_output_folder
from icbt_content.paths import StrPath, as_path
from icbt_content.pipeline.cache import BuildCache
from icbt_content.pipeline.headers import HEADERS_FILE, PAGE_CSP, headers_file
from icbt_content.pipeline.parallel import default_jobs, units_in_order
from icbt_content.pipeline.unit import ProgrammeBuild, Progress, UnitContext
from icbt_content.pipeline.writer import SiteWriter, StagedSite
from icbt_content.project import Project, programme_folders
from icbt_content.render.assets import find_external_resources
from icbt_content.render.environment import CSP, SiteSandbox, template_diagnostic
from icbt_content.render.offline import OfflineSite
from icbt_content.render.site import RenderedFile
from icbt_content.render.unique_ids import duplicate_ids

__all__ = ["BuildReport", "Progress", "build_site"]


@dataclass
class BuildReport:
    """What a build did."""

    out: Path
    diagnostics: Diagnostics
    programmes: list[str] = field(default_factory=list)
    locales: dict[str, list[str]] = field(default_factory=dict)
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    written: bool = False
    cached: int = 0
    """Programmes taken from the cache rather than built."""

    @property
    def ok(self) -> bool:
        return self.written


def build_site(
    project: StrPath = ".",
    out: StrPath | None = None,
    *,
    programmes: list[str] | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    csp: str = CSP,
    jobs: int | None = 1,
    cache: BuildCache | None = None,
    stage: Callable[[Path], SiteWriter] = StagedSite,
) -> BuildReport:
    """Build the static site of a project. Nothing is written unless the whole build succeeds.

    ``out`` must be a new or empty folder, or a site an earlier build made
    (:mod:`icbt_content.outputs`); ``csp`` is the Content-Security-Policy of every page (a
    preview relaxes it). ``jobs`` programmes are built at once, in worker processes when more
    than one (None: one per core); the site and its diagnostics are the same for any number.
    With a ``cache`` (:mod:`icbt_content.pipeline.cache`), programmes whose inputs have not
    changed are taken from it, byte for byte what building them gives. ``stage`` makes what
    the files are written to (:class:`~icbt_content.pipeline.writer.StagedSite`: a new folder
    swapped in at the end).
    """
    started = time.perf_counter()
    project = as_path(project)
    out = as_path(out) if out is not None else Project(project).site
    report = BuildReport(out=out, diagnostics=Diagnostics())
    refused = check_output_folder(out, project, SITE)
    if refused is not None:
        report.diagnostics.add(refused)
        report.seconds = time.perf_counter() - started
        return report
    folders = programme_folders(project, programmes)
    context = UnitContext(project, strict=strict, csp=csp)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    hits = cache.hits if cache is not None else 0
    units = units_in_order(context, folders, jobs=jobs, progress=progress, cache=cache)
    report.diagnostics.extend(_write_site(out, context, units, report, programmes, stage))
    if cache is not None:
        report.cached = cache.hits - hits
        cache.prune()
    report.seconds = time.perf_counter() - started
    return report


def _write_site(
    out: Path,
    context: UnitContext,
    units: Iterable[ProgrammeBuild],
    report: BuildReport,
    programmes: list[str] | None = None,
    stage: Callable[[Path], SiteWriter] = StagedSite,
) -> list[Diagnostic]:
    """Stream the units' files into a staged site; commit it when the whole build succeeded.
    Return every problem found (ICBT703 when the site cannot be written).

    The site is staged when the first unit's files come, so a build that fails before
    rendering writes nothing. When a programme fails the load and validate stages, only the
    problems of those stages (and of the programmes' locales) are reported, as 'icbt check'
    does, however far other programmes got.
    """
    project = context.project
    found = Diagnostics()
    try:
        deployment, _ = load_deployment(project)  # the localise stage reports its problems
        written: list[str] = [SITE.name]
        rendered = Diagnostics()
        index_entries: list[dict[str, Any]] = []
        failed = False
        built: list[tuple[str, list[str]]] = []  # each programme written, with its locales
        offline = OfflineSite()
        with ExitStack() as stack:
            site: SiteWriter | None = None

            def write(file: RenderedFile) -> None:
                assert site is not None
                site.write(file.path, file.content)
                written.append(file.path)
                offline.add(file)

            for unit in units:
                found.extend(unit.checked)
                failed = failed or not unit.passed
                if failed:
                    continue
                if site is None:
                    site = stack.enter_context(stage(out))
                rendered.extend(unit.rendered)
                for file in unit.files:
                    write(file)
                assert unit.programme is not None  # passed: it loaded
                built.append((unit.programme, unit.locales))
                report.pages += unit.pages
                if unit.entry is not None:
                    index_entries.append(unit.entry)
                unit.files = []  # written: let it go
            if not built and not failed:
                found.add(_no_programmes(programmes))
                found.extend(catalog_currency(project, []))
                return list(found)
            if failed:
                return list(found)
            assert site is not None
            env = context.environment(site_csp(context.csp, deployment))
            site_wide = _site_wide_files(env, project, index_entries, deployment)
            for item in chain(site_wide, offline.site_files()):
                if isinstance(item, Diagnostic):
                    rendered.add(item)
                    continue
                rendered.extend(find_external_resources({item.path: item.content}))
                rendered.extend(duplicate_ids(item.path, item.content, item.source))
                write(item)
            headers = headers_file(written, site_csp(PAGE_CSP, deployment))
            write(RenderedFile(HEADERS_FILE, headers.encode("utf-8"), kind="headers"))
            found.extend(rendered)
            if found.fails(context.strict):
                return list(found)
            site.commit()
            report.files = site.files
    except OSError as exc:
        found.add(
            diagnostic(
                "ICBT703",
                f"could not write {out}: {exc.strerror or exc}",
                str(out),
                hint="build into a folder you can write to (--out), on a disk with free space",
            )
        )
        return list(found)
    report.programmes = [programme for programme, _ in built]
    report.locales = dict(built)
    report.written = True
    return list(found)


def _no_programmes(programmes: list[str] | None) -> Diagnostic:
    return diagnostic(
        "ICBT106",
        "no programmes found" + (f" named {', '.join(programmes)}" if programmes else ""),
        "programmes/",
        hint="programmes live in programmes/<id>/programme.yaml; "
        "'icbt new programme ID' starts one",
    )


def _site_wide_files(
    env: SiteSandbox,
    project: Path,
    index_entries: list[dict[str, Any]],
    deployment: Deployment,
) -> Iterator[RenderedFile | Diagnostic]:
    """The files of the site that belong to no programme, rendered in the build's template
    environment ``env``: the index page, then the assets; or the index template's problem."""
    try:
        index = env.get_template("site_index.html").render(
            title="Programmes",
            service=wording(deployment.service.name, "en") if deployment.service else "",
            crisis=index_entries[0]["crisis"] if index_entries else "",
            programmes=index_entries,
            csp=env.globals["csp"],
            lang="en",
        )
    except TemplateError as exc:
        yield template_diagnostic(exc, project)
        return
    yield RenderedFile("index.html", index.encode("utf-8"), kind="index")
    for path, content in {**_static_files(), **vendor_files(deployment)}.items():
        yield RenderedFile(path, content, kind="asset")


def _static_files() -> dict[str, bytes]:
    static = resources.files("icbt_content.render") / "static"
    return {
        f"assets/{entry.name}": entry.read_bytes()
        for entry in sorted(static.iterdir(), key=lambda e: e.name)
        if entry.is_file() and not entry.name.startswith(".")
    }
