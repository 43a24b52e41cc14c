"""icbt-content: author, translate and publish therapist-guided internet CBT programmes."""

from __future__ import annotations

import importlib

# Not typing.TYPE_CHECKING: importing typing would slow down `icbt --version`.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from icbt_content._version import __version__ as __version__
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
        RecallBlock,
    )
    from icbt_content.model.guidance import GuidanceContext
    from icbt_content.paths import StrPath
    from icbt_content.pipeline import BuildReport, build_site
    from icbt_content.pipeline.check import load_programme


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
    "RecallBlock",
    "ScoringError",
    "StrPath",
    "build_site",
    "load_localised",
    "load_programme",
    "render_guidance",
    "render_markdown",
]

# Each public name is imported from its module when first used (PEP 562), so that importing
# the package, as `icbt --version` does, loads none of the library.
_MODULES = {
    "__version__": "icbt_content._version",
    "load_programme": "icbt_content.pipeline.check",
    "BuildReport": "icbt_content.pipeline",
    "build_site": "icbt_content.pipeline",
    "ContentError": "icbt_content.diagnostics",
    "Diagnostic": "icbt_content.diagnostics",
    "render_guidance": "icbt_content.guidance",
    "render_markdown": "icbt_content.markdown",
    **dict.fromkeys(
        ["ExerciseTypeError", "IcbtError", "InvalidArgumentError", "NotFoundError", "ScoringError"],
        "icbt_content.errors",
    ),
    "BundleLocale": "icbt_content.export.bundle",
    "ProgrammeBundle": "icbt_content.export.bundle",
    "LocalisedProgramme": "icbt_content.i18n.localise",
    "load_localised": "icbt_content.localised",
    "GuidanceContext": "icbt_content.model.guidance",
    "StrPath": "icbt_content.paths",
    **dict.fromkeys(
        [
            "Callout",
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
            "RecallBlock",
        ],
        "icbt_content.model",
    ),
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'icbt_content' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
