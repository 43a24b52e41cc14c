"""Walk a programme segment by segment: extract its catalog, or rebuild it in another language.

:func:`walk_programme` without a lookup lists every segment (for the POT). With a lookup it
returns the programme in the target language, and which units (modules, the crisis page, guidance
messages) have untranslated segments, so the localise stage can serve those whole in the source.
"""

from __future__ import annotations

import hashlib
import itertools
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from icbt_content.adaptation.overrides import (
    Adaptation,
    AdaptationSet,
    adapted_callout,
    adapted_page,
)
from icbt_content.diagnostics import Diagnostic
from icbt_content.exercises import exercise_types
from icbt_content.i18n.segments import (
    Interface,
    Lookup,
    Scope,
    Segment,
    Segmenter,
    media_name,
    option_strings,
    replace_options,
)
from icbt_content.model.blocks import Block, Callout, ExerciseBlock, Media, Prose
from icbt_content.model.exercise import Choice, Exercise, ExerciseField
from icbt_content.model.guidance import GuidanceTemplate
from icbt_content.model.programme import (
    CHECK_IN_UNIT,
    CheckInPage,
    CrisisPage,
    Heading,
    Module,
    Page,
    Programme,
)

PROGRAMME_UNIT = "programme"
CRISIS_UNIT = "crisis"


@dataclass
class Walk:
    """What walking a programme found."""

    programme: Programme
    """The programme rebuilt from the translations (the source where a unit is incomplete)."""
    segments: list[Segment]
    missing: dict[str, list[Segment]] = field(default_factory=dict)
    """Unit -> its client segments without a translation."""
    passages: dict[str, str] = field(default_factory=dict)
    """Adaptable passage ('box <id>', 'page <module>/<page>') -> hash of its source text."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    results: dict[str, str] = field(default_factory=dict)
    """Segment context -> the text used for it (its translation, or the source)."""

    def complete(self, unit: str) -> bool:
        return not self.missing.get(unit)

    @property
    def fallback_modules(self) -> list[str]:
        return [m.id for m in self.programme.modules if not self.complete(m.id)]


def passage_hash(segments: Iterable[Segment]) -> str:
    """A short hash of a passage's source text: its wording, not its formatting."""
    digest = hashlib.sha256()
    for segment in segments:
        digest.update(f"{segment.context}\x1f{segment.source}\x1e".encode())
    return digest.hexdigest()[:16]


class _Lines:
    """Finds the line of a front matter field or of the body in a source file, in the lines the
    load stage kept (files are never read again here)."""

    def __init__(self, sources: Mapping[str, Sequence[str]]) -> None:
        self.sources = sources

    def lines(self, file: str) -> Sequence[str]:
        return self.sources.get(file, ())

    def field(self, file: str, name: str, default: int = 1) -> int:
        pattern = re.compile(rf"^{re.escape(name)}\s*:")
        for number, line in enumerate(self.lines(file), start=1):
            if pattern.match(line):
                return number
        return default

    def find(self, file: str, start: int, text: str) -> int:
        """The first line from ``start`` containing the start of ``text`` (else ``start``)."""
        needle = text.strip().split("\n")[0][:40]
        for number, line in enumerate(self.lines(file)[start - 1 :], start=start):
            if needle and needle in line:
                return number
        return start

    def body(self, file: str) -> int:
        lines = self.lines(file)
        if lines and lines[0].strip() == "---":
            for number, line in enumerate(lines[1:], start=2):
                if line.strip() in ("---", "..."):
                    return number + 1
        return 1


