"""Page-level rebuilds of one programme, for a process that builds again and again (``icbt serve``).

A :class:`ProgrammeMemory` keeps, between builds of one programme folder, every page as parsed
(by the bytes of its file) and what the last build that rendered rendered: the model in each
locale, each file and the problems found in it. A rebuild is
:func:`~icbt_content.pipeline.unit.build_programme` with stages that remember: it parses only
the pages whose files changed and runs every check on the whole programme again (so duplicate
ids, links to headings and the like are right), reusing the readability of pages whose text did
not change. When the edit changed nothing that another file shows (in every locale, every page
keeps its id, title, headings, exercises, questionnaires and boxes; no other file of the
programme or of the project changed), only the changed pages are rendered again, in every
locale, with the keep-a-copy made from every page; a module whose translation became
unfinished (or finished) is rendered again whole in that locale, its pages now served in the
source locale with a notice (or no longer). Anything else renders the whole programme. Either
way the result is what ``build_programme`` gives, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from icbt_content.adaptation.crisis import build_date
from icbt_content.authoring.loader import LoadedProgramme, read_page_alone, relative
from icbt_content.deployment import DEPLOY_FILE
from icbt_content.diagnostics import Diagnostic
from icbt_content.i18n.localise import LocalisedProgramme
from icbt_content.inputs import leaves_project
from icbt_content.model.blocks import Callout, Prose
from icbt_content.model.programme import Page, Programme
from icbt_content.pipeline.cache import SHARED_FOLDERS
from icbt_content.pipeline.check import CheckedProgramme
from icbt_content.pipeline.digests import FileDigests, files_in
from icbt_content.pipeline.unit import (
    ProgrammeBuild,
    Progress,
    UnitContext,
    build_programme,
    problems_of,
    programme_renderers,
    rendered_files,
)
from icbt_content.project import LOCALES
from icbt_content.render.offline import with_copies
from icbt_content.render.offline.keepcopy import CopyMemo
from icbt_content.render.site import RenderedFile, content_paths
from icbt_content.sitemap import SiteMap
from icbt_content.validate import CHECKS, check_readability

__all__ = ["PageMemo", "ProgrammeMemory", "outline"]


@dataclass
class _PageRead:
    """A page as read from a file's bytes: the page, and what reading it added."""

    key: tuple[bytes, Diagnostic | None]
    page: Page | None
    found: LoadedProgramme


class PageMemo:
    """Reads pages (a :class:`~icbt_content.authoring.loader.PageReader`), parsing a file again
    only when its bytes (or whether it may be read) changed since it was last read."""

    def __init__(self) -> None:
        self._pages: dict[Path, _PageRead] = {}
        self.parsed = 0
        """Pages parsed so far (not taken from memory)."""

    def __call__(
        self, path: Path, root: Path, project: Path
    ) -> tuple[Page | None, LoadedProgramme]:
        try:
            raw = path.read_bytes()
        except OSError:
            return read_page_alone(path, root, project)  # reported as a cold read reports it
        key = (raw, leaves_project(path, project))
        known = self._pages.get(path)
        if known is None or known.key != key or known.found.root != root:
            known = _PageRead(key, *read_page_alone(path, root, project))
            self._pages[path] = known
            self.parsed += 1
        return known.page, known.found

    def keep_only(self, paths: Iterable[Path]) -> None:
        """Forget the pages not among ``paths`` (files removed or renamed)."""
        kept = set(paths)
        self._pages = {path: read for path, read in self._pages.items() if path in kept}


def outline(programme: Programme) -> object:
    """What other files show of a programme: everything but the pages' running text.

    Two programmes with equal outlines differ only in pages' prose and box text; a page's prose
    shows on that page (and in the keep-a-copy made from every page) and nowhere else.
    """
    modules = tuple(
        (module.model_copy(update={"pages": ()}), tuple(_page_outline(p) for p in module.pages))
        for module in programme.modules
    )
    return programme.model_copy(update={"modules": ()}), modules


def _page_outline(page: Page) -> object:
    blocks = tuple(
        ("prose", block.anchors)
        if isinstance(block, Prose)
        else ("callout", block.style, block.id, block.title, block.anchors)
        if isinstance(block, Callout)
        else block
        for block in page.blocks
    )
    return page.id, page.title, page.distressing, page.headings, page.source, blocks


@dataclass(frozen=True)
class _Served:
    """What one locale serves of a programme, as far as a rebuild compares it."""

    programme: Programme
    """The programme in that locale."""
    units: dict[str, tuple[bool, str]]
    """Unit id -> whether it is served in the source locale, and its notice."""

    @classmethod
    def of(cls, localised: LocalisedProgramme) -> _Served:
        fallback = localised.fallback.modules if localised.fallback is not None else frozenset()
        units = {unit: (True, "") for unit in fallback}
        for unit, notice in localised.notices.items():
            units[unit] = (unit in fallback, notice)
        return cls(localised.programme, units)


