"""Crisis services are checked data: a country, a number or link, hours, and a recent check.

A wrong or missing crisis number is a clinical hazard, so every published locale's crisis
services are checked before a site is built: the country they are for, each service's number
against that country's numbering plan (the ``phonenumbers`` package), its link scheme, its hours,
and the date a person last checked it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from datetime import UTC, date, datetime

import phonenumbers
from phonenumbers import shortnumberinfo

from icbt_content.authoring.yamlsafe import LocatedYaml, PathKey
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.model.locale import CrisisResource, LocaleResources

DEFAULT_MAX_AGE_MONTHS = 12
#: A build may claim a date (reproducible builds); otherwise the check is against today.
BUILD_DATE_ENV = "SOURCE_DATE_EPOCH"
#: The only schemes a crisis link may use: call, text, or a secure web page.
SCHEMES = ("tel:", "sms:", "https:")

_REGION = re.compile(r"-([A-Z]{2})$")
_VISUAL_SEPARATORS = re.compile(r"[\s\-.()/]")


def build_date() -> date:
    """The date checks are made against: ``SOURCE_DATE_EPOCH`` when set, else today (UTC)."""
    epoch = os.environ.get(BUILD_DATE_ENV, "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return datetime.now(tz=UTC).date()


def months_before(day: date, months: int) -> date:
    """The same day ``months`` months earlier (the last day of the month when it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover - every month has a 28th


def locale_region(code: str) -> str:
    """The region of a locale code (HK for zh-Hant-HK), or '' for a language-only locale."""
    match = _REGION.search(code)
    return match.group(1) if match else ""


class _Checker:
    """Collects the problems of one locale's crisis services."""

    def __init__(
        self,
        code: str,
        resources: LocaleResources,
        located: LocatedYaml | None,
        file: str,
        today: date,
        max_age_months: int,
    ) -> None:
        self.code = code
        self.resources = resources
        self.located = located
        self.file = file
        self.today = today
        self.max_age_months = max_age_months

    def line(self, path: PathKey) -> int:
        return self.located.line_of(path) if self.located is not None else 1

    def problem(self, code: str, message: str, path: PathKey, hint: str = "") -> Diagnostic:
        return diagnostic(code, message, self.file, self.line(path), hint=hint)

    def run(self) -> Iterator[Diagnostic]:
        country = yield from self.country()
        services = self.resources.crisis
        if not services:
            yield self.problem(
                "ICBT800",
                f"the locale {self.code} lists no crisis services: its crisis page would have "
                "no number to call",
                ("crisis",),
                hint="add the services a client in crisis can contact (name, contact, href, "
                "hours, checked), checked by a clinician",
            )
        if self.resources.emergency_number and country:
            yield from self.emergency_number(country)
        for index, service in enumerate(services):
            yield from self.service(index, service, country)

    def country(self) -> Generator[Diagnostic, None, str]:
        region = locale_region(self.code)
        given = self.resources.country
        if not given and not region:
            yield self.problem(
                "ICBT801",
                f"the locale {self.code} names no country: crisis services differ from country "
                "to country",
                ("country",),
                hint="add 'country: GB' (the ISO code of the country or region whose services "
                "are listed), or publish a regional locale such as ar-AE",
            )
            return ""
        if given and region and given != region:
            yield self.problem(
                "ICBT801",
                f"the locale {self.code} is for {region}, but its crisis services are for "
                f"'{given}'",
                ("country",),
                hint=f"remove 'country:' or list the services of {region}",
            )
            return ""
        country = given or region
        if country not in phonenumbers.SUPPORTED_REGIONS:
            yield self.problem(
                "ICBT801",
                f"'{country}' is not a country or region code",
                ("country",),
                hint="use the two-letter ISO 3166 code, such as GB or HK",
            )
            return ""
        return country

    def emergency_number(self, country: str) -> Iterator[Diagnostic]:
        number = self.resources.emergency_number
        if not shortnumberinfo.is_emergency_number(number, country):
            yield self.problem(
                "ICBT804",
                f"'{number}' is not an emergency number in {country}",
                ("emergency_number",),
                hint="check the number with a clinician who knows the country's services",
            )

    def service(self, index: int, service: CrisisResource, country: str) -> Iterator[Diagnostic]:
        here: PathKey = ("crisis", index)
        label = service.name.strip() or f"crisis service {index + 1}"
        for field, what in (("name", "a name"), ("contact", "the number or words to show")):
            if not getattr(service, field).strip():
                yield self.problem(
                    "ICBT802", f"'{label}' has no {field}", here, hint=f"give {what}"
                )
        if not service.hours.strip():
            yield self.problem(
                "ICBT802",
                f"'{label}' does not say when it answers",
                here,
                hint="add 'hours:' in the locale's language, such as '24 hours, free'",
            )
        if not service.href.strip():
            yield self.problem(
                "ICBT802",
                f"'{label}' has no number or link",
                here,
                hint="add 'href:' with a tel:, sms: or https: link",
            )
        else:
            yield from self.link(index, service, label, country)
        yield from self.checked(index, service, label)
        if not service.verified:
            yield self.problem(
                "ICBT806",
                f"'{label}' is marked 'verified: false': nobody has confirmed it yet",
                (*here, "verified"),
                hint="have a clinician confirm the number and hours, then remove the line",
            )

    def link(
        self, index: int, service: CrisisResource, label: str, country: str
    ) -> Iterator[Diagnostic]:
        href = service.href.strip()
        where: PathKey = ("crisis", index, "href")
        scheme = next((s for s in SCHEMES if href.lower().startswith(s)), None)
        if scheme is None or (scheme == "https:" and not href.lower().startswith("https://")):
            yield self.problem(
                "ICBT803",
                f"the link of '{label}' is '{href}': only tel:, sms: and https:// links are "
                "allowed",
                where,
                hint="use tel:NUMBER to call, sms:NUMBER to text, or an https:// page",
            )
            return
        if scheme == "https:" or not country:
            return
        yield from self.number(index, service, label, country, href[len(scheme) :])

    def number(
        self, index: int, service: CrisisResource, label: str, country: str, raw: str
    ) -> Iterator[Diagnostic]:
        where: PathKey = ("crisis", index, "href")
        text = _VISUAL_SEPARATORS.sub("", raw.split("?", 1)[0].split(";", 1)[0])
        if not re.fullmatch(r"\+?\d{2,15}", text):
            yield self.problem(
                "ICBT804",
                f"'{raw}' in the link of '{label}' is not a phone number",
                where,
                hint="write digits only, with + and the country code for a full number",
            )
            return
        parsed = phonenumbers.parse(text, country)
        valid = phonenumbers.is_valid_number_for_region(parsed, country) or (
            not text.startswith("+")
            and shortnumberinfo.is_valid_short_number_for_region(parsed, country)
        )
        if not valid:
            possible = not text.startswith("+") and (
                shortnumberinfo.is_possible_short_number_for_region(parsed, country)
                or phonenumbers.is_possible_number(parsed)
            )
            if not (possible and service.unlisted_number.strip()):
                yield self.problem(
                    "ICBT804",
                    f"'{raw}' (the link of '{label}') is not a valid number in {country}",
                    where,
                    hint="check the number; a real number the numbering data does not list yet "
                    "(a new hotline) is accepted with 'unlisted_number:' saying who confirmed it"
                    if possible
                    else "check the number and the locale's country",
                )
                return
        digits = re.sub(r"\D", "", service.contact)
        national = phonenumbers.national_significant_number(parsed)
        if national not in digits:
            yield self.problem(
                "ICBT804",
                f"'{label}' shows '{service.contact}' but its link dials {raw}",
                (*where[:2], "contact"),
                hint="show the number the link calls, so a client who copies it reaches the "
                "same service",
            )

    def checked(self, index: int, service: CrisisResource, label: str) -> Iterator[Diagnostic]:
        when = service.checked or self.resources.crisis_checked
        path: PathKey = (
            ("crisis", index, "checked")
            if service.checked
            else ("crisis_checked",)
            if self.resources.crisis_checked
            else ("crisis", index)
        )
        if when is None:
            yield self.problem(
                "ICBT805",
                f"'{label}' has no date it was checked",
                path,
                hint="add 'checked: YYYY-MM-DD' to the service (or 'crisis_checked:' for all) "
                "after a clinician has checked it",
            )
            return
        if when > self.today:
            yield self.problem(
                "ICBT805",
                f"'{label}' was checked on {when.isoformat()}, after today "
                f"({self.today.isoformat()})",
                path,
                hint="write the date the check was made",
            )
            return
        oldest = months_before(self.today, self.max_age_months)
        if when < oldest:
            yield self.problem(
                "ICBT805",
                f"'{label}' was last checked on {when.isoformat()}, more than "
                f"{self.max_age_months} months ago",
                path,
                hint="check the number and hours again with a clinician, then update the date",
            )


def crisis_problems(
    code: str,
    resources: LocaleResources,
    located: LocatedYaml | None,
    file: str,
    *,
    today: date | None = None,
    max_age_months: int = DEFAULT_MAX_AGE_MONTHS,
) -> list[Diagnostic]:
    """Every problem of the crisis services of locale ``code`` (its ``locale.yaml`` is ``file``)."""
    checker = _Checker(code, resources, located, file, today or build_date(), max_age_months)
    return list(checker.run())
