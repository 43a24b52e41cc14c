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
from icbt_content.export.bundle import BundleLocale, ProgrammeBundle
from icbt_content.guidance import render_guidance
from icbt_content.i18n.localise import LocalisedProgramme
from icbt_content.localised import load_localised
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
from icbt_content.model.guidance import GuidanceContext
from icbt_content.paths import StrPath

__version__ = "0.1.0"

__all__ = [
    "BuildReport",
    "BundleLocale",
    "Callout",
    "ContentError",
    "Diagnostic",
    "Exercise",
    "ExerciseBlock",
    "ExerciseField",
    "ExerciseTypeError",
    "GuidanceContext",
    "GuidanceTemplate",
    "IcbtError",
    "InvalidArgumentError",
    "LocalisedProgramme",
    "Measure",
    "Media",
    "Module",
    "NotFoundError",
    "Page",
    "Programme",
    "ProgrammeBundle",
    "Prose",
    "QuestionnaireBlock",
    "ScoringError",
    "StrPath",
    "build_site",
    "load_localised",
    "load_programme",
    "render_guidance",
    "render_markdown",
]
