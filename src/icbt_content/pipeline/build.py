"""The build: load -> localise -> validate -> render -> write (atomically)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from jinja2 import TemplateError

from icbt_content.authoring.loader import LoadedProgramme, relative
from icbt_content.deployment import load_deployment
from icbt_content.diagnostics import Diagnostic, Diagnostics, diagnostic
from icbt_content.i18n.gate import catalog_currency
from icbt_content.i18n.localise import check_locales, localise
from icbt_content.inputs import files_under
from icbt_content.loop.connected_site import site_csp, vendor_files
from icbt_content.model.deployment import Deployment
from icbt_content.outputs import SITE, check_output_folder
from icbt_content.paths import StrPath, as_path
from icbt_content.pipeline.check import check_project
from icbt_content.pipeline.headers import HEADERS_FILE, PAGE_CSP, headers_file
from icbt_content.pipeline.media import media_problem
from icbt_content.pipeline.writer import StagedSite
from icbt_content.project import Project
from icbt_content.render.assets import find_external_resources
from icbt_content.render.connected import connected_pages
from icbt_content.render.environment import CSP, make_environment, template_diagnostic
from icbt_content.render.site import Language, ProgrammeRenderer, RenderedFile
from icbt_content.render.therapist import TherapistGuide
from icbt_content.render.unique_ids import duplicate_ids
from icbt_content.safety.release import signed_release
from icbt_content.sitemap import SiteMap, home_path

#: Called as pages are rendered: (programme id, locale, pages done, pages in total).
Progress = Callable[[str, str, int, int], None]


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
) -> BuildReport:
    """Build the static site of a project. Nothing is written unless the whole build succeeds.

    ``out`` must be a new or empty folder, or a site an earlier build made
    (:mod:`icbt_content.outputs`); ``csp`` is the Content-Security-Policy of every page (a
    preview relaxes it).
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
    loaded = check_project(project, programmes)
    for item in loaded:
        report.diagnostics.extend(item.diagnostics)
    if not loaded:
        report.diagnostics.add(
            diagnostic(
                "ICBT106",
                "no programmes found" + (f" named {', '.join(programmes)}" if programmes else ""),
                "programmes/",
                hint="programmes live in programmes/<id>/programme.yaml; "
                "'icbt new programme ID' starts one",
            )
        )
    if report.diagnostics.fails(strict):
        # Nothing is rendered, but every problem is reported in one run, as 'icbt check' does.
        for item in loaded:
            report.diagnostics.extend(check_locales(project, item))
        report.diagnostics.extend(catalog_currency(project, loaded))
        report.seconds = time.perf_counter() - started
        return report

    try:
        with StagedSite(out) as site:
            _render_into(site, project, loaded, report, progress, csp)
            # Catalogs behind the source hold nothing the build serves, but they fail the same
            # gate in 'icbt check' and 'icbt i18n check' (see icbt_content.i18n.gate).
            report.diagnostics.extend(catalog_currency(project, loaded))
            if report.diagnostics.fails(strict):
                report.seconds = time.perf_counter() - started
                return report
            site.commit()
            report.files = site.files
    except OSError as exc:
        report.diagnostics.add(
            diagnostic(
                "ICBT703",
                f"could not write {out}: {exc.strerror or exc}",
                str(out),
                hint="build into a folder you can write to (--out), on a disk with free space",
            )
        )
        report.seconds = time.perf_counter() - started
        return report
    report.written = True
    report.seconds = time.perf_counter() - started
    return report


def _render_into(
    site: StagedSite,
    project: Path,
    loaded: list[LoadedProgramme],
    report: BuildReport,
    progress: Progress | None,
    csp: str = CSP,
) -> None:
    """Run the localise and render stages into the write stage: every file of the site is
    checked, then written to the staged site; the hosting headers come last, naming them all."""
    written: list[str] = [SITE.name]
    deployment, _ = load_deployment(project)  # its problems are reported by the localise stage

    def write(rendered: RenderedFile) -> None:
        report.diagnostics.extend(find_external_resources({rendered.path: rendered.content}))
        report.diagnostics.extend(duplicate_ids(rendered.path, rendered.content, rendered.source))
        site.write(rendered.path, rendered.content)
        written.append(rendered.path)

    files = _site_files(project, loaded, report, progress, site_csp(csp, deployment), deployment)
    for rendered in files:
        write(rendered)
    headers = headers_file(written, site_csp(PAGE_CSP, deployment))
    write(RenderedFile(HEADERS_FILE, headers.encode("utf-8"), kind="headers"))


