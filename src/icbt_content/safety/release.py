"""Releases: a programme version signed off by a named clinician, and never changed afterwards.

``icbt release`` records, in ``releases/<programme>/<version>.yaml``, who signed the version off,
when, in what role and with what notes, and a SHA-256 hash of every file that makes up what
clients see: the programme folder, the built-in measures it uses, and in each locale it is
published in the catalogs, adaptations, validated measure translations and ``locale.yaml``
(crisis lines). Records live outside the programme folder so recording one does not change the
hashes it records. :func:`check_released_version` makes a released version immutable: editing
its sources without setting a new ``version:`` is an error in ``icbt check`` and ``icbt build``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field

from icbt_content._version import __version__
from icbt_content.authoring.loader import LoadedProgramme, relative
from icbt_content.authoring.yamlsafe import load_yaml, validate
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.errors import IcbtError
from icbt_content.i18n.coverage import coverage
from icbt_content.measures import builtin_measures
from icbt_content.model.base import ContentModel, Id
from icbt_content.model.programme import Programme
from icbt_content.project import Project
from icbt_content.safety.files import AlreadyExistsError, OutsideProjectError, write_new
from icbt_content.sitemap import SiteMap

RELEASES_DIR = "releases"
#: Files of the tool itself are named with this prefix, wherever the tool is installed.
BUILTIN_PREFIX = "icbt-content:"
VERSION_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
HASH_PATTERN = r"^sha256:[0-9a-f]{64}$"
MAX_NOTES_CHARS = 20_000
_SKIPPED_SUFFIXES = (".mo", ".pyc", ".tmp")


class TranslationState(ContentModel):
    """How far one locale's translation of the programme had got at release."""

    published: tuple[str, ...] = ()
    """Units served in the locale (modules, `(programme)`, `(crisis)`, `(check-in)`...)."""
    fallback: tuple[str, ...] = ()
    """Units shown in the source language because their translation was unfinished."""


class ReleaseRecord(ContentModel):
    """releases/<programme>/<version>.yaml: one signed-off, immutable version of a programme."""

    programme: Id
    version: str = Field(pattern=VERSION_PATTERN)
    date: str = Field(pattern=DATE_PATTERN)
    """The date the version was signed off (YYYY-MM-DD)."""
    signed_off_by: str = Field(min_length=1, max_length=200)
    """The clinician who signed it off."""
    role: str = Field(min_length=1, max_length=200)
    """Their role, such as Clinical Safety Officer."""
    notes: str = Field(min_length=1, max_length=MAX_NOTES_CHARS)
    """What changed and why, as written by the person signing off."""
    tool: str = ""
    """The icbt-content version the release was recorded with."""
    total: str = Field(pattern=HASH_PATTERN)
    """The hash of all the files together (of the sorted `path hash` lines)."""
    files: dict[str, str]
    """Every file of the release -> its SHA-256 hash."""
    translations: dict[str, TranslationState] = Field(default_factory=dict)
    """Locale -> which parts were published in it and which fell back to the source language."""


class ReleaseError(IcbtError):
    """A release cannot be recorded or read; the message says why and what to do."""


def is_version(text: str) -> bool:
    """Whether ``text`` can name a release (and its file)."""
    return re.match(VERSION_PATTERN, text) is not None and ".." not in text


def release_path(project: Path, programme_id: str, version: str) -> Path:
    """Where the record of a release lives."""
    return project / RELEASES_DIR / programme_id / f"{version}.yaml"


