"""Therapist guidance messages: the template an author writes and the context it is filled from."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from icbt_content.model.base import ContentModel, Id, SourceLocation

#: When a therapist would send a message.
Occasion = Literal[
    "welcome", "module-complete", "overdue", "scores-worse", "scores-better", "other"
]

#: How a questionnaire score moved, judged by the measure's reliable change index.
ChangeCategory = Literal["reliable-improvement", "no-reliable-change", "reliable-deterioration"]


class GuidanceFrontMatter(ContentModel):
    """The front matter of guidance/<id>.md."""

    title: str = Field(min_length=1)
    """What the message is about, shown to the therapist when choosing it."""
    when: Occasion
    """When the message is used."""
    module: Id | None = None
    """The module this message belongs to, if any."""


class GuidanceTemplate(ContentModel):
    """A message a therapist can send, written in Markdown with Jinja placeholders."""

    id: Id
    """The file name without `.md`."""
    title: str
    when: Occasion = "other"
    """When the message is used."""
    module: Id | None = None
    """The module this message belongs to, if any."""
    body: str
    """The template source: Markdown with `{{ placeholders }}` and `{% if %}` conditions."""
    body_line: int = 1
    """1-based line of the file where the body starts, so template errors point into the file."""
    field_lines: dict[str, int] = Field(default_factory=dict)
    """Line of each front matter field, for diagnostics."""
    source: SourceLocation | None = None


class ClientInfo(ContentModel):
    """The client a message is written to."""

    first_name: str = Field(max_length=200)


class TherapistInfo(ContentModel):
    """The therapist who sends the message."""

    name: str = Field(max_length=200)


class ModuleRef(ContentModel):
    """A module, as named in a message (the title in the client's language)."""

    id: Id
    title: str


class MeasureRef(ContentModel):
    """A questionnaire, as named in a message (the title in the client's language)."""

    id: Id
    title: str


class GuidanceContext(ContentModel):
    """Everything a guidance template can use. Missing facts are `None` (`none` in templates)."""

    client: ClientInfo
    therapist: TherapistInfo
    module: ModuleRef | None = None
    """The module the client has just finished."""
    exercises_done: list[str] = Field(default_factory=list, max_length=500)
    """Titles of the exercises the client has done, in the client's language."""
    measure: MeasureRef | None = None
    """The questionnaire the scores come from."""
    latest_score: int | None = None
    previous_score: int | None = None
    change: ChangeCategory | None = None
    """The change from the previous to the latest score."""
    days_since_login: int | None = Field(default=None, ge=0)
    risk_flagged: bool | None = None
    """Whether the latest questionnaires had a risk answer (a risk question answered above its
    threshold, such as PHQ-9 item 9, thoughts of being better off dead or of self-harm). `None`
    when it is not known, which a message must treat as possible risk, never as no risk."""
