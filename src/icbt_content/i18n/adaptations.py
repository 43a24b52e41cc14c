"""Reports on adaptations: what each locale replaced, why, and whether its source has changed."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from icbt_content.adaptation.overrides import Adaptation, load_adaptations
from icbt_content.authoring.loader import LoadedProgramme, relative
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.i18n.translations import I18nError, check_locale_code, programmes
from icbt_content.i18n.walk import walk_programme
from icbt_content.inputs import files_under
from icbt_content.model.blocks import Callout
from icbt_content.model.locale import FrameRecord
from icbt_content.outputs import write_owned
from icbt_content.project import Project


def source_hashes(loaded: LoadedProgramme) -> dict[str, str]:
    """'box <id>' and 'page <module>/<page>' -> the hash of their source wording."""
    assert loaded.programme is not None
    walk = walk_programme(
        loaded.programme,
        sources=loaded.sources,
        programme_dir=relative(loaded.root, loaded.project),
    )
    hashes = dict(walk.passages)
    media = loaded.root / "media"
    if media.is_dir():
        # Only what the build may read (links out are refused there, and not read here).
        for path in files_under(media, loaded.project)[0]:
            key = f"image {path.relative_to(loaded.root).as_posix()}"
            hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return hashes


@dataclass(frozen=True)
class AdaptationStatus:
    """One adaptation and how it stands against the current source."""

    adaptation: Adaptation
    current_hash: str | None
    """None when the passage it replaces no longer exists."""
    current_text: str = ""
    """The source passage as it is now (empty for an image)."""

    @property
    def reviewed(self) -> bool:
        return self.adaptation.front.frame.reviewed

    @property
    def stale(self) -> bool:
        """Made from a source that has changed, or from one it does not record."""
        return self.status in ("needs-review", "no-hash")

    def source_diff(self) -> str:
        """What changed in the source since the adaptation was made, as a unified diff (empty
        when it has not changed or the old text was not recorded)."""
        old = self.adaptation.front.source_text
        if not self.stale or not old or old.strip() == self.current_text.strip():
            return ""
        lines = difflib.unified_diff(
            old.strip().splitlines(),
            self.current_text.strip().splitlines(),
            "source when adapted",
            "source now",
            lineterm="",
        )
        return "\n".join(lines)

    @property
    def status(self) -> str:
        if self.current_hash is None:
            return "target-missing"
        recorded = self.adaptation.front.source_hash
        if not recorded:
            return "no-hash"
        return "current" if recorded == self.current_hash else "needs-review"

    def as_dict(self) -> dict[str, Any]:
        a = self.adaptation
        return {
            "locale": a.locale,
            "programme": a.programme,
            "file": a.file,
            "replaces": a.key,
            "status": self.status,
            "reviewed": self.reviewed,
            "source_hash": a.front.source_hash,
            "current_hash": self.current_hash,
            "source_diff": self.source_diff(),
            "frame": a.front.frame.model_dump(mode="json"),
        }


def adaptation_statuses(
    project: Path, loaded: LoadedProgramme, locale: str
) -> tuple[list[AdaptationStatus], list[Diagnostic]]:
    """The adaptations of a programme in a locale, checked against the source."""
    assert loaded.programme is not None
    items, found = load_adaptations(project, locale, loaded.programme.id)
    if not items:
        return [], found
    hashes = source_hashes(loaded)
    return [
        AdaptationStatus(a, hashes.get(a.key), source_text(loaded, a.kind, a.target)) for a in items
    ], found


def adaptation_diagnostics(project: Path, loaded: LoadedProgramme, locale: str) -> list[Diagnostic]:
    """Problems of a locale's adaptations: unknown targets, changed sources, bad records."""
    statuses, found = adaptation_statuses(project, loaded, locale)
    for item in statuses:
        a = item.adaptation
        line = a.doc.front_matter.line_of(("replaces",))
        if item.status == "target-missing":
            found.append(
                diagnostic(
                    "ICBT610",
                    f"'{a.key}' does not exist in the programme '{a.programme}'",
                    a.file,
                    line,
                    hint="check the box id ({#id} on the box), the module/page ids, or the image "
                    "path in the programme folder",
                )
            )
        elif item.status in ("needs-review", "no-hash"):
            what = "has changed since" if item.status == "needs-review" else "has no source_hash:"
            found.append(
                diagnostic(
                    "ICBT609",
                    f"the source of '{a.key}' {what} this adaptation was made "
                    f"(now {item.current_hash}); it is not published under --strict",
                    a.file,
                    a.doc.front_matter.line_of(("source_hash",)) if a.front.source_hash else line,
                    hint="see what changed with 'icbt i18n adaptations', review the adaptation, "
                    f"then set 'source_hash: {item.current_hash}' and copy the new source_text",
                )
            )
        if a.kind == "image" and not (loaded.root / a.front.src).is_file():
            found.append(
                diagnostic(
                    "ICBT610",
                    f"the replacement image '{a.front.src}' is not in the programme folder",
                    a.file,
                    a.doc.front_matter.line_of(("src",)),
                    hint="put the image in the programme's media/ folder and give its path, "
                    "like 'src: media/cycle-hk.svg'",
                )
            )
    return found


