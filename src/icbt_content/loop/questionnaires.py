"""The FHIR names an answer travels under: Questionnaire URLs, answer Codings, value types.

The FHIR export writes Questionnaires with these names and a connected site sends its answers
with them, so both take them from here (the export is a later stage than the site's pages).
``Questionnaire.url`` is ``<base>/Questionnaire/<measure-id>`` (a translation adds ``-<locale>``)
or ``<base>/Questionnaire/<programme>-exercise-<exercise-id>``; a measure's answer is its first
own code (LOINC...), else its value in ``<base>/measures/<id>/options/<option-set>``; an
exercise's choice is its id in ``<base>/exercises/<programme>/<exercise-id>/<field-id>``.
"""

from __future__ import annotations

import os
from typing import Any

from icbt_content.loop.contract import exercise_questionnaire_id
from icbt_content.measures.scoring import item_value
from icbt_content.model.exercise import Exercise, ExerciseField
from icbt_content.model.measure import Measure, MeasureItem, OptionSet, ResponseOption
from icbt_content.model.programme import Programme

#: A placeholder canonical base: a service sets its own (``--base-url`` or
#: ``ICBT_FHIR_BASE_URL``).
DEFAULT_BASE_URL = "https://example.org/icbt"
#: The environment variable that sets a deployment's canonical base.
BASE_URL_ENV = "ICBT_FHIR_BASE_URL"

ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"

#: Exercise field kind -> the Questionnaire item type its answers have (and the answer's value[x]).
ITEM_TYPES = {
    "text": ("string", "valueString"),
    "longtext": ("text", "valueString"),
    "rating": ("integer", "valueInteger"),
    "percent": ("integer", "valueInteger"),
    "checkbox": ("boolean", "valueBoolean"),
    "choice": ("choice", "valueCoding"),
    "date": ("date", "valueDate"),
}


def canonical_base(base_url: str | None = None) -> str:
    """Return the canonical base: ``base_url``, else ``$ICBT_FHIR_BASE_URL``, else the default."""
    chosen = base_url or os.environ.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL
    return chosen.rstrip("/")


def questionnaire_id(measure: Measure, locale: str | None = None) -> str:
    """Return the Questionnaire id: the measure id, plus ``-<locale>`` for a translation."""
    return measure.id if locale is None else f"{measure.id}-{locale.lower()}"


def questionnaire_url(
    measure: Measure, *, base_url: str | None = None, locale: str | None = None
) -> str:
    """Return the canonical URL of the measure's Questionnaire."""
    return f"{canonical_base(base_url)}/Questionnaire/{questionnaire_id(measure, locale)}"


def measure_system(measure: Measure, what: str, *, base_url: str | None = None) -> str:
    """Return the code system of a measure's ``items``, ``bands``, ``scores`` or option set."""
    return f"{canonical_base(base_url)}/measures/{measure.id}/{what}"


def ordinal_extension(option_set: OptionSet, item: MeasureItem, value: int) -> dict[str, Any]:
    """Return the ``ordinalValue`` extension: the score an answer adds to the total."""
    return {"url": ORDINAL_VALUE, "valueDecimal": item_value(option_set, item, value)}


def response_option(option_set: OptionSet, value: int) -> ResponseOption | None:
    """Return the option of an option set with this value, if there is one."""
    return next((o for o in option_set.options if o.value == value), None)


def answer_coding(
    measure: Measure,
    item: MeasureItem,
    option_set: OptionSet,
    value: int,
    label: str,
    base_url: str | None,
) -> dict[str, Any]:
    """Return the Coding of one answer: its first own code, else its value in our system, with
    the score it adds (R4 allows ``ordinalValue`` on a Coding, so the score travels with it)."""
    option = response_option(option_set, value)
    coding: dict[str, Any] = {"extension": [ordinal_extension(option_set, item, value)]}
    if option is not None and option.codes:
        own = option.codes[0]
        coding |= {"system": own.system, "code": own.code}
    else:
        system = measure_system(measure, f"options/{option_set.id}", base_url=base_url)
        coding |= {"system": system, "code": str(value)}
    if label:
        coding["display"] = label
    return coding


def answer_codings(measure: Measure, *, base_url: str | None = None) -> dict[str, dict[int, Any]]:
    """Return item id -> answer value -> the answer's Coding, as the export writes them."""
    return {
        item.id: {
            option.value: answer_coding(
                measure, item, measure.option_set(item), option.value, option.label, base_url
            )
            for option in measure.option_set(item).options
        }
        for item in measure.items
        if measure.option_set(item).kind == "choice"
    }


def exercise_url(programme: Programme, exercise: Exercise, base_url: str | None = None) -> str:
    """Return the canonical URL of an exercise's Questionnaire."""
    qid = exercise_questionnaire_id(programme.id, exercise.id)
    return f"{canonical_base(base_url)}/Questionnaire/{qid}"


def choice_system(
    programme: Programme, exercise: Exercise, field: ExerciseField, base_url: str | None = None
) -> str:
    """Return the code system of a choice field's answers."""
    return f"{canonical_base(base_url)}/exercises/{programme.id}/{exercise.id}/{field.id}"


def answer_types(
    programme: Programme, exercise: Exercise, base_url: str | None = None
) -> dict[str, Any]:
    """What a connected site needs to answer the exercise's Questionnaire: its URL, and for each
    field the answer's value[x] (and a choice's system and labels)."""
    fields: dict[str, Any] = {}
    for field in exercise.fields:
        entry: dict[str, Any] = {"value": ITEM_TYPES[field.kind][1], "text": field.label}
        if field.kind == "choice":
            entry["system"] = choice_system(programme, exercise, field, base_url)
            entry["labels"] = {c.id: c.label for c in field.choices}
        fields[field.id] = entry
    url = exercise_url(programme, exercise, base_url)
    return {"url": f"{url}|{programme.version}", "fields": fields}
