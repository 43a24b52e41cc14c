"""Validate stage: checks that need the whole programme (ids, links, safety, readability).

It runs on the programme as written, then on the programme as each translated locale publishes
it (after the localise stage), so a problem a translation or an adaptation brings is reported
where the translator wrote it, and a problem of the source once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from icbt_content.authoring.loader import LoadedProgramme, relative
from icbt_content.diagnostics import Diagnostic, Diagnostics, diagnostic, did_you_mean
from icbt_content.errors import InvalidArgumentError
from icbt_content.exercises.custom import field_hint
from icbt_content.guidance import check_template
from icbt_content.i18n.localise import LocalisedProgramme
from icbt_content.idslock import LOCK_FILE, current_ids, read_lock, read_locked_repeatable
from icbt_content.markdown.links import is_safe_url, url_scheme
from icbt_content.measures.outcome import outcome_problems
from icbt_content.model.blocks import Callout, QuestionnaireBlock, RecallBlock
from icbt_content.model.programme import Page, Programme
from icbt_content.readability import flesch_reading_ease
from icbt_content.safety.monitoring import check_weekly_measures
from icbt_content.safety.release import check_released_version
from icbt_content.sitemap import SiteMap

MIN_READING_EASE = 60.0

Check = Callable[[LoadedProgramme, Programme, SiteMap], list[Diagnostic]]


def _where(obj: object) -> tuple[str, int]:
    source = getattr(obj, "source", None)
    return (source.file, source.line) if source else ("programme.yaml", 1)


def check_duplicate_ids(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    seen_modules: set[str] = set()
    for module in programme.modules:
        if module.id in seen_modules:
            file = programme.source.file if programme.source else "programme.yaml"
            found.append(diagnostic("ICBT201", f"module '{module.id}' is listed twice", file))
        seen_modules.add(module.id)
        seen_pages: dict[str, str] = {}
        for page in module.pages:
            file, line = _where(page)
            if page.id in seen_pages:
                found.append(
                    diagnostic(
                        "ICBT201",
                        f"page id '{page.id}' is also used by {seen_pages[page.id]}",
                        file,
                        line,
                        hint="give one of them another file name or an 'id:' in its front matter",
                    )
                )
            seen_pages[page.id] = file
            found.extend(_duplicate_anchors(page))
    found.extend(
        _reused_ids(
            "exercise",
            ((e.id, e) for e in programme.exercises()),
            hint="each exercise needs its own id: clients' answers are saved under it",
        )
    )
    for exercise in programme.exercises():
        field_ids = [f.id for f in exercise.fields]
        for field_id in sorted({f for f in field_ids if field_ids.count(f) > 1}):
            found.append(
                diagnostic(
                    "ICBT201",
                    f"field id '{field_id}' is used twice in '{exercise.id}'",
                    *_where(exercise),
                )
            )
    boxes = (b for _, p in programme.pages() for b in p.blocks if isinstance(b, Callout) and b.id)
    found.extend(_reused_ids("box", ((str(b.id), b) for b in boxes)))
    return found


def _reused_ids(
    what: str, items: Iterable[tuple[str, object]], hint: str = ""
) -> Iterator[Diagnostic]:
    """ICBT201 for every item whose id an earlier item already has, naming the first use."""
    first: dict[str, str] = {}
    for item_id, item in items:
        file, line = _where(item)
        if item_id in first:
            yield diagnostic(
                "ICBT201",
                f"{what} id '{item_id}' is also used at {first[item_id]}",
                file,
                line,
                hint=hint,
            )
        else:
            first[item_id] = f"{file}:{line}"


def _duplicate_anchors(page: Page) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    file, line = _where(page)
    for heading in page.headings:
        if heading.anchor in seen:
            yield diagnostic(
                "ICBT201",
                f"the section id '{heading.anchor}' is used twice on this page",
                file,
                line,
                hint="change one {#id} line",
            )
        seen.add(heading.anchor)


def check_links(loaded: LoadedProgramme, programme: Programme, sites: SiteMap) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for link in loaded.links:
        if not link.target:
            continue
        if not is_safe_url(link.target):
            found.append(
                diagnostic(
                    "ICBT206",
                    f"unsafe link '{link.target}'",
                    link.file,
                    link.line,
                    link.col,
                    hint="use https:, mailto:, tel: or a relative path",
                )
            )
            continue
        if url_scheme(link.target) is not None:
            continue
        resolution = sites.resolve(link.file, link.target, programme.source_locale)
        if resolution.target is None:
            found.append(
                diagnostic(
                    "ICBT204",
                    resolution.problem,
                    link.file,
                    link.line,
                    link.col,
                    hint=resolution.hint,
                )
            )
        elif (
            not resolution.target.path.endswith("/")
            and not (loaded.root / resolution.target.path).is_file()
        ):
            found.append(
                diagnostic(
                    "ICBT204",
                    f"'{link.target}' does not exist",
                    link.file,
                    link.line,
                    link.col,
                    hint="put media files in the programme's media/ folder",
                )
            )
    return found


def check_structure(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for module in programme.modules:
        file, line = _where(module)
        if not module.pages and module.id not in loaded.unreadable_pages:
            found.append(
                diagnostic(
                    "ICBT304",
                    f"module '{module.id}' has no pages",
                    file,
                    line,
                    hint="add a page like 01-welcome.md beside module.md",
                )
            )
        if not module.therapist_notes.strip():
            found.append(
                diagnostic(
                    "ICBT308",
                    f"module '{module.id}' has no notes for the therapist",
                    file,
                    line,
                    hint="write them below the front matter of module.md",
                )
            )
    return found


def check_questionnaires(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    listed = {m.id for m in programme.measures}
    for _, page in programme.pages():
        for block in page.blocks:
            if isinstance(block, QuestionnaireBlock) and block.measure not in listed:
                found.append(
                    diagnostic(
                        "ICBT205",
                        f"questionnaire '{block.measure}' is not listed in programme.yaml",
                        *_where(block),
                        hint="add it under 'measures:' in programme.yaml",
                    )
                )
    return found


def check_recalls(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    """Every ``::: recall`` names an exercise of the programme and a field it has."""
    found: list[Diagnostic] = []
    exercises = {e.id: e for e in programme.exercises()}
    for _, page in programme.pages():
        for block in page.blocks:
            if not isinstance(block, RecallBlock):
                continue
            exercise = exercises.get(block.exercise)
            if exercise is None:
                found.append(
                    diagnostic(
                        "ICBT967",
                        f"recall names exercise '{block.exercise}', which no page has",
                        *_where(block),
                        hint=did_you_mean(block.exercise, exercises)
                        or "name the id of an exercise on one of the programme's pages",
                    )
                )
                continue
            fields = [f.id for f in exercise.fields]
            if block.field not in fields:
                found.append(
                    diagnostic(
                        "ICBT968",
                        f"exercise '{exercise.id}' has no field '{block.field}'",
                        *_where(block),
                        hint=field_hint(block.field, fields),
                    )
                )
    return found


def check_route_to_help(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    crisis_links = {
        (link.file) for link in loaded.links if _is_crisis_link(link.file, link.target, sites)
    }
    for _, page in programme.pages():
        asks = page.distressing or any(e.type == "narrative" for e in page.exercises())
        if not asks:
            continue
        file, line = _where(page)
        has_help = file in crisis_links or any(
            isinstance(b, Callout) and b.style == "help" for b in page.blocks
        )
        if not has_help:
            found.append(
                diagnostic(
                    "ICBT306",
                    f"page '{page.id}' asks about distressing material but offers no route to help",
                    file,
                    line,
                    hint="add a '::: help' box saying what to do if distress rises, with a link to "
                    "the crisis page",
                )
            )
    return found


def _is_crisis_link(file: str, target: str, sites: SiteMap) -> bool:
    resolution = sites.resolve(file, target, "x") if target else None
    return bool(resolution and resolution.target and resolution.target.path == "x/crisis/")


def check_readability(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if not programme.source_locale.lower().startswith("en"):
        return found
    for _, page in programme.pages():
        file = page.source.file if page.source else ""
        score = flesch_reading_ease(loaded.page_text.get(file, []))
        if score is not None and score < MIN_READING_EASE:
            found.append(
                diagnostic(
                    "ICBT305",
                    f"page '{page.id}' has a Flesch reading ease of {score:.0f} (aim for "
                    f"{MIN_READING_EASE:.0f} or more)",
                    *_where(page),
                    hint="use shorter sentences and everyday words",
                )
            )
    return found


def check_id_migrations(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    try:
        locked = read_lock(loaded.root)
    except (OSError, ValueError, json.JSONDecodeError, AttributeError) as exc:
        reason = str(exc) if isinstance(exc, InvalidArgumentError) else ""
        found.append(
            diagnostic(
                "ICBT104",
                f"{LOCK_FILE} cannot be read" + (f": {reason}" if reason else ""),
                relative(loaded.root / LOCK_FILE, loaded.project),
                hint="restore it from version control, or delete it and run 'icbt lock'",
            )
        )
        return found
    current = current_ids(programme)
    manifest = programme.source.file if programme.source else "programme.yaml"
    renamed = {m.exercise: m for m in programme.migrations}
    for index, migration in enumerate(programme.migrations):
        target = migration.to or migration.exercise
        written = ("migrations", index, "to" if migration.to else "exercise")
        if target not in current and not migration.removed:
            found.append(
                diagnostic(
                    "ICBT208",
                    f"migration for '{migration.exercise}' points to exercise '{target}', which "
                    "does not exist",
                    manifest,
                    *_manifest_place(loaded, written),
                    hint="name an exercise id used on a page, or set 'removed: true'",
                )
            )
            continue
        for old, new in migration.fields.items():
            if target in current and new not in current[target]:
                found.append(
                    diagnostic(
                        "ICBT208",
                        f"migration renames field '{old}' to '{new}', which '{target}' does not "
                        "have",
                        manifest,
                        *_manifest_place(loaded, ("migrations", index, "fields", old)),
                        hint=f"name a field of '{target}', or list '{old}' under 'removed_fields:'",
                    )
                )
    if locked is None:
        return found
    lock_file = relative(loaded.root / LOCK_FILE, loaded.project)
    exercises = {e.id: e for e in programme.exercises()}
    for exercise_id in read_locked_repeatable(loaded.root):
        released = renamed.get(exercise_id)
        target = released.to if released and released.to else exercise_id
        exercise = exercises.get(target)
        if exercise is not None and not exercise.repeatable:
            found.append(
                diagnostic(
                    "ICBT962",
                    f"exercise '{target}' was released as repeatable: clients' dated entries "
                    "would be lost if it stopped being repeatable",
                    lock_file,
                    hint="keep 'repeatable: true' on it, or give the single record a new exercise "
                    "id and keep this one repeatable",
                )
            )
    for exercise_id, field_ids in sorted(locked.items()):
        released = renamed.get(exercise_id)
        if exercise_id not in current and not (released and (released.to or released.removed)):
            found.append(
                diagnostic(
                    "ICBT207",
                    f"exercise '{exercise_id}' was released but no longer exists",
                    lock_file,
                    hint=f"add a migration for '{exercise_id}' to programme.yaml (to: new-id, or "
                    "removed: true), then run 'icbt lock'",
                )
            )
            continue
        target = (released.to if released and released.to else exercise_id) or exercise_id
        if target not in current:
            continue
        for field_id in field_ids:
            handled = released and (
                field_id in released.fields or field_id in released.removed_fields
            )
            if field_id not in current[target] and not handled:
                found.append(
                    diagnostic(
                        "ICBT207",
                        f"field '{field_id}' of exercise '{exercise_id}' was released but no "
                        "longer exists",
                        lock_file,
                        hint="add it to 'fields:' or 'removed_fields:' of a migration in "
                        "programme.yaml, then run 'icbt lock'",
                    )
                )
    return found


def check_guidance_templates(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    sections = sites.module_sections()
    modules = {m.id for m in programme.modules}
    for template in programme.guidance:
        found.extend(check_template(template, sections=sections, modules=modules))
    return found


def check_outcome_measures(
    loaded: LoadedProgramme, programme: Programme, sites: SiteMap
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    manifest = programme.source.file if programme.source else "programme.yaml"
    for problem in outcome_problems(programme):
        line, col = _manifest_place(loaded, problem.path)
        found.append(diagnostic("ICBT416", problem.message, manifest, line, col, hint=problem.hint))
    return found


def _manifest_place(loaded: LoadedProgramme, path: tuple[str | int, ...]) -> tuple[int, int]:
    """The line and column of a value in programme.yaml (1, 1 when it was not read)."""
    located = loaded.manifest
    return (located.line_of(path), located.col_of(path)) if located else (1, 1)


#: The checks, in the order they run. Add a function here to add a check.
CHECKS: tuple[Check, ...] = (
    check_duplicate_ids,
    check_structure,
    check_links,
    check_questionnaires,
    check_recalls,
    check_route_to_help,
    check_readability,
    check_id_migrations,
    check_guidance_templates,
    check_outcome_measures,
    check_weekly_measures,
    check_released_version,
)


#: The checks that read what a locale changes (its translated text, its adaptations), run
#: again on each translated locale. The others read only what no locale changes (programme.yaml,
#: the lock and release records); links are not among them because a translation must keep the
#: link targets of its source (ICBT603), so a broken link is the source's.
LOCALE_CHECKS: tuple[Check, ...] = (
    check_duplicate_ids,
    check_questionnaires,
    check_recalls,
    check_route_to_help,
    check_readability,
    check_guidance_templates,
)


def validate_programme(loaded: LoadedProgramme) -> list[Diagnostic]:
    """Every problem the checks find in a loaded programme, as written."""
    programme = loaded.programme
    if programme is None:
        return []
    sites = SiteMap(programme, relative(loaded.root, loaded.project))
    return [problem for check in CHECKS for problem in check(loaded, programme, sites)]


def validate_locale(
    loaded: LoadedProgramme, localised: LocalisedProgramme, source: Sequence[Diagnostic]
) -> list[Diagnostic]:
    """The problems the programme has as ``localised`` publishes it and not as written.

    ``source`` are the problems of the programme as written (:func:`validate_programme`): the
    same problem found again (its code and message, in the same file) is the source's, reported
    once. A problem of translated text is reported at its entry in the locale's catalog.
    """
    programme = localised.programme
    view = replace(
        loaded, programme=programme, page_text=localised.page_text, diagnostics=Diagnostics()
    )
    sites = SiteMap(programme, relative(loaded.root, loaded.project))
    known = {(problem.code, problem.message, problem.file) for problem in source}
    found: list[Diagnostic] = []
    for check in LOCALE_CHECKS:
        for problem in check(view, programme, sites):
            if (problem.code, problem.message, problem.file) in known:
                continue
            place = localised.place(problem.file, problem.line)
            if place is not None:
                problem = replace(problem, file=place[0], line=place[1], col=1)
            found.append(problem)
    return found
