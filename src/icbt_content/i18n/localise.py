"""Localise stage: a programme in each locale it is published in.

A locale is published when it has a catalog for the programme (``locales/<locale>/<id>.po``),
its crisis page and the site's safety words are translated, and its crisis services pass their
checks. Its translations are checked first; a translation that fails a check is never used. A
module or a guidance message with any client text untranslated is served whole in the source
locale, with a notice and the safety advice in the reader's language. A questionnaire is shown in
its validated translation, or in the reader's language with only the measure's own words in the
language they were validated in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from icbt_content.adaptation.overrides import AdaptationSet, load_adaptations
from icbt_content.adaptation.resources import LocaleInfo, describe_locale, load_locale
from icbt_content.authoring.loader import LoadedProgramme, relative
from icbt_content.deployment import load_deployment
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.guidance.check import check_body
from icbt_content.i18n.adaptations import adaptation_diagnostics
from icbt_content.i18n.catalog import Entry
from icbt_content.i18n.gate import interface_gaps
from icbt_content.i18n.interface import NOTICE
from icbt_content.i18n.safety import safety_strings
from icbt_content.i18n.segments import Segment, inline_tokens
from icbt_content.i18n.translations import (
    INTERFACE,
    Translations,
    load_translations,
    translated_locales,
)
from icbt_content.i18n.walk import CRISIS_UNIT, Walk, walk_programme
from icbt_content.measures.loading import localise_measure
from icbt_content.model.deployment import Deployment
from icbt_content.model.guidance import GuidanceTemplate
from icbt_content.model.measure import Measure
from icbt_content.model.programme import CHECK_IN_UNIT, Programme
from icbt_content.readability import block_text
from icbt_content.render.language import SourceLanguage, translates

MISSING_MEASURE_TRANSLATION = "ICBT413"
#: The language the site's own words (interface.po msgids) are written in.
TEMPLATE_LANGUAGE = "en"


@dataclass(frozen=True)
class Fallback:
    """Modules served whole in another locale (the source) because their translation is
    unfinished: their pages are rendered from ``programme`` in ``locale``, at the reader's URLs."""

    programme: Programme
    locale: LocaleInfo
    modules: frozenset[str]
    translate: Callable[[str], str] | None = None


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
    connection: str = "none"
    """deploy.yaml's connection: what the site can say happens to a client's answers."""
    source: SourceLanguage | None = None
    """The programme as written, for a translated locale: what is still identical to it is
    marked with the source language on the page."""
    warnings: tuple[Diagnostic, ...] = ()
    """Warnings found while loading and localising (set by :func:`~icbt_content.load_localised`)."""
    catalog: str = ""
    """The catalog its translations come from (none for the source locale)."""
    places: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    """Source file -> (line of each translated segment served, its line in :attr:`catalog`),
    in order: where the validate stage reports a problem of the translated text."""
    page_text: dict[str, list[str]] = field(default_factory=dict)
    """In an English locale, the text runs of each page translated otherwise than its source
    says it (by its source file), whose readability the validate stage checks."""

    def place(self, file: str, line: int) -> tuple[str, int] | None:
        """Where in the catalog the translated text at ``file:line`` is; None when that text is
        served as written (untranslated, or a module served whole in the source locale)."""
        places = self.places.get(file)
        if not places:
            return None
        before = [po_line for source_line, po_line in places if source_line <= line]
        return self.catalog, before[-1] if before else places[0][1]

    @property
    def module_locales(self) -> dict[str, str]:
        """Module id -> the locale its text is in: the source locale for a module served whole
        in it because its translation is unfinished, else this locale."""
        source = self.programme.source_locale
        fallback = self.fallback.modules if self.fallback is not None else frozenset()
        return {
            module.id: source if module.id in fallback else self.locale.code
            for module in self.programme.modules
        }


def localise(
    project: Path, loaded: LoadedProgramme
) -> tuple[list[LocalisedProgramme], list[Diagnostic]]:
    """The programme in each locale it is published in, its source locale first; the problems
    of publishing it in its locales."""
    if loaded.programme is None:
        return [], []
    deployment, found = load_deployment(project)
    first, problems = localise_source(project, loaded.programme, deployment)
    found.extend(problems)
    if first is None:
        return [], found  # a programme written in another language than the site's words
    result = [first]
    for code in translated_locales(project):
        if code == first.locale.code:
            continue
        localised, problems = localise_to(
            project, loaded, code, source_info=first.locale, deployment=deployment
        )
        found.extend(problems)
        if localised is not None:
            result.append(localised)
    return result, found


