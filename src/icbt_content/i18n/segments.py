"""Segments: the units a translator translates, and Markdown rebuilt from their translations.

One walk over the content does both jobs, so the ids a catalog is extracted with are exactly the
ids translations are looked up by. A segment is one block (paragraph, heading, list item, table
cell) or one plain-text field (a title, a label). Its msgid is the block's inline Markdown in
normalised form (see :mod:`.inline`), its msgctxt a stable key (see :func:`Scope.next`).

Keys (msgctxt), with ``introduction/welcome`` the page ``welcome`` of module ``introduction``:

==============================================  ==============================================
``programme:title``                             programme title, ``description``, ``condition``
``introduction.title``                          module title, ``.summary``
``introduction.notes#what-to-look-for.p1``      therapist notes
``introduction/welcome.title``                  page title
``introduction/welcome.p1``                     1st paragraph before any heading
``introduction/welcome#how-it-works``           the heading with anchor ``how-it-works``
``introduction/welcome#how-it-works.p2``        2nd paragraph under that heading
``introduction/welcome#how-it-works.li3``       3rd list item under it
``introduction/welcome#how-it-works.t1.r0.c1``  table 1, header row, 2nd column
``introduction/welcome.box.amara.title``        box ``{#amara}``: title, ``.p1``...
``introduction/welcome#how-it-works.box1.p1``   1st box without an id in that section
``introduction/welcome.image.cycle.alt``        image ``cycle.svg``: ``.alt``, ``.caption``
``exercise:drop-safety.title``                  exercise title, ``.instructions.p1``,
                                                options: ``.items.parties.label``
``crisis.title``, ``crisis.p1``                 the crisis page
``guidance:welcome.title``, ``guidance:welcome.p2``  a guidance message
==============================================  ==============================================

Heading anchors, box, exercise and field ids never change with the wording, so keys built from
them are stable. Paragraphs have no id: they are counted within their section, so adding a
paragraph shifts the keys of later paragraphs *in that section only*; a moved paragraph keeps its
translation because :func:`~icbt_content.i18n.workflow.merge` carries identical text over.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from icbt_content.i18n.inline import escape_line_start, inline_markdown, plain_text
from icbt_content.i18n.inline_checks import one_paragraph
from icbt_content.markdown import (
    checking_parser,
    hand_on_inline,
    keep_rendered,
    parse_markdown,
)

#: Looks up the translation of a segment; None when it has none that may be published.
Lookup = Callable[["Segment"], str | None]
#: Translates an interface string (a built-in label) into the target locale.
Interface = Callable[[str], str]

#: How the writer writes a thematic break.
RULE = "***"
#: Option keys of exercises whose string values are written for clients.
TRANSLATABLE_OPTIONS = frozenset(
    {
        "label",
        "hint",
        "prompt",
        "question",
        "min_label",
        "max_label",
        "title",
        "text",
        "caption",
        "description",
        "placeholder",
        "other_label",
    }
)


@dataclass(frozen=True)
class Segment:
    """One thing to translate."""

    context: str
    """The msgctxt: a stable key (see the module docstring)."""
    source: str
    """The msgid: normalised inline Markdown, or plain text."""
    kind: str
    """What it is, for the translator: 'paragraph', 'heading', 'field label'..."""
    file: str
    line: int
    unit: str
    """What it belongs to for coverage and fallback: a module id, 'programme', 'crisis',
    'guidance:<id>'."""
    markdown: bool = True
    """Inline Markdown (checked as Markdown) rather than plain text."""
    client: bool = True
    """Shown to clients (False for the therapist notes)."""
    notes: tuple[str, ...] = ()
    """Notes for the translator from ``% translator:`` comments."""
    adapted: bool = False
    """Replaced in the target locale by an adaptation: needs no translation there."""

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def comments(self) -> list[str]:
        """The ``#.`` lines of its catalog entry."""
        what = f"{self.kind} ({'Markdown' if self.markdown else 'plain text'})"
        return [*self.notes, what]


