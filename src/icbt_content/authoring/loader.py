"""Load stage: read programmes/<id>/ into the typed model, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from icbt_content.authoring.documents import Document, read_document, read_text
from icbt_content.authoring.guidance import load_guidance
from icbt_content.authoring.manifests import (
    CheckInFrontMatter,
    CrisisFrontMatter,
    ModuleFrontMatter,
    PageFrontMatter,
    ProgrammeManifest,
)
from icbt_content.authoring.pages import LinkRef, read_blocks
from icbt_content.authoring.yamlsafe import LocatedYaml, load_yaml, validate
from icbt_content.diagnostics import Diagnostic, Diagnostics, diagnostic
from icbt_content.ids import is_valid_id, page_id_from_filename
from icbt_content.inputs import leaves_project
from icbt_content.limits import MAX_PAGES_PER_MODULE
from icbt_content.measures.loading import resolve_measures
from icbt_content.model.base import SourceLocation
from icbt_content.model.guidance import GuidanceTemplate
from icbt_content.model.measure import Measure
from icbt_content.model.programme import (
    CHECK_IN_UNIT,
    CheckInPage,
    CrisisPage,
    Module,
    Page,
    Programme,
)

MODULE_FILE = "module.md"
RESERVED_MODULE_IDS = frozenset({"crisis", "therapist", "answers", "assets", CHECK_IN_UNIT})
CHECK_IN_FILE = "check-in.md"


@dataclass
class LoadedProgramme:
    """A programme as read from disk, with what later stages need to check it."""

    root: Path
    """The programme folder."""
    project: Path
    programme: Programme | None
    links: list[LinkRef] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    used_measures: set[str] = field(default_factory=set)
    page_text: dict[str, list[str]] = field(default_factory=dict)
    """Source file of each page -> its plain text runs (for readability)."""
    unreadable_pages: set[str] = field(default_factory=set)
    """Modules with a page that could not be read (so 'empty module' would mislead)."""
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The lines of every file read, by the path shown to authors (no later stage re-reads)."""
    manifest: LocatedYaml | None = None
    """programme.yaml as read, with the line of every value (later stages never re-read it)."""
    segments: list[Any] | None = None
    """Every segment a translator translates (:class:`~icbt_content.i18n.segments.Segment`),
    in reading order, once the localise stage has walked the programme: the catalog gate and the
    translators' commands reuse it rather than walking the programme again."""


def relative(path: Path, project: Path) -> str:
    """The path shown to authors: relative to the project, with forward slashes."""
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class PageReader(Protocol):
    """Reads one page file: the page, and what reading it found (its diagnostics, links, text
    and lines) in a :class:`LoadedProgramme` of its own (:func:`read_page_alone`)."""

    def __call__(
        self, path: Path, root: Path, project: Path
    ) -> tuple[Page | None, LoadedProgramme]: ...


def read_page_alone(path: Path, root: Path, project: Path) -> tuple[Page | None, LoadedProgramme]:
    """Read one page file of the programme folder ``root`` on its own (a :class:`PageReader`)."""
    found = LoadedProgramme(root=root, project=project, programme=None)
    page, problems = _read_page(path, found)
    found.diagnostics.extend(problems)
    return page, found


def read_programme(
    root: Path, project: Path | None = None, *, read_page: PageReader | None = None
) -> LoadedProgramme:
    """Read a programme folder. Never raises for bad content: problems become diagnostics.

    ``read_page`` reads each page (a preview passes one that parses only the pages whose files
    changed)."""
    project = project or root.parent.parent
    result = LoadedProgramme(root=root, project=project, programme=None)
    found = result.diagnostics
    manifest_path = root / "programme.yaml"
    shown = relative(manifest_path, project)
    text, problems = read_text(manifest_path, shown, project)
    found.extend(problems)
    if text is not None:
        result.sources[shown] = tuple(text.split("\n"))
    if text is None:
        if not manifest_path.exists():
            found.add(
                diagnostic(
                    "ICBT106",
                    "programme.yaml is missing",
                    shown,
                    hint="run 'icbt new programme ID' to start from a template",
                )
            )
        return result
    located, problems = load_yaml(text, shown)
    found.extend(problems)
    if located is None:
        return result
    result.manifest = located
    manifest, problems = validate(ProgrammeManifest, located, what="programme.yaml")
    found.extend(problems)
    if manifest is None:
        return result

    modules: list[Module] = []
    for index, module_id in enumerate(manifest.modules):
        line = located.line_of(("modules", index))
        col = located.col_of(("modules", index))
        if module_id in RESERVED_MODULE_IDS:
            found.add(
                diagnostic(
                    "ICBT202",
                    f"'{module_id}' is reserved for the site and cannot be a module id",
                    shown,
                    line,
                    col,
                    hint="choose another name for the module folder",
                )
            )
            continue
        folder = root / "modules" / module_id
        module, problems = _read_module(folder, module_id, shown, (line, col), result, read_page)
        found.extend(problems)
        if module is not None:
            modules.append(module)

    found.extend(_exit_url_problems(manifest.exit_url, shown, located.line_of(("exit_url",))))
    # Weekly measures are shown on the check-in page: they are published like any on a page.
    result.used_measures.update(manifest.weekly)
    measures, problems = _read_measures(root, project, manifest, result.used_measures)
    found.extend(problems)
    guidance, problems = _read_guidance(root, project)
    found.extend(problems)
    crisis, problems = _read_crisis(root, project, result)
    found.extend(problems)
    check_in, problems = _read_check_in(root, project, result)
    found.extend(problems)
    try:
        result.programme = Programme(
            **manifest.model_dump(exclude={"modules", "measures"}),
            modules=tuple(modules),
            measures=tuple(measures),
            guidance=tuple(guidance),
            crisis=crisis,
            check_in=check_in,
            source=SourceLocation(file=shown, line=1),
        )
    except ValueError as exc:  # pragma: no cover - every field was validated above
        found.add(diagnostic("ICBT104", f"programme could not be assembled: {exc}", shown))
    return result


