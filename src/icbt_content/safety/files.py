"""The one place the safety commands write files: inside the project, whole or not at all.

Release records are immutable, so :func:`write_new` never replaces a file; a report may be
written again, so :func:`write_inside` replaces one. Both write to a temporary file beside the
target and move it into place, so a reader never sees half a file, and both refuse a path that
leaves the project folder (``..``, an absolute path elsewhere, or a symbolic link on the way).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from icbt_content.errors import IcbtError


class OutsideProjectError(IcbtError, ValueError):
    """The path would write outside the project folder."""


class AlreadyExistsError(IcbtError, FileExistsError):
    """The file exists and must never be replaced."""


def inside(project: Path, target: Path) -> Path:
    """Return ``target`` resolved, if it is inside ``project`` with no symbolic link on the way."""
    root = project.resolve()
    path = target if target.is_absolute() else Path.cwd() / target
    # Walk the path as written: a symbolic link anywhere on it could point outside the project.
    current = Path(path.anchor)
    for part in path.parts[1:]:
        current = current / part
        if current.is_symlink():
            raise OutsideProjectError(f"{target} goes through the symbolic link {current}")
    resolved = path.resolve()
    if resolved != root and root not in resolved.parents:
        raise OutsideProjectError(f"{target} is outside the project folder {project}")
    return resolved


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _staged(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private; a record or report is an ordinary project file.
        os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_new(project: Path, target: Path, data: bytes) -> Path:
    """Write a file that must not exist yet; raise :class:`AlreadyExistsError` if it does."""
    path = inside(project, target)
    if path.exists():
        raise AlreadyExistsError(f"{target} already exists")
    staged = _staged(path, data)
    try:
        # A hard link fails if the name was taken meanwhile: no release is ever overwritten.
        os.link(staged, path)
    except FileExistsError as exc:
        raise AlreadyExistsError(f"{target} already exists") from exc
    except OSError:
        # A file system without hard links: the check above is the best that can be done.
        if path.exists():
            raise AlreadyExistsError(f"{target} already exists") from None
        os.replace(staged, path)
    finally:
        staged.unlink(missing_ok=True)
    return path


def write_inside(project: Path, target: Path, data: bytes) -> Path:
    """Write (or replace) a file inside the project, atomically."""
    path = inside(project, target)
    staged = _staged(path, data)
    try:
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return path
