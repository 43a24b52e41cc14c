"""The Jinja2 environment for site templates: package templates, overridable per project."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

#: No request may leave the site: only its own scripts, styles, images and media.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; connect-src 'none'; form-action 'none'; base-uri 'none'"
)

Translate = Callable[[str], str]


def make_environment(project: Path | None = None) -> Environment:
    """Site templates from the package; a project's ``templates/`` folder overrides them."""
    loaders: list[FileSystemLoader | PackageLoader] = []
    if project is not None and (project / "templates").is_dir():
        loaders.append(FileSystemLoader(project / "templates"))
    loaders.append(PackageLoader("icbt_content.render", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.globals["csp"] = CSP
    env.globals["_"] = _identity
    env.globals["fill"] = fill
    return env


_NAME = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, **values: object) -> str:
    """Put values into ``{name}`` slots of a (translated) string.

    Unlike ``str.format``, nothing but a plain ``{name}`` is ever replaced, so a translation
    cannot reach attributes (``{x.__class__}``) or format specs. Numbers are written by the caller.
    """
    return _NAME.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text
    )


def _identity(text: str) -> str:
    return text
