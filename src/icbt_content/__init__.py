"""icbt-content: author, translate and publish therapist-guided internet CBT programmes."""

from icbt_content._version import __version__ as __version__
from icbt_content.diagnostics import ContentError, Diagnostic
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
from icbt_content.pipeline import BuildReport, build_site
from icbt_content.pipeline.check import load_programme

__all__ = [
    "BuildReport",
    "Callout",
    "ContentError",
    "Diagnostic",
    "Exercise",
    "ExerciseBlock",
    "ExerciseField",
    "GuidanceTemplate",
    "Measure",
    "Media",
    "Module",
    "Page",
    "Programme",
    "Prose",
    "QuestionnaireBlock",
    "build_site",
    "load_programme",
    "render_guidance",
    "render_markdown",
]
