"""A programme's own fields on a built-in exercise type: fields added, built-in fields relabelled.

An author writes them in the exercise directive, beside the type's other options::

    ::: exercise thought-record
    id: panic-diary
    title: Panic diary
    relabel:
      thought:
        label: What I feared would happen
    add_fields:
      - id: sensations
        label: The sensations I noticed
        after: situation
      - id: how-it-ended
        label: How it ended

Added fields are ordinary fields: their ids are saved, locked in ``ids.lock`` and migrated like
the type's own, so they appear wherever built-in fields do (the form, the saved record and its
schema, the export, "My answers"). Their words are translated like every other exercise word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import get_args

from pydantic import Field

from icbt_content.diagnostics import did_you_mean
from icbt_content.exercises.types import SCALE_ENDS, scale_field
from icbt_content.model.base import ContentModel, Id
from icbt_content.model.exercise import Choice, ExerciseField, FieldKind

#: The field kinds an author can add, each with what it needs besides its label.
FIELD_KINDS: tuple[str, ...] = get_args(FieldKind)

PathKey = tuple[str | int, ...]


class FieldWords(ContentModel):
    """New words for a field of the exercise type."""

    label: str = ""
    hint: str = ""


class AddedField(ContentModel):
    """A field an author adds to an exercise type."""

    id: Id
    """Stable: clients' answers are saved under it."""
    label: str = ""
    kind: str = "longtext"
    """One of text, longtext, rating, percent, checkbox, choice, date."""
    hint: str = ""
    after: Id | None = None
    """Show it after this field (by default after the type's own fields)."""
    choices: tuple[Choice, ...] = ()
    """The options of a ``choice`` field."""


class OwnFields(ContentModel):
    """The options of an exercise directive that change the fields of any type."""

    relabel: dict[Id, FieldWords] = Field(default_factory=dict)
    """New words for fields of the type, by field id."""
    add_fields: tuple[AddedField, ...] = ()
    """This programme's own fields, saved beside the type's."""


#: The directive options :class:`OwnFields` reads (the type's own options are the others).
OWN_FIELD_OPTIONS: tuple[str, ...] = tuple(OwnFields.model_fields)


@dataclass(frozen=True)
class FieldProblem:
    """Something wrong with an added or relabelled field, at a path in the directive's YAML."""

    code: str
    message: str
    path: PathKey
    hint: str


def customise(
    built: tuple[ExerciseField, ...], own: OwnFields
) -> tuple[tuple[ExerciseField, ...], list[FieldProblem]]:
    """The type's fields with the author's words and fields; what is wrong is left out."""
    problems: list[FieldProblem] = []
    fields = list(_relabelled(built, own.relabel, problems))
    taken = {f.id for f in built}
    for index, extra in enumerate(own.add_fields):
        made = _added(extra, ("add_fields", index), taken, problems)
        if made is None:
            continue
        taken.add(extra.id)
        position = len(fields)
        if extra.after is not None:
            ids = [f.id for f in fields]
            if extra.after in ids:
                position = ids.index(extra.after) + 1
                group = fields[position - 1].group
                while group and position < len(fields) and fields[position].group == group:
                    position += 1  # after the whole group: a fieldset is never split
            else:
                problems.append(_unknown_field(extra.after, ids, ("add_fields", index, "after")))
        fields.insert(position, made)
    return tuple(fields), problems


def _relabelled(
    built: tuple[ExerciseField, ...], relabel: dict[str, FieldWords], problems: list[FieldProblem]
) -> list[ExerciseField]:
    by_id = {f.id: f for f in built}
    for field_id, words in relabel.items():
        if field_id not in by_id:
            problems.append(_unknown_field(field_id, list(by_id), ("relabel", field_id)))
        elif not words.label.strip() and not words.hint.strip():
            problems.append(
                FieldProblem(
                    "ICBT966",
                    f"relabelled field '{field_id}' has no label or hint",
                    ("relabel", field_id),
                    hint="write 'label: the words the client sees' under it, or remove it",
                )
            )
        else:
            update = {"label": words.label.strip() or by_id[field_id].label}
            if words.hint.strip():
                update["hint"] = words.hint.strip()
            by_id[field_id] = by_id[field_id].model_copy(update=update)
    return [by_id[f.id] for f in built]


def _added(
    extra: AddedField, path: PathKey, taken: set[str], problems: list[FieldProblem]
) -> ExerciseField | None:
    if extra.id in taken:
        problems.append(
            FieldProblem(
                "ICBT964",
                f"added field '{extra.id}' has the id of a field the exercise already has",
                (*path, "id"),
                hint="give it an id of its own, or use 'relabel:' to change the words of "
                f"'{extra.id}'",
            )
        )
        return None
    if extra.kind not in FIELD_KINDS:
        problems.append(
            FieldProblem(
                "ICBT965",
                f"added field '{extra.id}' has an unknown kind '{extra.kind}'",
                (*path, "kind"),
                hint=did_you_mean(extra.kind, FIELD_KINDS) or f"kinds: {', '.join(FIELD_KINDS)}",
            )
        )
        return None
    if (extra.kind == "choice") != bool(extra.choices):
        needs = extra.kind == "choice"
        problems.append(
            FieldProblem(
                "ICBT965",
                f"added field '{extra.id}' is a {extra.kind} field "
                + ("without choices" if needs else "with choices"),
                (*path, "choices" if extra.choices else "kind"),
                hint="list 'choices:' (each with an id and a label)"
                if needs
                else "use 'kind: choice' for a field with choices",
            )
        )
        return None
    if not extra.label.strip():
        problems.append(
            FieldProblem(
                "ICBT966",
                f"added field '{extra.id}' has no label",
                path,
                hint="write 'label: the words the client sees' under it",
            )
        )
        return None
    kind: FieldKind = extra.kind  # type: ignore[assignment]  # checked against FIELD_KINDS
    if kind in SCALE_ENDS:  # 0-100, worded at its ends as the built-in fields of its kind
        return scale_field(extra.id, kind, extra.label.strip(), extra.hint.strip())
    return ExerciseField(
        id=extra.id,
        kind=kind,
        label=extra.label.strip(),
        hint=extra.hint.strip(),
        choices=extra.choices,
    )


def field_hint(field_id: str, known: Sequence[str]) -> str:
    """The hint for a field an exercise does not have: the nearest of its fields, or them all."""
    return did_you_mean(field_id, known) or f"its fields: {', '.join(known)}"


def _unknown_field(field_id: str, known: list[str], path: PathKey) -> FieldProblem:
    return FieldProblem(
        "ICBT963", f"this exercise has no field '{field_id}'", path, field_hint(field_id, known)
    )
