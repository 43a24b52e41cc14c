"""What "My answers" shows a client's answers with: the programme's exercises and questionnaires
in programme order, grouped by module, with their words in the page's language.

The answers themselves stay in the client's browser; ``answers.js`` reads them and writes the
record from this outline (``<script type="application/json" data-icbt-contents>``). Storage
keys come from :mod:`icbt_content.ids`, so the scripts never spell one.
"""

from __future__ import annotations

from typing import Any

from icbt_content.adaptation.resources import describe_locale
from icbt_content.ids import storage_key
from icbt_content.model.blocks import ExerciseBlock, QuestionnaireBlock
from icbt_content.model.exercise import Exercise, ExerciseField
from icbt_content.model.measure import Measure
from icbt_content.model.programme import Programme
from icbt_content.render.language import language_of

Outline = dict[str, Any]


def field_outline(field: ExerciseField) -> Outline:
    """A field as the record shows an answer to it: its question, and its choices' words."""
    found: Outline = {"id": field.id, "label": field.label, "kind": field.kind}
    if field.group:
        found["group"] = field.group
    if field.choices:
        found["choices"] = {choice.id: choice.label for choice in field.choices}
    return found


def exercise_outline(programme: Programme, exercise: Exercise) -> Outline:
    """An exercise: where its answers are kept, its title, and its fields in form order."""
    return {
        "kind": "exercise",
        "id": exercise.id,
        "key": storage_key(programme.id, exercise.id),
        "title": exercise.title,
        "repeatable": exercise.repeatable,
        "fields": [field_outline(field) for field in exercise.fields],
    }


def measure_outline(programme: Programme, measure: Measure, language: str = "") -> Outline:
    """A questionnaire: where its results are kept, and its definition (for the chart). With
    ``language`` (the page's), ``wording`` gives the language and direction of the measure's
    own words when they are in another (no validated translation)."""
    found: Outline = {
        "kind": "measure",
        "id": measure.id,
        "key": storage_key(programme.id, measure.id, "measure"),
        "title": measure.title,
        "measure": measure.model_dump(mode="json", exclude={"source"}),
    }
    if language and language_of(measure.language) != language_of(language):
        found["wording"] = {
            "lang": measure.language,
            "dir": describe_locale(measure.language).direction,
        }
    return found


def answers_contents(programme: Programme, check_in_title: str = "", language: str = "") -> Outline:
    """Modules in programme order, each with the exercises and questionnaires on its pages; then
    the weekly questionnaires (under ``check_in_title``) and any other of the programme's
    questionnaires (a group without a title). Each item is listed once, where it first appears.
    ``language`` is the page's (see :func:`measure_outline`).
    """
    groups: list[Outline] = []
    placed: set[str] = set()
    for module in programme.modules:
        items: list[Outline] = []
        for page in module.pages:
            for block in page.blocks:
                if isinstance(block, ExerciseBlock) and block.exercise.id not in placed:
                    placed.add(block.exercise.id)
                    items.append(exercise_outline(programme, block.exercise))
                elif isinstance(block, QuestionnaireBlock):
                    measure = programme.find_measure(block.measure)
                    if measure is not None and f"measure:{measure.id}" not in placed:
                        placed.add(f"measure:{measure.id}")
                        items.append(measure_outline(programme, measure, language))
        if items:
            groups.append({"id": module.id, "title": module.title, "items": items})
    weekly = [
        measure_outline(programme, measure, language)
        for measure_id in programme.weekly
        if (measure := programme.find_measure(measure_id)) is not None
        and f"measure:{measure.id}" not in placed
    ]
    placed.update(f"measure:{item['id']}" for item in weekly)
    if weekly:
        groups.append({"id": "check-in", "title": check_in_title, "items": weekly})
    others = [
        measure_outline(programme, measure, language)
        for measure in programme.measures
        if f"measure:{measure.id}" not in placed
    ]
    if others:
        groups.append({"id": "", "title": "", "items": others})
    return {"groups": groups}