def _read_module(
    folder: Path,
    module_id: str,
    manifest: str,
    where: tuple[int, int],
    result: LoadedProgramme,
    read: PageReader | None = None,
) -> tuple[Module | None, list[Diagnostic]]:
    module_file = folder / MODULE_FILE
    if not module_file.is_file():
        return None, [
            diagnostic(
                "ICBT106",
                f"module '{module_id}' has no {relative(module_file, result.project)}",
                manifest,
                *where,
                hint=f"create modules/{module_id}/{MODULE_FILE}, or remove the module from "
                "the list",
            )
        ]
    doc, found = read_document(module_file, relative(module_file, result.project), result.project)
    if doc is None:
        return None, found
    result.sources[doc.path] = tuple(doc.lines)
    found.extend(doc.diagnostics)
    front = None
    if doc.front_matter_ok:
        front, problems = validate(ModuleFrontMatter, doc.front_matter, what="module front matter")
        found.extend(problems)
    notes = "\n".join(doc.lines[doc.body_start - 1 :]).strip("\n")
    notes_parts = read_blocks(doc)
    result.links.extend(notes_parts.links)
    pages: list[Page] = []
    page_files = [p for p in sorted(folder.glob("*.md")) if p.name != MODULE_FILE]
    if len(page_files) > MAX_PAGES_PER_MODULE:
        found.append(
            diagnostic(
                "ICBT117",
                f"module '{module_id}' has {len(page_files)} pages; the limit is "
                f"{MAX_PAGES_PER_MODULE}",
                doc.path,
                hint="split the module into several modules",
            )
        )
        page_files = page_files[:MAX_PAGES_PER_MODULE]
    for page_file in page_files:
        if read is None:
            page, problems = _read_page(page_file, result)
        else:
            page, there = read(page_file, result.root, result.project)
            problems = _take_page_findings(result, there)
        found.extend(problems)
        if page is not None:
            pages.append(page)
        else:
            result.unreadable_pages.add(module_id)
    if front is None:
        return None, found
    module = Module(
        id=module_id,
        title=front.title,
        summary=front.summary,
        core=front.core,
        therapist_notes=notes,
        pages=tuple(pages),
        source=SourceLocation(file=doc.path, line=1),
    )
    return module, found


def _read_page(path: Path, result: LoadedProgramme) -> tuple[Page | None, list[Diagnostic]]:
    shown = relative(path, result.project)
    doc, problems = read_document(path, shown, result.project)
    if doc is None:
        return None, problems
    page, found = _page_from_document(doc, path.stem, result)
    return page, problems + found


def _take_page_findings(result: LoadedProgramme, page: LoadedProgramme) -> list[Diagnostic]:
    """Add what reading a page alone found to ``result``; return its problems."""
    result.links.extend(page.links)
    result.page_text.update(page.page_text)
    result.used_measures.update(page.used_measures)
    result.sources.update(page.sources)
    return list(page.diagnostics)


