"""Page-level rebuilds of one programme: ``icbt serve`` after an edit, and ``icbt build`` for a
programme its cache does not have.

A :class:`ProgrammeMemory` keeps, between builds of one programme folder, every page as parsed
(by the bytes of its file) and what the last build that rendered rendered: each file, the
problems found in it, and what each page's rendering read in each locale. A rebuild is
:func:`~icbt_content.pipeline.unit.build_programme` with stages that remember: it parses only
the pages whose files changed and runs every check on the whole programme again (so duplicate
ids, links to headings and the like are right), reusing the readability of pages whose text did
not change. When no other file of the programme or of the project changed and each language has
the same pages, only the pages whose inputs changed are rendered again (the page itself, its
module's page titles, its neighbours' titles, the navigation, its module's notice, the same as
written in the source language), in every locale; in a locale whose outline changed (a title,
a heading, a module now served in the source locale because its translation is unfinished) its
other files are rendered again too. Anything else renders the whole programme. Either way the
result is what ``build_programme`` gives, byte for byte. ``icbt serve`` holds the memory;
``icbt build`` keeps it in its cache (:meth:`ProgrammeMemory.keep`), for the code that made it.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import pickle
import tempfile
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
from icbt_content.model.programme import Module, Page, Programme
from icbt_content.pipeline import cache as build_cache
from icbt_content.pipeline.check import CheckedProgramme
from icbt_content.pipeline.digests import FileDigests, files_in
from icbt_content.pipeline.unit import (
    ProgrammeBuild,
    Progress,
    UnitContext,
    build_programme,
    locale_files,
    problems_of,
    programme_renderers,
    rendered_files,
)
from icbt_content.project import LOCALES
from icbt_content.render.offline import with_copies
from icbt_content.render.offline.keepcopy import CopyMemo
from icbt_content.render.site import ProgrammeRenderer, RenderedFile, content_paths
from icbt_content.sitemap import SiteMap, page_path
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
class _Locale:
    """What a rebuild compares of the programme in one locale."""

    code: str
    outline: object
    """The programme's outline in this locale (:func:`outline`)."""
    units: dict[str, tuple[bool, str]]
    """Unit id -> whether it is served whole in the source locale, and its notice."""
    pages: dict[tuple[int, int], tuple[str, object]]
    """(module index, page index) -> the page's file, and everything rendering it reads."""

    @classmethod
    def of(cls, renderer: ProgrammeRenderer, localised: LocalisedProgramme) -> _Locale:
        fallback = localised.fallback.modules if localised.fallback is not None else frozenset()
        units = {unit: (True, "") for unit in fallback}
        for unit, notice in localised.notices.items():
            units[unit] = (unit in fallback, notice)
        return cls(
            renderer.locale.code, outline(localised.programme), units, _page_inputs(renderer)
        )

    def paths(self, programme_id: str, files: Iterable[RenderedFile]) -> set[str]:
        """The paths of the files of this locale among ``files``."""
        folder = f"{programme_id}/{self.code}/"
        return {file.path for file in files if file.path.startswith(folder)}


@dataclass
class _Rendered:
    """What the last build that rendered the programme rendered."""

    locales: list[_Locale]
    """The programme in each locale, its source locale first."""
    languages: object
    """The pages each language has (every page links to them)."""
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
    digests: FileDigests = field(default_factory=FileDigests, repr=False)
    """The digests of the files the programme reads (shared with the preview's cache)."""
    pages: PageMemo = field(default_factory=PageMemo, repr=False)
    copies: CopyMemo = field(default_factory=CopyMemo, repr=False)
    """The compressed pages of the keep-a-copy zips (one page changed: one compressed)."""
    rendered_pages: int = 0
    """Pages the last rebuild rendered (all of them when it rendered the whole programme)."""
    _last: _Rendered | None = field(default=None, repr=False)
    _readability: dict[object, list[Diagnostic]] = field(default_factory=dict, repr=False)

    @classmethod
    def kept(cls, file: Path, folder: Path) -> ProgrammeMemory:
        """The memory of ``folder`` kept in ``file`` by :meth:`keep`; a new one when there is
        none, or it was kept by other code or is damaged."""
        try:
            data = file.read_bytes()
        except OSError:
            return cls(folder)
        head = _memory_head()
        payload = data[len(head) + 32 :]
        signature = _signature(payload)
        if not data.startswith(head) or signature is None:
            return cls(folder)
        if not hmac.compare_digest(signature, data[len(head) :][:32]):
            return cls(folder)  # damaged, or not signed with this user's key: never unpickled
        try:
            memory = pickle.loads(payload)
        except Exception:  # a damaged file is only a slower build
            return cls(folder)
        if not isinstance(memory, cls) or memory.folder != folder:
            return cls(folder)
        return memory

    def keep(self, file: Path) -> None:
        """Keep this memory in ``file`` for the next process that builds the programme
        (written atomically; a memory that cannot be written is only a slower build)."""
        try:
            payload = pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, RecursionError):
            return
        signature = _signature(payload)
        if signature is None:
            return
        data = _memory_head() + signature + payload
        with contextlib.suppress(OSError):
            file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=file.parent)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.replace(temporary, file)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise

    def __getstate__(self) -> dict[str, object]:
        # Files' digests are keyed by their stat, which another process may not see change.
        return {**self.__dict__, "digests": FileDigests()}

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
        renderers = programme_renderers(context, checked.loaded, checked.localised)
        locales = [_Locale.of(*pair) for pair in zip(renderers, checked.localised, strict=True)]
        languages = _languages(checked)
        return _Rendered(locales, languages, inputs, files, problems, other, unit)

    def _render_changed(
        self,
        context: UnitContext,
        checked: CheckedProgramme,
        inputs: dict[str, object],
        result: ProgrammeBuild,
    ) -> _Rendered | None:
        """Render only the pages whose inputs changed (in a locale whose outline changed, every
        file but its pages whose inputs did not); None when that cannot be shown to be enough."""
        last = self._last
        programme = checked.loaded.programme
        if last is None or programme is None or last.inputs != inputs:
            return None
        if last.languages != _languages(checked):
            return None
        renderers = programme_renderers(context, checked.loaded, checked.localised)
        if [r.locale.code for r in renderers] != [item.code for item in last.locales]:
            return None
        files = list(last.files)
        where = {file.path: index for index, file in enumerate(files)}
        problems = dict(last.problems)
        locales: list[_Locale] = []
        rendered = 0
        try:
            for renderer, localised, before in zip(
                renderers, checked.localised, last.locales, strict=True
            ):
                now = _Locale.of(renderer, localised)
                changed = {at for at, page in now.pages.items() if before.pages.get(at) != page}
                expected: set[str] | None = None
                if now.outline == before.outline and now.units == before.units:
                    again = _pages_again(renderer, changed)
                else:
                    again = locale_files(renderer, changed)
                    kept = {path for at, (path, _) in now.pages.items() if at not in changed}
                    expected = before.paths(programme.id, last.files) - kept
                emitted = set()
                for file in again:
                    index = where.get(file.path)
                    if index is None:
                        return None
                    files[index] = file
                    problems[file.path] = problems_of(file)
                    rendered += file.kind == "page"
                    emitted.add(file.path)
                if expected is not None and emitted != expected:
                    return None  # a file is no longer made: the whole render drops it
                locales.append(now)
        except TemplateError:
            return None  # the whole render reports it, as a cold build does
        self.rendered_pages = rendered
        unit = last.unit
        result.locales = unit.locales
        result.pages = unit.pages
        result.pages_by_locale = dict(unit.pages_by_locale)
        result.entry = unit.entry
        return _Rendered(locales, last.languages, inputs, files, problems, last.other, unit)

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
        for shared in (*build_cache.SHARED_FOLDERS, LOCALES):
            for name, path in files_in(project / shared):
                found[f"{shared}/{name}"] = self.digests(path)
        deploy = project / DEPLOY_FILE
        found[DEPLOY_FILE] = self.digests(deploy) if deploy.exists() else b""
        return found