def _site_files(
    project: Path,
    loaded: list[LoadedProgramme],
    report: BuildReport,
    progress: Progress | None,
    csp: str,
    deployment: Deployment,
) -> Iterator[RenderedFile]:
    """The localise and render stages: every file of the site but the headers, in a fixed order."""
    env = make_environment(project)
    env.globals["csp"] = csp
    index_entries = []
    for item in loaded:
        assert item.programme is not None
        localised = list(localise(project, item, report.diagnostics))
        languages = [
            Language(lp.locale.code, lp.locale.name, lp.locale.direction) for lp in localised
        ]
        report.programmes.append(item.programme.id)
        report.locales[item.programme.id] = [lp.locale.code for lp in localised]
        sitemap = SiteMap(item.programme, relative(item.root, project))
        release = signed_release(project, item.programme)
        for lp in localised:
            renderer = ProgrammeRenderer(
                env,
                lp.programme,
                lp.locale,
                sitemap,
                languages,
                notices=lp.notices,
                translate=lp.translate,
                fallback=lp.fallback,
                connection=lp.connection,
                signed_off=release.date if release else None,
                deployment=deployment,
                source=lp.source,
            )
            total = sum(len(m.pages) for m in lp.programme.modules)
            done = 0
            try:
                for rendered in _programme_files(renderer):
                    yield rendered
                    if rendered.kind == "page":
                        done += 1
                        report.pages += 1
                        if progress and (done % 25 == 0 or done == total):
                            progress(item.programme.id, lp.locale.code, done, total)
            except TemplateError as exc:
                report.diagnostics.add(template_diagnostic(exc, project))
        media, problems = _media_files(item)
        report.diagnostics.extend(problems)
        for path, content in media.items():
            yield RenderedFile(path, content, kind="media")
        index_entries.append(
            {
                "title": item.programme.title,
                "description": item.programme.description,
                "languages": [
                    {
                        "code": lang.code,
                        "name": lang.name,
                        "direction": lang.direction,
                        "url": f"{item.programme.id}/{home_path(lang.code)}",
                    }
                    for lang in languages
                ],
            }
        )
    try:
        index = env.get_template("site_index.html").render(
            title="Programmes", programmes=index_entries, csp=csp, lang="en"
        )
    except TemplateError as exc:
        report.diagnostics.add(template_diagnostic(exc, project))
        return
    yield RenderedFile("index.html", index.encode("utf-8"), kind="index")
    for path, content in {**_static_files(), **vendor_files(deployment)}.items():
        yield RenderedFile(path, content, kind="asset")


def _programme_files(renderer: ProgrammeRenderer) -> Iterator[RenderedFile]:
    """The render stage of one programme in one locale: the clients' pages, a connected site's
    own pages, then the therapist guide."""
    yield from renderer.render()
    if renderer.service is not None:
        yield from connected_pages(renderer)
    yield from TherapistGuide(renderer).render()


def _static_files() -> dict[str, bytes]:
    static = resources.files("icbt_content.render") / "static"
    return {
        f"assets/{entry.name}": entry.read_bytes()
        for entry in sorted(static.iterdir(), key=lambda e: e.name)
        if entry.is_file() and not entry.name.startswith(".")
    }


def _media_files(loaded: LoadedProgramme) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The programme's media that may be published; a diagnostic for each one that may not."""
    assert loaded.programme is not None
    media = loaded.root / "media"
    if not media.is_dir():
        return {}, []
    files, found = files_under(media, loaded.project)
    published = {}
    for path in files:
        shown = _lexical(path, loaded.project)
        content = path.read_bytes()
        problem = media_problem(path.name, content, shown)
        if problem is not None:
            found.append(problem)
            continue
        published[f"{loaded.programme.id}/media/{path.relative_to(media).as_posix()}"] = content
    return published, found


def _lexical(path: Path, project: Path) -> str:
    """The path as the author wrote the folders, links not followed."""
    try:
        return path.relative_to(project).as_posix()
    except ValueError:
        return relative(path, project)