@dataclass
class Scope:
    """Where in a document segments are: a key prefix, the current section and counters."""

    prefix: str
    section: str = ""
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def base(self) -> str:
        return self.prefix + (f"#{self.section}" if self.section else "")

    def next(self, kind: str) -> str:
        """The key of the next ``kind`` (p, li, t, box) in the current section."""
        self.counts[(self.section, kind)] += 1
        return f"{self.base()}.{kind}{self.counts[(self.section, kind)]}"

    def heading(self, anchor: str) -> str:
        self.section = anchor
        return f"{self.prefix}#{anchor}"

    def child(self, name: str) -> Scope:
        return Scope(f"{self.prefix}.{name}")


class Segmenter:
    """Collects the segments of content and, given a lookup, writes the translated content.

    Without a lookup it returns the content unchanged (normalised), having recorded its
    segments. With one, every segment without a translation is recorded in :attr:`missing`, and
    the source is used in its place, so callers decide whether to publish the result.
    """

    def __init__(
        self,
        lookup: Lookup | None = None,
        *,
        images: Callable[[str], str] | None = None,
    ) -> None:
        self.lookup = lookup
        self.images = images
        self.segments: list[Segment] = []
        self.missing: list[Segment] = []
        self._notes: list[str] = []
        self.block_notes: tuple[str, ...] = ()
        """Notes added to every segment of the block being walked (a box, an exercise)."""
        self.previous_box: tuple[int, int] | None = None
        """Segments of the box or exercise just walked, until another segment is recorded."""
        self.results: dict[str, str] = {}
        """Context -> the text used for it (translation or source)."""
        self.file = ""
        self.unit = ""
        self.client = True
        self.adapted = False

    # -- context ------------------------------------------------------------------------------

    def at(self, file: str, unit: str, *, client: bool = True) -> Segmenter:
        """Set the file and unit the next segments belong to."""
        self.file, self.unit, self.client = file, unit, client
        return self

    def note(self, text: str) -> None:
        """Attach a translator note to the next segment."""
        self._notes.append(text)

    def note_previous(self, text: str) -> None:
        """Attach a translator note to the segment just recorded (a note written after it)."""
        if not self.segments:
            self.note(text)
            return
        last = self.segments[-1]
        self.segments[-1] = replace(last, notes=(*last.notes, text))

    def note_box(self, text: str) -> bool:
        """Attach a note to every segment of the box just walked; False if there is none."""
        if self.previous_box is None:
            return False
        start, end = self.previous_box
        for index in range(start, end):
            item = self.segments[index]
            self.segments[index] = replace(item, notes=(*item.notes, text))
        return True

    def take_notes(self) -> tuple[str, ...]:
        notes = tuple(self._notes)
        self._notes.clear()
        return notes

    # -- segments -----------------------------------------------------------------------------

    def text(
        self,
        context: str,
        source: str,
        kind: str,
        line: int,
        *,
        markdown: bool = False,
        notes: Sequence[str] = (),
    ) -> str:
        """Record one segment; return its translation, or the source if it has none."""
        if not source.strip():
            return source
        segment = Segment(
            context=context,
            source=source,
            kind=kind,
            file=self.file,
            line=max(1, line),
            unit=self.unit,
            markdown=markdown,
            client=self.client,
            notes=tuple(dict.fromkeys((*self.take_notes(), *self.block_notes, *notes))),
            adapted=self.adapted,
        )
        self.segments.append(segment)
        self.previous_box = None
        result = source
        if self.lookup is not None and not self.adapted:
            translated = self.lookup(segment)
            if translated is None:
                self.missing.append(segment)
            else:
                result = translated
        self.results[context] = result
        return result

    def markdown(
        self,
        text: str,
        scope: Scope,
        first_line: int,
        anchors: Sequence[str] | None = None,
    ) -> str:
        """Segment Markdown text; return it rebuilt from the translations."""
        tokens = parse_markdown(text, anchors).tokens
        writer = _Writer(self, scope, first_line, text.split("\n"))
        result = "\n".join(writer.blocks(SyntaxTreeNode(tokens).children)).strip("\n")
        if self.lookup is not None and result != text:
            spliced = writer.spliced(tokens, anchors)
            if spliced is not None:
                keep_rendered(result, anchors, spliced)
        return result


