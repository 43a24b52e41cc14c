"""The unit of work of a build: one programme, in every locale it is published in.

:func:`build_programme` loads one programme folder, localises it, validates it as written and
in each locale, renders it and checks what it rendered; it returns everything the write stage
needs (:class:`ProgrammeBuild`), and nothing that refers to the loaded model, so a build holds
one programme's model at a time, a worker process can send the result back, and the cache can
keep it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from jinja2 import TemplateError

from icbt_content.authoring.loader import LoadedProgramme, PageReader, relative
from icbt_content.deployment import load_deployment
from icbt_content.diagnostics import Diagnostic, Diagnostics
from icbt_content.i18n.gate import catalog_currency
from icbt_content.i18n.localise import LocalisedProgramme
from icbt_content.inputs import files_under
from icbt_content.loop.connected_site import site_csp
from icbt_content.pipeline.check import CheckedProgramme, Validator, check_programme_in_locales
from icbt_content.pipeline.collector import fewer_collections
from icbt_content.pipeline.media import media_problem
from icbt_content.render.assets import find_external_resources
from icbt_content.render.connected import connected_pages
from icbt_content.render.environment import CSP, SiteSandbox, make_environment, template_diagnostic
from icbt_content.render.offline import programme_offline_files, with_copies
from icbt_content.render.site import Language, ProgrammeRenderer, RenderedFile, content_paths
from icbt_content.render.therapist import TherapistGuide
from icbt_content.render.unique_ids import duplicate_ids
from icbt_content.safety.release import signed_release
from icbt_content.sitemap import SiteMap, crisis_path, home_path
from icbt_content.validate import validate_programme

#: Called as pages are rendered: (programme id, locale, pages done, pages in total).
Progress = Callable[[str, str, int, int], None]


@dataclass
class ProgrammeBuild:
    """What building one programme gave: its files in a fixed order, its problems, its counts."""

    folder: str
    """The programme folder's name."""
    programme: str | None = None
    """The programme's id, once it loaded."""
    passed: bool = False
    """Whether it passed the load and validate stages (only then is anything rendered)."""
    files: list[RenderedFile] = field(default_factory=list)
    checked: list[Diagnostic] = field(default_factory=list)
    """Problems of the load, validate and localise stages, and of its catalogs: what a build
    that stops before rendering reports (as ``icbt check`` does)."""
    rendered: list[Diagnostic] = field(default_factory=list)
    """Problems found while rendering it and in what it rendered."""
    locales: list[str] = field(default_factory=list)
    pages: int = 0
    pages_by_locale: dict[str, int] = field(default_factory=dict)
    entry: dict[str, Any] | None = None
    """The programme's entry on the site's index page."""


@dataclass
class UnitContext:
    """What every unit of one build shares: the project, the options, the template environment
    (made on first use, in the process that uses it; never sent to a worker)."""

    project: Path
    strict: bool = False
    csp: str = CSP
    _env: SiteSandbox | None = field(default=None, repr=False, compare=False)

    def environment(self, csp: str) -> SiteSandbox:
        if self._env is None:
            self._env = make_environment(self.project)
        self._env.globals["csp"] = csp
        return self._env

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_env": None}


class RenderStage(Protocol):
    """The render stage of a programme that passed the load and validate stages: puts its
    files in ``result`` (each locale's keep-a-copy made) and the problems found in them."""

    def __call__(
        self,
        context: UnitContext,
        checked: CheckedProgramme,
        result: ProgrammeBuild,
        progress: Progress | None,
    ) -> None: ...


@fewer_collections()
def build_programme(
    context: UnitContext,
    folder: Path,
    *,
    render: bool = True,
    progress: Progress | None = None,
    read_page: PageReader | None = None,
    validate: Validator = validate_programme,
    render_stage: RenderStage | None = None,
) -> ProgrammeBuild:
    """Build one programme folder: load, localise, validate, render, check what was rendered.

    Nothing is rendered when the programme fails the load and validate stages (or when
    ``render`` is False, because another programme failed them): its locales are then checked
    without rendering, as ``icbt check`` does. ``read_page``, ``validate`` and ``render_stage``
    stand in for the stages' own (a preview passes ones that redo only what changed; see
    :mod:`icbt_content.pipeline.incremental`): the result is the same.
    """
    project = context.project
    result = ProgrammeBuild(folder=folder.name)
    checked = check_programme_in_locales(folder, project, read_page=read_page, validate=validate)
    loaded = checked.loaded
    validated = Diagnostics([*loaded.diagnostics, *checked.locale_problems])
    result.checked.extend(loaded.diagnostics)
    if loaded.programme is not None:
        result.programme = loaded.programme.id
    result.passed = loaded.programme is not None and not validated.fails(context.strict)
    if result.passed and render:
        (render_stage or render_programme)(context, checked, result, progress)
    result.checked.extend(checked.localise_problems)
    result.checked.extend(checked.locale_problems)
    result.checked.extend(catalog_currency(project, [loaded]))
    return result


