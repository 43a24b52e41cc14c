"""FHIR R4 (4.0.1): each exercise of a programme as a ``Questionnaire``.

A connected site sends every exercise save as a QuestionnaireResponse that answers one of
these, so a therapist's system can show each answer with its question. Names come from
:mod:`icbt_content.loop.questionnaires`, which the site shares: ``Questionnaire.url`` is
``<base>/Questionnaire/<programme>-exercise-<exercise-id>``, its version the programme's; each
field is an item whose ``linkId`` is the field id; a choice's answers are codings in
``<base>/exercises/<programme>/<exercise-id>/<field-id>`` with the choice ids as codes.
"""

from __future__ import annotations

from typing import Any

from icbt_content.loop.contract import exercise_questionnaire_id
from icbt_content.loop.questionnaires import (
    ITEM_TYPES,
    MAX_VALUE,
    MIN_VALUE,
    canonical_base,
    choice_system,
    exercise_url,
)
from icbt_content.model.exercise import Exercise, ExerciseField
from icbt_content.model.programme import Programme


def _item(
    programme: Programme, exercise: Exercise, field: ExerciseField, base_url: str | None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": field.id,
        "text": field.label,
        "type": ITEM_TYPES[field.kind][0],
    }
    if field.required:
        item["required"] = True
    if field.kind in ("rating", "percent"):
        low = field.min if field.min is not None else 0
        high = field.max if field.max is not None else 100
        item["extension"] = [
            {"url": MIN_VALUE, "valueInteger": low},
            {"url": MAX_VALUE, "valueInteger": high},
        ]
    if field.kind == "choice":
        system = choice_system(programme, exercise, field, base_url)
        item["answerOption"] = [
            {"valueCoding": {"system": system, "code": c.id, "display": c.label}}
            for c in field.choices
        ]
    if field.hint:
        item["item"] = [{"linkId": f"{field.id}.hint", "text": field.hint, "type": "display"}]
    return item


def exercise_questionnaire(
    programme: Programme, exercise: Exercise, *, base_url: str | None = None
) -> dict[str, Any]:
    """Return an exercise as a FHIR R4 Questionnaire (JSON data)."""
    qid = exercise_questionnaire_id(programme.id, exercise.id)
    base = canonical_base(base_url)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": qid,
        "language": programme.source_locale,
        "url": exercise_url(programme, exercise, base_url),
        "identifier": [{"system": f"{base}/Questionnaire", "value": f"{qid}|{programme.version}"}],
        "version": programme.version,
        "name": "".join(part[:1].upper() + part[1:] for part in qid.split("-")),
        "title": exercise.title,
        "status": "active",
        "subjectType": ["Patient"],
        "code": [{"system": f"{base}/exercise-types", "code": exercise.type}],
        "item": [_item(programme, exercise, field, base_url) for field in exercise.fields],
    }
    return resource
