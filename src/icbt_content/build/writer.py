"""Write stage: put the whole site in place at once, or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType


class StagedSite:
    """A temporary folder beside ``out`` that files are written into as they are rendered.

    ``commit()`` swaps it in for ``out``; leaving the ``with`` block without committing (an
    error, or a build that failed) removes it and leaves the previous site untouched. Files are
    written as they come, so memory does not grow with the size of the site.
    """

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.staging: Path | None = None
        self.files = 0
        self._committed = False

    def __enter__(self) -> StagedSite:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}-new-", dir=self.out.parent))
        return self

    def write(self, relative_path: str, content: bytes) -> None:
        assert self.staging is not None, "use StagedSite in a with block"
        target = (self.staging / relative_path).resolve()
        if self.staging not in target.parents:
            raise OSError(f"refusing to write outside the output folder: {relative_path}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        self.files += 1

    def commit(self) -> None:
        assert self.staging is not None, "use StagedSite in a with block"
        os.chmod(self.staging, 0o755)
        _swap(self.staging, self.out)
        self._committed = True

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._committed and self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)


def write_atomically(out: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into a temporary folder beside ``out``, then swap it in.

    If anything fails, the previous site is left untouched and the temporary folder removed.
    """
    with StagedSite(out) as site:
        for relative_path, content in sorted(files.items()):
            site.write(relative_path, content)
        site.commit()


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except OSError:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)
