"""Read locales/<locale>/locale.yaml and answer questions about locales with Babel (CLDR)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from icbt_content.adaptation.crisis import DEFAULT_MAX_AGE_MONTHS, crisis_problems, locale_region
from icbt_content.authoring.documents import read_text
from icbt_content.authoring.yamlsafe import load_yaml, validate
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.model.locale import LocaleResources
from icbt_content.project import Project

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
        return _format_number(self.code, number)

    def language_name(self, code: str) -> str:
        """The name of another locale's language, in this locale's language."""
        try:
            return Locale.parse(code, sep="-").get_language_name(self.babel) or code
        except (ValueError, UnknownLocaleError):
            return code


@lru_cache(maxsize=4096, typed=True)
def _format_number(code: str, number: float) -> str:
    # Memoised: every page writes its place in the programme ("page 3 of 12") with it.
    try:
        return format_decimal(number, locale=Locale.parse(code, sep="-"))
    except (ValueError, UnknownLocaleError):
        return str(number)


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


def load_locale(
    project: Path,
    code: str,
    *,
    today: date | None = None,
    max_age_months: int = DEFAULT_MAX_AGE_MONTHS,
) -> tuple[LocaleInfo, list[Diagnostic]]:
    """Load a locale to publish: its resources, and every problem of its crisis services.

    A locale without a locale.yaml has no crisis services, which is an error: a published site
    must never show a crisis page with nothing to call.
    """
    path = Project(project).locale(code) / LOCALE_FILE
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
        info = describe_locale(code)
        return info, [
            diagnostic(
                "ICBT800",
                f"the locale {code} has no {LOCALE_FILE}, so no crisis services",
                shown,
                hint=f"create {shown} with the country and its crisis services ('icbt i18n init "
                f"{code}' writes one to fill in)",
            )
        ]
    text, problems = read_text(path, shown, project)
    if text is None:
        return describe_locale(code), problems
    located, problems = load_yaml(text, shown)
    if located is None:
        return describe_locale(code), problems
    resources, problems = validate(LocaleResources, located, what=LOCALE_FILE)
    if resources is not None:
        problems += crisis_problems(
            code, resources, located, shown, today=today, max_age_months=max_age_months
        )
    return describe_locale(code, resources), problems


def project_locales(project: Path) -> list[str]:
    """Locale codes that have a folder under locales/, sorted."""
    root = Project(project).locales
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and is_locale_code(p.name))


def locale_file_to_fill(code: str) -> str:
    """A locale.yaml for a new locale: its name and direction from CLDR, and crisis services
    left for a person to fill in. It fails the checks (ICBT800) until they are filled in."""
    try:
        cldr = Locale.parse(code, sep="-")
        english = cldr.get_display_name("en") or code
        own = cldr.get_display_name(cldr) or code
        direction = "rtl" if cldr.character_order == "right-to-left" else "ltr"
    except (UnknownLocaleError, ValueError):
        english, own, direction = code, code, "ltr"
    region = locale_region(code)
    country = (
        f"country: {region}\n"
        if region
        else 'country: ""  # REQUIRED: the ISO code of the country whose services are listed\n'
    )
    return (
        f"# Locale resources for {english}.\n"
        "# Not ready to publish: the build refuses this locale until a clinician has filled in\n"
        "# the crisis services a client in crisis can contact (see docs/translating.md).\n"
        f"name: {own}\n"
        f"direction: {direction}\n"
        f"{country}"
        'emergency_number: ""\n'
        "crisis_checked: null  # YYYY-MM-DD: the day a clinician checked the services below\n"
        "crisis: []\n"
        "# crisis:\n"
        "#   - name: ...          the service's name\n"
        "#     contact: ...       what to dial or text, as shown\n"
        "#     href: ...          tel:NUMBER, sms:NUMBER or https://...\n"
        "#     hours: ...         when it answers, in this language\n"
        "#     description: ...   who it is for; say if it answers in another language only\n"
        "#     checked: YYYY-MM-DD\n"
        "values: {}\n"
    )
