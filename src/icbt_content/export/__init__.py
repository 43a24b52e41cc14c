"""Exports for other platforms: a JSON bundle with its JSON Schema, and FHIR R4 resources.

:mod:`.bundle` writes the whole programme per locale as JSON that follows a schema generated
from the content model. :mod:`.fhir` writes each measure as a FHIR R4 ``Questionnaire`` and turns
the answers a client exported from the site into ``QuestionnaireResponse`` resources;
:mod:`.exercises` writes each exercise as a ``Questionnaire``.
"""

from icbt_content.export.bundle import (
    BUNDLE_FORMAT,
    BUNDLE_FORMAT_VERSION,
    BUNDLE_SCHEMA_FILE,
    BUNDLE_SCHEMA_ID,
    BundleLocale,
    ProgrammeBundle,
    bundle_schema,
    export_bundle,
    programme_bundle,
)
from icbt_content.export.exercises import exercise_questionnaire
from icbt_content.export.fhir import (
    FHIR_VERSION,
    export_questionnaires,
    export_responses,
    questionnaire,
    questionnaire_response,
    questionnaire_responses,
    responses_bundle,
)
from icbt_content.export.loading import AnswersError, ExportError, publishable_measure
from icbt_content.loop.questionnaires import DEFAULT_BASE_URL, questionnaire_url

__all__ = [
    "BUNDLE_FORMAT",
    "BUNDLE_FORMAT_VERSION",
    "BUNDLE_SCHEMA_FILE",
    "BUNDLE_SCHEMA_ID",
    "DEFAULT_BASE_URL",
    "FHIR_VERSION",
    "AnswersError",
    "BundleLocale",
    "ExportError",
    "ProgrammeBundle",
    "bundle_schema",
    "exercise_questionnaire",
    "export_bundle",
    "export_questionnaires",
    "export_responses",
    "programme_bundle",
    "publishable_measure",
    "questionnaire",
    "questionnaire_response",
    "questionnaire_responses",
    "questionnaire_url",
    "responses_bundle",
]