class _Walker:
    def __init__(
        self,
        seg: Segmenter,
        interface: Interface | None,
        adaptations: AdaptationSet | None,
        sources: Mapping[str, Sequence[str]],
        programme_dir: str,
    ) -> None:
        self.seg = seg
        self.interface = interface
        self.adaptations = adaptations
        self.lines = _Lines(sources)
        self.programme_dir = programme_dir.rstrip("/")
        self.passages: dict[str, str] = {}
        self.diagnostics: list[Diagnostic] = []

    # -- passages that a locale may replace ----------------------------------------------------

    def _adapted_walk(self, key: str, walk: Callable[[], object], adapted: bool) -> None:
        start = len(self.seg.segments)
        was = self.seg.adapted
        self.seg.adapted = was or adapted
        walk()
        self.seg.adapted = was
        self.passages[key] = passage_hash(self.seg.segments[start:])

    # -- programme level -----------------------------------------------------------------------

    def programme_fields(self, programme: Programme) -> dict[str, str]:
        file = programme.source.file if programme.source else "programme.yaml"
        self.seg.at(file, PROGRAMME_UNIT)
        out = {}
        for name, kind in (
            ("title", "programme title"),
            ("description", "programme description"),
            ("condition", "condition the programme treats"),
        ):
            value = getattr(programme, name)
            out[name] = self.seg.text(
                f"programme:{name}", value, kind, self.lines.field(file, name)
            )
        return out

    def crisis(self, crisis: CrisisPage) -> CrisisPage:
        file = crisis.source.file if crisis.source else "crisis.md"
        self.seg.at(file, CRISIS_UNIT)
        title = self.seg.text(
            "crisis.title", crisis.title, "crisis page title", self.lines.field(file, "title")
        )
        markdown = self.seg.markdown(crisis.markdown, Scope("crisis"), self.lines.body(file))
        return crisis.model_copy(update={"title": title, "markdown": markdown})

    def check_in(self, page: CheckInPage) -> CheckInPage:
        file = page.source.file if page.source else "check-in.md"
        self.seg.at(file, CHECK_IN_UNIT)
        title = self.seg.text(
            "check-in.title", page.title, "check-in page title", self.lines.field(file, "title")
        )
        summary = self.seg.text(
            "check-in.summary",
            page.summary,
            "check-in summary, shown with the link to the page",
            self.lines.field(file, "summary"),
        )
        markdown = self.seg.markdown(page.markdown, Scope("check-in"), self.lines.body(file))
        return page.model_copy(update={"title": title, "summary": summary, "markdown": markdown})

    # -- modules and pages ---------------------------------------------------------------------

    def module(self, module: Module) -> Module:
        file = module.source.file if module.source else ""
        self.seg.at(file, module.id)
        title = self.seg.text(
            f"{module.id}.title", module.title, "module title", self.lines.field(file, "title")
        )
        summary = self.seg.text(
            f"{module.id}.summary",
            module.summary,
            "module summary",
            self.lines.field(file, "summary"),
        )
        pages = tuple(self.page(module.id, page) for page in module.pages)
        self.seg.at(file, module.id, client=False)
        self.seg.block_notes = ("notes for the therapist, not shown to clients",)
        notes = self.seg.markdown(
            module.therapist_notes, Scope(f"{module.id}.notes"), self.lines.body(file)
        )
        self.seg.block_notes = ()
        return module.model_copy(
            update={"title": title, "summary": summary, "pages": pages, "therapist_notes": notes}
        )

    def page(self, module_id: str, page: Page) -> Page:
        file = page.source.file if page.source else ""
        self.seg.at(file, module_id)
        adaptation = self.adaptations.page(module_id, page.id) if self.adaptations else None
        result: list[Page] = []
        key = f"page {module_id}/{page.id}"
        self._adapted_walk(
            key, lambda: result.append(self._page(module_id, page)), bool(adaptation)
        )
        if adaptation is None:
            return result[0]
        adapted, problems = adapted_page(adaptation, page, result[0].title)
        self.diagnostics.extend(problems)
        return adapted

    def _page(self, module_id: str, page: Page) -> Page:
        file = page.source.file if page.source else ""
        scope = Scope(f"{module_id}/{page.id}")
        title = self.seg.text(
            f"{scope.prefix}.title", page.title, "page title", self.lines.field(file, "title")
        )
        self.seg.images = self._image_map(file)
        media_seen: dict[str, int] = {}
        blocks = [self.block(block, scope, media_seen) for block in page.blocks]
        self.seg.images = None
        headings = tuple(
            Heading(
                level=h.level,
                text=self.seg.results.get(f"{scope.prefix}#{h.anchor}", h.text),
                anchor=h.anchor,
            )
            for h in page.headings
        )
        return page.model_copy(
            update={"title": title, "blocks": tuple(blocks), "headings": headings}
        )

    def block(self, block: Block, scope: Scope, media_seen: dict[str, int]) -> Block:
        line = block.source.line if getattr(block, "source", None) else 1  # type: ignore[union-attr]
        if isinstance(block, Prose):
            text = self.seg.markdown(block.markdown, scope, line, block.anchors)
            return block.model_copy(update={"markdown": text})
        if isinstance(block, Callout):
            return self.callout(block, scope, line)
        if isinstance(block, Media):
            return self.media(block, scope, line, media_seen)
        if isinstance(block, ExerciseBlock):
            start = len(self.seg.segments)
            exercise = self.exercise(block.exercise)
            self.seg.previous_box = (start, len(self.seg.segments))
            return block.model_copy(update={"exercise": exercise})
        return block

    def callout(self, block: Callout, scope: Scope, line: int) -> Callout:
        inner = scope.child(f"box.{block.id}") if block.id else Scope(scope.next("box"))
        adaptation = self.adaptations.box(block.id) if (self.adaptations and block.id) else None
        notes = self.seg.take_notes()
        if block.id:
            notes = (
                *notes,
                f"box {{#{block.id}}}: a locale may replace the whole box with an adaptation",
            )
        result: list[Callout] = []

        def walk() -> None:
            self.seg.block_notes = notes
            title = self.seg.text(
                f"{inner.prefix}.title", block.title, f"{block.style} box title", line
            )
            text = self.seg.markdown(block.markdown, inner, line + 1, block.anchors)
            self.seg.block_notes = ()
            result.append(block.model_copy(update={"title": title, "markdown": text}))

        start = len(self.seg.segments)
        if block.id:
            self._adapted_walk(f"box {block.id}", walk, bool(adaptation))
        else:
            walk()
        self.seg.previous_box = (start, len(self.seg.segments))
        if adaptation is None:
            return result[0]
        return adapted_callout(adaptation, block, result[0].title)

    def media(self, block: Media, scope: Scope, line: int, seen: dict[str, int]) -> Media:
        name = media_name(block.src)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}-{seen[name]}"
        prefix = f"{scope.prefix}.{block.media_type}.{name}"
        alt = self.seg.text(f"{prefix}.alt", block.alt, "alt text: what the picture shows", line)
        caption = self.seg.text(f"{prefix}.caption", block.caption, "caption", line)
        transcript = block.transcript
        if transcript:
            transcript = self.seg.markdown(transcript, Scope(f"{prefix}.transcript"), line + 1)
        update: dict[str, str] = {"alt": alt, "caption": caption, "transcript": transcript}
        adaptation = self._image_adaptation(block.src, self.seg.file)
        if adaptation is not None:
            update["src"] = self._relative_to_page(adaptation.front.src, self.seg.file)
            if adaptation.front.alt:
                update["alt"] = adaptation.front.alt
            if adaptation.front.caption:
                update["caption"] = adaptation.front.caption
        return block.model_copy(update=update)

    # -- images a locale replaces --------------------------------------------------------------

    def _in_programme(self, src: str, page_file: str) -> str:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page_file), src))
        prefix = self.programme_dir + "/"
        return path[len(prefix) :] if path.startswith(prefix) else path

    def _relative_to_page(self, programme_path: str, page_file: str) -> str:
        target = f"{self.programme_dir}/{programme_path}"
        return posixpath.relpath(target, posixpath.dirname(page_file))

    def _image_adaptation(self, src: str, page_file: str) -> Adaptation | None:
        if self.adaptations is None or "://" in src:
            return None
        found = self.adaptations.image(self._in_programme(src, page_file))
        return found if found is not None and found.front.src else None

    def _image_map(self, page_file: str) -> Callable[[str], str] | None:
        if self.adaptations is None or not any(a.kind == "image" for a in self.adaptations.items):
            return None

        def images(src: str) -> str:
            adaptation = self._image_adaptation(src, page_file)
            if adaptation is None:
                return src
            return self._relative_to_page(adaptation.front.src, page_file)

        return images

    # -- exercises -----------------------------------------------------------------------------

    def exercise(self, exercise: Exercise) -> Exercise:
        prefix = f"exercise:{exercise.id}"
        line = exercise.source.line if exercise.source else 1
        notes = self.seg.take_notes()
        self.seg.block_notes = (*notes, f"exercise '{exercise.id}' ({exercise.type})")
        file = self.seg.file
        title = self.seg.text(
            f"{prefix}.title",
            exercise.title,
            "exercise title",
            self.lines.find(file, line, exercise.title),
        )
        instructions = exercise.instructions
        if instructions:
            instructions = self.seg.markdown(
                instructions,
                Scope(f"{prefix}.instructions"),
                self.lines.find(file, line, instructions),
            )
        authored: dict[str, str] = {exercise.title: title}
        replaced: dict[tuple[str, ...], str] = {}
        defaults = _option_defaults(exercise.type)
        for path, value in option_strings(exercise.options):
            if len(path) == 1 and defaults.get(path[0]) == value:
                continue  # a built-in default: an interface string
            kind = "exercise " + path[-1].replace("_", " ")
            text = self.seg.text(
                f"{prefix}.{'.'.join(path)}", value, kind, self.lines.find(file, line, value)
            )
            replaced[path] = text
            authored.setdefault(value, text)
        self.seg.block_notes = ()

        def word(text: str) -> str:
            if not text:
                return text
            if text in authored:
                return authored[text]
            return self.interface(text) if self.interface else text

        fields = tuple(self._field(f, word) for f in exercise.fields)
        return exercise.model_copy(
            update={
                "title": title,
                "instructions": instructions,
                "options": replace_options(exercise.options, replaced),
                "fields": fields,
            }
        )

    @staticmethod
    def _field(f: ExerciseField, word: Callable[[str], str]) -> ExerciseField:
        return f.model_copy(
            update={
                "label": word(f.label),
                "hint": word(f.hint),
                "group": word(f.group),
                "min_label": word(f.min_label),
                "max_label": word(f.max_label),
                "choices": tuple(Choice(id=c.id, label=word(c.label)) for c in f.choices),
            }
        )

    # -- guidance ------------------------------------------------------------------------------

    def guidance(self, template: GuidanceTemplate) -> GuidanceTemplate:
        file = template.source.file if template.source else f"guidance/{template.id}.md"
        self.seg.at(file, f"guidance:{template.id}")
        prefix = f"guidance:{template.id}"
        title = self.seg.text(
            f"{prefix}.title",
            template.title,
            "message title (for the therapist)",
            template.field_lines.get("title", 2),
        )
        out = []
        for index, (line, text) in enumerate(guidance_paragraphs(template.body), start=1):
            out.append(
                self.seg.text(
                    f"{prefix}.p{index}",
                    text,
                    "message paragraph: keep {{ ... }} and {% ... %} exactly as they are",
                    template.body_line + line,
                    markdown=True,
                )
            )
        return template.model_copy(update={"title": title, "body": "\n\n".join(out) + "\n"})


