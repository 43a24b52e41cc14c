"""Where the build may read from: the one path policy for every file read from a project.

Every reader of project content (programme manifests, modules, pages, the crisis page,
guidance templates, measures, licensed wording, PO catalogs, ``locale.yaml``, adaptations,
media) calls :func:`leaves_project` on a path before it reads it, or lists a folder with
:func:`files_under`. The policy:

- A path is resolved: every symbolic link on the way is followed, wherever it is (a media
  folder, a page file, a module folder, a whole programme, a PO file, a locale folder...).
- The resolved path must lie inside one of the project's source folders (``programmes/``,
  ``locales/``, ``templates/``, ``licensed/``). Anything else is refused with ICBT110 at the
  path of the link itself (not its target), and nothing is read from it: a link out of the
  project (a private key, another user's files), but also a link to the project's other files
  (``.git/``, a ``.env``, the built ``site/``), which are not content.
- Links that stay inside the source folders are followed: a programme may share a media folder
  or a page with another by linking to it. A link that leads nowhere (dangling, or a loop) is
  not followed.

Paths that are not in a source folder as written (before links are followed) are not project
content: the built-in measure library, a file named on the command line or given to a library
function. They are not checked here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.outputs import SOURCE_FOLDER_NAMES, SOURCE_FOLDERS


def _absolute(path: Path) -> Path:
    """``path`` made absolute without following links or folding ``..``."""
    return path if path.is_absolute() else Path.cwd() / path


def leaves_project(path: Path, project: Path) -> Diagnostic | None:
    """ICBT110 when ``path`` of ``project``, links followed, is not inside a source folder."""
    path, project = _absolute(path), _absolute(project)
    if not any(project / name in (path, *path.parents) for name in SOURCE_FOLDERS):
        return None  # not project content (see the module's docstring)
    try:
        real = Path(os.path.realpath(path, strict=False))
    except (OSError, RuntimeError):  # a link loop on some Pythons
        real = None
    root = Path(os.path.realpath(project))
    allowed = [root / name for name in SOURCE_FOLDERS]
    if real is not None and any(real == a or a in real.parents for a in allowed):
        return None
    link = _first_link(path, project)
    shown = (link or path).relative_to(project).as_posix()
    if link is None:
        return diagnostic(
            "ICBT110",
            f"'{shown}' is outside the project's source folders",
            shown,
            hint=f"keep content in {SOURCE_FOLDER_NAMES.replace(' and ', ' or ')}",
        )
    return diagnostic(
        "ICBT110",
        f"'{shown}' is a symbolic link to {_target(link)}, outside the project's source "
        "folders; nothing is read through it",
        shown,
        hint="copy the files into the project instead of linking to them",
    )


def _first_link(path: Path, project: Path) -> Path | None:
    """The first symbolic link on the way from ``project`` down to ``path``."""
    current = project
    for part in path.relative_to(project).parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def _target(link: Path) -> str:
    try:
        return f"'{os.readlink(link)}'"
    except OSError:
        return "a place that cannot be read"


def files_under(folder: Path, project: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every file under ``folder``, sorted, following links only where :func:`leaves_project`
    allows; a refused link is reported once and nothing under it is read or listed.

    Files are given by their path under ``folder`` (not their link target). Hidden files and
    folders (names starting with ``.``) are left out.
    """
    problem = leaves_project(folder, project)
    if problem is not None:
        return [], [problem]
    files: list[Path] = []
    found: list[Diagnostic] = []
    for item in _walk(folder, project, set()):
        if isinstance(item, Path):
            files.append(item)
        elif item not in found:
            found.append(item)
    return sorted(files), found


def _walk(folder: Path, project: Path, seen: set[str]) -> Iterator[Path | Diagnostic]:
    """Each file under ``folder``, and each link refused on the way; ``seen`` holds the real
    paths of the folders walked."""
    real = os.path.realpath(folder)
    if real in seen:  # a link back up the tree: list what is under it once
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        problem = leaves_project(path, project) if entry.is_symlink() else None
        if problem is not None:
            yield problem
        elif entry.is_dir(follow_symlinks=True):
            yield from _walk(path, project, seen)
        elif entry.is_file(follow_symlinks=True):
            yield path
