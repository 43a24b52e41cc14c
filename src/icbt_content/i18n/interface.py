"""Interface strings: the words of the site templates and of built-in exercise types.

They are translated once per locale, in ``locales/<locale>/interface.po``, and shared by every
programme. Templates mark them with ``_()``; a project's own ``templates/`` folder is searched too.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
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

_GETTEXT = ("_", "gettext", "ngettext")


@dataclass(frozen=True)
class InterfaceString:
    """One interface string and where it is used."""

    text: str
    location: str
    note: str
    plural: str | None = None


def template_strings(project: Path | None = None) -> Iterator[InterfaceString]:
    """``_("...")`` strings of the package's templates and a project's template overrides."""
    env = Environment()
    package = resources.files("icbt_content.render") / "templates"
    for name, text in sorted(_walk(package, "")):
        yield from _from_template(env, text, f"icbt_content/render/templates/{name}")
    if project is not None and Project(project).templates.is_dir():
        for path in sorted(Project(project).templates.rglob("*.html")):
            rel = path.relative_to(project).as_posix()
            yield from _from_template(env, path.read_text(encoding="utf-8"), rel)


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
        if isinstance(message, str):
            yield InterfaceString(message, f"{where}:{lineno}", "site template")
        elif isinstance(message, tuple) and message and isinstance(message[0], str):
            plural = message[1] if func == "ngettext" and len(message) > 1 else None
            yield InterfaceString(message[0], f"{where}:{lineno}", "site template", plural)


def python_strings() -> Iterator[InterfaceString]:
    """``_()`` calls and box labels of the renderer."""
    from babel.messages.extract import extract

    source = resources.files("icbt_content.render") / "site.py"
    where = "icbt_content/render/site.py"
    for lineno, message, _, _ in extract(
        "python", io.BytesIO(source.read_bytes()), keywords={"_": None}
    ):
        if isinstance(message, str):
            yield InterfaceString(message, f"{where}:{lineno}", "site")
    for style, label in CALLOUT_LABELS.items():
        yield InterfaceString(label, where, f"label of a '{style}' box")
    for text in OWN_STRINGS:
        yield InterfaceString(
            text,
            "icbt_content/i18n/interface.py",
            "notice on a module shown in the source language; {language} is the reader's "
            "language, {fallback} the language the module is shown in",
        )


_TRIAL_OPTIONS: tuple[dict[str, Any], ...] = (
    {},
    {"other": True},
    {"items": [{"id": "x", "label": "\x00"}], "other": True},
    {"hotspots": 10},
)


def exercise_strings() -> Iterator[InterfaceString]:
    """The labels built-in exercise types give their fields."""

    for name, kind in sorted(exercise_types().items()):
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
                        yield InterfaceString(text, f"exercise type '{name}'", "exercise field")


def interface_strings(project: Path | None = None) -> list[InterfaceString]:
    """Every interface string, first occurrence first, duplicates merged by text."""
    merged: dict[str, InterfaceString] = {}
    locations: dict[str, list[str]] = {}
    for item in [*template_strings(project), *python_strings(), *exercise_strings()]:
        merged.setdefault(item.text, item)
        locations.setdefault(item.text, [])
        if item.location not in locations[item.text]:
            locations[item.text].append(item.location)
    return [
        InterfaceString(text, " ".join(locations[text]), item.note, item.plural)
        for text, item in merged.items()
    ]
