"""Interface strings: the words of the site templates and of built-in exercise types.

They are translated once per locale, in ``locales/<locale>/interface.po``, and shared by every
programme. Templates mark them with ``_()``; a project's own ``templates/`` folder is searched too.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment
from jinja2.ext import extract_from_ast
from pydantic import ValidationError

from icbt_content.exercises import exercise_types
from icbt_content.project import Project

#: Strings the i18n package itself shows to clients.
NOTICE = (
    "This module is not yet available in {language}. It is shown in {fallback} until its "
    "translation is finished."
)
OWN_STRINGS = (NOTICE,)

#: The label shown on each style of box (``::: tip``), in the site's own words.
CALLOUT_LABELS = {
    "case-example": "Example",
    "note": "Note",
    "tip": "Tip",
    "warning": "Take care",
    "help": "If this feels too much",
}

#: Template functions whose string arguments are interface strings: ``_(text)``,
#: ``pgettext(context, text)`` for a word used in several places with different meanings, and
#: ``plural_forms(singular, plural)`` for a message with a number.
_GETTEXT = ("_", "gettext", "pgettext", "plural_forms")


@dataclass(frozen=True)
class InterfaceString:
    """One interface string and where it is used."""

    text: str
    location: str
    """``path:line`` of its first use (``path`` alone when the line is not known)."""
    note: str
    plural: str | None = None
    context: str | None = None
    """``msgctxt``: tells apart one word used in places that need different translations."""
    locations: tuple[str, ...] = ()
    """Every ``path:line`` it is used at (merged by :func:`interface_strings`)."""

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.text)


def template_strings(project: Path | None = None) -> Iterator[InterfaceString]:
    """``_("...")`` strings of the package's templates and a project's template overrides."""
    package = resources.files("icbt_content.render") / "templates"
    for name, text in sorted(_walk(package, "")):
        yield from _strings_of(text, f"icbt_content/render/templates/{name}")
    if project is not None and Project(project).templates.is_dir():
        for path in sorted(Project(project).templates.rglob("*.html")):
            rel = path.relative_to(project).as_posix()
            yield from _strings_of(path.read_text(encoding="utf-8"), rel)


@lru_cache(maxsize=1024)  # bounded: templates edited again and again while serving
def _strings_of(text: str, where: str) -> tuple[InterfaceString, ...]:
    """The strings of one template, parsed once while its text is unchanged (every locale of
    every programme asks for the site's safety words)."""
    return tuple(_from_template(Environment(), text, where))


def _walk(folder: Any, prefix: str) -> Iterator[tuple[str, str]]:
    for entry in folder.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, name + "/")
        elif entry.name.endswith(".html"):
            yield name, entry.read_text(encoding="utf-8")


def _from_template(env: Environment, text: str, where: str) -> Iterator[InterfaceString]:
    try:
        tree = env.parse(text)
    except Exception:  # a broken override is reported by the build, not here
        return
    for lineno, func, message in extract_from_ast(tree, _GETTEXT, babel_style=True):
        at = f"{where}:{lineno}"
        if isinstance(message, str):
            yield InterfaceString(message, at, "site template")
        elif not isinstance(message, tuple) or len(message) < 2:
            continue
        elif func == "pgettext" and isinstance(message[0], str) and isinstance(message[1], str):
            yield InterfaceString(message[1], at, "site template", context=message[0])
        elif func == "plural_forms" and isinstance(message[0], str) and isinstance(message[1], str):
            yield InterfaceString(message[0], at, "site template", plural=message[1])


def python_strings() -> Iterator[InterfaceString]:
    """``_()`` calls and box labels of the renderer."""
    return iter(_python_strings())


@cache
def _python_strings() -> tuple[InterfaceString, ...]:
    """Read once per process: the package's own code does not change while it runs (every
    locale of every programme asks for the interface's strings)."""
    return tuple(_read_python_strings())


