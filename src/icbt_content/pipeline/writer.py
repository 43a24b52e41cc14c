"""Write stage: put the whole site in place at once, or not at all.

Files are written into a staging folder beside the site (``.site-new-XXXX``), which carries the
site marker (:data:`icbt_content.outputs.SITE`) from the moment it is made. When every file is
written, the staging folder and the site are swapped:

- On Linux, with ``renameat2(RENAME_EXCHANGE)`` (called through ctypes): the two folders trade
  names in one step, so a process killed at any instant leaves ``site/`` as the complete old site
  or the complete new one. The old site, now under the staging name, is then removed.
- Where that call is missing (other systems, old C libraries, file systems without it), the
  fallback renames the old site away (``.site-old-XXXX``) and then the new one in. That is *not*
  atomic: a kill between the two renames leaves no ``site/`` (both complete folders are still
  beside it) until the next build.

Folders a killed build left behind (``.site-new-*`` and ``.site-old-*`` beside the site) are
removed by the next build, but only those that carry the marker (or are empty) and that no
running build holds: anything else with a similar name is left alone. The marker is the last
thing removed from a folder, so a removal cut short is finished next time.

Writes are not flushed to disk (``fsync``): the swap survives a killed process, not a power cut.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Protocol

from icbt_content.errors import UnsafeOutputPathError
from icbt_content.outputs import SITE, Marker

try:  # advisory locks tell a running build's staging folder from a stale one
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class StagedSite:
    """A temporary folder beside ``out`` that files are written into as they are rendered.

    ``commit()`` swaps it in for ``out``; leaving the ``with`` block without committing (an
    error, or a build that failed) removes it and leaves the previous site untouched. Files are
    written as they come, so memory does not grow with the size of the site.
    """

    def __init__(self, out: Path, marker: Marker = SITE) -> None:
        self.out = Path(os.path.abspath(out))
        self.marker = marker
        self.staging: Path | None = None
        self.files = 0
        self._committed = False
        self._lock: int | None = None

    def __enter__(self) -> StagedSite:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(self.out, self.marker)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-new-", dir=self.out.parent))
        self._lock = _hold(self.staging)
        (self.staging / self.marker.name).write_bytes(self.marker.content)
        return self

    def write(self, relative_path: str, content: bytes) -> None:
        assert self.staging is not None, "use StagedSite in a with block"
        target = (self.staging / relative_path).resolve()
        if self.staging not in target.parents or target == self.staging / self.marker.name:
            raise UnsafeOutputPathError(
                f"refusing to write outside the output folder: {relative_path}"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        self.files += 1

    def commit(self) -> None:
        assert self.staging is not None, "use StagedSite in a with block"
        os.chmod(self.staging, 0o755)
        swap(self.staging, self.out)
        self._committed = True
        # The staging name now holds the old site (or nothing): remove it.
        remove_folder(self.staging, self.marker)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._committed and self.staging is not None:
            remove_folder(self.staging, self.marker)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


class SiteWriter(Protocol):
    """Where a build writes its files: :class:`StagedSite`, or :class:`LiveSite` for a preview."""

    files: int

    def __enter__(self) -> SiteWriter: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def write(self, relative_path: str, content: bytes) -> None: ...

    def commit(self) -> None: ...


class LiveSite:
    """A site updated in place, for the preview (``icbt serve``): a build writes only the files
    that changed since the last one it committed, and removes those it no longer makes.

    The changed files are held until ``commit()``, so a build that fails leaves the last good
    site as it was. After a small edit, only a few files change, so a rebuild writes a few files
    instead of the whole site. Use one instance for every build into the same folder; call it
    with that folder to start a build (it is the ``stage`` of a build).
    """

    def __init__(self, marker: Marker = SITE) -> None:
        self.marker = marker
        self.out: Path | None = None
        self.files = 0
        self.changed = 0
        self._known: dict[str, bytes] = {}
        """What the site holds: the content of each file (shared with the build's memory)."""
        self._seen: dict[str, bytes] = {}
        self._pending: dict[str, bytes] = {}

    def __call__(self, out: Path) -> LiveSite:
        out = Path(os.path.abspath(out))
        if self.out is not None and out != self.out:
            self._known = {}
        self.out = out
        return self

    def __enter__(self) -> LiveSite:
        assert self.out is not None, "call the LiveSite with its folder first"
        self.files = 0
        self._seen = {}
        self._pending = {}
        return self

    def write(self, relative_path: str, content: bytes) -> None:
        assert self.out is not None
        known = self._known.get(relative_path)
        if known is not content:  # the same file as last time was checked then
            target = (self.out / relative_path).resolve()
            if self.out.resolve() not in target.parents or relative_path == self.marker.name:
                raise UnsafeOutputPathError(
                    f"refusing to write outside the output folder: {relative_path}"
                )
        self._seen[relative_path] = content
        if known is not content and known != content:
            self._pending[relative_path] = content
        self.files += 1

    def commit(self) -> None:
        assert self.out is not None
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / self.marker.name).write_bytes(self.marker.content)
        for relative_path, content in self._pending.items():
            target = self.out / relative_path
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.icbt-new")
            temporary.write_bytes(content)
            os.replace(temporary, target)
        for relative_path in sorted(set(self._known) - set(self._seen)):
            with contextlib.suppress(OSError):
                (self.out / relative_path).unlink()
        self.changed = len(self._pending)
        self._known = self._seen
        self._pending = {}

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._pending = {}