def file_hash(data: bytes) -> str:
    """The SHA-256 hash of a file's bytes, as written in release records."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def total_hash(files: Mapping[str, str]) -> str:
    """One hash for a set of files: of their sorted ``path<TAB>hash`` lines."""
    lines = "".join(f"{path}\t{files[path]}\n" for path in sorted(files))
    return file_hash(lines.encode("utf-8"))


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in a stable order, without hidden files, caches or symbolic links."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(part.startswith(".") or part == "__pycache__" for part in parts):
            continue
        if path.is_symlink() or not path.is_file() or path.name.endswith(_SKIPPED_SUFFIXES):
            continue
        yield path


def published_locales(project: Path, programme: Programme) -> list[str]:
    """The source locale and every locale with a catalog of the programme."""
    folder = Project(project).locales
    found = [programme.source_locale]
    if folder.is_dir():
        for locale in sorted(p.name for p in folder.iterdir() if p.is_dir()):
            if (
                locale != programme.source_locale
                and (folder / locale / f"{programme.id}.po").is_file()
            ):
                found.append(locale)
    return found


def release_files(project: Path, root: Path, programme: Programme) -> dict[str, Path]:
    """Every file that makes up what clients of ``programme`` see, by the name recorded for it."""

    files: dict[str, Path] = {}

    def add(path: Path) -> None:
        files[relative(path, project)] = path

    for path in _walk(root):
        add(path)
    measure_ids = [m.id for m in programme.measures]
    installed = builtin_measures()
    for measure_id in measure_ids:
        if (root / "measures" / f"{measure_id}.yaml").is_file() or measure_id not in installed:
            continue
        path = installed[measure_id]
        files[f"{BUILTIN_PREFIX}measures/{path.name}"] = path
    locales = Project(project).locales
    for locale in published_locales(project, programme):
        folder = locales / locale
        for name in ("locale.yaml", "interface.po", f"{programme.id}.po"):
            if (folder / name).is_file() and not (folder / name).is_symlink():
                add(folder / name)
        for path in _walk(folder / "adaptations" / programme.id):
            add(path)
        for measure_id in measure_ids:
            path = folder / "measures" / f"{measure_id}.yaml"
            if path.is_file() and not path.is_symlink():
                add(path)
    licensed = Project(project).licensed
    for path in _walk(licensed):
        if path.stem in measure_ids:
            add(path)
    for path in _walk(Project(project).templates):
        add(path)
    return dict(sorted(files.items()))


def hash_files(files: Mapping[str, Path]) -> dict[str, str]:
    """The hash of each file."""
    return {name: file_hash(path.read_bytes()) for name, path in files.items()}


def translation_states(project: Path, programme_id: str) -> dict[str, TranslationState]:
    """Per locale, the parts of the programme served in it and those shown in the source."""

    states: dict[str, TranslationState] = {}
    for item in coverage(project):
        if item.domain != programme_id:
            continue
        rows = [row for row in item.rows if not row.unit.startswith("(therapist")]
        states[item.locale] = TranslationState(
            published=tuple(row.unit for row in rows if row.published),
            fallback=tuple(row.unit for row in rows if not row.published),
        )
    return dict(sorted(states.items()))


# -- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedRelease:
    """A release record and the file it was read from (relative to the project)."""

    record: ReleaseRecord
    file: str


def read_release(
    project: Path, programme_id: str, version: str
) -> tuple[LoadedRelease | None, list[Diagnostic]]:
    """Read and check one release record; None (and diagnostics) when it is missing or broken."""
    path = release_path(project, programme_id, version)
    shown = relative(path, project)
    if not is_version(version) or not path.is_file():
        return None, []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [diagnostic("ICBT100", f"cannot read the release record: {exc}", shown)]
    located, found = load_yaml(text, shown)
    if located is None:
        return None, found
    record, found = validate(ReleaseRecord, located, what="the release record")
    if record is None:
        return None, found
    if (record.programme, record.version) != (programme_id, version):
        found.append(
            diagnostic(
                "ICBT831",
                f"the record says {record.programme} {record.version}, but its file is {shown}",
                shown,
                located.line_of(("version",)),
                hint="release records are written by 'icbt release' and never edited or moved",
            )
        )
        return None, found
    if total_hash(record.files) != record.total:
        found.append(
            diagnostic(
                "ICBT831",
                "the record's total hash does not match the files it lists: it was edited",
                shown,
                located.line_of(("total",)),
                hint="restore the record from version control; records are never edited",
            )
        )
        return None, found
    return LoadedRelease(record, shown), found


def list_releases(project: Path, programme_id: str) -> list[str]:
    """The versions of a programme that have a release record, in file name order."""
    folder = project / RELEASES_DIR / programme_id
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml") if is_version(p.stem))


# -- the check ------------------------------------------------------------------------------------


def changed_files(recorded: Mapping[str, str], current: Mapping[str, str]) -> list[str]:
    """Files added, removed or changed between two sets of hashes, sorted."""
    return sorted(
        name for name in set(recorded) | set(current) if recorded.get(name) != current.get(name)
    )


def check_released_version(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    """A version that was released cannot change: its files must hash as recorded."""
    release, found = read_release(loaded.project, programme.id, programme.version)
    if release is None:
        return found
    current = hash_files(release_files(loaded.project, loaded.root, programme))
    changed = changed_files(release.record.files, current)
    if not changed:
        return found
    manifest = relative(loaded.root / "programme.yaml", loaded.project)
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    record = release.record
    found.append(
        diagnostic(
            "ICBT830",
            f"version {record.version} was signed off on {record.date} by {record.signed_off_by}, "
            f"but {len(changed)} file(s) have changed since: {shown}",
            manifest,
            _version_line(loaded.root / "programme.yaml"),
            hint="set a new 'version:' in programme.yaml, and record it with 'icbt release' once "
            f"it is signed off ('icbt release diff {record.version}' lists the changes)",
        )
    )
    return found


def _version_line(manifest: Path) -> int:
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, start=1) if line.startswith("version:")), 1)


def signed_release(project: Path, programme: Programme) -> ReleaseRecord | None:
    """The release record of the programme's version, if that version was signed off."""
    release, _ = read_release(project, programme.id, programme.version)
    return release.record if release else None