@dataclass
class _Rendered:
    """What the last build that rendered the programme rendered."""

    served: list[_Served]
    """The programme in each locale, its source locale first."""
    shape: object
    """What every page of the programme shows: the outline in each locale, and the pages
    each language has."""
    inputs: dict[str, object]
    files: list[RenderedFile]
    """Its files as rendered, each locale's keep-a-copy labels not yet made into the copy."""
    problems: dict[str, list[Diagnostic]]
    """The problems found in each rendered file."""
    other: list[Diagnostic]
    """Problems of rendering not found in one file: templates that failed, media refused."""
    unit: ProgrammeBuild


@dataclass
class ProgrammeMemory:
    """What rebuilding one programme folder keeps from build to build (see the module)."""

    folder: Path
    digests: FileDigests = field(default_factory=FileDigests, repr=False)
    """The digests of the files the programme reads (shared with the preview's cache)."""
    pages: PageMemo = field(default_factory=PageMemo, repr=False)
    copies: CopyMemo = field(default_factory=CopyMemo, repr=False)
    """The compressed pages of the keep-a-copy zips (one page changed: one compressed)."""
    rendered_pages: int = 0
    """Pages the last rebuild rendered (all of them when it rendered the whole programme)."""
    _last: _Rendered | None = field(default=None, repr=False)
    _readability: dict[object, list[Diagnostic]] = field(default_factory=dict, repr=False)

    def rebuild(self, context: UnitContext) -> ProgrammeBuild:
        """Build the programme again, as :func:`build_programme` does, doing only what the
        changes since the last rebuild need."""
        return build_programme(
            context,
            self.folder,
            read_page=self.pages,
            validate=self._validated,
            render_stage=self._render,
        )

    # -- validate -------------------------------------------------------------------------------

    def _validated(self, loaded: LoadedProgramme) -> list[Diagnostic]:
        """The problems of the validate stage, as :func:`~icbt_content.validate.
        validate_programme` finds them; the readability of a page whose text did not change
        is not counted again."""
        self.pages.keep_only(self._page_files(loaded))
        programme = loaded.programme
        if programme is None:
            return []
        sites = SiteMap(programme, relative(loaded.root, loaded.project))
        found: list[Diagnostic] = []
        for check in CHECKS:
            if check is check_readability:
                found.extend(self._readability_of(loaded, programme, sites))
            else:
                found.extend(check(loaded, programme, sites))
        return found

    def _readability_of(
        self, loaded: LoadedProgramme, programme: Programme, sites: SiteMap
    ) -> Iterator[Diagnostic]:
        seen: dict[object, list[Diagnostic]] = {}
        for module, page in programme.pages():
            file = page.source.file if page.source else ""
            text = tuple(loaded.page_text.get(file, []))
            key = (programme.source_locale, page.id, page.source, text)
            found = self._readability.get(key)
            if found is None:
                alone = programme.model_copy(
                    update={"modules": (module.model_copy(update={"pages": (page,)}),)}
                )
                found = list(check_readability(loaded, alone, sites))
            seen[key] = found
            yield from found
        self._readability = seen

    # -- render ---------------------------------------------------------------------------------

    def _render(
        self,
        context: UnitContext,
        checked: CheckedProgramme,
        result: ProgrammeBuild,
        progress: Progress | None,
    ) -> None:
        """The render stage (a :class:`~icbt_content.pipeline.unit.RenderStage`): the pages
        that changed when that is enough, else every file."""
        inputs = self._inputs(context, checked.loaded)
        rendered = self._render_changed(context, checked, inputs, result)
        if rendered is None:
            rendered = self._render_all(context, checked, inputs, result)
        self._last = rendered
        result.files = with_copies(rendered.files, self.copies)
        result.rendered = [d for problems in rendered.problems.values() for d in problems]
        result.rendered.extend(rendered.other)

    def _render_all(
        self,
        context: UnitContext,
        checked: CheckedProgramme,
        inputs: dict[str, object],
        result: ProgrammeBuild,
    ) -> _Rendered:
        """Render the whole programme (the render stage of ``build_programme``)."""
        files: list[RenderedFile] = []
        problems: dict[str, list[Diagnostic]] = {}
        for file in rendered_files(context, checked.loaded, checked.localised, result, None):
            problems[file.path] = problems_of(file)
            files.append(file)
        self.rendered_pages = result.pages
        other, result.rendered = result.rendered, []
        unit = ProgrammeBuild(
            folder=result.folder,
            programme=result.programme,
            passed=True,
            locales=result.locales,
            pages=result.pages,
            pages_by_locale=dict(result.pages_by_locale),
            entry=result.entry,
        )
        served = [_Served.of(item) for item in checked.localised]
        shape = _shape(checked)
        return _Rendered(served, shape, inputs, files, problems, other, unit)

    def _render_changed(
        self,
        context: UnitContext,
        checked: CheckedProgramme,
        inputs: dict[str, object],
        result: ProgrammeBuild,
    ) -> _Rendered | None:
        """Render only the pages that changed; None when that cannot be shown to be enough."""
        last = self._last
        if last is None or last.inputs != inputs or len(last.served) != len(checked.localised):
            return None
        served = [_Served.of(item) for item in checked.localised]
        shape = _shape(checked)
        if shape != last.shape:
            return None
        renderers = programme_renderers(context, checked.loaded, checked.localised)
        changed = _changed_pages(last.served, served)
        files = list(last.files)
        where = {file.path: index for index, file in enumerate(files)}
        problems = dict(last.problems)
        rendered = 0
        try:
            for renderer, before, after in zip(renderers, last.served, served, strict=True):
                whole = _modules_served_otherwise(before, after)
                if whole is None:
                    return None
                for m_index in range(len(after.programme.modules)):
                    pages = None if m_index in whole else changed.get(m_index)
                    if pages is None and m_index not in whole:
                        continue
                    for again in renderer.module_files(m_index, pages):
                        index = where.get(again.path)
                        if index is None:
                            return None
                        files[index] = again
                        problems[again.path] = problems_of(again)
                        rendered += again.kind == "page"
        except TemplateError:
            return None  # the whole render reports it, as a cold build does
        self.rendered_pages = rendered
        unit = last.unit
        result.locales = unit.locales
        result.pages = unit.pages
        result.pages_by_locale = dict(unit.pages_by_locale)
        result.entry = unit.entry
        return _Rendered(served, last.shape, inputs, files, problems, last.other, unit)

    # -- inputs ---------------------------------------------------------------------------------

    def _page_files(self, loaded: LoadedProgramme) -> list[Path]:
        return [
            self.folder / "modules" / module / name
            for module, name in _page_names(loaded, self.folder)
        ]

    def _inputs(self, context: UnitContext, loaded: LoadedProgramme) -> dict[str, object]:
        """Everything the programme's build reads but its pages: the other files of its
        folder, the project's shared folders, the options and the build date."""
        project = context.project
        pages = {f"modules/{module}/{name}" for module, name in _page_names(loaded, self.folder)}
        found: dict[str, object] = {
            "": (context.strict, context.csp, str(build_date())),
        }
        for name, path in files_in(self.folder):
            if name not in pages:
                found[f"{self.folder.name}/{name}"] = self.digests(path)
        for shared in (*SHARED_FOLDERS, LOCALES):
            for name, path in files_in(project / shared):
                found[f"{shared}/{name}"] = self.digests(path)
        deploy = project / DEPLOY_FILE
        found[DEPLOY_FILE] = self.digests(deploy) if deploy.exists() else b""
        return found


