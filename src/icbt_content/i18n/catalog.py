"""PO files: read with the line of every entry, write deterministically, keep previous msgids.

Babel's reader drops ``#| msgid`` lines and the line numbers translators need in error messages,
so catalogs are read here; strings are quoted and wrapped with Babel's own helpers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.pofile import normalize, unescape

from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.inputs import leaves_project
from icbt_content.limits import (
    CATALOG_MARKDOWN_FACTOR,
    MAX_CATALOG_BYTES,
    MAX_CATALOG_ENTRIES,
    MAX_PLURAL_FORMS,
    MAX_STRING_CHARS,
    kilobytes,
)
from icbt_content.markdown.budget import text_over_budget

WIDTH = 76
BRACE_FORMAT = "python-brace-format"
#: Flags extraction decides; a translator's own flags (other than fuzzy) are kept by updates.
FORMAT_FLAGS = frozenset({BRACE_FORMAT, f"no-{BRACE_FORMAT}"})
_BRACE_NAME = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def format_flags(*texts: str) -> set[str]:
    """``python-brace-format`` when the source has ``{name}`` slots and no other braces, so
    ``msgfmt -c``, Poedit and Weblate check that a translation keeps them."""
    named = any(_BRACE_NAME.search(text) for text in texts)
    other = any(
        "{" in _BRACE_NAME.sub("", text) or "}" in _BRACE_NAME.sub("", text) for text in texts
    )
    return {BRACE_FORMAT} if named and not other else set()


@dataclass
class Entry:
    """One message of a catalog."""

    msgid: str
    msgstr: str = ""
    context: str | None = None
    msgid_plural: str | None = None
    plurals: dict[int, str] = field(default_factory=dict)
    """``msgstr[n]`` of a plural entry."""
    locations: list[str] = field(default_factory=list)
    """``file:line`` references (``#:``)."""
    notes: list[str] = field(default_factory=list)
    """Extracted comments for the translator (``#.``)."""
    comments: list[str] = field(default_factory=list)
    """The translator's own comments (``#``), kept across updates."""
    flags: set[str] = field(default_factory=set)
    previous_id: str | None = None
    """``#| msgid``: the source text the translation was made from, when it has changed."""
    previous_context: str | None = None
    obsolete: bool = False
    line: int = 0
    """1-based line of ``msgid`` in the file it was read from (0 when not read from a file)."""
    msgstr_line: int = 0
    """1-based line of the first ``msgstr``."""

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """Has a translation in every form (fuzzy or not)."""
        if self.msgid_plural is not None:
            return bool(self.plurals) and all(self.plurals.values())
        return bool(self.msgstr)

    @property
    def strings(self) -> list[str]:
        """Every translated string of the entry."""
        if self.msgid_plural is not None:
            return [self.plurals[k] for k in sorted(self.plurals)]
        return [self.msgstr]


@dataclass
class Catalog:
    """A PO or POT file: a header and entries in order."""

    header: list[tuple[str, str]] = field(default_factory=list)
    header_comments: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    path: str = ""
    """The path shown in diagnostics."""

    def get_header(self, name: str) -> str:
        return next((v for k, v in self.header if k.lower() == name.lower()), "")

    def set_header(self, name: str, value: str) -> None:
        for i, (k, _) in enumerate(self.header):
            if k.lower() == name.lower():
                self.header[i] = (k, value)
                return
        self.header.append((name, value))

    def active(self) -> Iterator[Entry]:
        return (e for e in self.entries if not e.obsolete)

    def index(self) -> dict[tuple[str | None, str], Entry]:
        return {e.key: e for e in self.active()}

    @property
    def nplurals(self) -> int | None:
        """The number of plural forms the header declares; None if absent or out of range
        (reading the catalog reported that)."""
        match = _NPLURALS.search(self.get_header("Plural-Forms"))
        return _plural_count(match.group(1)) if match else None

    @property
    def header_line(self) -> int:
        return 1


# -- reading -------------------------------------------------------------------------------------

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
#: A backslash and what follows it; msgfmt accepts only the C escapes.
_ESCAPE = re.compile(r"\\(.?)", re.DOTALL)
_GOOD_ESCAPES = frozenset("ntrabfv\"'?01234567x\\")
_NOWHERE = -1
"""The plural index of a refused ``msgstr[n]``, whose text is read and dropped."""


def _plural_count(digits: str) -> int | None:
    """``nplurals`` as a number, or None when outside 1..MAX_PLURAL_FORMS (checked on the
    digits first: int() of thousands of digits is refused by Python)."""
    if len(digits) > len(str(MAX_PLURAL_FORMS)):
        return None
    value = int(digits)
    return value if 1 <= value <= MAX_PLURAL_FORMS else None


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.catalog = Catalog(path=path)
        self.problems: list[Diagnostic] = []
        self._reset()

    def _reset(self) -> None:
        self.entry: Entry | None = None
        self.current: str | None = None
        self.pending = Entry(msgid="")
        self.prev_key: str | None = None
        self.header_done = False
        # The string being read, in pieces: joined once, as appending to it would copy it for
        # every continuation line.
        self.pieces: list[str] = []
        self.length = 0
        self.too_long = False
        self.string_line = 0
        self.stopped = False

    def limit(self, line: int, message: str) -> None:
        self.problems.append(
            diagnostic(
                "ICBT615",
                message,
                self.path,
                line,
                hint="check that this is the right file; real catalogs are far smaller",
            )
        )

    def start_string(self, lineno: int) -> None:
        self.pieces = []
        self.length = 0
        self.too_long = False
        self.string_line = lineno

    def add_piece(self, value: str) -> None:
        self.length += len(value)
        if self.too_long:
            return
        if self.length > MAX_STRING_CHARS:
            self.too_long = True
            self.pieces = []
            self.limit(
                self.string_line, f"this string is longer than {MAX_STRING_CHARS} characters"
            )
            return
        self.pieces.append(value)

    def store(self) -> None:
        """Put the string read so far into its field of the entry."""
        entry = self.entry
        if entry is None or self.current is None:
            return
        value = "" if self.too_long else "".join(self.pieces)
        if self.current == "msgctxt":
            entry.context = value
        elif self.current == "msgid":
            entry.msgid = value
        elif self.current == "msgid_plural":
            entry.msgid_plural = value
        elif self.current == "msgstr":
            entry.msgstr = value
        elif self.current == "msgstr[]" and self._plural_index != _NOWHERE:
            entry.plurals[self._plural_index] = value

    def error(self, line: int, message: str) -> None:
        self.problems.append(
            diagnostic(
                "ICBT601",
                message,
                self.path,
                line,
                hint="open the file in a PO editor (Poedit) or compare with the lines around it",
            )
        )

    def finish(self) -> None:
        entry = self.entry
        if entry is None:
            return
        self.store()
        if entry.msgid == "" and entry.context is None and not self.header_done:
            self.header_done = True
            self.catalog.header_comments = entry.comments
            for raw in entry.msgstr.split("\n"):
                if ":" in raw:
                    key, value = raw.split(":", 1)
                    self.catalog.header.append((key.strip(), value.strip()))
        elif len(self.catalog.entries) < MAX_CATALOG_ENTRIES:
            self.catalog.entries.append(entry)
        else:
            self.limit(entry.line, f"the catalog has more than {MAX_CATALOG_ENTRIES} messages")
            self.stopped = True
        self.entry = None
        self.current = None
        self.pending = Entry(msgid="")
        self.prev_key = None

    def comment(self, line: str) -> None:
        if self.entry is not None and self.current is not None and self.current != "previous":
            self.finish()
        pending = self.pending
        if line.startswith("#."):
            pending.notes.append(line[2:].strip())
        elif line.startswith("#:"):
            pending.locations.extend(line[2:].split())
        elif line.startswith("#,"):
            pending.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#|"):
            self.previous(line[2:].strip())
        else:
            pending.comments.append(line[1:].strip() if line[1:2] == " " else line[1:])

    def previous(self, text: str) -> None:
        match = re.match(r"^(msgctxt|msgid|msgid_plural)\s+(\".*\")$", text)
        if match:
            self.prev_key = match.group(1)
            value = unescape(match.group(2))
            if self.prev_key == "msgctxt":
                self.pending.previous_context = value
            elif self.prev_key == "msgid":
                self.pending.previous_id = value
        elif text.startswith('"') and self.prev_key:
            value = unescape(text)
            if self.prev_key == "msgctxt":
                self.pending.previous_context = (self.pending.previous_context or "") + value
            elif self.prev_key == "msgid":
                self.pending.previous_id = (self.pending.previous_id or "") + value

    def keyword(self, lineno: int, text: str, obsolete: bool) -> None:
        match = _KEYWORD.match(text)
        if not match:
            if text.startswith('"') and self.entry is not None and self.current:
                self.append(lineno, text)
                return
            self.error(lineno, f"cannot read this line: {text[:60]}")
            return
        word, index, quoted = match.group(1), match.group(2), match.group(3)
        if index is not None and not (len(index) == 1 and int(index) < MAX_PLURAL_FORMS):
            self.problems.append(
                diagnostic(
                    "ICBT614",
                    f"msgstr[{index[:12]}{'...' if len(index) > 12 else ''}] is not a plural "
                    f"form: the index must be 0 to {MAX_PLURAL_FORMS - 1}",
                    self.path,
                    lineno,
                    hint="number the forms msgstr[0], msgstr[1], ... as the Plural-Forms "
                    "header says",
                )
            )
            if self.entry is not None:
                # Read on as a plural form that is kept nowhere, so its continuation lines
                # and the entry's end are recognised.
                self.store()
                self.start_string(lineno)
                self.current, self._plural_index = "msgstr[]", _NOWHERE
            return
        value = self.unescaped(lineno, quoted)
        self.store()
        if (
            word in ("msgctxt", "msgid")
            and self.entry is not None
            and self.current
            in (
                "msgstr",
                "msgstr[]",
            )
        ):
            self.finish()
        if self.entry is None:
            if word not in ("msgctxt", "msgid"):
                self.error(lineno, f"'{word}' without a msgid before it")
                return
            pending = self.pending
            self.entry = Entry(
                msgid="",
                locations=pending.locations,
                notes=pending.notes,
                comments=pending.comments,
                flags=pending.flags,
                previous_id=pending.previous_id,
                previous_context=pending.previous_context,
                obsolete=obsolete,
            )
        entry = self.entry
        self.start_string(lineno)
        self.add_piece(value)
        if word == "msgctxt":
            self.current = "msgctxt"
        elif word == "msgid":
            entry.line = lineno
            self.current = "msgid"
        elif word == "msgid_plural":
            self.current = "msgid_plural"
        elif index is not None:
            if not entry.msgstr_line:
                entry.msgstr_line = lineno
            self.current = "msgstr[]"
            self._plural_index = int(index)
        else:
            entry.msgstr_line = lineno
            self.current = "msgstr"
        self.store()

    def unescaped(self, lineno: int, quoted: str) -> str:
        """The text of a quoted PO string; an escape msgfmt refuses is an error here too."""
        if "\\" not in quoted:
            return quoted[1:-1]  # nothing escaped (most lines)
        bad = next(
            (m.group(1) for m in _ESCAPE.finditer(quoted[1:-1]) if m.group(1) not in _GOOD_ESCAPES),
            None,
        )
        if bad is not None:
            self.error(
                lineno,
                f"'\\{bad}' is not an escape sequence (msgfmt refuses the file): write '\\\\' "
                "for a backslash",
            )
        try:
            return str(unescape(quoted))
        except Exception:  # malformed escapes
            self.error(lineno, "a string has a malformed escape")
            return ""

    def append(self, lineno: int, text: str) -> None:
        self.add_piece(self.unescaped(lineno, text))

    def feed(self, text: str) -> Catalog:
        for lineno, raw in enumerate(text.split("\n"), start=1):
            if self.stopped:
                break
            line = raw.strip()
            if not line:
                if self.entry is not None and self.current in ("msgstr", "msgstr[]"):
                    self.finish()
                continue
            if line.startswith("#~"):
                body = line[2:].strip()
                if body.startswith("|"):
                    self.previous(body[1:].strip())
                else:
                    self.keyword(lineno, body, obsolete=True)
            elif line.startswith("#"):
                self.comment(line)
            else:
                self.keyword(lineno, line, obsolete=False)
        self.finish()
        return self.catalog


def read_po(text: str, path: str = "") -> tuple[Catalog, list[Diagnostic]]:
    """Parse PO text; syntax problems and strings over the limits are diagnostics at their
    line."""
    reader = _Reader(path)
    if len(text) > MAX_CATALOG_BYTES:
        reader.limit(1, f"the catalog is larger than {kilobytes(MAX_CATALOG_BYTES)}")
        return reader.catalog, reader.problems
    excess = text_over_budget(text, CATALOG_MARKDOWN_FACTOR)
    if excess is not None:
        reader.limit(excess.line, excess.message)
        return reader.catalog, reader.problems
    catalog = reader.feed(text)
    _check_plural_header(catalog, text, reader)
    seen: dict[tuple[str | None, str], int] = {}
    for entry in catalog.active():
        if entry.key in seen:
            reader.error(
                entry.line,
                f"msgid {entry.msgid[:40]!r} appears twice (first at line {seen[entry.key]})",
            )
        seen.setdefault(entry.key, entry.line)
    return catalog, reader.problems


def _check_plural_header(catalog: Catalog, text: str, reader: _Reader) -> None:
    match = _NPLURALS.search(catalog.get_header("Plural-Forms"))
    if match is None or _plural_count(match.group(1)) is not None:
        return
    at = text.find("nplurals")
    digits = match.group(1)
    reader.problems.append(
        diagnostic(
            "ICBT614",
            f"nplurals={digits[:12]}{'...' if len(digits) > 12 else ''} is not a number of "
            f"plural forms (1 to {MAX_PLURAL_FORMS})",
            reader.path,
            text.count("\n", 0, at) + 1 if at >= 0 else 1,
            hint="copy the Plural-Forms header for the language from a PO editor, or run "
            "'icbt i18n update'",
        )
    )


def load_po(
    path: Path, shown: str, project: Path | None = None
) -> tuple[Catalog | None, list[Diagnostic]]:
    """Read a PO file; None when it cannot be read at all, is over the size limit, or (of
    ``project``) may not be read."""
    outside = leaves_project(path, project) if project is not None else None
    if outside is not None:
        return None, [outside]
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_CATALOG_BYTES + 1)
        if len(raw) > MAX_CATALOG_BYTES:
            return None, [
                diagnostic(
                    "ICBT615",
                    f"the catalog is larger than {kilobytes(MAX_CATALOG_BYTES)}",
                    shown,
                    hint="check that this is the right file; real catalogs are far smaller",
                )
            ]
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [diagnostic("ICBT601", f"cannot read catalog: {exc}", shown)]
    return read_po(text.replace("\r\n", "\n"), shown)


