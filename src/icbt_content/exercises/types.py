"""The built-in exercise types. Each turns an author's options into a list of typed fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from icbt_content.model.base import ContentModel, Id
from icbt_content.model.exercise import ExerciseField, FieldKind


class ExerciseOptions(ContentModel):
    """What every exercise directive has."""

    id: Id
    """Unique in the programme: the client's answers are saved under it."""
    title: str
    instructions: str = ""
    """Markdown shown before the form."""
    repeatable: bool = False
    """Keep dated entries the client adds, edits and deletes (a diary, one record a week)."""


@dataclass(frozen=True)
class ExerciseType:
    """A kind of exercise: its options and how they become fields."""

    name: str
    description: str
    options: type[ExerciseOptions]
    make_fields: Callable[[Any], tuple[ExerciseField, ...]]
    can_repeat: bool = True
    """Whether ``repeatable: true`` fits this kind (a record filled in many times)."""

    def fields(self, options: ExerciseOptions) -> tuple[ExerciseField, ...]:
        return self.make_fields(options)


class Question(ContentModel):
    id: Id
    label: str
    hint: str = ""


def _text(id: str, label: str, hint: str = "", group: str = "") -> ExerciseField:
    return ExerciseField(id=id, kind="longtext", label=label, hint=hint, group=group)


#: The words at the ends of a 0-100 field, by its kind: a built-in rating's, a percentage's.
SCALE_ENDS: dict[str, tuple[str, str]] = {
    "rating": ("Not at all", "Extremely"),
    "percent": ("Not at all", "Completely"),
}


def scale_field(
    id: str,
    kind: FieldKind,
    label: str,
    hint: str = "",
    group: str = "",
    ends: tuple[str, str] | None = None,
) -> ExerciseField:
    """A 0-100 field (a rating or a percentage), its ends worded as ``ends`` or as its kind's."""
    low, high = ends or SCALE_ENDS[kind]
    return ExerciseField(
        id=id,
        kind=kind,
        label=label,
        hint=hint,
        group=group,
        min=0,
        max=100,
        min_label=low,
        max_label=high,
    )


def _percent(id: str, label: str, hint: str = "", group: str = "") -> ExerciseField:
    return scale_field(id, "percent", label, hint, group)


# -- reflection ---------------------------------------------------------------------------------


class ReflectionOptions(ExerciseOptions):
    prompt: str = "Your answer"
    """Label of the single answer box, when no questions are given."""
    questions: tuple[Question, ...] = ()
    """Several answer boxes, each with its own stable id."""


def _reflection(o: ReflectionOptions) -> tuple[ExerciseField, ...]:
    if not o.questions:
        return (_text("response", o.prompt),)
    return tuple(_text(q.id, q.label, q.hint) for q in o.questions)


# -- rating -------------------------------------------------------------------------------------


class RatingOptions(ExerciseOptions):
    question: str = "Your rating"
    ratings: tuple[Question, ...] = ()
    min_label: str = SCALE_ENDS["rating"][0]
    max_label: str = SCALE_ENDS["rating"][1]


def _rating(o: RatingOptions) -> tuple[ExerciseField, ...]:
    questions = o.ratings or (Question(id="rating", label=o.question),)
    ends = (o.min_label, o.max_label)
    return tuple(scale_field(q.id, "rating", q.label, q.hint, ends=ends) for q in questions)


# -- checklist ----------------------------------------------------------------------------------


class ChecklistOptions(ExerciseOptions):
    items: tuple[Question, ...] = Field(min_length=1)
    other: bool = False
    """Add a free-text box for anything not on the list."""


def _checklist(o: ChecklistOptions) -> tuple[ExerciseField, ...]:
    fields = [
        ExerciseField(id=q.id, kind="checkbox", label=q.label, hint=q.hint, group=o.title)
        for q in o.items
    ]
    if o.other:
        fields.append(_text("other", "Something else"))
    return tuple(fields)


# -- fixed records ------------------------------------------------------------------------------


class RecordOptions(ExerciseOptions):
    pass


