"""Where a command may write: the one policy for every folder or file a command writes.

A command that writes (``icbt build``, ``icbt export``, ``icbt serve``, the ``icbt i18n``
commands, and any later one such as ``release``) asks this module first, and writes nothing when
it refuses. The rules:

- **Never the sources.** An output folder may not be the project, contain it, or be one of its
  ancestors (its parent, the home folder, ``/``); it may not be, contain or sit inside a source
  folder (:data:`SOURCE_FOLDERS`, any programme folder, any programme's ``media/``), wherever
  those folders really are once symbolic links are followed. Refused with ICBT704.
- **Only what we made.** An output folder must not exist yet, be empty, or carry the marker
  file that the same kind of output wrote last time (:class:`Marker`: ``.icbt-site`` in a
  built site, ``.icbt-export`` in an export folder). An existing file, a symbolic link (which
  would redirect the write to wherever it points), or a non-empty folder without the marker is
  refused with ICBT705: it may be someone's work.
- **Owned files only, never through a link.** Commands that update files inside the project
  (the ``i18n`` catalogs, templates and ``locale.yaml``) write only inside the folder they own
  (``locales/``), never through a symbolic link and never into a folder that a link leads out
  of it; each file is written whole through a temporary file and a rename. Refused with ICBT706.

The marker's content names the tool and the format version and nothing else (no date, no
path), so the built site stays byte-identical for the same sources.

Call :func:`check_output_folder` (or :func:`guard_output_folder`, which raises) before a command
writes a folder, :func:`mark` once the folder is made, and :func:`write_owned` for a file in a
folder the command owns.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from icbt_content.diagnostics import ContentError, Diagnostic, diagnostic
from icbt_content.project import LICENSED, LOCALES, PROGRAMMES, TEMPLATES, Project

#: The project's source folders: what an author, translator or deploying service wrote.
SOURCE_FOLDERS = (PROGRAMMES, LOCALES, TEMPLATES, LICENSED, "safety", "releases")
#: The source folders as named in messages: ``programmes/, locales/, ... and releases/``.
SOURCE_FOLDER_NAMES = ", ".join(f"{name}/" for name in SOURCE_FOLDERS[:-1]) + (
    f" and {SOURCE_FOLDERS[-1]}/"
)

TOOL = "icbt-content"


@dataclass(frozen=True)
class Marker:
    """The small file a command writes into a folder it made, so it may replace it next time."""

    name: str
    """File name, at the top of the folder."""
    kind: str
    """What the folder is: ``site``, ``export``."""
    version: int = 1
    """Format version of the folder's layout."""

    @property
    def content(self) -> bytes:
        return f"{TOOL} {self.kind}\nformat: {self.version}\n".encode()

    def found_in(self, folder: Path) -> bool:
        """True when ``folder`` carries this marker (any format version of the same kind)."""
        path = folder / self.name
        try:
            if path.is_symlink() or not path.is_file():
                return False
            with path.open("rb") as handle:
                first = handle.read(200).split(b"\n", 1)[0]
        except OSError:
            return False
        return first == f"{TOOL} {self.kind}".encode()


SITE = Marker(".icbt-site", "site")
EXPORT = Marker(".icbt-export", "export")


class OutputRefused(ContentError):
    """A command would write where it must not; carries the diagnostic."""

    def __init__(self, problem: Diagnostic) -> None:
        super().__init__([problem])
        self.diagnostic = problem


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def protected_folders(project: Path) -> list[Path]:
    """The project and its sources, resolved: what an output folder must keep away from."""
    root = _resolved(project)
    found = [root]
    for name in SOURCE_FOLDERS:
        found.append(_resolved(project / name))
    programmes = Project(project).programmes
    if programmes.is_dir():
        for folder in sorted(programmes.iterdir()):
            if folder.is_dir():
                found += [_resolved(folder), _resolved(folder / "media")]
    return list(dict.fromkeys(found))


def check_output_folder(out: Path, project: Path, marker: Marker = SITE) -> Diagnostic | None:
    """The reason a command may not write the folder ``out`` of ``project``; None when it may."""
    shown = str(out)
    if out.is_symlink():
        return diagnostic(
            "ICBT705",
            f"the output folder '{shown}' is a symbolic link; writing would replace whatever "
            "it points to",
            shown,
            hint="give the real folder, or another folder that does not exist yet",
        )
    target = _resolved(out)
    root = _resolved(project)
    home = _resolved(Path.home())
    sources = protected_folders(project)
    for folder in sources:
        if _is_within(folder, target):
            what = "the project" if folder == root else f"'{_shown(folder, root)}'"
            return diagnostic(
                "ICBT704",
                f"the output folder '{shown}' is or contains {what}; writing would replace it",
                shown,
                hint="write to a folder of its own, such as site/ (the default)",
            )
    for folder in sources[1:]:
        if folder in target.parents:
            return diagnostic(
                "ICBT704",
                f"the output folder '{shown}' is inside the source folder '{_shown(folder, root)}'",
                shown,
                hint="keep what is written apart from the sources, such as site/ (the default)",
            )
    if target in (home, Path(target.anchor)) or target in home.parents:
        return diagnostic(
            "ICBT704",
            f"the output folder '{shown}' is the home folder, the root or one of their parents",
            shown,
            hint="write to a folder of its own, such as site/ (the default)",
        )
    if out.exists() and not out.is_dir():
        return diagnostic(
            "ICBT705",
            f"the output '{shown}' is an existing file, not a folder",
            shown,
            hint="give a folder that does not exist yet, or that an earlier run made",
        )
    if out.is_dir() and any(out.iterdir()) and not marker.found_in(out):
        return diagnostic(
            "ICBT705",
            f"the output folder '{shown}' is not empty and was not made by 'icbt' "
            f"(it has no {marker.name} file)",
            shown,
            hint="give a new or empty folder; if it is an old output you no longer need, "
            "delete it yourself first",
        )
    return None


