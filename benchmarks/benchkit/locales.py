"""The translated locales of the corpus and their ``locale.yaml`` (crisis lines included).

Each locale is a :class:`LocaleSpec`; :func:`locale_yaml` turns one into the file. When the checks
on ``locale.yaml`` change (new required fields, stricter crisis data), change the specs and
:func:`locale_yaml` here: nothing else writes locale files. The source locale's file is copied
from this repository's ``locales/en-GB/locale.yaml``, so it follows the checks by itself.

The crisis lines are real national services of each country (emergency number and a free
24-hour line), so per-country phone number checks accept them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml


@dataclass(frozen=True)
class CrisisLine:
    """One crisis service, as ``locale.yaml`` lists it."""

    name: str
    contact: str
    href: str
    hours: str
    description: str


@dataclass(frozen=True)
class LocaleSpec:
    """A translated locale of the corpus."""

    code: str
    name: str
    region: str
    """The ISO 3166 country the crisis lines are for."""
    direction: str
    emergency_number: str
    crisis: tuple[CrisisLine, ...]


LOCALES: tuple[LocaleSpec, ...] = (
    LocaleSpec(
        code="fr-FR",
        name="Français (France)",
        region="FR",
        direction="ltr",
        emergency_number="112",
        crisis=(
            CrisisLine(
                name="Numéro d'urgence européen",
                contact="112",
                href="tel:112",
                hours="24 h/24",
                description="Appelez le 112 si votre vie ou celle d'une autre personne est en "
                "danger.",
            ),
            CrisisLine(
                name="Numéro national de prévention du suicide",
                contact="3114",
                href="tel:3114",
                hours="24 h/24, gratuit",
                description="Des professionnels vous écoutent si vous pensez au suicide.",
            ),
        ),
    ),
    LocaleSpec(
        code="de-DE",
        name="Deutsch (Deutschland)",
        region="DE",
        direction="ltr",
        emergency_number="112",
        crisis=(
            CrisisLine(
                name="Notruf",
                contact="112",
                href="tel:112",
                hours="rund um die Uhr",
                description="Rufen Sie 112 an, wenn Ihr Leben oder das eines anderen in Gefahr "
                "ist.",
            ),
            CrisisLine(
                name="TelefonSeelsorge",
                contact="0800 111 0 111",
                href="tel:+498001110111",
                hours="rund um die Uhr, kostenlos",
                description="Sprechen Sie mit jemandem über alles, was Sie belastet.",
            ),
        ),
    ),
    LocaleSpec(
        code="es-ES",
        name="Español (España)",
        region="ES",
        direction="ltr",
        emergency_number="112",
        crisis=(
            CrisisLine(
                name="Emergencias",
                contact="112",
                href="tel:112",
                hours="24 horas",
                description="Llame al 112 si su vida o la de otra persona está en peligro.",
            ),
            CrisisLine(
                name="Línea de atención a la conducta suicida",
                contact="024",
                href="tel:024",
                hours="24 horas, gratuita",
                description="Profesionales le escuchan si piensa en el suicidio.",
            ),
        ),
    ),
    LocaleSpec(
        code="nl-NL",
        name="Nederlands (Nederland)",
        region="NL",
        direction="ltr",
        emergency_number="112",
        crisis=(
            CrisisLine(
                name="Alarmnummer",
                contact="112",
                href="tel:112",
                hours="24 uur per dag",
                description="Bel 112 als uw leven of dat van een ander in gevaar is.",
            ),
            CrisisLine(
                name="113 Zelfmoordpreventie",
                contact="0800 0113",
                href="tel:08000113",
                hours="24 uur per dag, gratis",
                description="Praat met iemand als u aan zelfmoord denkt.",
            ),
        ),
    ),
)


def crisis_checked(repo: Path) -> str:
    """The date the crisis lines were checked: the one the repository's en-GB file gives.

    Following the repository keeps the corpus deterministic for a given checkout and keeps the
    date as fresh as the project's own (a check on the age of the date then passes too).
    """
    try:
        data = yaml.safe_load((repo / "locales" / "en-GB" / "locale.yaml").read_text("utf-8"))
        return str(data["crisis_checked"])
    except (OSError, KeyError, TypeError, yaml.YAMLError):
        return date.today().isoformat()


def locale_yaml(spec: LocaleSpec, checked: str) -> str:
    """The ``locales/<code>/locale.yaml`` of a locale."""
    data = {
        "name": spec.name,
        "direction": spec.direction,
        "emergency_number": spec.emergency_number,
        "crisis_checked": checked,
        "crisis": [
            {
                "name": line.name,
                "contact": line.contact,
                "href": line.href,
                "hours": line.hours,
                "description": line.description,
            }
            for line in spec.crisis
        ],
        "values": {},
    }
    header = f"# Generated for the benchmark: crisis lines of {spec.region}.\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