def report_json(statuses: list[AdaptationStatus]) -> str:
    return json.dumps([s.as_dict() for s in statuses], ensure_ascii=False, indent=2) + "\n"


def report_markdown(statuses: list[AdaptationStatus]) -> str:
    """The adaptations as a Markdown report, per locale and programme."""
    if not statuses:
        return "# Adaptations\n\nNo locale adapts any passage.\n"
    out = ["# Adaptations", ""]
    groups: dict[tuple[str, str], list[AdaptationStatus]] = {}
    for item in statuses:
        groups.setdefault((item.adaptation.locale, item.adaptation.programme), []).append(item)
    for (locale, programme), items in sorted(groups.items()):
        out += [f"## {locale}: {programme}", ""]
        out += [
            "| replaces | type | planned | fidelity-consistent | decided | by | reviewed "
            "| status |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for item in items:
            f = item.adaptation.front.frame
            out.append(
                f"| `{item.adaptation.key}` | {f.type} | {'planned' if f.planned else 'reactive'}"
                f" | {_fidelity(f.fidelity_consistent)} | {f.when.isoformat()} | "
                f"{', '.join(f.who)} | {_review(f)} | {item.status} |"
            )
        out.append("")
        for item in items:
            a = item.adaptation
            f = a.front.frame
            out += [
                f"### `{a.key}`",
                "",
                f"- file: `{a.file}`",
                f"- what: {f.what}",
                f"- why: {f.reason}" + (f" ({', '.join(f.reasons)})" if f.reasons else ""),
                f"- goal: {f.goal or 'not recorded'}",
                f"- FRAME: {f.modified} modified at {f.level} level, {f.stage}, "
                f"{'planned' if f.planned else 'reactive'}, {f.type}, "
                f"fidelity-consistent: {_fidelity(f.fidelity_consistent)}",
                f"- review: {_review(f)}",
                f"- source hash: recorded `{a.front.source_hash or '-'}`, current "
                f"`{item.current_hash or '-'}` ({item.status})",
                "",
            ]
            diff = item.source_diff()
            if diff:
                out += ["What changed in the source since it was adapted:", "", "```diff"]
                out += [diff, "```", ""]
            elif item.stale and a.kind != "image":
                out += ["The source it was made from is not recorded (no `source_text`).", ""]
    return "\n".join(out)


def _fidelity(value: bool | str) -> str:
    return "unknown" if value == "unknown" else "yes" if value else "no"


def _review(frame: FrameRecord) -> str:
    if frame.reviewed and frame.approved is not None:
        return f"approved by {frame.reviewed_by} on {frame.approved.isoformat()}"
    return "NOT REVIEWED"


def start_adaptation(project: Path, locale: str, programme: str, target: str) -> Path:
    """Write a new adaptation file for ``target`` with its source hash and an empty record."""
    from datetime import date

    check_locale_code(locale)
    found = [p for p in programmes(project, [programme]) if p.programme is not None]
    if not found:
        raise I18nError(f"there is no programme '{programme}'")
    loaded = found[0]
    hashes = source_hashes(loaded)
    if target not in hashes:
        known = ", ".join(sorted(k for k in hashes if not k.startswith("page"))[:8])
        raise I18nError(f"'{target}' is not a box, page or image of '{programme}' ({known}...)")
    kind, _, name = target.partition(" ")
    folder = Project(project).adaptations(locale, programme)
    path = folder / f"{name.replace('/', '--').replace('.', '-')}.md"
    if path.exists():
        raise I18nError(f"{path} exists already")
    body = source_text(loaded, kind, name)
    text = (
        "---\n"
        f"replaces: {target}\n"
        f"source_hash: {hashes[target]}\n"
        + (f"source_text: {json.dumps(body, ensure_ascii=False)}\n" if body else "")
        + ('src: media/\nalt: ""\n' if kind == "image" else 'title: ""\n')
        + "frame:\n"
        '  what: ""\n'
        "  who: []\n"
        f"  when: {date.today().isoformat()}\n"
        "  planned: true\n"
        "  type: substituting\n"
        "  # For a person to fill in: the goal, whether the change keeps the treatment's core\n"
        "  # elements (true or false once a clinician has judged it), and the review.\n"
        "  goal:\n"
        "  fidelity_consistent: unknown\n"
        '  reason: ""\n'
        "  reasons: [culture]\n"
        '  reviewed_by: ""\n'
        "  approved:\n"
        "---\n\n" + body + "\n"
    )
    write_owned(project, path, text.encode("utf-8"))
    return path


def source_text(loaded: LoadedProgramme, kind: str, name: str) -> str:
    """The source wording of a box or page as its author wrote it (empty for an image)."""
    assert loaded.programme is not None
    for module, page in loaded.programme.pages():
        if kind == "page" and f"{module.id}/{page.id}" == name and page.source:
            text = (loaded.project / page.source.file).read_text(encoding="utf-8")
            return text.split("---", 2)[2].strip() if text.startswith("---") else text
        for block in page.blocks:
            if kind == "box" and isinstance(block, Callout) and block.id == name:
                return block.markdown
    return ""
