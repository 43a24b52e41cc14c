"""What a client's browser keeps: one JSON Schema per saved record, made from the programme.

The site saves three kinds of record in ``localStorage`` (keys from :mod:`icbt_content.ids`):

- ``exercise``: ``{"version": 1, "fields": {<field id>: answer}, "updated": <ISO date>}``;
  a repeatable exercise keeps its dated entries in ``"entries": [{"id", "created", "updated",
  "fields"}]`` and ``fields`` empty (a save from before it was repeatable moves into the first
  entry); a checkbox answer is true or false, a choice answer one of the choice ids, every
  other answer the text typed (a number box keeps its text too);
- ``measure``: ``{"results": [{"date", "answers": {<item id>: value}, "total", "band",
  "risk"}], "draft": {"answers": {<item id>: text}, "updated"}}``: one result a day (scoring
  again the same day replaces it), and the draft of a questionnaire not yet scored;
- ``progress``: ``{"visited": [<module>/<page>], "opened": [<module id>], "last":
  <module>/<page>}`` (the page the client was on last, for "Continue where you left off").

The build writes the schemas a page needs into its page data; the scripts check every record
they read and every file a client loads against them (``storage.js``, ``schema.js``). The
schemas use only the keywords in :data:`KEYWORDS`, which ``schema.js`` implements exactly as
JSON Schema 2020-12 defines them, so :func:`answers_file_schema` also validates an export with
any JSON Schema library.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from icbt_content.ids import progress_key, storage_key, storage_prefix
from icbt_content.model.exercise import Exercise, ExerciseField
from icbt_content.model.measure import Measure
from icbt_content.model.programme import Programme

Schema = dict[str, Any]

#: The JSON Schema keywords the site's validator (``schema.js``) implements; no other is used.
KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "title",
        "description",
        "type",
        "const",
        "enum",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "maxItems",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "multipleOf",
    }
)

#: The export file's ``format`` and ``version`` (``icbt export --format fhir-responses`` reads it).
ANSWERS_FORMAT = "icbt-answers"
ANSWERS_VERSION = 1

#: Longest text answer kept, in characters: far above what a browser's storage can hold, so it
#: only stops a crafted file from filling the page.
TEXT_MAX = 1_000_000
#: Most saved results of one measure, and most pages or modules in a progress record.
LIST_MAX = 10_000
#: Longest id or page key read back from storage.
KEY_MAX = 200
#: Longest text kept for one answer of a half-finished questionnaire.
DRAFT_MAX = 40

_END = r"$(?!\n)"
"""The end of the text: ``$`` alone also matches before a last newline in Python's ``re``, which
Python JSON Schema libraries use, but not in JavaScript; with the lookahead both agree."""
_NUMBER_TEXT = r"^(-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?)?" + _END
"""What a number box holds: empty, or a number as the browser writes it."""
_DATE_TEXT = r"^([0-9]{4,6}-[0-9]{2}-[0-9]{2})?" + _END
_TIMESTAMP = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})" + _END
)

_ANY_ANSWER: Schema = {"type": ["string", "boolean"], "maxLength": TEXT_MAX}
_TEXT: Schema = {"type": "string", "maxLength": TEXT_MAX}


def field_schema(field: ExerciseField) -> Schema:
    """The answers a field can hold, as the site's form saves them."""
    if field.kind == "checkbox":
        return {"type": "boolean"}
    if field.kind == "choice":
        return {"type": "string", "enum": [choice.id for choice in field.choices]}
    if field.kind in ("rating", "percent"):
        return {"type": "string", "pattern": _NUMBER_TEXT, "maxLength": 40}
    if field.kind == "date":
        return {"type": "string", "pattern": _DATE_TEXT}
    return dict(_TEXT)


def exercise_record(
    fields: Iterable[ExerciseField] = (),
    kept: Iterable[str] = (),
    *,
    title: str = "",
    repeatable: bool = False,
) -> Schema:
    """An exercise's saved answers: its fields typed, any other field id a string or true/false.

    Field ids the exercise no longer has (``kept``: removed on purpose, or renamed without a
    migration) keep their answers, so a client never loses words to a new version.
    """
    properties = {field.id: field_schema(field) for field in fields}
    for field_id in kept:
        properties.setdefault(field_id, dict(_ANY_ANSWER))
    schema: Schema = {
        "type": "object",
        "properties": {
            "version": {"type": "integer"},
            "fields": {
                "type": "object",
                "properties": properties,
                "additionalProperties": dict(_ANY_ANSWER),
            },
            "updated": {"type": "string", "maxLength": 40},
        },
        "required": ["fields"],
        "additionalProperties": False,
    }
    if repeatable:
        entry: Schema = {
            "type": "object",
            "properties": {
                "id": {"type": "string", "maxLength": KEY_MAX},
                "created": {"type": "string", "pattern": _TIMESTAMP},
                "updated": {"type": "string", "pattern": _TIMESTAMP},
                "fields": schema["properties"]["fields"],
            },
            "required": ["id", "created", "fields"],
            "additionalProperties": False,
        }
        schema["properties"]["entries"] = {"type": "array", "items": entry, "maxItems": LIST_MAX}
    if title:
        schema["title"] = title
    return schema