def localise_source(
    project: Path, programme: Programme, deployment: Deployment
) -> tuple[LocalisedProgramme | None, list[Diagnostic]]:
    """The programme in its source locale; None when the site's safety words are not in it."""
    source = programme.source_locale
    info, found = load_locale(project, source, max_age_months=deployment.crisis_max_age_months)
    source_ui, problems = _interface(project, source)
    found.extend(problems)
    unsafe = _safety_untranslated(project, source, deployment)
    if unsafe is not None:
        return None, [*found, unsafe]
    localised = LocalisedProgramme(
        programme, info, translate=source_ui, connection=deployment.connection
    )
    return localised, found


def check_locales(project: Path, loaded: LoadedProgramme) -> list[Diagnostic]:
    """Every problem of publishing the programme in its locales, without rendering anything."""
    return localise(project, loaded)[1]


@dataclass(frozen=True)
class InterfaceGettext:
    """The interface strings of a locale: translates them, and says which it translates."""

    translations: Translations

    def __call__(self, text: str) -> str:
        return self.translations.gettext(text)

    def translates(self, text: str) -> bool:
        return self.translations.translates(text)


def _interface(project: Path, locale: str) -> tuple[Callable[[str], str] | None, list[Diagnostic]]:
    translations = load_translations(project, locale, INTERFACE)
    if translations is None:
        return None, []
    return InterfaceGettext(translations), list(translations.diagnostics)


def localise_to(
    project: Path,
    loaded: LoadedProgramme,
    locale: str,
    *,
    source_info: LocaleInfo | None = None,
    deployment: Deployment | None = None,
) -> tuple[LocalisedProgramme | None, list[Diagnostic]]:
    """The programme in ``locale`` and the problems of publishing it there; None when the
    locale has no catalog for it, or when a client in crisis could not read it (its crisis page
    or the site's safety words untranslated)."""
    assert loaded.programme is not None
    programme = loaded.programme
    translations = load_translations(project, locale, programme.id)
    if translations is None:
        return None, []
    found = list(translations.diagnostics)
    if deployment is None:
        deployment, problems = load_deployment(project)
        found.extend(problems)
    max_age = deployment.crisis_max_age_months
    info, problems = load_locale(project, locale, max_age_months=max_age)
    found.extend(problems)
    if source_info is None:
        source_info, problems = load_locale(
            project, programme.source_locale, max_age_months=max_age
        )
    ui, problems = _interface(project, locale)
    found.extend(problems)
    unsafe = _safety_untranslated(project, locale, deployment)
    if unsafe is not None:
        return None, [*found, unsafe]
    found.extend(interface_gaps(project, locale))
    items, problems = load_adaptations(project, locale, programme.id)
    found.extend(problems)
    adaptations = AdaptationSet(items)
    walk = walk_programme(
        programme,
        translations.lookup,
        interface=ui,
        adaptations=adaptations,
        sources=loaded.sources,
        programme_dir=relative(loaded.root, project),
    )
    found.extend(walk.diagnostics)
    if loaded.segments is None:
        # A walk with translations records the same segments as one without: the catalog
        # gate compares the catalogs with these instead of walking the programme again.
        loaded.segments = [replace(s, adapted=False) if s.adapted else s for s in walk.segments]
    if items:
        found.extend(adaptation_diagnostics(project, loaded, locale))
    if programme.crisis is not None and not walk.complete(CRISIS_UNIT):
        crisis_file = programme.crisis.source.file if programme.crisis.source else "crisis.md"
        found.append(
            diagnostic(
                "ICBT612",
                f"the crisis page is not fully translated into {locale}, so '{programme.id}' "
                f"is not published in {locale}",
                translations.path,
                _first_untranslated_line(translations, "crisis."),
                hint=f"translate the messages of {crisis_file} (msgctxt crisis.*) first",
            )
        )
        return None, found
    guidance, problems = _checked_guidance(programme, walk.programme, translations)
    found.extend(problems)
    translated = walk.programme.model_copy(update={"guidance": guidance})
    # The check-in page falls back whole, like a module, when its text is not all translated.
    fallback_units = list(walk.fallback_modules)
    if programme.check_in is not None and not walk.complete(CHECK_IN_UNIT):
        fallback_units.append(CHECK_IN_UNIT)
    served = {m.id for m in translated.modules} - set(fallback_units)
    if CHECK_IN_UNIT not in fallback_units:
        served.add(CHECK_IN_UNIT)
    measures, problems = _measures(project, translated, locale, served)
    found.extend(problems)
    translated = translated.model_copy(update={"measures": measures})
    notice = fallback_notice(info, programme.source_locale, ui)
    notices: dict[str, str] = dict.fromkeys(fallback_units, notice)
    fallback = None
    if fallback_units:
        fallback = Fallback(
            programme=programme,
            locale=source_info,
            modules=frozenset(fallback_units),
            translate=_interface(project, programme.source_locale)[0],
        )
    localised = LocalisedProgramme(
        translated,
        info,
        notices,
        translate=ui,
        fallback=fallback,
        connection=deployment.connection,
        source=SourceLanguage(programme, source_info),
        catalog=translations.path,
        places=_places(walk, translations, set(fallback_units)),
        page_text=_page_text(walk, locale, set(fallback_units)),
    )
    return localised, found


