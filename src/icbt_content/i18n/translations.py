"""The translations a build reads: where catalogs live and which of their entries may be
published. The translators' commands (extract, init, update, compile, check) are in
:mod:`icbt_content.i18n.workflow`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from babel import Locale, UnknownLocaleError

from icbt_content.adaptation.resources import is_locale_code, project_locales
from icbt_content.authoring.loader import LoadedProgramme, read_programme, relative
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.errors import IcbtError
from icbt_content.i18n.catalog import Entry, load_po
from icbt_content.i18n.checks import check_catalog, header_problem, markdown_entry
from icbt_content.i18n.plurals import CONTEXT, PLURAL
from icbt_content.i18n.segments import Segment
from icbt_content.project import Project, programme_folders

INTERFACE = "interface"
TEMPLATES = "templates"


class I18nError(IcbtError):
    """A workflow step cannot be done (bad locale code, nothing to translate)."""


def locales_dir(project: Path) -> Path:
    return Project(project).locales


def template_path(project: Path, domain: str) -> Path:
    """The generated POT of a programme (or of the interface)."""
    return locales_dir(project) / TEMPLATES / f"{domain}.pot"


def po_path(project: Path, locale: str, domain: str) -> Path:
    return locales_dir(project) / locale / f"{domain}.po"


def shown(path: Path, project: Path) -> str:
    return relative(path, project)


def gettext_locale(locale: str) -> str:
    """``zh-Hant-HK`` -> ``zh_Hant_HK``, as PO headers and Babel write it."""
    return locale.replace("-", "_")


def check_locale_code(locale: str) -> Locale:
    """Validate a locale code before Babel sees it; raise :class:`I18nError` if it is not one."""
    if not is_locale_code(locale):
        raise I18nError(f"'{locale}' is not a BCP 47 locale code such as en-GB, ar or zh-Hant-HK")
    try:
        return Locale.parse(locale, sep="-")
    except (UnknownLocaleError, ValueError) as exc:
        raise I18nError(f"Babel does not know the locale '{locale}': {exc}") from None


def programmes(project: Path, ids: list[str] | None = None) -> list[LoadedProgramme]:
    """Read the programmes of a project (content errors are left to 'icbt check')."""
    loaded = [read_programme(folder, project) for folder in programme_folders(project, ids)]
    return [item for item in loaded if item.programme is not None]


def translated_locales(project: Path) -> list[str]:
    """Locales with at least one catalog."""
    return [
        code
        for code in project_locales(project)
        if any(p.suffix == ".po" for p in (locales_dir(project) / code).iterdir())
    ]


@dataclass
class Translations:
    """The translations of one catalog that may be published, and the problems of the rest."""

    path: str
    header: list[tuple[str, str]] = field(default_factory=list)
    entries: dict[tuple[str | None, str], Entry] = field(default_factory=dict)
    """Every active entry, by (msgctxt, msgid)."""
    published: dict[tuple[str | None, str], str] = field(default_factory=dict)
    """Translated, not fuzzy, passing every check."""
    published_plurals: dict[tuple[str | None, str], list[str]] = field(default_factory=dict)
    """Plural entries that may be published: their forms in gettext order."""
    failing: set[tuple[str | None, str]] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def lookup(self, segment: Segment) -> str | None:
        return self.published.get((segment.context, segment.source))

    def translates(self, text: str) -> bool:
        """Whether :meth:`gettext` has a published translation of ``text``."""
        context, _, message = text.rpartition(CONTEXT)
        key = (context or None, message.split(PLURAL)[0])
        return key in (self.published_plurals if PLURAL in message else self.published)

    def gettext(self, text: str) -> str:
        """The published translation of an interface string; the text itself if none.

        ``context\x04text`` asks for a message with a context, ``singular\x00plural`` for a
        plural message, whose forms come back joined by ``\x00`` (see :mod:`.plurals`)."""
        context, _, message = text.rpartition(CONTEXT)
        key = (context or None, message.split(PLURAL)[0])
        if PLURAL in message:
            forms = self.published_plurals.get(key)
            return PLURAL.join(forms) if forms else text
        return self.published.get(key, text)


def load_translations(
    project: Path,
    locale: str,
    domain: str,
    is_markdown: Callable[[Entry], bool] = markdown_entry,
) -> Translations | None:
    """Read a catalog and keep what may be published; None when the locale has none.

    A catalog is read and checked once while it is unchanged on disk (the localise stage, the
    translation gate and the site's words each ask for it): never change what is returned.
    """
    path = po_path(project, locale, domain)
    try:
        found = path.stat()
    except OSError:
        return None
    if not S_ISREG(found.st_mode):
        return None
    changed = (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
    return _read_translations(project, locale, domain, is_markdown, changed)


def forget_translations() -> None:
    """Let go of the catalogs read so far (a build calls it after each programme: a programme's
    catalog in each locale is megabytes, and no other programme reads it)."""
    _read_translations.cache_clear()


@lru_cache(maxsize=8)
def _read_translations(
    project: Path,
    locale: str,
    domain: str,
    is_markdown: Callable[[Entry], bool],
    changed: tuple[int, int, int, int],
) -> Translations:
    path = po_path(project, locale, domain)
    where = shown(path, project)
    result = Translations(where)
    catalog, problems = load_po(path, where, project)
    result.diagnostics.extend(problems)
    if catalog is None:
        return result
    result.header = list(catalog.header)
    problem = header_problem(catalog, locale)
    if problem is not None:
        result.diagnostics.append(
            diagnostic(problem.code, problem.message, where, catalog.header_line, hint=problem.hint)
        )
    failing = check_catalog(catalog, locale, is_markdown)
    for item in failing:
        result.failing.add(item.entry.key)
        context = f" ({item.entry.context})" if item.entry.context else ""
        result.diagnostics.append(
            diagnostic(
                item.problem.code,
                item.problem.message + context,
                where,
                item.entry.msgstr_line or item.entry.line,
                hint=item.problem.hint,
            )
        )
    for entry in catalog.active():
        result.entries[entry.key] = entry
        if entry.fuzzy and entry.translated:
            result.diagnostics.append(
                diagnostic(
                    "ICBT630",
                    "this translation is marked fuzzy (made from other source text), so it is "
                    "not published" + (f" ({entry.context})" if entry.context else ""),
                    where,
                    entry.msgstr_line or entry.line,
                    hint="compare it with the source (the #| msgid line shows the old text), "
                    "correct it, and remove 'fuzzy' from its #, line",
                )
            )
        publishable = entry.translated and not entry.fuzzy and entry.key not in result.failing
        if publishable and entry.msgid_plural is None:
            result.published[entry.key] = entry.msgstr
        elif publishable:
            result.published_plurals[entry.key] = entry.strings
    return result
