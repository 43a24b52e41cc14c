"""Read locales/<locale>/locale.yaml and answer questions about locales with Babel (CLDR)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from icbt_content.authoring.documents import read_text
from icbt_content.authoring.yamlsafe import load_yaml, validate
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.model.locale import LocaleResources

LOCALE_FILE = "locale.yaml"
_BCP47 = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$")


@dataclass(frozen=True)
class LocaleInfo:
    """A locale as the site needs it: code, own name, direction and resources."""

    code: str
    name: str
    direction: str
    resources: LocaleResources

    @property
    def babel(self) -> Locale:
        return Locale.parse(self.code, sep="-")

    def format_date(self, iso: str, width: str = "long") -> str:
        """A YYYY-MM-DD date as the locale writes it (CLDR); unchanged if it is not one."""
        try:
            return format_date(date.fromisoformat(iso), width, locale=self.babel)
        except (ValueError, UnknownLocaleError):
            return iso

    def format_number(self, number: float) -> str:
        """A number as the locale writes it (CLDR digits and separators)."""
        try:
            return format_decimal(number, locale=self.babel)
        except (ValueError, UnknownLocaleError):
            return str(number)

    def language_name(self, code: str) -> str:
        """The name of another locale's language, in this locale's language."""
        try:
            return Locale.parse(code, sep="-").get_language_name(self.babel) or code
        except (ValueError, UnknownLocaleError):
            return code


def is_locale_code(code: str) -> bool:
    """True for BCP 47 codes of the form ``en``, ``en-GB``, ``zh-Hant-HK``."""
    return bool(_BCP47.match(code))


def describe_locale(code: str, resources: LocaleResources | None = None) -> LocaleInfo:
    """Name and direction of a locale from CLDR, overridden by its locale.yaml."""
    resources = resources or LocaleResources()
    try:
        cldr = Locale.parse(code, sep="-")
        name = cldr.get_display_name(cldr) or code
        direction = "rtl" if cldr.character_order == "right-to-left" else "ltr"
    except (UnknownLocaleError, ValueError):
        name, direction = code, "ltr"
    if resources.direction != "auto":
        direction = resources.direction
    return LocaleInfo(code, resources.name or name, direction, resources)


def load_locale(project: Path, code: str) -> tuple[LocaleInfo, list[Diagnostic]]:
    """Load a locale's resources (empty when it has no locale.yaml)."""
    path = project / "locales" / code / LOCALE_FILE
    shown = f"locales/{code}/{LOCALE_FILE}"
    if not is_locale_code(code):
        return describe_locale("en"), [
            diagnostic(
                "ICBT104",
                f"'{code}' is not a BCP 47 locale code",
                shown,
                hint="use a code like en-GB, ar or zh-Hant-HK",
            )
        ]
    if not path.is_file():
        return describe_locale(code), []
    text, problems = read_text(path, shown, project)
    if text is None:
        return describe_locale(code), problems
    located, problems = load_yaml(text, shown)
    if located is None:
        return describe_locale(code), problems
    resources, problems = validate(LocaleResources, located, what=LOCALE_FILE)
    return describe_locale(code, resources), problems


def project_locales(project: Path) -> list[str]:
    """Locale codes that have a folder under locales/, sorted."""
    root = project / "locales"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and is_locale_code(p.name))
