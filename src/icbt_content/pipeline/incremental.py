"""Page-level rebuilds of one programme, for a process that builds again and again (``icbt serve``).

A :class:`ProgrammeMemory` keeps, between builds of one programme folder, every page as parsed
(by the bytes of its file) and what the last build that rendered rendered: the model, each file
and the problems found in it. A rebuild then parses only the pages whose files changed and runs
every check on the whole programme again (so duplicate ids, links to headings and the like are
right), reusing the readability of pages whose text did not change. When the edit changed
nothing that another file shows (every page keeps its id, title, headings, exercises,
questionnaires and boxes; no other file of the programme or of the project changed; the
programme is published in its source locale only), only the changed pages are rendered again,
with the keep-a-copy made from every page; anything else renders the whole programme. Either
way the result is what :func:`~icbt_content.pipeline.unit.build_programme` gives, byte for byte.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from icbt_content.adaptation.crisis import build_date
from icbt_content.authoring.loader import (
    LoadedProgramme,
    read_page_alone,
    read_programme,
    relative,
)
from icbt_content.deployment import DEPLOY_FILE
from icbt_content.diagnostics import Diagnostic, Diagnostics
from icbt_content.i18n.gate import catalog_currency
from icbt_content.i18n.localise import LocalisedProgramme, localise
from icbt_content.inputs import leaves_project
from icbt_content.model.blocks import Callout, Prose
from icbt_content.model.programme import Page, Programme
from icbt_content.pipeline.cache import SHARED_FOLDERS
from icbt_content.pipeline.check import validate_locales
from icbt_content.pipeline.unit import ProgrammeBuild, UnitContext, programme_renderers
from icbt_content.pipeline.unit import _rendered_files as rendered_files
from icbt_content.project import LOCALES
from icbt_content.render.assets import find_external_resources
from icbt_content.render.offline import with_copies
from icbt_content.render.offline.keepcopy import CopyMemo
from icbt_content.render.site import ProgrammeRenderer, RenderedFile
from icbt_content.render.unique_ids import duplicate_ids
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


@dataclass
class _Rendered:
    """What the last build that rendered the programme rendered."""

    programme: Programme
    outline: object
    inputs: dict[str, object]
    files: list[RenderedFile]
    """Its files as rendered, each locale's keep-a-copy request not yet made into the copy."""
    problems: dict[str, list[Diagnostic]]
    """The problems found in each rendered file."""
    other: list[Diagnostic]
    """Problems of rendering not found in one file: templates that failed, media refused."""
    unit: ProgrammeBuild


