"""Exercises: interactive forms made of typed fields with stable ids."""

from __future__ import annotations

from typing import Literal

from pydantic import Field as PydanticField
from pydantic import JsonValue

from icbt_content.model.base import ContentModel, Id, SourceLocation

FieldKind = Literal["text", "longtext", "rating", "percent", "checkbox", "choice", "date"]


class Choice(ContentModel):
    """One option of a choice field."""

    id: Id
    label: str


class ExerciseField(ContentModel):
    """One answer a client can give. Its id is part of the key their answer is saved under."""

    id: Id
    """Stable within the exercise; renaming it needs a migration."""
    kind: FieldKind
    label: str
    hint: str = ""
    group: str = ""
    """Fields with the same group are shown together in one fieldset."""
    required: bool = False
    min: int | None = None
    max: int | None = None
    min_label: str = ""
    max_label: str = ""
    choices: tuple[Choice, ...] = ()


class Exercise(ContentModel):
    """An exercise: a titled form whose fields come from its exercise type."""

    id: Id
    """Unique within the programme; clients' answers are saved under it."""
    type: str
    """Name of the exercise type in the registry, for example ``behavioural-experiment``."""
    title: str
    instructions: str = ""
    """Markdown shown before the fields."""
    options: dict[str, JsonValue] = PydanticField(default_factory=dict)
    """Type-specific options as written by the author."""
    fields: tuple[ExerciseField, ...]
    source: SourceLocation | None = None

    @property
    def repeatable(self) -> bool:
        """Whether the client keeps many dated entries of this exercise."""
        return self.options.get("repeatable") is True