def _languages(checked: CheckedProgramme) -> object:
    """The pages each language of the programme has."""
    return tuple(
        (item.locale.code, content_paths(item.programme, item.fallback))
        for item in checked.localised
    )


def _page_inputs(renderer: ProgrammeRenderer) -> dict[tuple[int, int], tuple[str, object]]:
    """(module index, page index) -> each page's file in the renderer's locale, and what
    rendering it reads that may change: the page and its place (its module's pages, the
    titles of the pages before and after it), the navigation, its module's notice, and the
    same as written in the source language (what is still identical to it is marked)."""
    found: dict[tuple[int, int], tuple[str, object]] = {}
    navs: dict[int, object] = {}
    orders: dict[int, dict[tuple[str, str], int]] = {}

    def nav(programme: Programme | None) -> object:
        if programme is None:
            return None
        if id(programme) not in navs:
            navs[id(programme)] = (
                programme.model_copy(update={"modules": ()}),
                tuple((m.id, m.title, m.summary, m.core) for m in programme.modules),
            )
        return navs[id(programme)]

    for m_index, module in enumerate(renderer.programme.modules):
        served, shown = renderer.served_module(m_index)
        flat = served.reading_order()
        if id(served) not in orders:
            orders[id(served)] = {(m.id, p.id): i for i, (m, p) in enumerate(flat)}
        position = orders[id(served)]
        source = served.language.source.programme if served.language.source else None
        written = served.source_module(shown.id)
        place = (
            shown.model_copy(update={"pages": tuple((p.id, p.title) for p in shown.pages)}),
            served is not renderer,
            served.notices.get(module.id, ""),
            nav(served.programme),
            nav(source),
            tuple((p.id, p.title) for p in written.pages) if written else None,
        )
        for p_index, page in enumerate(shown.pages):
            at = position[(shown.id, page.id)]
            neighbours = tuple(
                (flat[i][1].title, _written_title(served, *flat[i]))
                for i in (at - 1, at + 1)
                if 0 <= i < len(flat)
            )
            path = served.site_path(page_path(served.code, shown.id, page.id)) + "index.html"
            inputs = (place, page, served.source_page(shown.id, page.id), neighbours)
            found[(m_index, p_index)] = (path, inputs)
    return found


def _written_title(renderer: ProgrammeRenderer, module: Module, page: Page) -> str | None:
    written = renderer.source_page(module.id, page.id)
    return written.title if written else None


def _pages_again(
    renderer: ProgrammeRenderer, pages: set[tuple[int, int]]
) -> Iterator[RenderedFile]:
    """The pages at ``pages`` (module index, page index), rendered again."""
    for m_index in sorted({m for m, _ in pages}):
        only = {p for m, p in pages if m == m_index}
        yield from renderer.module_files(m_index, only, module_page=False)


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


def _signature(payload: bytes) -> bytes | None:
    """``payload`` signed with the user's key (a memory is unpickled only when its signature
    is right); None when there is no key."""
    key = build_cache.signing_key()
    return None if key is None else hmac.digest(key, payload, "sha256")


def _memory_head() -> bytes:
    """What a kept memory starts with: the format and the code that made it."""
    return f"icbt-memory 1 {build_cache.code_version()}\n".encode()
