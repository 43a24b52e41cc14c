"""icbt-content: author, translate and publish therapist-guided internet CBT programmes."""

from icbt_content.authoring.loader import load_programme
from icbt_content.build import BuildReport, build_site
from icbt_content.diagnostics import ContentError, Diagnostic
from icbt_content.errors import (
    ExerciseTypeError,
    IcbtError,
    InvalidArgumentError,
    NotFoundError,
    ScoringError,
)
from icbt_content.guidance import render_guidance
from icbt_content.markdown import render_markdown
from icbt_content.model import (
    Callout,
    Exercise,
    ExerciseBlock,
    ExerciseField,
    GuidanceTemplate,
    Measure,
    Media,
    Module,
    Page,
    Programme,
    Prose,
    QuestionnaireBlock,
)
from icbt_content.paths import StrPath

__version__ = "0.1.0"

__all__ = [
    "BuildReport",
    "Callout",
    "ContentError",
    "Diagnostic",
    "Exercise",
    "ExerciseBlock",
    "ExerciseField",
    "ExerciseTypeError",
    "GuidanceTemplate",
    "IcbtError",
    "InvalidArgumentError",
    "Measure",
    "Media",
    "Module",
    "NotFoundError",
    "Page",
    "Programme",
    "Prose",
    "QuestionnaireBlock",
    "ScoringError",
    "StrPath",
    "build_site",
    "load_programme",
    "render_guidance",
    "render_markdown",
]