def translate_guidance(seg: Segmenter, template: GuidanceTemplate) -> GuidanceTemplate:
    """One guidance message through ``seg``: its translation, with what is missing recorded."""
    return _Walker(seg, None, None, {}, "").guidance(template)


def _option_defaults(type_name: str) -> dict[str, object]:
    kind = exercise_types().get(type_name)
    if kind is None:
        return {}
    return {name: info.default for name, info in kind.options.model_fields.items()}


_STRUCTURED_LINE = re.compile(r"^\s*(?:[-*+>#|]|\d+[.)]|\{%|```|:::)")
#: A line after which the next one cannot run on: a heading, quote, table row or fence, a line
#: that is only a Jinja tag, or a hard line break (a backslash or two spaces at the end).
_ENDS_LINE = re.compile(r"^\s*(?:[#>|]|```|:::)|^\s*\{%[^\n]*%\}\s*$|\\$|  $")
_BLOCK_OPEN = re.compile(r"\{%-?\s*(?:if|for)\b")
_BLOCK_CLOSE = re.compile(r"\{%-?\s*end(?:if|for)\b")


def guidance_paragraphs(body: str) -> list[tuple[int, str]]:
    """A guidance body in messages: (0-based line offset, text).

    A message runs on past an empty line until every ``{% if %}`` and ``{% for %}`` it opens is
    closed, so translators always see a whole block. The author's line breaks are not part of a
    message: lines of prose are joined with a space; a line that starts a Markdown block or holds
    a Jinja tag keeps its own line.
    """
    result: list[tuple[int, str]] = []
    for start, lines in _runs(body):
        if result and _open_blocks(result[-1][1]) > 0:
            result[-1] = (result[-1][0], result[-1][1] + "\n\n" + _join(lines))
        else:
            result.append((start, _join(lines)))
    return result


