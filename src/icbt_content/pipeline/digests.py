"""What a rebuild reads to see what changed: every file under a folder, and each file's digest.

One walk (:func:`files_in`) and one digest (:func:`file_digest`) serve the build cache's keys,
the preview's rebuilds and its template check; :class:`FileDigests` reads a file again only when
its size, times or inode changed (a process that builds again and again, ``icbt serve``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path


def files_in(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file under ``folder`` (links followed) by its path below it, in a fixed order."""
    if not folder.is_dir():
        return
    for root, dirs, names in os.walk(folder, followlinks=True):
        dirs.sort()
        for name in sorted(names):
            path = Path(root, name)
            if path.is_file():
                yield path.relative_to(folder).as_posix(), path


def file_digest(path: Path) -> bytes:
    """The digest of a file's bytes; the reason when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError as exc:
        return f"unreadable: {exc.errno}".encode()


class FileDigests:
    """Files' digests, each read again only when the file's size, times or inode changed."""

    def __init__(self) -> None:
        self._known: dict[Path, tuple[tuple[int, ...], bytes]] = {}

    def __call__(self, path: Path) -> bytes:
        try:
            info = path.stat()
        except OSError:
            return file_digest(path)  # says why it cannot be read
        stamp = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        known = self._known.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        value = file_digest(path)
        self._known[path] = (stamp, value)
        return value

    def of_folder(self, folder: Path) -> dict[str, bytes]:
        """The digest of every file under ``folder``, by its path below it."""
        return {name: self(path) for name, path in files_in(folder)}