def _shape(checked: CheckedProgramme) -> object:
    """What every page of a programme shows of the others, in every locale: the outline of
    the programme in each locale, and the pages each language has."""
    return tuple(
        (item.locale.code, outline(item.programme), content_paths(item.programme, item.fallback))
        for item in checked.localised
    )


def _page_names(loaded: LoadedProgramme, folder: Path) -> list[tuple[str, str]]:
    """(module id, file name) of each page the programme has."""
    programme = loaded.programme
    if programme is None:
        return []
    found = []
    for module in programme.modules:
        for page in module.pages:
            if page.source is not None:
                found.append((module.id, page.source.file.rsplit("/", 1)[-1]))
    return found


def _changed_pages(before: list[_Served], after: list[_Served]) -> dict[int, set[int]]:
    """Module index -> the indexes of its pages that differ in any locale (the outlines of
    ``before`` and ``after`` are equal)."""
    changed: dict[int, set[int]] = {}
    for old_served, new_served in zip(before, after, strict=True):
        modules = zip(old_served.programme.modules, new_served.programme.modules, strict=True)
        for m_index, (old_module, module) in enumerate(modules):
            for p_index, (old, page) in enumerate(zip(old_module.pages, module.pages, strict=True)):
                if page is not old and page != old:
                    changed.setdefault(m_index, set()).add(p_index)
    return changed


def _modules_served_otherwise(before: _Served, after: _Served) -> set[int] | None:
    """The indexes of the modules served in another locale, or with another notice, than
    before (rendered again whole); None when a unit that is not a module changed so."""
    modules = {module.id: index for index, module in enumerate(after.programme.modules)}
    found = set()
    for unit in before.units.keys() | after.units.keys():
        if before.units.get(unit) == after.units.get(unit):
            continue
        if unit not in modules:
            return None
        found.add(modules[unit])
    return found
