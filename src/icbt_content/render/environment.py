"""The Jinja2 environment for site templates: package templates, overridable per project."""

from __future__ import annotations

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
    return env


def _identity(text: str) -> str:
    return text