class _Writer:
    """Writes a block tree back out as Markdown, one segment per block."""

    def __init__(self, seg: Segmenter, scope: Scope, first_line: int, lines: list[str]) -> None:
        self.seg = seg
        self.scope = scope
        self.first_line = first_line
        self.source_lines = lines
        self.written: dict[int, str] = {}
        """id of a paragraph's or heading's inline token -> the text written for it."""
        self.exact = True
        """Whether each text written is what parsing the block written makes its content."""

    def spliced(self, tokens: Sequence[Token], anchors: Sequence[str] | None) -> list[Token] | None:
        """The tokens of the block written, from the source's with each text's own inline
        parse put in (the catalog check parsed most of them): what parsing it would make, but
        for line maps. None when that cannot be told without parsing it."""
        headings = sum(1 for t in tokens if t.type == "heading_open")
        if not self.exact or headings > len(anchors or ()):
            return None
        if any(t.type not in _SPLICED for t in tokens):
            return None
        out: list[Token] = []
        numbers: list[list[int] | None] = []  # the next number of each list open, if ordered
        for token in tokens:
            written = self.written.get(id(token)) if token.type == "inline" else None
            if written is not None:
                token = token.copy(content=written, children=list(hand_on_inline(written)))
            elif token.type in _WRITTEN_MARKUP:
                markup = _WRITTEN_MARKUP[token.type](token)
                token = token if token.markup == markup else token.copy(markup=markup)
            elif token.type == "ordered_list_open":
                numbers.append([int(token.attrGet("start") or 1)])
            elif token.type == "bullet_list_open":
                numbers.append(None)
            elif token.type in ("ordered_list_close", "bullet_list_close"):
                numbers.pop()
            elif token.type == "list_item_open" and numbers and numbers[-1] is not None:
                number = numbers[-1]
                info = str(number[0])  # as written: 1. 2. 3.
                token = token if token.info == info else token.copy(info=info)
                number[0] += 1
            out.append(token)
        return out

    def _wrote(self, node: SyntaxTreeNode, text: str) -> None:
        # A line break of any kind (markdown-it reads "\r" as one) makes the text parse as
        # more than the one line the spliced token holds: such text is parsed as written.
        inline = node.children[0].token if node.children else None
        fits = _FITS.get(node.type, one_paragraph)
        if inline is None or text != text.strip() or _breaks(text) or not fits(text):
            self.exact = False
        else:
            self.written[id(inline)] = text

    def line(self, node: SyntaxTreeNode) -> int:
        return self.first_line + (node.map[0] if node.map else 0)

    def blocks(
        self, nodes: Sequence[SyntaxTreeNode], role: str = "p", tight: bool = False
    ) -> list[str]:
        out: list[str] = []
        for index, node in enumerate(nodes):
            if node.type == "myst_line_comment":
                self.comment(
                    node, nodes[index - 1] if index else None, nodes[index + 1 : index + 2]
                )
                continue
            lines = self.block(node, role)
            if lines is None:
                continue
            if out and not tight:
                out.append("")
            out.extend(lines)
        return out

    def inline(self, node: SyntaxTreeNode) -> tuple[list[Token], int]:
        inline = node.children[0] if node.children else None
        if inline is None or inline.type != "inline":
            return [], self.line(node)
        return list(inline.token.children or []) if inline.token else [], self.line(inline)

    def segment_inline(self, node: SyntaxTreeNode, key: str, kind: str) -> str:
        tokens, line = self.inline(node)
        source = inline_markdown(tokens)
        text = self.seg.text(key, source, kind, line, markdown=True)
        if self.seg.images is not None and "![" in text:
            text = _replace_images(text, self.seg.images)
        return text

    def block(self, node: SyntaxTreeNode, role: str) -> list[str] | None:
        kind = node.type
        if kind == "paragraph":
            key = self.scope.next(role)
            label = {"p": "paragraph", "li": "list item", "q": "quotation"}[role]
            text = self.segment_inline(node, key, label)
            lines = text.split("\n")
            self._wrote(node, text)
            return [escape_line_start(lines[0]), *lines[1:]]
        if kind == "heading":
            anchor = str(node.attrs.get("id") or "")
            key = self.scope.heading(anchor) if anchor else self.scope.next("h")
            level = int(node.tag[1])
            text = self.segment_inline(node, key, f"heading (level {level})")
            self._wrote(node, text)
            text = re.sub(r"\s*\\?\n\s*", " ", text).strip()
            if re.search(r"(^|\s)#+$", text):
                text = text[:-1] + "\\#"
            return [("#" * level + " " + text).rstrip()]
        if kind in ("bullet_list", "ordered_list"):
            return self.bullets(node)
        if kind == "blockquote":
            inner = self.blocks(node.children, "q")
            return [f"> {line}".rstrip() for line in inner] or [">"]
        if kind == "table":
            return self.table(node)
        if kind == "hr":
            return [RULE]
        if kind == "code_block":
            return ["    " + line for line in node.content.rstrip("\n").split("\n")]
        if kind in ("fence", "colon_fence"):
            markup = node.markup
            return [markup + node.info, *node.content.rstrip("\n").split("\n"), markup]
        if kind in ("myst_block_break", "myst_target", "front_matter"):
            return None
        if node.map:  # anything else is kept exactly as written
            start, end = node.map
            return self.source_lines[start:end]
        return None

    def comment(
        self,
        node: SyntaxTreeNode,
        before: SyntaxTreeNode | None,
        after: Sequence[SyntaxTreeNode],
    ) -> None:
        """Pass ``% translator:`` notes on to the block they are about.

        A comment after a box or an exercise, or on the line right after a block, or between
        empty lines after a block, is about the block before it. A comment at the top of a page,
        or written right before a block or a directive, is about what follows.
        """
        notes = [
            raw.strip().split(":", 1)[1].strip()
            for raw in node.content.split("\n")
            if raw.strip().lower().startswith("translator:")
        ]
        start, end = node.map or (0, 0)
        lines = self.source_lines
        for note in notes:
            if before is None:
                if not self.seg.note_box(note):
                    self.seg.note(note)
            elif start > 0 and lines[start - 1].strip():
                self.seg.note_previous(note)
            elif not after or (end < len(lines) and lines[end].strip()):
                self.seg.note(note)
            else:
                self.seg.note_previous(note)

    def bullets(self, node: SyntaxTreeNode) -> list[str]:
        tight = any(
            child.nester_tokens is not None and child.nester_tokens.opening.hidden
            for item in node.children
            for child in item.children
            if child.type == "paragraph"
        )
        start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
        out: list[str] = []
        for index, item in enumerate(node.children):
            marker = node.markup if node.type == "bullet_list" else f"{start + index}{node.markup}"
            inner = self.blocks(item.children, "li", tight) or [""]
            pad = " " * (len(marker) + 1)
            if out and not tight:
                out.append("")
            out.append(f"{marker} {inner[0]}".rstrip())
            out.extend((pad + line) if line else "" for line in inner[1:])
        return out

    def table(self, node: SyntaxTreeNode) -> list[str]:
        table_key = self.scope.next("t")
        rows: list[list[str]] = []
        aligns: list[str] = []
        for section in node.children:
            for row in section.children:
                cells: list[str] = []
                r = len(rows)
                for c, cell in enumerate(row.children):
                    if r == 0:
                        aligns.append(str(cell.attrs.get("style", "")))
                    kind = "table header cell" if cell.type == "th" else "table cell"
                    text = self.segment_inline(cell, f"{table_key}.r{r}.c{c}", kind)
                    self._wrote(cell, text)
                    text = re.sub(r"\s*\\?\n\s*", " ", text)
                    cells.append(re.sub(r"(?<!\\)\|", r"\\|", text))
                rows.append(cells)
        if not rows:
            return []
        out = [
            "| " + " | ".join(rows[0]) + " |",
            "| " + " | ".join(_rule(a) for a in aligns) + " |",
        ]
        out.extend("| " + " | ".join(cells) + " |" for cells in rows[1:])
        return out