def _behavioural_experiment(_: RecordOptions) -> tuple[ExerciseField, ...]:
    return (
        _text("situation", "The situation", "Where, when and who with."),
        _text("prediction", "What I predict will happen", "Be as specific as you can."),
        _percent("belief-before", "How much I believe my prediction (0-100%)"),
        _text("safety-behaviours", "Safety behaviours I will drop, and where I will focus"),
        _text("what-i-did", "What I did"),
        _text("what-happened", "What actually happened"),
        _percent("belief-after", "How much I believe my prediction now (0-100%)"),
        _text("what-i-learned", "What I learned"),
    )


def _thought_record(_: RecordOptions) -> tuple[ExerciseField, ...]:
    return (
        _text("situation", "The situation"),
        _text("thought", "The thought that went through my mind"),
        _percent("belief-before", "How much I believe it (0-100%)"),
        _text("other-view", "Another way of seeing it"),
        _percent("belief-after", "How much I believe the first thought now (0-100%)"),
    )


def _then_vs_now(_: RecordOptions) -> tuple[ExerciseField, ...]:
    return (
        _text("trigger", "What set off the memory or feeling", "A sight, sound, smell, place..."),
        _text("then", "What happened then"),
        _text("now", "How now is different", "Where you are, when it is, what is different."),
        _text("what-i-did", "What I did to remind myself I am safe now"),
        ExerciseField(
            id="distress-before", kind="rating", label="Distress before (0-100)", min=0, max=100
        ),
        ExerciseField(
            id="distress-after", kind="rating", label="Distress after (0-100)", min=0, max=100
        ),
    )


# -- activity plan ------------------------------------------------------------------------------


class ActivityPlanOptions(ExerciseOptions):
    days: int = Field(default=7, ge=1, le=7)


def _activity_plan(o: ActivityPlanOptions) -> tuple[ExerciseField, ...]:
    fields: list[ExerciseField] = []
    for day in range(1, o.days + 1):
        group = f"Day {day}"
        fields.append(
            ExerciseField(id=f"d{day}-activity", kind="text", label="Planned activity", group=group)
        )
        fields.append(ExerciseField(id=f"d{day}-done", kind="checkbox", label="Done", group=group))
    return tuple(fields)


# -- narrative ----------------------------------------------------------------------------------


class NarrativeOptions(ExerciseOptions):
    hotspots: int = Field(default=3, ge=0, le=10)
    """How many hot spots (the worst moments) the client can mark."""
    updates: bool = True
    """Give each hot spot a box for the updating information."""


def _narrative(o: NarrativeOptions) -> tuple[ExerciseField, ...]:
    fields = [
        _text(
            "account",
            "My account",
            "Write in the present tense, as if it is happening now. Stop when you need to.",
        )
    ]
    for n in range(1, o.hotspots + 1):
        group = f"Hot spot {n}"
        fields.append(
            _text(f"hotspot-{n}-passage", "The moment (copy it from your account)", "", group)
        )
        fields.append(
            ExerciseField(
                id=f"hotspot-{n}-distress",
                kind="rating",
                label="Distress when I think of it (0-100)",
                min=0,
                max=100,
                group=group,
            )
        )
        fields.append(_text(f"hotspot-{n}-meaning", "What it meant to me at the time", "", group))
        if o.updates:
            fields.append(_text(f"hotspot-{n}-update", "What I know now (the update)", "", group))
    return tuple(fields)


REFLECTION = ExerciseType("reflection", "Free-text answers", ReflectionOptions, _reflection)
RATING = ExerciseType("rating", "One or more 0-100 ratings", RatingOptions, _rating)
CHECKLIST = ExerciseType("checklist", "Tick the items that apply", ChecklistOptions, _checklist)
BEHAVIOURAL_EXPERIMENT = ExerciseType(
    "behavioural-experiment",
    "Prediction, belief before, what I did, what happened, belief after, what I learned",
    RecordOptions,
    _behavioural_experiment,
)
THOUGHT_RECORD = ExerciseType(
    "thought-record", "A thought and another way of seeing it", RecordOptions, _thought_record
)
THEN_VS_NOW = ExerciseType(
    "then-vs-now", "A trigger and how now differs from then", RecordOptions, _then_vs_now
)
ACTIVITY_PLAN = ExerciseType(
    "activity-plan", "A week of planned activities", ActivityPlanOptions, _activity_plan
)
NARRATIVE = ExerciseType(
    "narrative",
    "A written account with marked hot spots",
    NarrativeOptions,
    _narrative,
    # One account, revised over the sessions: copies of it would split the hot spots' work.
    can_repeat=False,
)