def _read_python_strings() -> Iterator[InterfaceString]:
    from babel.messages.extract import extract

    source = resources.files("icbt_content.render") / "site.py"
    where = "icbt_content/render/site.py"
    for lineno, message, _, _ in extract(
        "python", io.BytesIO(source.read_bytes()), keywords={"_": None}
    ):
        if isinstance(message, str):
            yield InterfaceString(message, f"{where}:{lineno}", "site")
    own = resources.files("icbt_content.i18n") / "interface.py"
    own_lines = own.read_text(encoding="utf-8").split("\n")
    for style, label in CALLOUT_LABELS.items():
        yield InterfaceString(
            label,
            _line_of(own_lines, label, "icbt_content/i18n/interface.py"),
            f"label of a '{style}' box",
        )
    for text in OWN_STRINGS:
        yield InterfaceString(
            text,
            _line_of(own_lines, text[:30], "icbt_content/i18n/interface.py"),
            "notice on a module shown in the source language; {language} is the reader's "
            "language, {fallback} the language the module is shown in",
        )


def _line_of(lines: list[str], text: str, where: str) -> str:
    """``where:line`` of the first line quoting ``text``; ``where`` alone if none does."""
    quoted = f'"{text}'
    number = next((i for i, line in enumerate(lines, start=1) if quoted in line), 0)
    return f"{where}:{number}" if number else where


def _type_location(make_fields: object) -> str:
    """``path:line`` of the function that makes an exercise type's fields (``path`` inside the
    package, or the file name of a plugin's module)."""
    import inspect

    try:
        file = inspect.getsourcefile(make_fields) or ""  # type: ignore[arg-type]
        line = inspect.getsourcelines(make_fields)[1]  # type: ignore[arg-type]
    except (OSError, TypeError):
        return "icbt_content/exercises/types.py"
    parts = Path(file).parts
    if "icbt_content" not in parts:
        return f"{Path(file).name}:{line}"
    start = len(parts) - 1 - parts[::-1].index("icbt_content")
    return f"{'/'.join(parts[start:])}:{line}"


_TRIAL_OPTIONS: tuple[dict[str, Any], ...] = (
    {},
    {"other": True},
    {"items": [{"id": "x", "label": "\x00"}], "other": True},
    {"hotspots": 10},
)


def exercise_strings() -> Iterator[InterfaceString]:
    """The labels built-in exercise types give their fields (worked out once for each
    registry of exercise types)."""
    types = exercise_types()
    if _EXERCISE_STRINGS.get("types") is not types:
        _EXERCISE_STRINGS.update(types=types, strings=tuple(_exercise_strings(types)))
    strings: tuple[InterfaceString, ...] = _EXERCISE_STRINGS["strings"]
    return iter(strings)


#: The registry of exercise types :func:`exercise_strings` last read, and what it found there.
_EXERCISE_STRINGS: dict[str, Any] = {}


def _exercise_strings(types: dict[str, Any]) -> Iterator[InterfaceString]:
    for name, kind in sorted(types.items()):
        seen: set[str] = set()
        for extra in _TRIAL_OPTIONS:
            try:
                options = kind.options.model_validate({"id": "x", "title": "\x00", **extra})
            except ValidationError:
                continue
            for f in kind.fields(options):
                texts = [f.label, f.hint, f.group, f.min_label, f.max_label]
                texts += [c.label for c in f.choices]
                for text in texts:
                    if text and "\x00" not in text and text not in seen:
                        seen.add(text)
                        yield InterfaceString(
                            text,
                            _type_location(kind.make_fields),
                            f"field of the exercise type '{name}'",
                        )


def interface_strings(project: Path | None = None) -> list[InterfaceString]:
    """Every interface string, first occurrence first, duplicates (same context and text)
    merged with all their locations."""
    merged: dict[tuple[str | None, str], InterfaceString] = {}
    locations: dict[tuple[str | None, str], list[str]] = {}
    for item in [*template_strings(project), *python_strings(), *exercise_strings()]:
        merged.setdefault(item.key, item)
        places = locations.setdefault(item.key, [])
        if item.location not in places:
            places.append(item.location)
    return [
        InterfaceString(
            item.text,
            item.location,
            item.note,
            item.plural,
            item.context,
            tuple(locations[key]),
        )
        for key, item in merged.items()
    ]