#: The tokens of the blocks a translated block is spliced from (see :meth:`_Writer.spliced`):
#: the writer writes these back so that they parse to the same tokens again.
_SPLICED = frozenset(
    {
        "inline",
        "paragraph_open",
        "paragraph_close",
        "heading_open",
        "heading_close",
        "bullet_list_open",
        "bullet_list_close",
        "ordered_list_open",
        "ordered_list_close",
        "list_item_open",
        "list_item_close",
        "blockquote_open",
        "blockquote_close",
        "hr",
        "table_open",
        "table_close",
        "thead_open",
        "thead_close",
        "tbody_open",
        "tbody_close",
        "tr_open",
        "tr_close",
        "th_open",
        "th_close",
        "td_open",
        "td_close",
    }
)


def _heading_text(text: str) -> bool:
    """Whether a heading written with ``text`` has ``text`` as its content."""
    return bool(text) and not re.search(r"(^|\s)#+$", text)


@cache
def _rule_markup() -> str:
    """The markup of the rule the writer writes (markdown-it counts one ``*`` too many)."""
    return str(checking_parser().parse(RULE, {})[0].markup)


#: The markup the writer writes for a token whose source may have had another: an ATX
#: heading for a setext one, ``***`` for any rule.
_WRITTEN_MARKUP: dict[str, Callable[[Token], str]] = {
    "heading_open": lambda token: "#" * int(token.tag[1]),
    "heading_close": lambda token: "#" * int(token.tag[1]),
    "hr": lambda token: _rule_markup(),
}


