"""Turn a parsed Markdown page into blocks, and collect what the validator needs to check."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import get_args

from markdown_it.token import Token

from icbt_content.authoring.documents import Document, parse_document
from icbt_content.authoring.recall import place_prefills, read_recall
from icbt_content.authoring.yamlsafe import LocatedYaml, load_yaml, validate
from icbt_content.diagnostics import Diagnostic, diagnostic, did_you_mean
from icbt_content.exercises import exercise_types
from icbt_content.exercises.custom import OWN_FIELD_OPTIONS, OwnFields, customise
from icbt_content.ids import MAX_ID_LENGTH, is_reserved_id, is_valid_id, slugify
from icbt_content.markdown import keep_parsed
from icbt_content.model.base import ContentModel, SourceLocation
from icbt_content.model.blocks import (
    Block,
    Callout,
    CalloutStyle,
    ExerciseBlock,
    Media,
    MediaType,
    Prose,
    QuestionnaireBlock,
)
from icbt_content.model.exercise import Exercise
from icbt_content.model.programme import Heading
from icbt_content.readability import block_text


@dataclass(frozen=True)
class LinkRef:
    """A link or image written in content, to be checked once every page is known."""

    file: str
    line: int
    target: str
    image: bool = False
    col: int = 1


@dataclass
class PageParts:
    """What reading a page body yields: blocks, headings, links, problems."""

    blocks: list[Block] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    """The plain text of each paragraph, heading and list item of prose and boxes."""


_TITLE_ID = re.compile(r"\s*\{#([^}\s]*)\}\s*$")
CALLOUT_STYLES: tuple[str, ...] = get_args(CalloutStyle)
MEDIA_TYPES: tuple[str, ...] = get_args(MediaType)


@dataclass(frozen=True)
class Directive:
    """A ``:::`` directive as written: its name, the rest of the first line, and its body."""

    name: str
    argument: str
    body: str
    line: int
    """1-based line of the opening ``:::``."""
    doc: Document

    @property
    def body_line(self) -> int:
        return self.line + 1

    def where(self) -> SourceLocation:
        return SourceLocation(file=self.doc.path, line=self.line)

    def yaml_body(self) -> tuple[LocatedYaml | None, list[Diagnostic]]:
        """The body read as YAML (the options of an exercise, a recall, a media block)."""
        return load_yaml(self.body, self.doc.path, first_line=self.body_line)


#: A directive's reader: it adds the blocks and links it finds to the page's parts and returns
#: its problems.
DirectiveHandler = Callable[[Directive, PageParts], list[Diagnostic]]


def read_blocks(doc: Document) -> PageParts:
    """Split a page body into prose and directive blocks.

    The document's tokens are handed on to the blocks (see :func:`keep_parsed`), their lines
    counted from each block's first line: read a document's blocks once.
    """
    parts = PageParts()
    chunk: list[Token] = []
    for token in doc.tokens:
        if token.type == "colon_fence" and token.level == 0 and token.map:
            parts.diagnostics += _flush(doc, chunk, parts)
            chunk = []
            parts.diagnostics += _directive(doc, token, parts)
        else:
            chunk.append(token)
    parts.diagnostics += _flush(doc, chunk, parts)
    parts.diagnostics += place_prefills(parts.blocks)
    return parts


def _flush(doc: Document, tokens: list[Token], parts: PageParts) -> list[Diagnostic]:
    spans = [t.map for t in tokens if t.map and t.level == 0]
    if not spans:
        return []
    start, end = min(s[0] for s in spans), max(s[1] for s in spans)
    text = doc.source(start, end).strip("\n")
    if not text.strip():
        return []
    anchors, problems = _collect_inline(doc, tokens, parts)
    if not doc.link_references:
        keep_parsed(text, anchors, _from_line(tokens, start, text))
    parts.blocks.append(
        Prose(
            markdown=text,
            anchors=tuple(anchors),
            source=SourceLocation(file=doc.path, line=start + 1),
        )
    )
    return problems


def _collect_inline(
    doc: Document, tokens: list[Token], parts: PageParts, offset: int = 0
) -> tuple[list[str], list[Diagnostic]]:
    """Record headings, links and images of a run of tokens; return the heading anchors and the
    problems found.

    ``offset`` is added to the tokens' lines (a box's body is parsed on its own).
    """
    anchors: list[str] = []
    problems: list[Diagnostic] = []
    for i, token in enumerate(tokens):
        if token.meta:
            problems += _check_attributes(doc, token, offset)
        if token.type == "heading_open" and i + 1 < len(tokens):
            anchor = str(token.attrGet("id") or "")
            anchors.append(anchor)
            # The anchors plugin only gives valid ids; guard anyway, as a bad one would end
            # the whole load in a ValidationError.
            if is_valid_id(anchor):
                parts.headings.append(
                    Heading(level=int(token.tag[1]), text=tokens[i + 1].content, anchor=anchor)
                )
        if token.type != "inline" or not token.map:
            continue
        parts.text.append(block_text(token.children or []))
        line = token.map[0] + 1 + offset
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                parts.links.append(LinkRef(doc.path, line, href, col=_column(doc, line, href)))
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                col = _column(doc, line, src)
                parts.links.append(LinkRef(doc.path, line, src, image=True, col=col))
                if not child.content.strip():
                    problems.append(
                        diagnostic(
                            "ICBT303",
                            f"image '{src}' has no alt text",
                            doc.path,
                            line,
                            hint="describe what the picture shows: ![a diagram of ...](file.svg)",
                        )
                    )
    return anchors, problems


def _check_attributes(doc: Document, token: Token, offset: int = 0) -> list[Diagnostic]:
    """Report a ``{...}`` line the parser refused: an attribute other than ``{#id}`` before a
    heading, or an id that is not valid or that the site reserves."""
    refused_attrs = token.meta.get("refused_attrs")
    refused_id = token.meta.get("refused_id")
    if not (refused_attrs or refused_id):
        return []
    problems: list[Diagnostic] = []
    line = int(token.meta.get("attrs_line", (token.map or [1])[0] - 1)) + 1 + offset
    col = _column(doc, line, "{")
    others = [name for name in refused_attrs or () if name != "id"]
    if others:
        problems.append(
            diagnostic(
                "ICBT210",
                f"attributes other than {{#id}} are not allowed: {', '.join(others)}",
                doc.path,
                line,
                col,
                hint="remove them; content is styled by the site, not by attributes",
            )
        )
    if "id" in (refused_attrs or ()):
        problems.append(
            diagnostic(
                "ICBT210",
                "{#id} is allowed only on the line before a heading",
                doc.path,
                line,
                col,
                hint="remove it, or put it before the heading of the section to link to",
            )
        )
    if refused_id:
        problems.append(_id_problem(str(refused_id), doc.path, line, col))
    return problems


def _id_problem(written: str, file: str, line: int, col: int = 1) -> Diagnostic:
    """ICBT202 for an id that is not valid, ICBT209 for one the site reserves."""
    if not is_valid_id(written):
        return diagnostic(
            "ICBT202",
            f"'{written[:80]}' is not a valid id",
            file,
            line,
            col,
            hint="ids are lower-case letters, digits and hyphens, starting with a letter, at "
            f"most {MAX_ID_LENGTH} characters: for example {{#{slugify(written)}}}",
        )
    return diagnostic(
        "ICBT209",
        f"'{written}' is an id the site uses for its own elements",
        file,
        line,
        col,
        hint=f"choose another id, such as {{#{slugify(written)}}}; the ids the site keeps are "
        "listed under ICBT209 in the diagnostics reference",
    )


def _column(doc: Document, line: int, target: str) -> int:
    """1-based column of ``target`` on a 1-based line of the document (1 if not found)."""
    text = doc.lines[line - 1] if 0 < line <= len(doc.lines) else ""
    found = text.find(target) if target else -1
    return found + 1 if found >= 0 else 1


def _directive(doc: Document, token: Token, parts: PageParts) -> list[Diagnostic]:
    assert token.map is not None
    words = token.info.strip().split(maxsplit=1)
    name = words[0] if words else ""
    argument = words[1] if len(words) > 1 else ""
    directive = Directive(name, argument, token.content, token.map[0] + 1, doc)
    handler = DIRECTIVES.get(name)
    if name in CALLOUT_STYLES:
        return _callout(directive, parts)
    if handler is not None:
        return handler(directive, parts)
    known = [*DIRECTIVES, *CALLOUT_STYLES]
    return [
        diagnostic(
            "ICBT302",
            f"unknown directive '{name}'" if name else "a ::: block needs a directive name",
            doc.path,
            directive.line,
            hint=did_you_mean(name, known) or f"directives: {', '.join(sorted(known))}",
        )
    ]


def _callout(d: Directive, parts: PageParts) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    title, callout_id = d.argument, None
    match = _TITLE_ID.search(title)
    if match:
        title, callout_id = title[: match.start()].strip(), match.group(1)
        if not is_valid_id(callout_id) or is_reserved_id(callout_id):
            problems.append(_id_problem(callout_id, d.doc.path, d.line))
            callout_id = None
    inner = parse_document(d.body, d.doc.path)
    offset = d.line  # body line 1 is file line d.line + 1
    nested = [t for t in inner.tokens if t.type == "colon_fence"]
    for t in nested:
        problems.append(
            diagnostic(
                "ICBT302",
                "directives cannot be placed inside a box",
                d.doc.path,
                offset + (t.map[0] if t.map else 0) + 1,
                hint="close the box with ::: before starting the next directive",
            )
        )
    anchors, found = _collect_inline(d.doc, inner.tokens, parts, offset)
    problems += found
    if not inner.link_references and inner.body_start == 1 and not d.body.startswith("\n"):
        keep_parsed(d.body.strip("\n"), anchors, _from_line(inner.tokens, 0, d.body.strip("\n")))
    parts.blocks.append(
        Callout(
            style=d.name,  # type: ignore[arg-type]
            id=callout_id,
            title=title,
            markdown=d.body.strip("\n"),
            anchors=tuple(anchors),
            source=d.where(),
        )
    )
    return problems


def _from_line(tokens: list[Token], first: int, text: str) -> list[Token]:
    """The tokens of a block cut from its page (0-based line ``first``), renumbered as parsing
    the block's ``text`` alone numbers them: from its first line, ending by its last.

    Renumbered in place (a new ``map`` each, never a change to a shared one): copying every
    token was a fifth of the time spent reading pages.
    """
    last = text.count("\n") + 1
    for token in tokens:
        lines = token.map
        if lines:
            token.map = [lines[0] - first, min(lines[1] - first, last)]
    return tokens


def _exercise(d: Directive, parts: PageParts) -> list[Diagnostic]:
    types = exercise_types()
    kind = types.get(d.argument.strip())
    if kind is None:
        return [
            diagnostic(
                "ICBT301",
                f"unknown exercise type '{d.argument.strip()}'",
                d.doc.path,
                d.line,
                hint=did_you_mean(d.argument.strip(), types)
                or f"exercise types: {', '.join(types)}",
            )
        ]
    located, problems = d.yaml_body()
    if located is None:
        return problems
    located, own, found = _own_fields(located, kind.name)
    problems += found
    options, found = validate(kind.options, located, what=f"{kind.name} exercise")
    problems += found
    if options is None or own is None:
        return problems
    extra = options.model_dump(exclude={"id", "title", "instructions", "repeatable"}, mode="json")
    # The author's own fields and words, kept only when written: other exercises export as before.
    extra.update(own.model_dump(exclude_defaults=True, mode="json"))
    fields, field_problems = customise(kind.fields(options), own)
    problems += (
        located.at(problem.code, problem.message, problem.path, hint=problem.hint)
        for problem in field_problems
    )
    if options.repeatable:
        if not kind.can_repeat:
            repeatable = ", ".join(n for n, t in types.items() if t.can_repeat)
            problems.append(
                diagnostic(
                    "ICBT960",
                    f"a {kind.name} exercise cannot be repeatable",
                    d.doc.path,
                    d.line,
                    hint=f"remove 'repeatable: true': repeatable types: {repeatable}",
                )
            )
            return problems
        # Kept only when set, so exercises without it are exported as before.
        extra["repeatable"] = True
    parts.blocks.append(
        ExerciseBlock(
            exercise=Exercise(
                id=options.id,
                type=kind.name,
                title=options.title,
                instructions=options.instructions,
                options=extra,
                fields=fields,
                source=d.where(),
            )
        )
    )
    return problems


def _own_fields(
    located: LocatedYaml, kind: str
) -> tuple[LocatedYaml, OwnFields | None, list[Diagnostic]]:
    """Split the options that change any type's fields from the type's own options."""
    data = located.data
    if not isinstance(data, dict):
        return located, OwnFields(), []
    own = {k: v for k, v in data.items() if k in OWN_FIELD_OPTIONS}
    rest = {k: v for k, v in data.items() if k not in OWN_FIELD_OPTIONS}
    checked, problems = validate(OwnFields, replace(located, data=own), what=f"{kind} exercise")
    return replace(located, data=rest), checked, problems


def _questionnaire(d: Directive, parts: PageParts) -> list[Diagnostic]:
    measure = d.argument.strip()
    if not is_valid_id(measure):
        return [
            diagnostic(
                "ICBT205",
                f"'{measure}' is not a questionnaire id" if measure else "questionnaire id missing",
                d.doc.path,
                d.line,
                hint="write ::: questionnaire phq9",
            )
        ]
    parts.blocks.append(QuestionnaireBlock(measure=measure, source=d.where()))
    return []


class MediaOptions(ContentModel):
    src: str
    alt: str = ""
    transcript: str = ""
    caption: str = ""


def _media(d: Directive, parts: PageParts) -> list[Diagnostic]:
    located, problems = d.yaml_body()
    if located is None:
        return problems
    options, found = validate(MediaOptions, located, what=f"{d.name} block")
    problems += found
    if options is None:
        return problems
    if d.name == "image" and not options.alt.strip():
        problems.append(
            diagnostic(
                "ICBT303",
                f"image '{options.src}' has no alt text",
                d.doc.path,
                d.line,
                hint="add 'alt: what the picture shows'",
            )
        )
    if d.name in ("audio", "video") and not options.transcript.strip():
        problems.append(
            diagnostic(
                "ICBT303",
                f"{d.name} '{options.src}' has no transcript",
                d.doc.path,
                d.line,
                hint="add 'transcript: |' followed by the words spoken",
            )
        )
    parts.links.append(
        LinkRef(d.doc.path, located.line_of(("src",)), options.src, image=True),
    )
    parts.blocks.append(
        Media(
            media_type=d.name,  # type: ignore[arg-type]
            source=d.where(),
            **options.model_dump(),
        )
    )
    return problems


#: Directives other than the callout styles. Add an entry to support a new directive.
DIRECTIVES: dict[str, DirectiveHandler] = {
    "exercise": _exercise,
    "questionnaire": _questionnaire,
    "recall": read_recall,
    **dict.fromkeys(MEDIA_TYPES, _media),
}
