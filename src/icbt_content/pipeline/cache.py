"""A content-addressed cache of built programmes, kept outside the project and the site.

A unit of the build (one programme in all its locales, :mod:`icbt_content.pipeline.unit`) is
stored under a key made from the bytes of everything it reads: its programme folder; the
project's locales (without other programmes' catalogs and adaptations), templates, licensed
wording, release records and ``deploy.yaml``; the build date (crisis lines expire); the build's
options; and the version of the code (the bytes of the installed ``icbt_content`` package, the
Python version and the versions of the libraries that shape the output). A rebuild whose unit
has the same key re-emits the stored files and diagnostics instead of loading, validating and
rendering it, so its output is byte-identical to a cold build's.

Entries are written atomically (a temporary file renamed into place), checked against their own
digest when read (a corrupt entry is removed and the unit built again), and pruned, least
recently used first, when the cache grows past its size limit. The cache lives in
``$XDG_CACHE_HOME/icbt-content/<project hash>/`` (``~/.cache`` when unset) unless given.

Beside the units, ``memory/`` keeps each programme folder's memory of its last build
(:class:`~icbt_content.pipeline.incremental.ProgrammeMemory`), from which a programme that
changed is rebuilt doing only what its changes need. A memory is read back as Python objects,
so it is signed with the user's own key (:func:`signing_key`) and read only when the signature
is right. Memories are outside the size limit (one per programme folder) and pruned when no
build has kept them for :data:`MEMORY_DAYS` days.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from icbt_content.adaptation.crisis import build_date
from icbt_content.deployment import DEPLOY_FILE
from icbt_content.diagnostics import Diagnostic, Severity
from icbt_content.pipeline.digests import FileDigests, file_digest, files_in
from icbt_content.pipeline.unit import ProgrammeBuild, UnitContext
from icbt_content.project import LICENSED, LOCALES, PROGRAMMES, TEMPLATES, programme_folders
from icbt_content.render.site import RenderedFile

#: Libraries whose versions change what a build writes.
LIBRARIES = ("markdown-it-py", "jinja2", "babel", "pydantic", "pyyaml")
#: Folders of the project every programme reads (besides its own folder and the locales).
SHARED_FOLDERS = (TEMPLATES, LICENSED, "releases")
#: The cache's size limit, in bytes, unless given.
DEFAULT_LIMIT = 1024 * 1024 * 1024
#: Days after which a programme's memory no build has kept since is removed.
MEMORY_DAYS = 30
#: Seconds after which a temporary file is taken as left by a build that was stopped.
TEMPORARY_SECONDS = 3600
_MAGIC = b"icbt-cache 1\n"
_FORMAT = 1


def _user_cache_root() -> Path:
    """The user's own cache folder for this package (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "icbt-content"


def default_cache_dir(project: Path) -> Path:
    """Where the cache of ``project`` lives unless given: the user's cache folder."""
    digest = hashlib.sha256(os.fsencode(project.resolve())).hexdigest()[:16]
    return _user_cache_root() / digest


def signing_key() -> bytes | None:
    """This user's secret key for signing what the cache keeps that is read back as Python
    objects (a programme's memory), made on first use and readable by the user alone; None
    when it cannot be made or read, or the file is not this user's own. It lives outside any
    ``--cache-dir``, so a cache folder someone else wrote (committed to a repository, say)
    cannot carry a key that its own files are signed with."""
    file = _user_cache_root() / "signing-key"
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        if not file.exists():
            _make_key(file)
        handle = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(handle, "rb") as stream:
            status = os.fstat(stream.fileno())
            key = stream.read(64)
    except OSError:
        return None
    owner = getattr(os, "getuid", lambda: status.st_uid)()
    if status.st_uid != owner or status.st_mode & 0o077 or len(key) != 32:
        return None
    return key


def _make_key(file: Path) -> None:
    """Write a new key to ``file`` whole or not at all (made aside, then linked into place;
    a key another process linked first is kept)."""
    handle, temporary = tempfile.mkstemp(prefix=".tmp-key-", dir=file.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(32))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, file)
    finally:
        os.unlink(temporary)


