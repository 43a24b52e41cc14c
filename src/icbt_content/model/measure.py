"""Measures (questionnaires): items, response options, scoring rules, bands and risk rules.

A measure is data: the one scoring engine (:mod:`icbt_content.measures.scoring`, and its twin in
the site's JavaScript) reads these fields and nothing else. The rules a model alone cannot express
(bands that leave gaps, thresholds outside the score range...) are checked by
:mod:`icbt_content.measures.checks`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from icbt_content.errors import NotFoundError
from icbt_content.model.base import ContentModel, Id, SourceLocation

Licence = Literal["public-domain", "permission-required", "ogl", "own"]
"""public-domain: anyone may reproduce it; permission-required: the deploying service must supply
the wording under its own licence; ogl: Open Government Licence (Crown copyright); own: written
for this project."""

MeasureRole = Literal[
    "depression", "anxiety", "disorder-specific", "symptom", "functioning", "process"
]
"""What the measure is for. NHS Talking Therapies pairs the depression measure with the anxiety
measure; a disorder-specific measure replaces the anxiety measure (GAD-7) in that pairing."""

RiskTrigger = Literal["crisis-help", "flag-therapist"]
MissingPolicy = Literal["none-allowed", "prorate"]
Scoring = Literal["sum", "items"]


class Coding(ContentModel):
    """A code from a terminology (LOINC, SNOMED CT...) that names the same thing for other
    systems, as a FHIR Coding: the terminology's URI, the code and its display name there."""

    system: str
    """The terminology's URI, such as http://loinc.org or http://snomed.info/sct."""
    code: str
    """The code in that terminology, such as 44249-1."""
    display: str = ""
    """The terminology's own name for the code (not wording shown to clients)."""


Codings = tuple[Coding, ...]

#: The LOINC system URI: its codes carry a check digit (:mod:`icbt_content.measures.checks`).
LOINC = "http://loinc.org"


class ResponseOption(ContentModel):
    """One answer a client can choose, and the value it scores."""

    value: int
    label: str = ""
    """The words shown; empty in a measure whose wording needs permission."""
    codes: Codings = ()
    """Codes for this answer in other terminologies (LOINC answer codes such as LA6568-5)."""


class OptionSet(ContentModel):
    """The answers shared by a group of items: a list of choices, or a numeric scale."""

    id: Id
    kind: Literal["choice", "scale"] = "choice"
    """choice: one of `options`; scale: any whole number from `min` to `max` in steps of `step`."""
    min: int
    """The lowest value an answer can score."""
    max: int
    """The highest value an answer can score."""
    step: int = Field(default=1, ge=1)
    """For a scale: the distance between allowed values (for example 10 for 0, 10, ... 100)."""
    options: tuple[ResponseOption, ...] = ()
    """For choices: every answer, in the order shown. For a scale: labels for some values
    (for example 0 'Not at all' and 100 'All the time')."""

    def allows(self, value: int) -> bool:
        """Return whether ``value`` is a possible answer."""
        if self.kind == "choice":
            return any(option.value == value for option in self.options)
        return self.min <= value <= self.max and (value - self.min) % self.step == 0


class RiskRule(ContentModel):
    """An answer that needs action at once, such as thoughts of self-harm."""

    above: int
    """An answer above this value triggers the rule (PHQ-9 item 9: above 0)."""
    triggers: tuple[RiskTrigger, ...] = ("crisis-help", "flag-therapist")
    """crisis-help shows the crisis page link at once; flag-therapist marks the result."""


class MeasureItem(ContentModel):
    """One question of a measure."""

    id: Id
    """Stable: answers are saved under it."""
    text: str = ""
    """The question as the client reads it; empty in a measure whose wording needs permission."""
    options: Id | None = None
    """The option set answering this item; may be left out when the measure has only one."""
    reverse: bool = False
    """Reverse-scored: an answer scores (min + max - value) of its option set."""
    risk: RiskRule | None = None
    codes: Codings = ()
    """Codes for this question in other terminologies (LOINC question codes)."""


class Subscale(ContentModel):
    """A group of items with its own total, such as a PCL-5 symptom cluster."""

    id: Id
    title: str
    items: tuple[Id, ...]
    codes: Codings = ()
    """Codes for this subscale's score in other terminologies."""


class Band(ContentModel):
    """A range of totals and what they mean, in plain words."""

    id: Id
    min: int
    max: int
    label: str
    """A short name such as 'Mild'."""
    meaning: str = ""
    """One or two plain sentences a client can understand."""


class MissingAnswers(ContentModel):
    """What happens when some items are not answered."""

    policy: MissingPolicy = "none-allowed"
    """none-allowed: no total until every item is answered; prorate: scale the total up."""
    max_missing: int = Field(default=0, ge=0)
    """With prorate: the most items that may be left out."""


