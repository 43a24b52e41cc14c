"""Diagnostics: every problem an author or translator can cause, with a stable code and a place.

The library collects :class:`Diagnostic` objects and raises :class:`ContentError` carrying them;
only the CLI prints. Every code is listed once in :data:`CODES`, which the documentation is
generated from, so a code cannot be used without being documented.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """A diagnostic code: what it means and how to fix it in general."""

    code: str
    severity: Severity
    title: str
    explanation: str
    example: str = ""


def _c(code: str, severity: Severity, title: str, explanation: str, example: str = "") -> Code:
    return Code(code, severity, title, explanation, example)


E, W = Severity.ERROR, Severity.WARNING

#: Every diagnostic code. 1xx files and YAML, 2xx ids and references, 3xx content,
#: 4xx measures, 5xx guidance templates, 6xx translation, 7xx build and site.
CODES: dict[str, Code] = {
    c.code: c
    for c in [
        _c(
            "ICBT100",
            E,
            "File cannot be read",
            "A file could not be read as UTF-8 text, or is larger than the size limit.",
        ),
        _c(
            "ICBT101",
            E,
            "Invalid YAML",
            "A YAML manifest or front matter block is not valid YAML.",
            "title: [unclosed",
        ),
        _c(
            "ICBT102",
            E,
            "Unknown field",
            "A manifest, front matter or directive has a field the format does not define. "
            "Usually a misspelling: the hint names the closest field.",
            "titel: Welcome",
        ),
        _c(
            "ICBT103",
            E,
            "Missing required field",
            "A required field is missing from a manifest, front matter or directive.",
        ),
        _c(
            "ICBT104",
            E,
            "Invalid value",
            "A field has a value of the wrong type or outside the allowed values.",
        ),
        _c(
            "ICBT105",
            E,
            "YAML feature not allowed",
            "Anchors, aliases and custom tags are refused in content YAML to keep it simple "
            "and safe.",
        ),
        _c(
            "ICBT106",
            E,
            "Missing file",
            "A file the programme needs (programme.yaml, a module folder or module.md) is missing.",
        ),
        _c(
            "ICBT201",
            E,
            "Duplicate id",
            "Two modules, pages, exercises, fields or anchors share an id. Ids must be unique so "
            "links and saved answers stay attached to the right thing.",
        ),
        _c(
            "ICBT202",
            E,
            "Invalid id",
            "Ids are lower-case letters, digits and hyphens, starting with a letter.",
            "id: Page One",
        ),
        _c(
            "ICBT203",
            E,
            "Unknown module",
            "A reference names a module that is not in the programme.",
        ),
        _c(
            "ICBT204",
            E,
            "Broken link",
            "A link points to a page, module or anchor that does not exist.",
        ),
        _c(
            "ICBT205",
            E,
            "Unknown questionnaire",
            "A questionnaire directive or programme.yaml names a measure that is not defined.",
        ),
        _c(
            "ICBT206",
            E,
            "Unsafe link",
            "Only https, mailto, tel and relative links are allowed in content.",
            "[click](javascript:alert(1))",
        ),
        _c(
            "ICBT207",
            E,
            "Exercise or field id removed without a migration",
            "An exercise or field id recorded in ids.lock no longer exists. Clients' saved "
            "answers are keyed by these ids: rename through `migrations:` in programme.yaml, "
            "or record the removal there, then run `icbt lock`.",
        ),
        _c(
            "ICBT208",
            E,
            "Invalid migration",
            "A migration in programme.yaml renames from or to an id that does not exist.",
        ),
        _c(
            "ICBT301",
            E,
            "Unknown exercise type",
            "An exercise directive names a type that no installed package registers.",
        ),
        _c("ICBT302", E, "Unknown directive", "A ::: block names a directive that does not exist."),
        _c(
            "ICBT303",
            E,
            "Media without alternative",
            "Images need alt text; audio and video need a transcript.",
        ),
        _c("ICBT304", E, "Empty module", "A module has no pages."),
        _c(
            "ICBT305",
            W,
            "Hard to read",
            "An English client page scores below 60 on the Flesch reading ease scale. Use "
            "shorter sentences and everyday words.",
        ),
        _c(
            "ICBT306",
            W,
            "Distressing content without a route to help",
            "A page marked `distressing: true` (or a trauma narrative exercise) has no "
            "help callout or link to the crisis page on the page.",
        ),
        _c("ICBT307", E, "Missing title", "A page or module has no title."),
        _c(
            "ICBT308",
            W,
            "Missing therapist notes",
            "A module has no notes for the therapist in module.md.",
        ),
        _c("ICBT309", E, "Empty page", "A page has no content."),
        _c(
            "ICBT701",
            E,
            "External resource",
            "A template or asset refers to a resource on another host; the site must make no "
            "third-party requests.",
        ),
        _c("ICBT702", E, "Template error", "A project template override could not be rendered."),
        _c(
            "ICBT703",
            E,
            "Output folder not writable",
            "The build could not write or swap in the output folder.",
        ),
    ]
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, at a place, with a hint on how to fix it."""

    file: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def format(self) -> str:
        text = f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def diagnostic(
    code: str,
    message: str,
    file: str | Path,
    line: int = 1,
    col: int = 1,
    hint: str = "",
) -> Diagnostic:
    """Make a diagnostic whose severity comes from the code's definition."""
    return Diagnostic(
        file=str(file),
        line=max(1, line),
        col=max(1, col),
        code=code,
        message=message,
        hint=hint,
        severity=CODES[code].severity,
    )


class Diagnostics:
    """An ordered collection of diagnostics from one run."""

    def __init__(self, items: Iterable[Diagnostic] = ()) -> None:
        self._items: list[Diagnostic] = list(items)

    def add(self, item: Diagnostic) -> None:
        self._items.append(item)

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(set(self._items)))

    def __len__(self) -> int:
        return len(set(self._items))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self if d.severity is Severity.WARNING]

    def fails(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


class ContentError(Exception):
    """Raised when content has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """Return the closest candidate to a misspelled word, if any is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else ""