def _runs(body: str) -> list[tuple[int, list[str]]]:
    """The runs of non-empty lines of a body, with the offset of each run's first line."""
    runs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate([*body.split("\n"), ""]):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            runs.append((start, current))
            current = []
    return runs


def _join(lines: list[str]) -> str:
    text = lines[0]
    for previous, line in itertools.pairwise(lines):
        if _STRUCTURED_LINE.match(line) or _ENDS_LINE.search(previous):
            text += "\n" + line
        else:
            text = text.rstrip() + " " + line.strip()
    return text.rstrip()


def _open_blocks(text: str) -> int:
    return len(_BLOCK_OPEN.findall(text)) - len(_BLOCK_CLOSE.findall(text))


def walk_programme(
    programme: Programme,
    lookup: Lookup | None = None,
    *,
    interface: Interface | None = None,
    adaptations: AdaptationSet | None = None,
    sources: Mapping[str, Sequence[str]] | None = None,
    programme_dir: str = "",
) -> Walk:
    """Every segment of a programme, and the programme rebuilt from ``lookup``'s translations.

    Units with a missing client segment are rebuilt from the source instead (whole), so a
    module, the crisis page or a guidance message is never half translated. ``sources`` are the
    lines of each source file as loaded (:attr:`LoadedProgramme.sources`), for line numbers.
    """
    seg = Segmenter(lookup)
    walker = _Walker(seg, interface, adaptations, sources or {}, programme_dir)
    fields = walker.programme_fields(programme)
    crisis = walker.crisis(programme.crisis) if programme.crisis else None
    check_in = walker.check_in(programme.check_in) if programme.check_in else None
    modules = [walker.module(m) for m in programme.modules]
    guidance = [walker.guidance(g) for g in programme.guidance]

    missing: dict[str, list[Segment]] = {}
    for segment in seg.missing:
        if segment.client:
            missing.setdefault(segment.unit, []).append(segment)
    notes_missing = {s.unit for s in seg.missing if not s.client}

    if lookup is not None:
        if missing.get(PROGRAMME_UNIT):
            fields = {name: getattr(programme, name) for name in fields}
        if crisis is not None and missing.get(CRISIS_UNIT):
            crisis = programme.crisis
        if check_in is not None and programme.check_in and missing.get(CHECK_IN_UNIT):
            # Served whole in the source language; its name in links is translated, if it is.
            check_in = programme.check_in.model_copy(
                update={"title": check_in.title, "summary": check_in.summary}
            )
        modules = [
            _fallback_module(source, built) if missing.get(source.id) else built
            for source, built in zip(programme.modules, modules, strict=True)
        ]
        modules = [
            m.model_copy(update={"therapist_notes": source.therapist_notes})
            if m.id in notes_missing
            else m
            for source, m in zip(programme.modules, modules, strict=True)
        ]
        guidance = [
            source if missing.get(f"guidance:{source.id}") else built
            for source, built in zip(programme.guidance, guidance, strict=True)
        ]
    rebuilt = programme.model_copy(
        update={
            **fields,
            "crisis": crisis,
            "check_in": check_in,
            "modules": tuple(modules),
            "guidance": tuple(guidance),
        }
    )
    return Walk(
        programme=rebuilt,
        segments=seg.segments,
        missing=missing,
        passages=walker.passages,
        diagnostics=walker.diagnostics,
        results=seg.results,
    )


def _fallback_module(source: Module, built: Module) -> Module:
    # Served whole in the source language; only its name in menus is translated, if it is.
    return source.model_copy(update={"title": built.title, "summary": built.summary})
