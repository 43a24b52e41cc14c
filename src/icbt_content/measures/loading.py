"""Finding and reading measures: the built-in library, programme measures, licensed wording
and validated translations, each reported with file and line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from icbt_content.authoring.documents import read_text
from icbt_content.authoring.yamlsafe import LocatedYaml, load_yaml, validate
from icbt_content.diagnostics import Diagnostic, Severity, diagnostic
from icbt_content.inputs import leaves_project
from icbt_content.limits import MAX_MANIFEST_BYTES
from icbt_content.measures.checks import MeasureProblem, measure_problems
from icbt_content.measures.wording import apply_wording, wording_hash, wording_problems
from icbt_content.model.base import SourceLocation
from icbt_content.model.measure import Measure, MeasureWording
from icbt_content.paths import StrPath, as_path
from icbt_content.project import Project

LIBRARY = Path(__file__).parent / "library"
ENTRY_POINT_GROUP = "icbt_content.measures"

M = TypeVar("M", bound=BaseModel)


def builtin_measures() -> dict[str, Path]:
    """Return the installed measures: the built-in library, then entry point additions.

    An entry point in the group ``icbt_content.measures`` is named by the measure id and loads
    to a path of a measure YAML file (or a function returning one). It cannot replace a
    built-in measure.
    """
    return dict(_builtin_measures())


@cache
def _builtin_measures() -> tuple[tuple[str, Path], ...]:
    found = {path.stem: path for path in sorted(LIBRARY.glob("*.yaml"))}
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        if point.name in found:
            continue
        target = point.load()
        if callable(target):
            target = target()
        found[point.name] = Path(target)
    return tuple(found.items())


def _display(path: Path, project_root: Path) -> str:
    """Name ``path`` for a diagnostic: relative to the project, or to the installed package."""
    for base in (project_root, LIBRARY.parents[2]):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def _read(path: Path, file: str) -> tuple[LocatedYaml | None, list[Diagnostic]]:
    text, problems = read_text(path, file, limit=MAX_MANIFEST_BYTES)
    if text is None:
        return None, problems
    return load_yaml(text, file)


def _to_diagnostics(problems: Sequence[MeasureProblem], located: LocatedYaml) -> list[Diagnostic]:
    return [
        diagnostic(p.code, p.message, located.file, located.line_of(p.path), hint=p.hint)
        for p in problems
    ]


def _load(
    model: type[M], path: Path, project_root: Path, what: str
) -> tuple[M | None, LocatedYaml | None, list[Diagnostic]]:
    file = _display(path, project_root)
    outside = leaves_project(path, project_root)
    if outside is not None:
        return None, None, [outside]
    located, found = _read(path, file)
    if located is None:
        return None, None, found
    value, found = validate(
        model, located, extra={"source": SourceLocation(file=file, line=1)}, what=what
    )
    return value, located, found


def load_measure(path: StrPath, project_root: StrPath) -> tuple[Measure | None, list[Diagnostic]]:
    """Read and check one measure YAML file; return None when it has errors."""
    path = as_path(path)
    project_root = as_path(project_root)
    measure, located, found = _load(Measure, path, project_root, "a measure")
    if measure is None or located is None:
        return None, found
    if isinstance(located.data, dict) and "wording_supplied" in located.data:
        found.append(
            diagnostic(
                "ICBT104",
                "'wording_supplied' is set by the build, not written in a measure",
                located.file,
                located.line_of(("wording_supplied",)),
                hint="remove the line; licensed wording goes in licensed/<measure-id>.yaml",
            )
        )
    if path.stem != measure.id:
        found.append(
            diagnostic(
                "ICBT409",
                f"the file {path.name} defines the measure '{measure.id}'",
                located.file,
                located.line_of(("id",)),
                hint=f"rename the file to {measure.id}.yaml or change the id to '{path.stem}'",
            )
        )
    found += _to_diagnostics(measure_problems(measure), located)
    if any(d.severity is Severity.ERROR for d in found):
        return None, found
    return measure, found


def load_wording(
    path: StrPath, project_root: StrPath, measure: Measure, *, whole: bool
) -> tuple[MeasureWording | None, list[Diagnostic]]:
    """Read a wording file for ``measure`` and check that it fits; None when it has errors."""
    path = as_path(path)
    project_root = as_path(project_root)
    wording, _, found = _load_wording(path, project_root, measure, whole=whole)
    return wording, found


def _load_wording(
    path: Path, project_root: Path, measure: Measure, *, whole: bool
) -> tuple[MeasureWording | None, LocatedYaml | None, list[Diagnostic]]:
    wording, located, found = _load(MeasureWording, path, project_root, "measure wording")
    if wording is None or located is None:
        return None, located, found
    found += _to_diagnostics(wording_problems(measure, wording, whole=whole), located)
    if any(d.severity is Severity.ERROR for d in found):
        return None, located, found
    return wording, located, found


def _stale(measure: Measure, wording: MeasureWording, located: LocatedYaml) -> Diagnostic | None:
    """ICBT414 when a translation was made from other wording than the measure's, or says not."""
    current = wording_hash(measure)
    if wording.source_hash == current:
        return None
    where = measure.source.file if measure.source else measure.id
    if not wording.source_hash:
        message = (
            f"this translation of '{measure.id}' does not record the wording it was made from, "
            "so it is not used"
        )
        line = located.line_of(("measure",))
    else:
        message = (
            f"the wording of '{measure.id}' ({where}) has changed since this translation was "
            "made, so it is not used"
        )
        line = located.line_of(("source_hash",))
    return diagnostic(
        "ICBT414",
        message,
        located.file,
        line,
        hint=f"check the translation against the current wording, then set "
        f"'source_hash: \"{current}\"'",
    )


