"""The translation gate: what decides whether a locale is published, in one place.

``icbt build``, ``icbt check`` and ``icbt i18n check`` all report :func:`catalog_currency` and
what localising each programme finds (catalog errors, fuzzy entries, stale adaptations, the
safety words and crisis page of each locale), so under ``--strict`` the three fail on the same
things.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from icbt_content.authoring.loader import LoadedProgramme
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.i18n.catalog import Catalog, Entry
from icbt_content.i18n.sources import interface_template, programme_template
from icbt_content.i18n.translations import (
    INTERFACE,
    load_translations,
    po_path,
    translated_locales,
)

#: Codes of a catalog that could not be read whole.
UNREADABLE = frozenset({"ICBT601", "ICBT614", "ICBT615"})


def catalog_currency(
    project: Path, loaded: list[LoadedProgramme], locales: list[str] | None = None
) -> list[Diagnostic]:
    """Catalogs that are behind the source: messages missing (ICBT611) and messages the
    source no longer has (ICBT631), for the interface and each programme that has a catalog.

    A template is made only for a domain some locale has a catalog of, and a programme's from
    the segments the localise stage already walked (:func:`~.sources.programme_template`), so
    a project without catalogs pays nothing here.
    """
    made: dict[str, Catalog] = {}

    def template(domain: str) -> Catalog:
        if domain not in made:
            made[domain] = (
                interface_template(project)
                if domain == INTERFACE
                else programme_template(by_id[domain])
            )
        return made[domain]

    by_id = {item.programme.id: item for item in loaded if item.programme is not None}
    found: list[Diagnostic] = []
    for locale in locales or translated_locales(project):
        for domain in (INTERFACE, *by_id):
            if not po_path(project, locale, domain).is_file():
                continue
            translations = load_translations(project, locale, domain)
            if translations is None or any(d.code in UNREADABLE for d in translations.diagnostics):
                continue  # what could be read of it says nothing of how current it is
            found.extend(_behind(template(domain), translations.entries, translations.path, locale))
    return found


def _behind(
    template: Catalog, entries: Mapping[tuple[str | None, str], Entry], path: str, locale: str
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    wanted = template.index()
    missing = [e for e in template.entries if e.key not in entries]
    if missing:
        found.append(
            diagnostic(
                "ICBT611",
                f"{len(missing)} message(s) of the source are not in this catalog, "
                f"for example {missing[0].context or missing[0].msgid[:40]!r}",
                path,
                hint=f"run 'icbt i18n update --locale {locale}'",
            )
        )
    for key, entry in entries.items():
        if key in wanted:
            continue
        context, msgid = key
        found.append(
            diagnostic(
                "ICBT631",
                f"the source no longer has {context or msgid[:40]!r}: this translation is "
                "never shown",
                path,
                entry.line or 1,
                hint=f"run 'icbt i18n update --locale {locale}' (it keeps the translation as "
                "an obsolete #~ entry for reuse)",
            )
        )
    return found


def interface_gaps(project: Path, locale: str) -> list[Diagnostic]:
    """ICBT632 for each interface string, other than the safety words, not translated.

    The safety words hold a locale back on their own (ICBT807). The rest of the interface may
    be incomplete while a translation is under way: those strings are shown in English, marked
    as English, and the warnings make ``--strict`` (what a release runs) refuse the locale."""
    translations = load_translations(project, locale, INTERFACE)
    if translations is None:
        return []
    found = []
    for source in interface_template(project).entries:
        if source.key in translations.published or source.key in translations.published_plurals:
            continue
        entry = translations.entries.get(source.key)
        found.append(
            diagnostic(
                "ICBT632",
                f"interface message {source.msgid[:40]!r} is not translated into {locale}: it "
                "is shown in English" + (f" ({source.context})" if source.context else ""),
                translations.path,
                (entry.msgstr_line or entry.line) if entry is not None else 1,
                hint=f"translate it in interface.po (run 'icbt i18n update --locale {locale}' "
                "first if it is missing); a release built with --strict refuses the locale "
                "until then",
            )
        )
    return found