def _served_translations(
    walk: Walk, translations: Translations, fallback: set[str]
) -> Iterator[tuple[Segment, Entry]]:
    """Each translated segment served in the locale, with its catalog entry."""
    for segment in walk.segments:
        if segment.unit in fallback or translations.lookup(segment) is None:
            continue
        entry = translations.entries.get((segment.context, segment.source))
        if entry is not None and not segment.adapted:
            yield segment, entry


def _places(
    walk: Walk, translations: Translations, fallback: set[str]
) -> dict[str, tuple[tuple[int, int], ...]]:
    places: dict[str, list[tuple[int, int]]] = {}
    for segment, entry in _served_translations(walk, translations, fallback):
        places.setdefault(segment.file, []).append((segment.line, entry.msgstr_line or entry.line))
    return {file: tuple(sorted(lines)) for file, lines in places.items()}


def _page_text(walk: Walk, locale: str, fallback: set[str]) -> dict[str, list[str]]:
    """The text runs of each file whose translation reads otherwise than its source, in an
    English locale (the readability of text as written is the source's to check)."""
    if _language(locale) != TEMPLATE_LANGUAGE:
        return {}
    texts: dict[str, list[tuple[str, str]]] = {}
    for segment in walk.segments:
        if segment.markdown and segment.client and segment.unit not in fallback:
            translated = walk.results.get(segment.context, segment.source)
            texts.setdefault(segment.file, []).append((segment.source, translated))
    return {
        file: [block_text(inline_tokens(text)) for _, text in pairs]
        for file, pairs in texts.items()
        if any(source != text for source, text in pairs)
    }


def fallback_notice(
    reader: LocaleInfo, source_locale: str, ui: Callable[[str], str] | None
) -> Markup:
    """The notice on a module served in the source locale, marked with the language it is in.

    It is in the reader's language when interface.po translates it, else in the language the
    site's words are written in; either way the names of both languages are in the notice's own
    language (from CLDR), never a Welsh name inside an English sentence.
    """
    text = ui(NOTICE) if ui is not None else NOTICE
    written = reader if translates(ui, NOTICE) else describe_locale(TEMPLATE_LANGUAGE)
    name = reader.name if written is reader else written.language_name(reader.code)
    message = text.replace("{language}", name).replace(
        "{fallback}", written.language_name(source_locale)
    )
    return Markup('<span lang="{}" dir="{}">{}</span>').format(
        written.code, written.direction, message
    )


def _safety_untranslated(project: Path, locale: str, deployment: Deployment) -> Diagnostic | None:
    """ICBT807 unless the site's safety words are all translated into ``locale``."""
    if _language(locale) == TEMPLATE_LANGUAGE:
        return None
    wanted = safety_strings(deployment.connection, project)
    translations = load_translations(project, locale, INTERFACE)
    published = translations.published if translations is not None else {}
    missing = [text for text in wanted if (None, text) not in published]
    if not missing:
        return None
    where = translations.path if translations is not None else f"locales/{locale}/interface.po"
    entry = translations.entries.get((None, missing[0])) if translations is not None else None
    return diagnostic(
        "ICBT807",
        f"{len(missing)} of the site's safety messages are not translated into {locale} "
        f"(the first: {missing[0]!r}), so nothing is published in {locale}",
        where,
        entry.line if entry is not None else 1,
        hint="translate the risk alert, 'Need help now?' and the crisis page's words in "
        f"interface.po (run 'icbt i18n update --locale {locale}' to add missing messages)",
    )


def _language(tag: str) -> str:
    return tag.split("-")[0].lower()


def _first_untranslated_line(translations: Translations, prefix: str) -> int:
    lines = [
        entry.line
        for (context, _), entry in translations.entries.items()
        if context
        and context.startswith(prefix)
        and (context, entry.msgid) not in translations.published
    ]
    return min(lines, default=1)


def _checked_guidance(
    source: Programme, translated: Programme, translations: Translations
) -> tuple[tuple[GuidanceTemplate, ...], list[Diagnostic]]:
    """Translated guidance messages that pass the template checks, the source for the others;
    a problem for each translation refused."""
    result = []
    found: list[Diagnostic] = []
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
            found.append(
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
    return tuple(result), found


def _measures(
    project: Path, programme: Programme, locale: str, served: set[str]
) -> tuple[tuple[Measure, ...], list[Diagnostic]]:
    """Measures in their validated translation for ``locale`` (or as they are), and the
    problems of those translations."""
    found: list[Diagnostic] = []
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
        # A missing validated translation is no fault of the catalogs, and no gate fails on
        # it: the measure is shown whole in its own language, marked so, never half translated.
        found.extend(d for d in problems if d.code != MISSING_MEASURE_TRANSLATION)
        result.append(localised)
    return tuple(result), found