def _cell_text(text: str) -> bool:
    """Whether a table cell written with ``text`` has ``text`` as its content."""
    return "|" not in text


#: Whether a block written with a text has that text (one line, no space at either end) as
#: its content, by the block's type; a paragraph's by :func:`one_paragraph`.
_FITS: dict[str, Callable[[str], bool]] = {
    "heading": _heading_text,
    "th": _cell_text,
    "td": _cell_text,
}


def _rule(style: str) -> str:
    if "center" in style:
        return ":-:"
    if "left" in style:
        return ":--"
    if "right" in style:
        return "--:"
    return "---"


def _replace_images(text: str, images: Callable[[str], str]) -> str:
    tokens = checking_parser().parseInline(text, {})
    return inline_markdown(tokens[0].children or [], images) if tokens else text


def inline_tokens(text: str) -> list[Token]:
    """The inline tokens of one line of Markdown."""
    tokens = checking_parser().parseInline(text, {})
    return list(tokens[0].children or []) if tokens else []


def words(text: str) -> int:
    """How many words a msgid has (its Markdown markup not counted)."""
    return len(re.findall(r"\w+", plain_text(inline_tokens(text))))


def option_strings(
    options: Any, path: tuple[str, ...] = ()
) -> Iterable[tuple[tuple[str, ...], str]]:
    """The translatable strings of an exercise's options, each with a stable path of ids."""
    if isinstance(options, dict):
        for key in options:
            value = options[key]
            if isinstance(value, str):
                if key in TRANSLATABLE_OPTIONS and value.strip():
                    yield (*path, key), value
            else:
                yield from option_strings(value, (*path, key))
    elif isinstance(options, list):
        for index, item in enumerate(options):
            name = item.get("id") if isinstance(item, dict) else None
            yield from option_strings(item, (*path, str(name or index + 1)))


def replace_options(
    options: Any, mapping: dict[tuple[str, ...], str], path: tuple[str, ...] = ()
) -> Any:
    """A copy of ``options`` with the strings at the given paths replaced."""
    if isinstance(options, dict):
        out = {}
        for key, value in options.items():
            here = (*path, key)
            if isinstance(value, str) and here in mapping:
                out[key] = mapping[here]
            else:
                out[key] = replace_options(value, mapping, here)
        return out
    if isinstance(options, list):
        result = []
        for index, item in enumerate(options):
            name = item.get("id") if isinstance(item, dict) else None
            result.append(replace_options(item, mapping, (*path, str(name or index + 1))))
        return result
    return options


def media_name(src: str) -> str:
    """The key part of an image or recording: its file name without extension."""
    stem = posixpath.splitext(posixpath.basename(src.split("#")[0].split("?")[0]))[0]
    return re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-") or "media"


def _breaks(text: str) -> bool:
    """Whether ``text`` holds a line break markdown-it would see (``\n``, ``\r``)."""
    return "\n" in text or "\r" in text
