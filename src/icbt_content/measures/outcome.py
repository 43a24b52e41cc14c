"""Which measures a programme's NHS Talking Therapies outcome is worked out from.

A programme names its depression and anxiety measures in ``outcome_measures:`` of programme.yaml,
or leaves them to be found from the roles of the measures it lists: the one depression measure,
and the one disorder-specific measure (SPIN for social anxiety, PCL-5 for PTSD) or, when it lists
none, the one anxiety measure (GAD-7). A disorder-specific measure replaces GAD-7; recovery never
falls back to GAD-7 when the disorder-specific scores are missing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from icbt_content.model.measure import Measure
from icbt_content.model.programme import OutcomeMeasures, Programme

ANXIETY_ROLES = ("disorder-specific", "anxiety")


@dataclass(frozen=True)
class OutcomeProblem:
    """Why a programme's outcome measures cannot be decided or used, at a path in programme.yaml."""

    message: str
    path: tuple[str | int, ...]
    hint: str = ""


def outcome_measures(programme: Programme) -> OutcomeMeasures | None:
    """The programme's outcome measures: as named, else found from roles; None if it has none."""
    if programme.outcome_measures is not None:
        return programme.outcome_measures
    return _from_roles(programme.measures)


def _from_roles(measures: Sequence[Measure]) -> OutcomeMeasures | None:
    depression = [m.id for m in measures if m.role == "depression"]
    anxiety = [m.id for m in measures if m.role == "disorder-specific"] or [
        m.id for m in measures if m.role == "anxiety"
    ]
    if len(depression) != 1 or len(anxiety) != 1:
        return None
    return OutcomeMeasures(depression=depression[0], anxiety=anxiety[0])


def outcome_problems(programme: Programme) -> list[OutcomeProblem]:
    """Check the programme's outcome measures (ICBT416): named ones exist and fit, found ones are
    not ambiguous, and both can be scored against thresholds."""
    return list(_problems(programme))


def _problems(programme: Programme) -> Iterator[OutcomeProblem]:
    listed = {m.id: m for m in programme.measures}
    index = {m.id: i for i, m in enumerate(programme.measures)}
    declared = programme.outcome_measures
    if declared is None:
        yield from _ambiguous(programme.measures, index)
        chosen = _from_roles(programme.measures)
        if chosen is None:
            return
        paths: dict[str, tuple[str | int, ...]] = {
            "depression": ("measures", index[chosen.depression]),
            "anxiety": ("measures", index[chosen.anxiety]),
        }
    else:
        chosen = declared
        paths = {
            "depression": ("outcome_measures", "depression"),
            "anxiety": ("outcome_measures", "anxiety"),
        }
    for role, measure_id in (("depression", chosen.depression), ("anxiety", chosen.anxiety)):
        measure = listed.get(measure_id)
        if measure is None:
            yield OutcomeProblem(
                f"the {role} measure '{measure_id}' is not listed under 'measures:'",
                paths[role],
                "list it under 'measures:', or name one that is",
            )
            continue
        allowed = ("depression",) if role == "depression" else ANXIETY_ROLES
        if measure.role not in allowed:
            yield OutcomeProblem(
                f"'{measure_id}' has the role '{measure.role}', so it cannot be the {role} measure",
                paths[role],
                f"name a measure whose role is {' or '.join(allowed)}",
            )
        if measure.caseness is None or measure.reliable_change is None:
            yield OutcomeProblem(
                f"'{measure_id}' has no caseness threshold or reliable-change value, so "
                "recovery cannot be worked out from it",
                paths[role],
                "give the measure 'caseness:' and 'reliable_change:', or name another",
            )
    specific = [m.id for m in programme.measures if m.role == "disorder-specific"]
    anxiety = listed.get(chosen.anxiety)
    if declared is not None and anxiety is not None and anxiety.role == "anxiety" and specific:
        yield OutcomeProblem(
            f"the programme lists the disorder-specific measure '{specific[0]}', which replaces "
            f"'{chosen.anxiety}' in NHS Talking Therapies outcomes",
            paths["anxiety"],
            f"use 'anxiety: {specific[0]}'",
        )


def _ambiguous(measures: Sequence[Measure], index: dict[str, int]) -> Iterator[OutcomeProblem]:
    for role in ("depression", "disorder-specific", "anxiety"):
        same = [m.id for m in measures if m.role == role]
        if role == "anxiety" and any(m.role == "disorder-specific" for m in measures):
            continue
        if len(same) > 1:
            yield OutcomeProblem(
                f"{len(same)} listed measures have the role '{role}' ({', '.join(same)}), so the "
                "programme's outcome measures cannot be told apart",
                ("measures", index[same[1]]),
                "name them in programme.yaml: 'outcome_measures: {depression: ..., anxiety: ...}'",
            )
