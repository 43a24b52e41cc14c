"""How the public API takes paths: any ``str`` or ``os.PathLike`` (``Path``, ``DirEntry``...)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeAlias

#: A path as callers may give it: a ``str`` or any ``os.PathLike[str]`` such as ``Path``.
StrPath: TypeAlias = str | os.PathLike[str]


def as_path(path: StrPath) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path`."""
    return Path(os.fspath(path))