class Measure(ContentModel):
    """A questionnaire with its scoring rules."""

    id: Id
    title: str
    source: SourceLocation | None = None
    short_title: str = ""
    """An abbreviation such as 'PHQ-9'."""
    role: MeasureRole | None = None
    language: str = "en"
    """The language of the wording (a BCP 47 code)."""
    licence: Licence
    copyright: str = ""
    """The notice shown with the measure."""
    citation: str = ""
    """Where the measure and its scoring come from."""
    url: str = ""
    notes: str = ""
    """Choices made when encoding the measure, such as which published cut-off is used."""
    timeframe: str = ""
    """The period asked about, as the client reads it ('Over the last 2 weeks, ...')."""
    recall_days: int | None = Field(default=None, ge=1, le=366)
    """The same period in days (7 for the last week, 14 for the last 2 weeks, 30 for the past
    month). A measure asked every week must look back no more than 14 days."""
    instructions: str = ""
    option_sets: tuple[OptionSet, ...]
    items: tuple[MeasureItem, ...]
    scoring: Scoring = "sum"
    """sum: a total from all items; items: each item is a rating of its own (process measures)."""
    score_range: tuple[int, int] | None = None
    """The published total range, checked against the one the items give."""
    missing: MissingAnswers = MissingAnswers()
    subscales: tuple[Subscale, ...] = ()
    bands: tuple[Band, ...] = ()
    """Severity bands: together they must cover every possible total exactly once."""
    caseness: int | None = None
    """A total at or above this is a clinical case ('above threshold')."""
    reliable_change: int | None = None
    """The smallest change in the total that is more than measurement error."""
    wording_supplied: bool = False
    """Set by the build when the deploying service supplied wording that needs permission."""
    translation: str = ""
    """For a validated translation: who translated it and where it was validated."""
    version: str | None = None
    """The version of this encoding of the measure (MAJOR.MINOR.PATCH): raise it whenever
    items, answers, scoring or codes change. Without one, exports use the programme's
    version."""
    codes: Codings = ()
    """Codes for the whole questionnaire in other terminologies (the LOINC panel code)."""
    total_codes: Codings = ()
    """Codes for the total score in other terminologies (the LOINC total score code)."""

    @model_validator(mode="before")
    @classmethod
    def _default_option_set(cls, data: Any) -> Any:
        """Give items the only option set when they do not name one."""
        if not isinstance(data, dict):
            return data
        sets, items = data.get("option_sets"), data.get("items")
        if not (isinstance(sets, list | tuple) and len(sets) == 1 and isinstance(items, list)):
            return data
        only = sets[0].get("id") if isinstance(sets[0], dict) else getattr(sets[0], "id", None)
        if not isinstance(only, str):
            return data
        filled = [
            {**item, "options": only}
            if isinstance(item, dict) and item.get("options") is None
            else item
            for item in items
        ]
        return {**data, "items": filled}

    def option_set(self, item: MeasureItem) -> OptionSet:
        """Return the option set that answers ``item``; raise :class:`NotFoundError` if none."""
        found = self.find_option_set(item)
        if found is None:
            raise NotFoundError(f"{self.id}: item '{item.id}' names no known option set")
        return found

    def find_option_set(self, item: MeasureItem) -> OptionSet | None:
        """Return the option set that answers ``item``, or None."""
        return next((s for s in self.option_sets if s.id == item.options), None)

    def item(self, item_id: str) -> MeasureItem:
        """Return the item with this id; raise :class:`NotFoundError` if there is none."""
        found = self.find_item(item_id)
        if found is None:
            raise NotFoundError(f"{self.id} has no item '{item_id}'")
        return found

    def find_item(self, item_id: str) -> MeasureItem | None:
        """Return the item with this id, or None."""
        return next((item for item in self.items if item.id == item_id), None)

    def total_range(self) -> tuple[int, int]:
        """Return the lowest and highest possible total."""
        low = high = 0
        for item in self.items:
            option_set = self.option_set(item)
            low += option_set.min
            high += option_set.max
        return low, high

    @property
    def has_wording(self) -> bool:
        """Whether every item and every answer has its words."""
        return all(item.text for item in self.items) and all(
            option.label
            for option_set in self.option_sets
            if option_set.kind == "choice"
            for option in option_set.options
        )

    @property
    def needs_wording(self) -> bool:
        """Whether this measure cannot be published: its wording needs permission and is absent."""
        return self.licence == "permission-required" and not (
            self.wording_supplied and self.has_wording
        )

    def scoring_fingerprint(self) -> dict[str, Any]:
        """Return every field that affects scoring, with all wording left out."""
        return {
            "id": self.id,
            "role": self.role,
            "scoring": self.scoring,
            "score_range": self.score_range,
            "missing": self.missing.model_dump(),
            "caseness": self.caseness,
            "reliable_change": self.reliable_change,
            "option_sets": [
                {**s.model_dump(exclude={"options"}), "values": [o.value for o in s.options]}
                for s in self.option_sets
            ],
            "items": [i.model_dump(exclude={"text"}) for i in self.items],
            "subscales": [s.model_dump(exclude={"title"}) for s in self.subscales],
            "bands": [b.model_dump(include={"id", "min", "max"}) for b in self.bands],
        }


class BandWording(ContentModel):
    """The words of one band in another language or from a licensed source."""

    label: str
    meaning: str = ""


class MeasureWording(ContentModel):
    """The whole wording of a measure: a validated translation, or text a service is licensed to
    use. It can change words only: values, thresholds and scoring stay those of the measure."""

    measure: Id
    """The id of the measure this wording belongs to."""
    title: str
    short_title: str = ""
    timeframe: str = ""
    instructions: str = ""
    items: dict[Id, str]
    """Item id -> question text: every item of the measure."""
    options: dict[Id, dict[int, str]] = Field(default_factory=dict)
    """Option set id -> {value: label}: every answer of every option set."""
    bands: dict[Id, BandWording] = Field(default_factory=dict)
    subscales: dict[Id, str] = Field(default_factory=dict)
    """Subscale id -> title."""
    copyright: str = ""
    """The licence or permission under which this wording is used."""
    translation: str = ""
    """For a translation: who translated and validated it, and where."""
    source_hash: str = ""
    """For a translation: the hash of the source wording it was made from (the diagnostic that
    asks for it gives the current one). A translation made from other wording is not used."""
    source: SourceLocation | None = None
