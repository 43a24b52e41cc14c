"""The content model: pydantic classes that are the single source of truth for the schema."""

from icbt_content.model.base import ContentModel, Id, SourceLocation
from icbt_content.model.blocks import (
    Block,
    Callout,
    ExerciseBlock,
    Media,
    Prose,
    QuestionnaireBlock,
    RecallBlock,
)
from icbt_content.model.exercise import Choice, Exercise, ExerciseField
from icbt_content.model.guidance import GuidanceTemplate
from icbt_content.model.measure import Measure
from icbt_content.model.programme import (
    CheckInPage,
    CrisisPage,
    Heading,
    Module,
    Page,
    Programme,
    Rename,
)

__all__ = [
    "Block",
    "Callout",
    "CheckInPage",
    "Choice",
    "ContentModel",
    "CrisisPage",
    "Exercise",
    "ExerciseBlock",
    "ExerciseField",
    "GuidanceTemplate",
    "Heading",
    "Id",
    "Measure",
    "Media",
    "Module",
    "Page",
    "Programme",
    "Prose",
    "QuestionnaireBlock",
    "RecallBlock",
    "Rename",
    "SourceLocation",
]