# -- recording -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignOff:
    """Who signs a version off, when, and why."""

    version: str
    signed_off_by: str
    role: str
    notes: str
    date: dt.date


def make_record(project: Path, loaded: LoadedProgramme, sign_off: SignOff) -> ReleaseRecord:
    """The record of a release of ``loaded``'s programme as its files are now."""

    programme = loaded.programme
    assert programme is not None
    files = hash_files(release_files(project, loaded.root, programme))
    return ReleaseRecord(
        programme=programme.id,
        version=sign_off.version,
        date=sign_off.date.isoformat(),
        signed_off_by=sign_off.signed_off_by.strip(),
        role=sign_off.role.strip(),
        notes=sign_off.notes.strip() + "\n",
        tool=f"icbt-content {__version__}",
        total=total_hash(files),
        files=files,
        translations=translation_states(project, programme.id),
    )


def record_release(project: Path, loaded: LoadedProgramme, sign_off: SignOff) -> Path:
    """Write the release record; raise :class:`ReleaseError` if it cannot or must not be written."""

    programme = loaded.programme
    assert programme is not None
    if not is_version(sign_off.version):
        raise ReleaseError(
            f"'{sign_off.version}' cannot name a release: use letters, digits, '.', '-' and '+', "
            "like 1.2.0"
        )
    if programme.version != sign_off.version:
        raise ReleaseError(
            f"programme.yaml says version {programme.version}, not {sign_off.version}: set "
            f"'version: {sign_off.version}' in programme.yaml first, so the site shows the "
            "version that was signed off"
        )
    record = make_record(project, loaded, sign_off)
    path = release_path(project, programme.id, sign_off.version)
    try:
        return write_new(project, path, dump_record(record).encode("utf-8"))
    except AlreadyExistsError as exc:
        raise ReleaseError(
            f"{relative(path, project)} already exists: a released version is never recorded "
            "again. Set a new version in programme.yaml and release that."
        ) from exc
    except OutsideProjectError as exc:
        raise ReleaseError(str(exc)) from exc


class _RecordDumper(yaml.SafeDumper):
    """Block style for text with line breaks, so notes read as written."""


def _text(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_RecordDumper.add_representer(str, _text)


def dump_record(record: ReleaseRecord) -> str:
    """The record as YAML, fields in a fixed order, so the same release gives the same bytes."""
    data = record.model_dump(mode="json")
    header = (
        f"# Release record of {record.programme} {record.version}, written by 'icbt release'.\n"
        "# Never edit it: a released version is immutable. Release a new version instead.\n"
    )
    body = yaml.dump(
        data,
        Dumper=_RecordDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return header + body
