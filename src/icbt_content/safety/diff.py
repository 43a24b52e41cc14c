"""``icbt release diff``: what changed between two releases, and which translations fell behind."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from icbt_content.authoring.loader import read_programme
from icbt_content.errors import InvalidArgumentError
from icbt_content.project import Project
from icbt_content.safety.release import (
    BUILTIN_PREFIX,
    ReleaseRecord,
    TranslationState,
    changed_files,
    hash_files,
    release_files,
    translation_states,
)


@dataclass(frozen=True)
class ReleaseSide:
    """One side of a comparison: a release record, or the sources as they are now."""

    label: str
    files: dict[str, str]
    translations: dict[str, TranslationState]

    @classmethod
    def of(cls, record: ReleaseRecord) -> ReleaseSide:
        label = (
            f"{record.version} (signed off on {record.date} by {record.signed_off_by}, "
            f"{record.role})"
        )
        return cls(label, dict(record.files), dict(record.translations))


@dataclass(frozen=True)
class FileChange:
    """One file that was added, removed or changed."""

    path: str
    item: str
    """What the file is, in the words of the part it belongs to ('page 02-making-a-survey')."""
    change: str
    """added, removed or changed."""


@dataclass
class ReleaseDiff:
    """The changes between two sides, grouped by the part of the programme they belong to."""

    programme: str
    before: ReleaseSide
    after: ReleaseSide
    parts: dict[str, list[FileChange]] = field(default_factory=dict)
    fell_behind: dict[str, list[str]] = field(default_factory=dict)
    """Locale -> parts published in the first release but not in the second."""
    caught_up: dict[str, list[str]] = field(default_factory=dict)
    """Locale -> parts not published in the first release but published in the second."""
    locales_added: list[str] = field(default_factory=list)
    locales_removed: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not self.parts and not self.fell_behind and not self.caught_up

    def text(self) -> str:
        """The comparison as plain text for the terminal."""
        lines = [f"{self.programme}: {self.before.label}", f"  -> {self.after.label}", ""]
        if not self.parts:
            lines.append("No file has changed.")
        for part, changes in self.parts.items():
            lines.append(part)
            for change in changes:
                lines.append(f"  {change.change}: {change.item}")
        lines.append("")
        lines.append("Translations")
        locales = sorted({*self.before.translations, *self.after.translations})
        if not locales:
            lines.append("  (none)")
        for locale in locales:
            if locale in self.locales_added:
                lines.append(f"  {locale}: new in the second release")
            elif locale in self.locales_removed:
                lines.append(f"  {locale}: not published in the second release")
            elif self.fell_behind.get(locale):
                shown = ", ".join(self.fell_behind[locale])
                lines.append(f"  {locale}: fell behind: {shown} (now shown in the source language)")
            else:
                lines.append(f"  {locale}: kept up")
            if self.caught_up.get(locale):
                lines.append(f"  {locale}: newly translated: {', '.join(self.caught_up[locale])}")
        return "\n".join(lines) + "\n"


def describe(programme_id: str, path: str) -> tuple[str, str]:
    """The part of the programme a file belongs to, and what it is within that part."""
    if path.startswith(BUILTIN_PREFIX):
        return "built-in measures", path[len(BUILTIN_PREFIX) :].rsplit("/", 1)[-1]
    parts = path.split("/")
    prefix = ["programmes", programme_id]
    if parts[:2] == prefix:
        rest = parts[2:]
        if len(rest) == 3 and rest[0] == "modules":
            module, name = rest[1], rest[2]
            what = "module title and therapist notes" if name == "module.md" else "page " + name
            return f"module {module}", what.removesuffix(".md")
        if len(rest) == 2 and rest[0] == "guidance":
            return "guidance messages", rest[1].removesuffix(".md")
        special = {"crisis.md": "crisis page", "check-in.md": "weekly check-in page"}
        if len(rest) == 1 and rest[0] in special:
            return special[rest[0]], rest[0]
        return "programme", "/".join(rest)
    if parts[0] == "locales" and len(parts) >= 3:
        return f"locale {parts[1]}", "/".join(parts[2:])
    if parts[0] == "licensed":
        return "licensed wording", "/".join(parts[1:])
    if parts[0] == "templates":
        return "site templates", "/".join(parts[1:])
    return "other", path


def compare(programme_id: str, before: ReleaseSide, after: ReleaseSide) -> ReleaseDiff:
    """The differences between two sides."""
    diff = ReleaseDiff(programme_id, before, after)
    for path in changed_files(before.files, after.files):
        change = (
            "added"
            if path not in before.files
            else "removed"
            if path not in after.files
            else "changed"
        )
        part, item = describe(programme_id, path)
        diff.parts.setdefault(part, []).append(FileChange(path, item, change))
    diff.parts = dict(sorted(diff.parts.items(), key=lambda kv: _part_order(kv[0])))
    for locale in sorted({*before.translations, *after.translations}):
        old, new = before.translations.get(locale), after.translations.get(locale)
        if old is None:
            diff.locales_added.append(locale)
            continue
        if new is None:
            diff.locales_removed.append(locale)
            continue
        behind = [unit for unit in old.published if unit not in new.published]
        ahead = [unit for unit in new.published if unit not in old.published]
        if behind:
            diff.fell_behind[locale] = behind
        if ahead:
            diff.caught_up[locale] = ahead
    return diff


def _part_order(part: str) -> tuple[int, str]:
    order = ["programme", "weekly check-in page", "crisis page"]
    if part in order:
        return order.index(part), part
    if part.startswith("module ") or part == "guidance messages":
        return 10, part
    return 20, part


def current_side(project: Path, programme_id: str) -> ReleaseSide:
    """The sources of a programme as they are now, as if they were released."""

    root = Project(project).programme(programme_id)
    loaded = read_programme(root, project)
    if loaded.programme is None:
        raise InvalidArgumentError(
            f"the programme '{programme_id}' cannot be read: run 'icbt check'"
        )
    files = hash_files(release_files(project, root, loaded.programme))
    label = f"the working copy (version {loaded.programme.version} in programme.yaml)"
    return ReleaseSide(label, files, translation_states(project, programme_id))