def render_programme(
    context: UnitContext,
    checked: CheckedProgramme,
    result: ProgrammeBuild,
    progress: Progress | None,
) -> None:
    """The render stage of a programme (a :class:`RenderStage`): every file, then each
    locale's keep-a-copy made from its pages."""
    for rendered in rendered_files(context, checked.loaded, checked.localised, result, progress):
        result.rendered.extend(problems_of(rendered))
        result.files.append(rendered)
    result.files = with_copies(result.files)


def problems_of(file: RenderedFile) -> list[Diagnostic]:
    """The problems the build finds in one rendered file."""
    return [
        *find_external_resources({file.path: file.content}),
        *duplicate_ids(file.path, file.content, file.source),
    ]


def rendered_files(
    context: UnitContext,
    item: LoadedProgramme,
    localised: list[LocalisedProgramme],
    result: ProgrammeBuild,
    progress: Progress | None,
) -> Iterator[RenderedFile]:
    """The files of one programme: its pages in each locale, then its media (each locale's
    keep-a-copy not yet made). Problems of rendering go to ``result.rendered``."""
    assert item.programme is not None
    project = context.project
    renderers = programme_renderers(context, item, localised)
    languages = renderers[0].languages if renderers else []
    result.locales = [renderer.locale.code for renderer in renderers]
    for renderer in renderers:
        code = renderer.locale.code
        total = sum(len(m.pages) for m in renderer.programme.modules)
        done = 0
        try:
            for rendered in locale_files(renderer):
                yield rendered
                if rendered.kind == "page":
                    done += 1
                    result.pages += 1
                    result.pages_by_locale[code] = done
                    if progress and (done % 25 == 0 or done == total):
                        progress(item.programme.id, code, done, total)
        except TemplateError as exc:
            result.rendered.append(template_diagnostic(exc, project))
    media, problems = _media_files(item)
    result.rendered.extend(problems)
    for path, content in media.items():
        yield RenderedFile(path, content, kind="media")
    result.entry = {
        "title": item.programme.title,
        "description": item.programme.description,
        # The index's "Need help now?": the first programme's page, in its first language.
        "crisis": f"{item.programme.id}/{crisis_path(languages[0].code)}" if languages else "",
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


def programme_renderers(
    context: UnitContext, item: LoadedProgramme, localised: list[LocalisedProgramme]
) -> list[ProgrammeRenderer]:
    """A renderer of the programme in each locale it is published in (``localised``), its
    source locale first."""
    assert item.programme is not None
    project = context.project
    deployment, _ = load_deployment(project)  # its problems are reported by the localise stage
    env = context.environment(site_csp(context.csp, deployment))
    languages = [
        Language(
            lp.locale.code,
            lp.locale.name,
            lp.locale.direction,
            pages=content_paths(lp.programme, lp.fallback),
        )
        for lp in localised
    ]
    sitemap = SiteMap(item.programme, relative(item.root, project))
    release = signed_release(project, item.programme)
    return [
        ProgrammeRenderer(
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
        for lp in localised
    ]


def locale_files(
    renderer: ProgrammeRenderer, pages: Collection[tuple[int, int]] | None = None
) -> Iterator[RenderedFile]:
    """The render stage of one programme in one locale: the clients' pages, a connected site's
    own pages, then the therapist guide; with ``pages``, of the modules' pages only those at
    these (module index, page index)."""
    yield from renderer.render(pages)
    if renderer.service is not None:
        yield from connected_pages(renderer)
    yield from TherapistGuide(renderer).render()
    yield from programme_offline_files(renderer)


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