def swap(staging: Path, out: Path) -> None:
    """Put the folder ``staging`` in place of ``out``; the old ``out`` ends up at ``staging``."""
    if not out.exists():
        staging.rename(out)
        return
    if exchange(staging, out):
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except OSError:
        retired.rename(out)
        raise
    retired.rename(staging)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step with ``renameat2(RENAME_EXCHANGE)``; False if unavailable."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # the system or the file system cannot: fall back
    raise OSError(code, os.strerror(code), str(second))


_RENAMEAT2: list[Callable[..., int] | None] = []


def _renameat2() -> Callable[..., int] | None:
    """The C library's ``renameat2``, or None where there is none (looked up once)."""
    if not _RENAMEAT2:
        function = None
        with contextlib.suppress(OSError, AttributeError):
            library = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
            function = library.renameat2
            function.argtypes = [
                ctypes.c_int,
                ctypes.c_char_p,
                ctypes.c_int,
                ctypes.c_char_p,
                ctypes.c_uint,
            ]
            function.restype = ctypes.c_int
        _RENAMEAT2.append(function)
    return _RENAMEAT2[0]


def remove_stale(out: Path, marker: Marker = SITE) -> list[Path]:
    """Remove the staging and retired folders a killed build left beside ``out``.

    Only folders named like ours that carry the marker (or are empty) and that no running build
    holds are removed; return them.
    """
    removed: list[Path] = []
    if not out.parent.is_dir():
        return removed
    prefixes = (f".{out.name}-new-", f".{out.name}-old-")
    for entry in sorted(out.parent.iterdir()):
        if not entry.name.startswith(prefixes) or entry.is_symlink() or not entry.is_dir():
            continue
        if not (marker.found_in(entry) or _cut_short(entry, marker) or _empty(entry)):
            continue
        try:
            lock = _hold(entry, wait=False)
        except OSError:
            continue  # another build is writing it
        try:
            remove_folder(entry, marker)
        finally:
            if lock is not None:
                os.close(lock)
        removed.append(entry)
    return removed


def remove_folder(folder: Path, marker: Marker = SITE) -> None:
    """Remove a folder we made, its marker last, so a removal cut short is finished later."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for entry in sorted(folder.iterdir()):
        if entry.name == marker.name:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()
    if [entry.name for entry in folder.iterdir()] not in ([], [marker.name]):
        return  # something could not be removed: keep the marker so a later build tries again
    (folder / marker.name).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()


def _empty(folder: Path) -> bool:
    try:
        return not any(folder.iterdir())
    except OSError:
        return False


def _cut_short(folder: Path, marker: Marker) -> bool:
    """True when a build was killed while writing the marker (it is there, still empty)."""
    path = folder / marker.name
    return path.is_file() and not path.is_symlink() and path.stat().st_size == 0


def _hold(folder: Path, *, wait: bool = True) -> int | None:
    """Lock ``folder`` for this process (released when the descriptor closes or it dies).

    None where there are no advisory locks; OSError when another process holds it and
    ``wait`` is False.
    """
    if fcntl is None:  # pragma: no cover - not on Windows
        return None
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        os.close(descriptor)
        raise
    return descriptor
