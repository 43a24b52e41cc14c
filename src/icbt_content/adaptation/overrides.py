"""Adaptations: a locale's own version of a box, a page or an image, with a FRAME record.

A file ``locales/<locale>/adaptations/<programme>/<name>.md`` replaces one passage of one
programme in one locale, without forking the programme::

    ---
    replaces: box amara-starts          # or: page introduction/welcome, image media/cycle.svg
    source_hash: 3f1c0a9b6e2d4c71       # the source it was made from (icbt i18n adaptations)
    title: 阿欣開始課程
    frame:
      what: Case example set in a Hong Kong secondary school instead of a UK university.
      who: [translator, clinical lead]
      when: 2026-11-20
      planned: true
      type: substituting
      fidelity_consistent: true
      reason: Clients should recognise the situations in the examples.
      reasons: [culture]
    ---
    阿欣今年十七歲……

The body is Markdown written in the locale's language (for a page: the whole page, with its
directives). Links are written as in the file it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from icbt_content.authoring.documents import Document, read_document
from icbt_content.authoring.pages import read_blocks
from icbt_content.authoring.yamlsafe import validate
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.ids import is_valid_id
from icbt_content.model.base import SourceLocation
from icbt_content.model.blocks import Callout
from icbt_content.model.locale import AdaptationFrontMatter
from icbt_content.model.programme import Page
from icbt_content.project import Project

AdaptationKind = Literal["box", "page", "image"]
KINDS: tuple[AdaptationKind, ...] = ("box", "page", "image")


@dataclass(frozen=True)
class Adaptation:
    """One adapted passage of a programme in a locale."""

    locale: str
    programme: str
    kind: AdaptationKind
    target: str
    """The box id, ``module/page``, or the image's path in the programme folder."""
    front: AdaptationFrontMatter
    doc: Document
    file: str
    """Path shown to authors, relative to the project."""

    @property
    def key(self) -> str:
        return f"{self.kind} {self.target}"

    @property
    def body(self) -> str:
        return "\n".join(self.doc.lines[self.doc.body_start - 1 :]).strip("\n")


def adaptations_folder(project: Path, locale: str, programme: str) -> Path:
    return Project(project).adaptations(locale, programme)


def load_adaptations(
    project: Path, locale: str, programme: str
) -> tuple[list[Adaptation], list[Diagnostic]]:
    """Read every adaptation of ``programme`` in ``locale``, in file name order."""
    folder = adaptations_folder(project, locale, programme)
    found: list[Diagnostic] = []
    result: list[Adaptation] = []
    if not folder.is_dir():
        return result, found
    for path in sorted(folder.glob("*.md")):
        shown = path.relative_to(project).as_posix()
        doc, problems = read_document(path, shown, project)
        found.extend(problems)
        if doc is None:
            continue
        found.extend(doc.diagnostics)
        front, problems = validate(AdaptationFrontMatter, doc.front_matter, what="adaptation")
        found.extend(problems)
        if front is None:
            continue
        word, _, target = front.replaces.strip().partition(" ")
        kind = next((k for k in KINDS if k == word), None)
        target = target.strip()
        line = doc.front_matter.line_of(("replaces",))
        if kind is None or not target or not _valid_target(kind, target):
            found.append(
                diagnostic(
                    "ICBT104",
                    f"'replaces: {front.replaces}' names no box, page or image",
                    shown,
                    line,
                    hint="write 'replaces: box <box-id>', 'replaces: page <module>/<page>' or "
                    "'replaces: image media/<file>'",
                )
            )
            continue
        result.append(Adaptation(locale, programme, kind, target, front, doc, shown))
    seen: dict[str, str] = {}
    for item in result:
        if item.key in seen:
            found.append(
                diagnostic(
                    "ICBT201",
                    f"'{item.key}' is also adapted in {seen[item.key]}",
                    item.file,
                    hint="keep one adaptation per passage",
                )
            )
        seen.setdefault(item.key, item.file)
    return result, found


def _valid_target(kind: str, target: str) -> bool:
    if kind == "box":
        return is_valid_id(target)
    if kind == "page":
        parts = target.split("/")
        return len(parts) == 2 and all(is_valid_id(p) for p in parts)
    return not target.startswith("/") and ".." not in target.split("/")


@dataclass
class AdaptationSet:
    """The adaptations of one programme in one locale, by what they replace."""

    items: list[Adaptation] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    """Keys of adaptations that found their target."""

    def _find(self, key: str) -> Adaptation | None:
        found = next((a for a in self.items if a.key == key), None)
        if found is not None:
            self.used.add(key)
        return found

    def box(self, box_id: str) -> Adaptation | None:
        return self._find(f"box {box_id}")

    def page(self, module_id: str, page_id: str) -> Adaptation | None:
        return self._find(f"page {module_id}/{page_id}")

    def image(self, path: str) -> Adaptation | None:
        return self._find(f"image {path}")

    def unused(self) -> list[Adaptation]:
        return [a for a in self.items if a.key not in self.used]


def adapted_callout(adaptation: Adaptation, source: Callout, title: str) -> Callout:
    """The box as the locale has it: the adaptation's body, title and (optional) style."""
    return Callout(
        style=adaptation.front.style or source.style,
        id=source.id,
        title=adaptation.front.title or title,
        markdown=adaptation.body,
        anchors=(),
        source=SourceLocation(file=adaptation.file, line=adaptation.doc.body_start),
    )


def adapted_page(adaptation: Adaptation, source: Page, title: str) -> tuple[Page, list[Diagnostic]]:
    """The page as the locale has it; it must keep every section anchor of the source page."""
    parts = read_blocks(adaptation.doc)
    found = list(parts.diagnostics)
    anchors = {h.anchor for h in parts.headings}
    lost = sorted({h.anchor for h in source.headings} - anchors)
    if lost:
        found.append(
            diagnostic(
                "ICBT610",
                f"the adapted page has no section {', '.join('#' + a for a in lost)}",
                adaptation.file,
                adaptation.doc.body_start,
                hint="links into the page use these anchors: put {#anchor} on the line before "
                "the matching heading",
            )
        )
    page = Page(
        id=source.id,
        title=adaptation.front.title or title,
        blocks=tuple(parts.blocks),
        distressing=source.distressing,
        headings=tuple(parts.headings),
        # Links in the adaptation are written as in the page it replaces.
        source=source.source,
    )
    return page, found