def licensed_wording_path(
    project_root: StrPath, measure_id: str, locale: str | None = None
) -> Path:
    """Return where a deploying service puts licensed wording (per locale for translations)."""
    folder = Project(as_path(project_root)).licensed
    return (folder / locale if locale else folder) / f"{measure_id}.yaml"


def translation_path(project_root: StrPath, measure: Measure, locale: str) -> Path:
    """Return where the validated translation of ``measure`` for ``locale`` lives."""
    project_root = as_path(project_root)
    if measure.licence == "permission-required":
        return licensed_wording_path(project_root, measure.id, locale)
    return Project(project_root).measure_translation(locale, measure.id)


def _language(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def localise_measure(
    measure: Measure, project_root: StrPath, locale: str
) -> tuple[Measure, list[Diagnostic]]:
    """Return ``measure`` in its validated translation for ``locale``, or as it is.

    A translation is used only when it is whole; scoring never changes.
    """
    project_root = as_path(project_root)
    path = translation_path(project_root, measure, locale)
    if not path.is_file():
        if _language(locale) != _language(measure.language):
            where = measure.source.file if measure.source else measure.id
            return measure, [
                diagnostic(
                    "ICBT413",
                    f"'{measure.id}' has no validated translation for {locale}",
                    where,
                    hint=f"add {_display(path, project_root)}, or check the locale",
                )
            ]
        return measure, []
    wording, located, found = _load_wording(path, project_root, measure, whole=True)
    if wording is None or located is None:
        return measure, found
    # Licensed translations come with the licensed source from the service, as one supply.
    stale = None if measure.licence == "permission-required" else _stale(measure, wording, located)
    if stale is not None:
        # Made from other wording: never served; the measure follows the no-translation rule.
        return measure, [*found, stale]
    translated = apply_wording(
        measure, wording, licensed=measure.licence == "permission-required"
    ).model_copy(update={"language": locale})
    return translated, found


def resolve_measures(
    programme_dir: StrPath,
    project_root: StrPath,
    ids: Sequence[str],
    *,
    used_on_pages: set[str],
    locale: str,
) -> tuple[list[Measure], list[Diagnostic]]:
    """Find, check, license and translate the measures a programme lists.

    Each id is looked up in ``programme_dir/measures/<id>.yaml``, then in the installed measures.
    A measure whose wording needs permission takes it from ``licensed/<id>.yaml``; if that file
    is missing and the measure is used on a page, the measure would be published without its
    wording, which is an error.
    """
    programme_dir = as_path(programme_dir)
    project_root = as_path(project_root)
    manifest_line = _manifest_lines(programme_dir, project_root)
    manifest = _display(programme_dir / "programme.yaml", project_root)
    installed = builtin_measures()
    measures: list[Measure] = []
    found: list[Diagnostic] = []
    for index, measure_id in enumerate(ids):
        line = manifest_line(index)
        local = programme_dir / "measures" / f"{measure_id}.yaml"
        path = local if local.is_file() else installed.get(measure_id)
        if local.is_file() and measure_id in installed:
            # A programme cannot replace a built-in measure: its scoring would change, and its
            # licence could be bypassed. The built-in one is used, and this is an error.
            found.append(_shadowing(local, project_root, measure_id))
            path = installed[measure_id]
        if path is None:
            found.append(
                diagnostic(
                    "ICBT205",
                    f"no measure called '{measure_id}'",
                    manifest,
                    line,
                    hint=f"add measures/{measure_id}.yaml, or use a built-in measure: "
                    + ", ".join(sorted(installed)),
                )
            )
            continue
        measure, problems = load_measure(path, project_root)
        found += problems
        if measure is None:
            continue
        if measure.licence == "permission-required":
            licensed = licensed_wording_path(project_root, measure.id)
            if licensed.is_file():
                wording, problems = load_wording(licensed, project_root, measure, whole=False)
                found += problems
                if wording is not None:
                    measure = apply_wording(measure, wording, licensed=True)
            if measure.needs_wording and measure.id in used_on_pages:
                found.append(
                    diagnostic(
                        "ICBT410",
                        f"'{measure.id}' needs permission to publish its wording, and no "
                        "wording was supplied",
                        manifest,
                        line,
                        hint=f"the service supplies it in "
                        f"{_display(licensed, project_root)}, or remove the questionnaire",
                    )
                )
        measure, problems = localise_measure(measure, project_root, locale)
        if measure.id in used_on_pages:
            found += problems
        measures.append(measure)
    return measures, found


def _shadowing(local: Path, project_root: Path, measure_id: str) -> Diagnostic:
    outside = leaves_project(local, project_root)
    if outside is not None:
        return outside
    file = _display(local, project_root)
    located, _ = _read(local, file)
    line = located.line_of(("id",)) if located is not None else 1
    return diagnostic(
        "ICBT415",
        f"this file would replace the built-in measure '{measure_id}'",
        file,
        line,
        hint=f"give the programme's measure its own id (rename the file and its 'id:'), or "
        f"remove the file to use the built-in '{measure_id}'",
    )


def _manifest_lines(programme_dir: Path, project_root: Path) -> Callable[[int], int]:
    """Return a function giving the line of the n-th entry of `measures:` in programme.yaml."""
    path = programme_dir / "programme.yaml"
    try:
        located, _ = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError):
        located = None
    if located is None:
        return lambda index: 1
    return lambda index: located.line_of(("measures", index))