def measure_record(measure: Measure | None = None) -> Schema:
    """A measure's saved results; with ``measure``, each answer must be one it allows."""
    answers: Schema = {"type": "object", "additionalProperties": {"type": ["integer", "null"]}}
    total: Schema = {"type": ["integer", "null"]}
    band: Schema = {"type": ["string", "null"], "maxLength": KEY_MAX}
    if measure is not None:
        answers = {
            "type": "object",
            "properties": {item.id: _answer(measure, item.id) for item in measure.items},
            "additionalProperties": False,
        }
        low, high = measure.total_range()
        total = {"type": ["integer", "null"], "minimum": low, "maximum": high}
        band = {"enum": [*(b.id for b in measure.bands), None]}
    result: Schema = {
        "type": "object",
        "properties": {
            "date": {"type": "string", "pattern": _TIMESTAMP},
            "answers": answers,
            "total": total,
            "band": band,
            "risk": {"type": "boolean"},
        },
        "required": ["date", "answers"],
        "additionalProperties": False,
    }
    # A half-finished questionnaire: what each field holds, as typed (checked when scored).
    draft: Schema = {
        "type": "object",
        "properties": {
            "answers": {
                "type": "object",
                "additionalProperties": {"type": "string", "maxLength": DRAFT_MAX},
            },
            "updated": {"type": "string", "pattern": _TIMESTAMP},
        },
        "required": ["answers"],
        "additionalProperties": False,
    }
    schema: Schema = {
        "type": "object",
        "properties": {
            "results": {"type": "array", "items": result, "maxItems": LIST_MAX},
            "draft": draft,
        },
        "required": ["results"],
        "additionalProperties": False,
    }
    if measure is not None:
        schema["title"] = measure.short_title or measure.title
    return schema


def _answer(measure: Measure, item_id: str) -> Schema:
    options = measure.option_set(measure.item(item_id))
    if options.kind == "choice":
        return {"enum": [*(o.value for o in options.options), None]}
    answer: Schema = {"type": ["integer", "null"], "minimum": options.min, "maximum": options.max}
    # multipleOf counts from 0; a scale that starts elsewhere is checked by its range only.
    if options.step > 1 and options.min % options.step == 0:
        answer["multipleOf"] = options.step
    return answer


def progress_record() -> Schema:
    """The pages a client has read and the modules their therapist opened."""
    keys: Schema = {
        "type": "array",
        "items": {"type": "string", "maxLength": KEY_MAX},
        "maxItems": LIST_MAX,
    }
    return {
        "type": "object",
        "properties": {
            "visited": keys,
            "opened": dict(keys),
            "last": {"type": "string", "maxLength": KEY_MAX},
        },
        "additionalProperties": False,
    }


def record_kinds() -> dict[str, Schema]:
    """The schema of each kind of record, for a record the page knows nothing more about."""
    return {
        "exercise": exercise_record(),
        "measure": measure_record(),
        "progress": progress_record(),
    }


def removed_fields(programme: Programme) -> dict[str, tuple[str, ...]]:
    """Exercise id -> the field ids its migrations say were removed on purpose."""
    found: dict[str, set[str]] = {}
    for migration in programme.migrations:
        found.setdefault(migration.to or migration.exercise, set()).update(migration.removed_fields)
    return {exercise: tuple(sorted(ids)) for exercise, ids in found.items()}


def exercise_records(programme: Programme) -> dict[str, Schema]:
    """Storage key -> schema for every exercise of the programme, and for exercises removed on
    purpose (their answers stay with the client, so an export of them loads back)."""
    found: dict[str, Schema] = {}
    kept = removed_fields(programme)
    for exercise in programme.exercises():
        key = storage_key(programme.id, exercise.id)
        found[key] = exercise_schema(exercise, kept.get(exercise.id, ()))
    for migration in programme.migrations:
        key = storage_key(programme.id, migration.exercise)
        if migration.removed and key not in found:
            found[key] = exercise_record()
    return found


def exercise_schema(exercise: Exercise, kept: Iterable[str] = ()) -> Schema:
    """The schema of one exercise's saved answers."""
    return exercise_record(
        exercise.fields, kept, title=exercise.title, repeatable=exercise.repeatable
    )


def programme_records(programme: Programme) -> dict[str, Schema]:
    """Storage key -> schema for every record the programme's site can save."""
    found = exercise_records(programme)
    for measure in programme.measures:
        found[storage_key(programme.id, measure.id, "measure")] = measure_record(measure)
    found[progress_key(programme.id)] = progress_record()
    return dict(sorted(found.items()))


def file_envelope() -> Schema:
    """An answers file as the site writes it, without its items (checked one by one)."""
    return {
        "type": "object",
        "properties": {
            "format": {"const": ANSWERS_FORMAT},
            "version": {"const": ANSWERS_VERSION},
            "exported": {"type": "string", "maxLength": 40},
            "programme": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "maxLength": KEY_MAX},
                    "title": {"type": "string", "maxLength": 1000},
                    "storage": {"type": "string", "maxLength": KEY_MAX},
                },
                "required": ["id", "storage"],
            },
            "items": {"type": "object"},
        },
        "required": ["format", "version", "items"],
    }


def answers_file_schema(programme: Programme) -> Schema:
    """The JSON Schema of an answers file of this programme, as the site exports it.

    Usable with any JSON Schema 2020-12 validator; the site checks a file it loads against the
    same parts (the envelope, then each item against its record's schema).
    """
    schema = file_envelope()
    schema["properties"]["items"] = {
        "type": "object",
        "properties": programme_records(programme),
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:icbt-content:answers:{programme.id}",
        "title": f"Answers to {programme.title}",
        "description": f"Saved answers under '{storage_prefix(programme.id)}'.",
        **schema,
    }