def _page_from_document(
    doc: Document, stem: str, result: LoadedProgramme
) -> tuple[Page | None, list[Diagnostic]]:
    result.sources[doc.path] = tuple(doc.lines)
    found = list(doc.diagnostics)
    front = None
    if doc.front_matter_ok:
        front, problems = validate(PageFrontMatter, doc.front_matter, what="page front matter")
        found.extend(problems)
    if front is not None and not any(t.map for t in doc.tokens):
        found.append(
            diagnostic(
                "ICBT309",
                f"page '{front.id or page_id_from_filename(stem)}' is empty",
                doc.path,
                hint="write the page below its front matter",
            )
        )
    parts = read_blocks(doc)
    found.extend(parts.diagnostics)
    result.links.extend(parts.links)
    result.page_text[doc.path] = parts.text
    for block in parts.blocks:
        if block.kind == "questionnaire":
            result.used_measures.add(block.measure)
    if front is None:
        return None, found
    page_id = front.id or page_id_from_filename(stem)
    if not is_valid_id(page_id):
        found.append(
            diagnostic(
                "ICBT202",
                f"the file name gives the page id '{page_id}', which is not a valid id",
                doc.path,
                hint="rename the file (like 02-my-page.md) or set 'id:' in the front matter",
            )
        )
        return None, found
    page = Page(
        id=page_id,
        title=front.title,
        blocks=tuple(parts.blocks),
        distressing=front.distressing,
        headings=tuple(parts.headings),
        source=SourceLocation(file=doc.path, line=1),
    )
    return page, found


def _exit_url_problems(url: str, shown: str, line: int) -> list[Diagnostic]:
    """ICBT961 unless url is a plain https address ("Exit this page" must leave at once)."""
    try:
        parts = urlsplit(url)
        plain = bool(parts.scheme == "https" and parts.hostname and parts.username is None)
    except ValueError:  # a malformed host, such as an unclosed [
        plain = False
    if plain and url.isprintable() and " " not in url:
        return []
    return [
        diagnostic(
            "ICBT961",
            f"'exit_url: {url}' is not an https address",
            shown,
            line,
            hint="name a neutral site, for example 'exit_url: https://www.bbc.co.uk/weather'",
        )
    ]


def _read_measures(
    root: Path, project: Path, manifest: ProgrammeManifest, used_on_pages: set[str]
) -> tuple[list[Measure], list[Diagnostic]]:
    if not manifest.measures and not used_on_pages:
        return [], []
    return resolve_measures(
        root,
        project,
        manifest.measures,
        used_on_pages=used_on_pages,
        locale=manifest.source_locale,
    )


def _read_guidance(root: Path, project: Path) -> tuple[list[GuidanceTemplate], list[Diagnostic]]:
    folder = root / "guidance"
    if not folder.is_dir():
        return [], []
    outside = leaves_project(folder, project)
    refused = [outside] if outside else [leaves_project(p, project) for p in folder.glob("*.md")]
    if any(refused):
        return [], [d for d in refused if d is not None]
    return load_guidance(folder, project)


def _read_crisis(
    root: Path, project: Path, result: LoadedProgramme
) -> tuple[CrisisPage | None, list[Diagnostic]]:
    path = root / "crisis.md"
    if not path.is_file():
        return None, []
    doc, found = read_document(path, relative(path, project), project)
    if doc is None:
        return None, found
    result.sources[doc.path] = tuple(doc.lines)
    found.extend(doc.diagnostics)
    front, problems = validate(CrisisFrontMatter, doc.front_matter, what="crisis page")
    found.extend(problems)
    parts = read_blocks(doc)
    found.extend(parts.diagnostics)
    result.links.extend(parts.links)
    if front is None:
        return None, found
    crisis = CrisisPage(
        title=front.title,
        markdown="\n".join(doc.lines[doc.body_start - 1 :]).strip("\n"),
        source=SourceLocation(file=doc.path, line=1),
    )
    return crisis, found


def _read_check_in(
    root: Path, project: Path, result: LoadedProgramme
) -> tuple[CheckInPage | None, list[Diagnostic]]:
    path = root / CHECK_IN_FILE
    if not path.is_file():
        return None, []
    doc, found = read_document(path, relative(path, project), project)
    if doc is None:
        return None, found
    result.sources[doc.path] = tuple(doc.lines)
    found.extend(doc.diagnostics)
    front = None
    if doc.front_matter_ok:
        front, problems = validate(CheckInFrontMatter, doc.front_matter, what="check-in page")
        found.extend(problems)
    parts = read_blocks(doc)
    found.extend(parts.diagnostics)
    result.links.extend(parts.links)
    result.page_text[doc.path] = parts.text
    for block in parts.blocks:
        if block.kind != "prose":
            where = getattr(block, "source", None)
            found.append(
                diagnostic(
                    "ICBT302",
                    f"a {block.kind} cannot go on the check-in page",
                    doc.path,
                    where.line if where else 1,
                    hint="check-in.md is plain Markdown; its questionnaires are the ones under "
                    "'weekly:' in programme.yaml",
                )
            )
    if front is None:
        return None, found
    check_in = CheckInPage(
        title=front.title,
        summary=front.summary,
        markdown="\n".join(doc.lines[doc.body_start - 1 :]).strip("\n"),
        source=SourceLocation(file=doc.path, line=1),
    )
    return check_in, found
