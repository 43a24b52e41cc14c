"""Localise stage: a programme in each locale it is published in.

A locale is published when it has a catalog for the programme (``locales/<locale>/<id>.po``).
Its translations are checked first; a translation that fails a check is never used. A module,
the crisis page or a guidance message with any client text untranslated is served whole in the
source locale, with a notice in the reader's language: a page never mixes languages, and a
questionnaire is shown in its validated translation or not translated at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from icbt_content.adaptation.overrides import AdaptationSet, load_adaptations
from icbt_content.adaptation.resources import LocaleInfo, load_locale
from icbt_content.authoring.loader import LoadedProgramme, relative
from icbt_content.diagnostics import Diagnostic, Diagnostics, diagnostic
from icbt_content.i18n.interface import NOTICE
from icbt_content.i18n.walk import CRISIS_UNIT, walk_programme
from icbt_content.i18n.workflow import (
    INTERFACE,
    Translations,
    load_translations,
    translated_locales,
)
from icbt_content.model.guidance import GuidanceTemplate
from icbt_content.model.measure import Measure
from icbt_content.model.programme import CHECK_IN_UNIT, Programme
from icbt_content.render.site import Fallback

MISSING_MEASURE_TRANSLATION = "ICBT413"


@dataclass
class LocalisedProgramme:
    """A programme as served in one locale, with notices for modules served in another."""

    programme: Programme
    locale: LocaleInfo
    notices: dict[str, str] = field(default_factory=dict)
    """Module id -> notice shown on its pages (for example 'not yet translated')."""
    translate: Callable[[str], str] | None = None
    """Translates interface strings of the templates into this locale."""
    fallback: Fallback | None = None
    """The modules served whole in the source locale, and how to render them."""


def localise(
    project: Path, loaded: LoadedProgramme, found: Diagnostics
) -> Iterator[LocalisedProgramme]:
    """The programme in each locale it is published in: its source locale first."""
    assert loaded.programme is not None
    programme = loaded.programme
    source = programme.source_locale
    info, problems = load_locale(project, source)
    found.extend(problems)
    source_ui = _interface(project, source, found)
    yield LocalisedProgramme(programme, info, translate=source_ui)
    for code in translated_locales(project):
        if code == source:
            continue
        localised = localise_to(project, loaded, code, found, source_info=info)
        if localised is not None:
            yield localised


def _interface(project: Path, locale: str, found: Diagnostics) -> Callable[[str], str] | None:
    translations = load_translations(project, locale, INTERFACE)
    if translations is None:
        return None
    found.extend(translations.diagnostics)
    return translations.gettext


def localise_to(
    project: Path,
    loaded: LoadedProgramme,
    locale: str,
    found: Diagnostics,
    *,
    source_info: LocaleInfo | None = None,
) -> LocalisedProgramme | None:
    """The programme in ``locale``; None when the locale has no catalog for it."""
    assert loaded.programme is not None
    programme = loaded.programme
    translations = load_translations(project, locale, programme.id)
    if translations is None:
        return None
    found.extend(translations.diagnostics)
    info, problems = load_locale(project, locale)
    found.extend(problems)
    if source_info is None:
        source_info, problems = load_locale(project, programme.source_locale)
    ui = _interface(project, locale, found)
    items, problems = load_adaptations(project, locale, programme.id)
    found.extend(problems)
    adaptations = AdaptationSet(items)
    walk = walk_programme(
        programme,
        translations.lookup,
        interface=ui,
        adaptations=adaptations,
        project=project,
        programme_dir=relative(loaded.root, project),
    )
    found.extend(walk.diagnostics)
    if items:
        from icbt_content.i18n.adaptations import adaptation_diagnostics

        found.extend(adaptation_diagnostics(project, loaded, locale))
    if programme.crisis is not None and not walk.complete(CRISIS_UNIT):
        crisis_file = programme.crisis.source.file if programme.crisis.source else "crisis.md"
        found.add(
            diagnostic(
                "ICBT612",
                f"the crisis page is not fully translated into {locale}; it is shown in "
                f"{programme.source_locale}",
                translations.path,
                hint=f"translate the messages of {crisis_file} first",
            )
        )
    translated = walk.programme.model_copy(
        update={"guidance": _checked_guidance(programme, walk.programme, translations, found)}
    )
    # The check-in page falls back whole, like a module, when its text is not all translated.
    fallback_units = list(walk.fallback_modules)
    if programme.check_in is not None and not walk.complete(CHECK_IN_UNIT):
        fallback_units.append(CHECK_IN_UNIT)
    served = {m.id for m in translated.modules} - set(fallback_units)
    if CHECK_IN_UNIT not in fallback_units:
        served.add(CHECK_IN_UNIT)
    translated = translated.model_copy(
        update={"measures": _measures(project, translated, locale, served, found)}
    )
    notices: dict[str, str] = {}
    text = (ui or (lambda s: s))(NOTICE)
    for module_id in fallback_units:
        message = text.replace("{language}", info.name).replace(
            "{fallback}", info.language_name(programme.source_locale)
        )
        notices[module_id] = Markup('<span lang="{}" dir="{}">{}</span>').format(
            info.code, info.direction, message
        )
    fallback = None
    if fallback_units:
        fallback = Fallback(
            programme=programme,
            locale=source_info,
            modules=frozenset(fallback_units),
            translate=_interface(project, programme.source_locale, Diagnostics()),
        )
    return LocalisedProgramme(translated, info, notices, translate=ui, fallback=fallback)


def _checked_guidance(
    source: Programme, translated: Programme, translations: Translations, found: Diagnostics
) -> tuple[GuidanceTemplate, ...]:
    """Translated guidance messages that pass the template checks; the source for the others."""
    from icbt_content.guidance import check_body

    result = []
    for original, message in zip(source.guidance, translated.guidance, strict=True):
        if message.body == original.body:
            result.append(message)
            continue
        errors = [d for d in check_body(original, message.body) if d.severity == "error"]
        if errors:
            entry = translations.entries.get((f"guidance:{original.id}.p1", ""))
            line = next(
                (
                    e.msgstr_line
                    for (context, _), e in translations.entries.items()
                    if context and context.startswith(f"guidance:{original.id}.")
                ),
                entry.msgstr_line if entry else 1,
            )
            found.add(
                diagnostic(
                    "ICBT613",
                    f"the translation of the message '{original.id}' is refused: "
                    f"{errors[0].message}",
                    translations.path,
                    line,
                    hint=errors[0].hint,
                )
            )
            result.append(original)
        else:
            result.append(message)
    return tuple(result)


def _measures(
    project: Path, programme: Programme, locale: str, served: set[str], found: Diagnostics
) -> tuple[Measure, ...]:
    """Measures in their validated translation for ``locale`` (or as they are)."""
    try:
        from icbt_content.measures import localise_measure
    except ImportError:  # the measures package is optional here
        return programme.measures
    used = {
        block.measure
        for module in programme.modules
        if module.id in served
        for page in module.pages
        for block in page.blocks
        if block.kind == "questionnaire"
    }
    if CHECK_IN_UNIT in served:
        used.update(programme.weekly)
    result = []
    for measure in programme.measures:
        if measure.id not in used:
            result.append(measure)
            continue
        localised, problems = localise_measure(measure, project, locale)
        # A missing validated translation is reported by 'icbt i18n check' and status, not by
        # every build: the measure is shown whole in its own language, never half translated.
        found.extend(d for d in problems if d.code != MISSING_MEASURE_TRANSLATION)
        result.append(localised)
    return tuple(result)


def measure_notes(project: Path, programme: Programme, locale: str) -> list[Diagnostic]:
    """Measures used in ``locale`` that have no validated translation there (ICBT413)."""
    try:
        from icbt_content.measures import localise_measure
    except ImportError:
        return []
    found: list[Diagnostic] = []
    for measure in programme.measures:
        _, problems = localise_measure(measure, project, locale)
        found.extend(d for d in problems if d.code == MISSING_MEASURE_TRANSLATION)
    return found
