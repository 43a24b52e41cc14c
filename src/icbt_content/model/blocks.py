"""Blocks: the ordered pieces a page is made of."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from icbt_content.model.base import ContentModel, Id, SourceLocation
from icbt_content.model.exercise import Exercise

CalloutStyle = Literal["case-example", "note", "tip", "warning", "help"]
MediaType = Literal["image", "audio", "video"]
RecallEntry = Literal["latest", "first"]


class Prose(ContentModel):
    """Markdown text: paragraphs, headings, lists, tables."""

    kind: Literal["prose"] = "prose"
    markdown: str
    anchors: tuple[str, ...] = ()
    """Ids of the headings in this text, in order; kept the same in every language."""
    source: SourceLocation | None = None


class Callout(ContentModel):
    """A boxed passage: a case example, a tip, a warning, or where to find help."""

    kind: Literal["callout"] = "callout"
    style: CalloutStyle
    id: Id | None = None
    """Optional stable id, so a locale can replace this passage with an adapted version."""
    title: str = ""
    markdown: str
    anchors: tuple[str, ...] = ()
    source: SourceLocation | None = None


class Media(ContentModel):
    """An image, audio or video file from the programme's media folder."""

    kind: Literal["media"] = "media"
    media_type: MediaType
    src: str
    alt: str = ""
    """Required for images."""
    transcript: str = ""
    """Required for audio and video: Markdown shown below the player."""
    caption: str = ""
    source: SourceLocation | None = None


class ExerciseBlock(ContentModel):
    """An exercise placed on a page."""

    kind: Literal["exercise"] = "exercise"
    exercise: Exercise


class QuestionnaireBlock(ContentModel):
    """A questionnaire (outcome or process measure) placed on a page."""

    kind: Literal["questionnaire"] = "questionnaire"
    measure: Id
    source: SourceLocation | None = None


class RecallBlock(ContentModel):
    """A client's earlier answer to a field, shown read-only on a later page (``::: recall``)."""

    kind: Literal["recall"] = "recall"
    exercise: Id
    """The exercise the answer was saved under."""
    field: Id
    """The field of that exercise."""
    entry: RecallEntry = "latest"
    """Of a repeatable exercise: the entry added last, or the first one."""
    into: Id | None = None
    """A field of the next exercise on this page that starts with the earlier answer while it
    is empty (the client can change it; nothing is saved until they do)."""
    into_exercise: Id | None = None
    """That next exercise, found when the page is read."""
    source: SourceLocation | None = None


Block = Annotated[
    Prose | Callout | Media | ExerciseBlock | QuestionnaireBlock | RecallBlock,
    Field(discriminator="kind"),
]
