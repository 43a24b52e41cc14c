"""Locale resources: what a locale supplies besides translations."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from icbt_content.model.base import ContentModel


class CrisisResource(ContentModel):
    """A service a client can contact in a crisis, checked by a person on a date."""

    name: str
    contact: str
    """What to dial or text, as shown (for example '116 123' or 'Text SHOUT to 85258')."""
    href: str = ""
    """The number or link: ``tel:``, ``sms:`` or ``https:`` only. Numbers are checked against the
    numbering plan of the locale's country."""
    hours: str = ""
    """When the service answers ('24 hours, free'), in the locale's language."""
    description: str = ""
    """Who it is for, in the locale's language; say here if it answers in another language only."""
    checked: date | None = None
    """When a person last checked this service (YYYY-MM-DD); default: the locale's
    ``crisis_checked``."""
    verified: bool = True
    """False for a line nobody has confirmed yet: ``--strict`` refuses to publish it."""
    unlisted_number: str = ""
    """Why a number the numbering data does not list is right (a new national hotline, say), and
    who confirmed it. Only a number of a possible length for the country is accepted this way."""


class LocaleResources(ContentModel):
    """locales/<locale>/locale.yaml"""

    name: str = ""
    """The language's name in itself; taken from CLDR when empty."""
    direction: Literal["ltr", "rtl", "auto"] = "auto"
    """Text direction; 'auto' takes it from CLDR."""
    country: str = ""
    """The country or region (ISO 3166 code such as GB or HK) whose crisis services are listed.
    Default: the locale's own region (HK for zh-Hant-HK); a language-only locale such as ``ar``
    must name one."""
    emergency_number: str = ""
    """The country's emergency number (999, 112...), checked against the country."""
    crisis_checked: date | None = None
    """The date (YYYY-MM-DD) the crisis services were last checked, for lines without their own."""
    crisis: tuple[CrisisResource, ...] = ()
    values: dict[str, str] = Field(default_factory=dict)
    """Values content can use, such as a local service name."""

    def checked_dates(self) -> list[date | None]:
        """The date each crisis service was last checked (None when it has none)."""
        return [service.checked or self.crisis_checked for service in self.crisis]

    @property
    def oldest_check(self) -> date | None:
        """The oldest check of any crisis service: the date the page can honestly show."""
        dates = self.checked_dates()
        if not dates or any(d is None for d in dates):
            return None
        return min(d for d in dates if d is not None)


# -- cultural adaptation ------------------------------------------------------------------------

#: Who or what a change applies to, in FRAME's terms.
FrameLevel = Literal[
    "individual", "target-group", "cohort", "population", "clinic", "organisation", "network"
]
#: The nature of a content change, in FRAME's terms.
FrameChange = Literal[
    "tailoring",
    "adding",
    "removing",
    "shortening",
    "lengthening",
    "substituting",
    "reordering",
    "integrating",
    "repeating",
    "loosening-structure",
    "departing",
]
#: The goal of a change (FRAME's "goal" item).
FrameGoal = Literal[
    "increase-reach",
    "increase-retention",
    "improve-feasibility",
    "improve-fit",
    "address-cultural-factors",
    "improve-effectiveness",
    "reduce-cost",
    "increase-satisfaction",
    "other",
]
#: Why a change was made.
FrameReason = Literal[
    "language",
    "culture",
    "religion",
    "literacy",
    "health-system",
    "legal",
    "access",
    "clinical",
    "recipient-preference",
    "other",
]


class FrameRecord(ContentModel):
    """A record of one adaptation, following FRAME (Wiltsey Stirman et al., 2019)."""

    what: str = Field(min_length=1)
    """What was changed, in a sentence."""
    who: tuple[str, ...] = Field(min_length=1)
    """Who took part in the decision (names or roles)."""
    when: date
    """When the decision was made (YYYY-MM-DD)."""
    planned: bool
    """True for a planned (proactive) change, false for an unplanned (reactive) one."""
    stage: Literal["pre-implementation", "implementation", "scale-up", "maintenance"] = (
        "pre-implementation"
    )
    """When in the course of implementation it was made."""
    modified: Literal["content", "context", "training", "evaluation", "implementation"] = "content"
    """What kind of thing was modified."""
    level: FrameLevel = "target-group"
    """For whom: everyone served in this locale is 'target-group'."""
    type: FrameChange
    """The type of change."""
    fidelity_consistent: Literal["unknown"] | bool
    """True if the core elements of the treatment are preserved; 'unknown' until someone able
    to judge it (a clinician who knows the treatment) has."""
    reason: str = Field(min_length=1)
    """Why the change was made, in a sentence or two."""
    reasons: tuple[FrameReason, ...] = ()
    """The kinds of reason, for reporting across locales."""
    goal: FrameGoal | None = None
    """What the change is meant to achieve; empty until a person fills it in."""
    reviewed_by: str = ""
    """Who reviewed and approved the adaptation (name and role); empty until someone has."""
    approved: date | None = None
    """When the reviewer approved it (YYYY-MM-DD); empty until then."""

    @property
    def reviewed(self) -> bool:
        """Approved by a named reviewer on a given date."""
        return bool(self.reviewed_by.strip()) and self.approved is not None


class AdaptationFrontMatter(ContentModel):
    """The front matter of locales/<locale>/adaptations/<programme>/<name>.md"""

    replaces: str = Field(min_length=1)
    """What this replaces: 'box <box-id>', 'page <module-id>/<page-id>' or 'image <path in the
    programme folder>'."""
    source_hash: str = ""
    """The hash of the source passage this was made from (shown by `icbt i18n adaptations`)."""
    source_text: str = ""
    """The source passage this was made from, word for word, so that a changed source can be
    shown as a difference (written by `icbt i18n adapt`; empty for an image)."""
    title: str = ""
    """The title of the adapted box or page (default: the translated source title)."""
    style: Literal["case-example", "note", "tip", "warning", "help"] | None = None
    """For a box: its style, if it changes."""
    src: str = ""
    """For an image: the replacement, as a path in the programme folder (media/...)."""
    alt: str = ""
    """For an image: its alt text in this locale."""
    caption: str = ""
    frame: FrameRecord