def cache_folder_problem(folder: Path, project: Path, out: Path) -> str | None:
    """Why ``folder`` cannot hold the cache of a build of ``project`` into ``out``, if it
    cannot: in the site (the next build replaces it) or among the project's sources."""
    where = folder.resolve()
    places = {"the output folder": out.resolve()}
    for name in (PROGRAMMES, LOCALES, TEMPLATES, LICENSED):
        places[f"the project's {name}/"] = (project / name).resolve()
    for what, place in places.items():
        if where == place or place in where.parents:
            return f"the cache folder {folder} is in {what}; choose another (--cache-dir)"
    return None


@cache
def code_version() -> str:
    """A digest of the code that builds: this package's files, Python's and the libraries'
    versions. Any change to them makes every cached unit stale."""
    digest = hashlib.sha256(f"{sys.version}\n{_FORMAT}\n".encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\n".encode())
    package = Path(__file__).resolve().parents[1]
    for name, path in files_in(package):
        if "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
            continue
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class BuildCache:
    """The cache of one project's builds."""

    folder: Path
    limit: int = DEFAULT_LIMIT
    hits: int = 0
    misses: int = 0
    _shared: dict[str, bytes] | None = field(default=None, repr=False)
    _folders: list[str] = field(default_factory=list, repr=False)

    def prepare(self, project: Path) -> None:
        """Read the inputs every unit shares (once per build)."""
        shared: dict[str, bytes] = {}
        for folder in (*SHARED_FOLDERS, LOCALES):
            for name, path in files_in(project / folder):
                shared[f"{folder}/{name}"] = self._digest(path)
        deploy = project / DEPLOY_FILE
        if deploy.is_file():
            shared[DEPLOY_FILE] = self._digest(deploy)
        self._shared = shared
        self._folders = [f.name for f in programme_folders(project)]

    def key(self, context: UnitContext, folder: Path) -> str:
        """The key of building ``folder`` with ``context``: a digest of all it reads."""
        if self._shared is None:
            self.prepare(context.project)
        assert self._shared is not None
        others = {name for name in self._folders if name != folder.name}
        digest = hashlib.sha256()
        options = (code_version(), str(build_date()), context.strict, context.csp, folder.name)
        digest.update(repr(options).encode())
        for name, value in self._shared.items():
            if not _belongs_to(name, others):
                digest.update(name.encode() + b"\0" + value)
        for name, path in files_in(folder):
            digest.update(name.encode() + b"\1")
            digest.update(self._digest(path))
        return digest.hexdigest()

    def _digest(self, path: Path) -> bytes:
        return file_digest(path)

    def memory_file(self, folder: Path) -> Path | None:
        """Where the memory of the last build of a programme folder is kept (see
        :meth:`~icbt_content.pipeline.incremental.ProgrammeMemory.keep`)."""
        name = hashlib.sha256(os.fsencode(folder.resolve())).hexdigest()[:16]
        return self.folder / "memory" / f"{folder.name}-{name}"

    def _path(self, key: str) -> Path:
        return self.folder / "units" / key[:2] / key

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def load(self, key: str) -> ProgrammeBuild | None:
        """The unit stored under ``key``; None when there is none, or it is unreadable (then it
        is removed, to be built and stored again)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        unit = _decode(data)
        if unit is None:
            with contextlib.suppress(OSError):
                path.unlink()
            self.misses += 1
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        self.hits += 1
        return unit

    def store(self, key: str, unit: ProgrammeBuild) -> None:
        """Keep ``unit`` under ``key`` (written atomically; a cache that cannot be written is
        only a slower build, so errors are ignored)."""
        path = self._path(key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(_encode(unit))
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise

    def prune(self) -> list[Path]:
        """Remove the least recently used entries until the cache is within its limit, and
        what no build will use again: memories no build has kept for :data:`MEMORY_DAYS` days
        (a programme folder renamed or gone) and files a stopped build left half-written."""
        removed = self._forgotten()
        entries: list[tuple[float, int, Path]] = []
        for _, path in files_in(self.folder / "units"):
            with contextlib.suppress(OSError):
                info = path.stat()
                entries.append((info.st_mtime, info.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.limit:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
            total -= size
        return removed

    def _forgotten(self) -> list[Path]:
        """Remove old memories and temporary files left by stopped builds (not ones a build
        running now may still be writing)."""
        removed: list[Path] = []
        now = time.time()
        for folder in ("memory", "units"):
            for name, path in files_in(self.folder / folder):
                with contextlib.suppress(OSError):
                    age = now - path.stat().st_mtime
                    left = Path(name).name.startswith(".tmp-") and age > TEMPORARY_SECONDS
                    if left or (folder == "memory" and age > MEMORY_DAYS * 86400):
                        path.unlink()
                        removed.append(path)
        return removed


def _belongs_to(name: str, others: set[str]) -> bool:
    """Whether a locales/ file is another programme's catalog or adaptation."""
    parts = name.split("/")
    if len(parts) < 3 or parts[0] != LOCALES:
        return False
    if len(parts) == 3 and parts[2].endswith(".po"):
        return parts[2][: -len(".po")] in others
    return len(parts) > 3 and parts[2] == "adaptations" and parts[3] in others


def _encode(unit: ProgrammeBuild) -> bytes:
    payload = marshal.dumps(
        (
            unit.folder,
            unit.programme,
            unit.passed,
            [(f.path, f.content, f.source, f.kind) for f in unit.files],
            [_diagnostic_fields(d) for d in unit.checked],
            [_diagnostic_fields(d) for d in unit.rendered],
            unit.locales,
            unit.pages,
            unit.pages_by_locale,
            unit.entry,
        )
    )
    return _MAGIC + hashlib.sha256(payload).digest() + payload


def _decode(data: bytes) -> ProgrammeBuild | None:
    start = len(_MAGIC) + 32
    if (
        not data.startswith(_MAGIC)
        or hashlib.sha256(data[start:]).digest() != data[len(_MAGIC) : start]
    ):
        return None
    try:
        fields: Any = marshal.loads(data[start:])
        folder, programme, passed, files, checked, rendered, locales, pages, by_locale, entry = (
            fields
        )
        return ProgrammeBuild(
            folder=folder,
            programme=programme,
            passed=passed,
            files=[RenderedFile(*fields) for fields in files],
            checked=_diagnostics(checked),
            rendered=_diagnostics(rendered),
            locales=locales,
            pages=pages,
            pages_by_locale=by_locale,
            entry=entry,
        )
    except (ValueError, TypeError, EOFError):
        return None


def _diagnostic_fields(item: Diagnostic) -> tuple[Any, ...]:
    return (item.file, item.line, item.col, item.code, item.message, item.hint, str(item.severity))


def _diagnostics(items: Iterable[tuple[Any, ...]]) -> list[Diagnostic]:
    return [
        Diagnostic(file, line, col, code, message, hint, Severity(severity))
        for file, line, col, code, message, hint, severity in items
    ]


class MemoryCache(BuildCache):
    """A cache held in memory, for a process that builds again and again (``icbt serve``):
    the newest unit of each programme folder, by its key."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull))
        self._units: dict[str, tuple[str, ProgrammeBuild]] = {}
        self.digests = FileDigests()
        """The files' digests, read again only when a file changed (shared with the rebuilds)."""

    def _digest(self, path: Path) -> bytes:
        return self.digests(path)

    def memory_file(self, folder: Path) -> Path | None:
        return None  # the process keeps its programmes' memory itself

    def has(self, key: str) -> bool:
        return any(stored == key for stored, _ in self._units.values())

    def load(self, key: str) -> ProgrammeBuild | None:
        for stored, unit in self._units.values():
            if stored == key:
                self.hits += 1
                return _copy(unit)
        self.misses += 1
        return None

    def store(self, key: str, unit: ProgrammeBuild) -> None:
        self._units[unit.folder] = (key, _copy(unit))

    def prune(self) -> list[Path]:
        return []


def _copy(unit: ProgrammeBuild) -> ProgrammeBuild:
    """A copy the build may change (it lets go of the files once written)."""
    return replace(unit, files=list(unit.files))