@dataclass
class ProgrammeMemory:
    """What rebuilding one programme folder keeps from build to build (see the module)."""

    folder: Path
    pages: PageMemo = field(default_factory=PageMemo, repr=False)
    copies: CopyMemo = field(default_factory=CopyMemo, repr=False)
    """The compressed pages of the keep-a-copy zips (one page changed: one compressed)."""
    rendered_pages: int = 0
    """Pages the last rebuild rendered (all of them when it rendered the whole programme)."""
    _last: _Rendered | None = field(default=None, repr=False)
    _readability: dict[object, list[Diagnostic]] = field(default_factory=dict, repr=False)
    _digests: dict[str, tuple[tuple[int, ...], bytes]] = field(default_factory=dict, repr=False)

    def rebuild(self, context: UnitContext) -> ProgrammeBuild:
        """Build the programme again, as :func:`build_programme` does, doing only what the
        changes since the last rebuild need."""
        project = context.project
        loaded = read_programme(self.folder, project, read_page=self.pages)
        self.pages.keep_only(self._page_files(loaded))
        localised, localise_problems = localise(project, loaded)
        loaded.diagnostics.extend(self._validated(loaded))
        locale_problems = validate_locales(loaded, localised)
        validated = Diagnostics([*loaded.diagnostics, *locale_problems])
        result = ProgrammeBuild(folder=self.folder.name)
        result.checked.extend(loaded.diagnostics)
        programme = loaded.programme
        if programme is not None:
            result.programme = programme.id
        result.passed = programme is not None and not validated.fails(context.strict)
        if programme is not None and result.passed:
            inputs = self._inputs(context, loaded)
            rendered = self._render_changed(context, loaded, localised, programme, inputs, result)
            if rendered is None:
                rendered = self._render_all(context, loaded, localised, programme, inputs, result)
            self._last = rendered
            result.files = with_copies(rendered.files, self.copies)
            result.rendered = [d for problems in rendered.problems.values() for d in problems]
            result.rendered.extend(rendered.other)
        result.checked.extend(localise_problems)
        result.checked.extend(locale_problems)
        result.checked.extend(catalog_currency(project, [loaded]))
        return result

    # -- validate -------------------------------------------------------------------------------

    def _validated(self, loaded: LoadedProgramme) -> list[Diagnostic]:
        """The problems of the validate stage, as :func:`~icbt_content.validate.
        validate_programme` finds them; the readability of a page whose text did not change
        is not counted again."""
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

    def _render_all(
        self,
        context: UnitContext,
        loaded: LoadedProgramme,
        localised: list[LocalisedProgramme],
        programme: Programme,
        inputs: dict[str, object],
        result: ProgrammeBuild,
    ) -> _Rendered:
        """Render the whole programme (the render stage of ``build_programme``)."""
        files: list[RenderedFile] = []
        problems: dict[str, list[Diagnostic]] = {}
        for file in rendered_files(context, loaded, localised, result, None):
            problems[file.path] = _problems_of(file)
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
        return _Rendered(programme, outline(programme), inputs, files, problems, other, unit)

    def _render_changed(
        self,
        context: UnitContext,
        loaded: LoadedProgramme,
        localised: list[LocalisedProgramme],
        programme: Programme,
        inputs: dict[str, object],
        result: ProgrammeBuild,
    ) -> _Rendered | None:
        """Render only the pages that changed; None when that cannot be shown to be enough."""
        last = self._last
        if last is None or last.inputs != inputs or last.outline != outline(programme):
            return None
        renderers = programme_renderers(context, loaded, localised)
        if len(renderers) != 1 or renderers[0].fallback is not None or renderers[0].notices:
            return None
        files = list(last.files)
        where = {file.path: index for index, file in enumerate(files)}
        problems = dict(last.problems)
        rendered = 0
        try:
            for changed in _changed_pages(last.programme, programme, renderers[0]):
                index = where.get(changed.path)
                if index is None:
                    return None
                files[index] = changed
                problems[changed.path] = _problems_of(changed)
                rendered += 1
        except TemplateError:
            return None  # the whole render reports it, as a cold build does
        self.rendered_pages = rendered
        unit = last.unit
        result.locales = unit.locales
        result.pages = unit.pages
        result.pages_by_locale = dict(unit.pages_by_locale)
        result.entry = unit.entry
        return _Rendered(programme, last.outline, inputs, files, problems, last.other, unit)

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
        for name, path in _walk(self.folder):
            if name not in pages:
                found[f"{self.folder.name}/{name}"] = self._digest(path)
        for shared in (*SHARED_FOLDERS, LOCALES):
            for name, path in _walk(project / shared):
                found[f"{shared}/{name}"] = self._digest(path)
        deploy = project / DEPLOY_FILE
        found[DEPLOY_FILE] = self._digest(deploy) if deploy.exists() else b""
        return found

    def _digest(self, path: Path) -> bytes:
        """A file's digest, read again only when its size, times or inode changed."""
        try:
            info = path.stat()
        except OSError as exc:
            return f"unreadable: {exc.errno}".encode()
        stamp = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        key = str(path)
        known = self._digests.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        try:
            value = hashlib.sha256(path.read_bytes()).digest()
        except OSError as exc:
            value = f"unreadable: {exc.errno}".encode()
        self._digests[key] = (stamp, value)
        return value


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


def _walk(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file under ``folder`` (links followed) by its path below it, in a fixed order."""
    if not folder.is_dir():
        return
    for root, dirs, names in os.walk(folder, followlinks=True):
        dirs.sort()
        for name in sorted(names):
            path = Path(root, name)
            yield path.relative_to(folder).as_posix(), path


def _changed_pages(
    before: Programme, after: Programme, renderer: ProgrammeRenderer
) -> Iterator[RenderedFile]:
    """The pages of ``after`` that differ from the same page of ``before`` (the programmes'
    outlines are equal), rendered again."""
    for m_index, (old_module, module) in enumerate(zip(before.modules, after.modules, strict=True)):
        for p_index, (old, page) in enumerate(zip(old_module.pages, module.pages, strict=True)):
            if page is not old and page != old:
                yield renderer.content_page(module, m_index, page, p_index)


def _problems_of(file: RenderedFile) -> list[Diagnostic]:
    """The problems ``build_programme`` finds in one rendered file."""
    return [
        *find_external_resources({file.path: file.content}),
        *duplicate_ids(file.path, file.content, file.source),
    ]