def guard_output_folder(out: Path, project: Path, marker: Marker = SITE) -> None:
    """Raise :class:`OutputRefused` unless a command may write the folder ``out``."""
    problem = check_output_folder(out, project, marker)
    if problem is not None:
        raise OutputRefused(problem)


def mark(folder: Path, marker: Marker) -> None:
    """Write ``marker`` into ``folder`` (which the command has just made or checked)."""
    path = folder / marker.name
    if path.is_symlink():
        path.unlink()
    path.write_bytes(marker.content)


def check_output_file(path: Path, project: Path, looks_ours: bytes) -> Diagnostic | None:
    """The reason a command may not write the single file ``path``; None when it may.

    An existing file is replaced only when its first kilobytes contain ``looks_ours``, the
    signature of what the command writes.
    """
    shown = str(path)
    if path.is_symlink():
        return diagnostic(
            "ICBT705",
            f"'{shown}' is a symbolic link; writing would replace whatever it points to",
            shown,
            hint="give the path of a new file",
        )
    target = _resolved(path)
    for folder in protected_folders(project)[1:]:
        if _is_within(target, folder):
            return diagnostic(
                "ICBT704",
                f"'{shown}' is inside the source folder '{_shown(folder, _resolved(project))}'",
                shown,
                hint=f"write it outside {SOURCE_FOLDER_NAMES}",
            )
    if path.exists():
        try:
            with path.open("rb") as handle:
                ours = path.is_file() and looks_ours in handle.read(4096)
        except OSError:
            ours = False
        if not ours:
            return diagnostic(
                "ICBT705",
                f"'{shown}' exists and is not a file this command wrote",
                shown,
                hint="give the path of a new file",
            )
    return None


def write_owned(project: Path, path: Path, content: bytes, owned: str = "locales") -> Path:
    """Write a whole file inside the folder ``owned`` of the project, never through a link.

    Raise :class:`OutputRefused` when ``path`` is not inside ``project/owned``, is a symbolic
    link, or a folder on the way leads out of ``project/owned``. Missing folders are made.
    """
    shown = _lexical(path, project)
    owner = project / owned
    problem = _owned_problem(project, owner, path, shown)
    if problem is not None:
        raise OutputRefused(problem)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Made folders could only be plain ones, but check again: nothing may lead out.
    problem = _owned_problem(project, owner, path, shown)
    if problem is not None:
        raise OutputRefused(problem)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        # rename() replaces a link at ``path`` itself, never the file it points to.
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _owned_problem(project: Path, owner: Path, path: Path, shown: str) -> Diagnostic | None:
    hint = f"{owner.name}/ may hold only plain folders and files; replace the link with a copy"
    if not _lexically_within(path, owner):
        return diagnostic(
            "ICBT706",
            f"'{shown}' is outside {owner.name}/, the only folder this command writes",
            shown,
            hint="this is a bug in the command: please report it",
        )
    real_owner = _resolved(owner)
    if not _is_within(real_owner, _resolved(project)):
        return diagnostic(
            "ICBT706",
            f"'{owner.name}' is a symbolic link out of the project; nothing is written through it",
            owner.name,
            hint=hint,
        )
    if path.is_symlink():
        return diagnostic(
            "ICBT706",
            f"'{shown}' is a symbolic link; it is not written through",
            shown,
            hint=hint,
        )
    existing = path.parent
    while not existing.exists() and existing != owner:
        existing = existing.parent
    if not _is_within(_resolved(existing), real_owner):
        return diagnostic(
            "ICBT706",
            f"a folder on the way to '{shown}' is a symbolic link out of {owner.name}/",
            shown,
            hint=hint,
        )
    return None


def _lexically_within(path: Path, folder: Path) -> bool:
    inner = Path(os.path.normpath(path.absolute()))
    outer = Path(os.path.normpath(folder.absolute()))
    return _is_within(inner, outer)


def _lexical(path: Path, project: Path) -> str:
    try:
        return path.absolute().relative_to(project.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def _shown(folder: Path, root: Path) -> str:
    try:
        return folder.relative_to(root).as_posix() + "/"
    except ValueError:
        return folder.as_posix()