# -- writing -------------------------------------------------------------------------------------


def _string(keyword: str, value: str, prefix: str = "", width: int = WIDTH) -> str:
    # Babel's normalize() counts the prefix once per word, so wrap without it and add it here.
    lines = normalize(value, width=width - len(prefix) if width > 0 else 0).split("\n")
    return "\n".join([f"{prefix}{keyword} {lines[0]}", *(prefix + line for line in lines[1:])])


def _entry_lines(entry: Entry, width: int) -> list[str]:
    out = [f"# {c}".rstrip() for c in entry.comments]
    out += [f"#. {n}".rstrip() for n in entry.notes]
    out += [f"#: {loc}" for loc in entry.locations]
    if entry.flags:
        out.append("#, " + ", ".join(sorted(entry.flags)))
    prefix = "#~ " if entry.obsolete else ""
    previous = "#~| " if entry.obsolete else "#| "
    if entry.previous_context is not None:
        out.append(_string("msgctxt", entry.previous_context, previous, width))
    if entry.previous_id is not None:
        out.append(_string("msgid", entry.previous_id, previous, width))
    if entry.context is not None:
        out.append(_string("msgctxt", entry.context, prefix, width))
    out.append(_string("msgid", entry.msgid, prefix, width))
    if entry.msgid_plural is not None:
        out.append(_string("msgid_plural", entry.msgid_plural, prefix, width))
        for index in sorted(entry.plurals) or [0]:
            out.append(_string(f"msgstr[{index}]", entry.plurals.get(index, ""), prefix, width))
    else:
        out.append(_string("msgstr", entry.msgstr, prefix, width))
    return out


def write_po(catalog: Catalog, width: int = WIDTH) -> str:
    """The catalog as PO text. Output depends only on the catalog, so diffs stay small.
    Strings are wrapped at ``width`` columns; 0 writes each on as many lines as it has (as
    ``msgcat --no-wrap`` does, and faster)."""
    out = [f"# {c}".rstrip() for c in catalog.header_comments]
    header = "".join(f"{k}: {v}\n" for k, v in catalog.header)
    out.append('msgid ""')
    out.append(_string("msgstr", header, "", width))
    for entry in catalog.entries:
        out.append("")
        out.extend(_entry_lines(entry, width))
    return "\n".join(out) + "\n"


def save_po(catalog: Catalog, path: Path) -> None:
    """Write a catalog, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(write_po(catalog), encoding="utf-8")
