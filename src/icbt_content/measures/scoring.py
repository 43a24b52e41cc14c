"""Scoring: totals, bands, caseness, risk flags, reliable change and recovery.

Pure functions of a :class:`~icbt_content.model.measure.Measure` and the client's answers, and
the one place our Python works a score out: the exports, the console and the safety checks call
these. Two twins implement the same rules in other languages: the site's ``scoring.js`` (a
browser test checks they agree on every possible answer set of PHQ-9 and GAD-7) and the FHIRPath
of :mod:`icbt_content.export.sdc` that form fillers run. Change them together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from icbt_content.errors import ScoringError
from icbt_content.measures.outcome import outcome_measures
from icbt_content.model.measure import Band, Measure, MeasureItem, OptionSet, RiskTrigger
from icbt_content.model.programme import OutcomeMeasures, Programme

Answers = Mapping[str, int | None]


class ChangeCategory(StrEnum):
    """How a score moved between two completions, judged against the reliable-change value."""

    RELIABLE_IMPROVEMENT = "reliable-improvement"
    NO_RELIABLE_CHANGE = "no-reliable-change"
    RELIABLE_DETERIORATION = "reliable-deterioration"


@dataclass(frozen=True)
class RiskFlag:
    """A risk item answered above its threshold, and what that triggers."""

    item: str
    answer: int
    triggers: tuple[RiskTrigger, ...]


@dataclass(frozen=True)
class MeasureScore:
    """The result of scoring one completion of a measure."""

    measure: str
    total: int | None
    """None when too many items are unanswered, or for a measure scored per item."""
    complete: bool
    """Every item was answered."""
    prorated: bool
    """The total was scaled up for unanswered items."""
    missing: tuple[str, ...]
    items: dict[str, int]
    """Item id -> scored value (after reverse scoring), for answered items."""
    subscales: dict[str, int | None]
    band: Band | None
    caseness: bool | None
    """At or above the caseness threshold; None when there is no threshold or no total."""
    risk: tuple[RiskFlag, ...] = field(default=())

    @property
    def crisis_help(self) -> bool:
        """Whether crisis help must be shown at once."""
        return any("crisis-help" in flag.triggers for flag in self.risk)

    @property
    def flag_therapist(self) -> bool:
        """Whether the result must be marked for the therapist."""
        return any("flag-therapist" in flag.triggers for flag in self.risk)


def _prorate(total: int, items: int, answered: int) -> int:
    """Scale ``total`` of ``answered`` items up to ``items``, rounding halves up."""
    # Integer arithmetic so Python and JavaScript round exactly alike.
    return (2 * total * items + answered) // (2 * answered)


def item_value(option_set: OptionSet, item: MeasureItem, answer: int) -> int:
    """The score of one answer to ``item``: the answer itself, or the mirror of it in its option
    set's range when the item is reverse-scored."""
    return option_set.min + option_set.max - answer if item.reverse else answer


def score(measure: Measure, answers: Answers) -> MeasureScore:
    """Score one completion of ``measure``; raise ScoringError for an impossible answer."""
    known = {item.id for item in measure.items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ScoringError(f"{measure.id}: no item called {', '.join(unknown)}")
    values: dict[str, int] = {}
    missing: list[str] = []
    risk: list[RiskFlag] = []
    for item in measure.items:
        answer = answers.get(item.id)
        if answer is None:
            missing.append(item.id)
            continue
        option_set = measure.option_set(item)
        if isinstance(answer, bool) or not isinstance(answer, int) or not option_set.allows(answer):
            raise ScoringError(f"{measure.id}: {answer!r} is not an answer to item '{item.id}'")
        values[item.id] = item_value(option_set, item, answer)
        if item.risk is not None and answer > item.risk.above:
            risk.append(RiskFlag(item.id, answer, item.risk.triggers))
    answered = len(values)
    allowed = measure.missing.max_missing if measure.missing.policy == "prorate" and answered else 0
    total: int | None = None
    if measure.scoring == "sum" and len(missing) <= allowed:
        total = _prorate(sum(values.values()), len(measure.items), answered)
    subscales: dict[str, int | None] = {}
    for subscale in measure.subscales:
        got = [values[i] for i in subscale.items if i in values]
        subscales[subscale.id] = (
            _prorate(sum(got), len(subscale.items), len(got)) if total is not None and got else None
        )
    band = None
    if total is not None:
        band = next((b for b in measure.bands if b.min <= total <= b.max), None)
    caseness = None
    if total is not None and measure.caseness is not None:
        caseness = total >= measure.caseness
    return MeasureScore(
        measure=measure.id,
        total=total,
        complete=not missing,
        prorated=bool(missing) and total is not None,
        missing=tuple(missing),
        items=values,
        subscales=subscales,
        band=band,
        caseness=caseness,
        risk=tuple(risk),
    )


def _total(measure: Measure, value: int | MeasureScore) -> int:
    total = value.total if isinstance(value, MeasureScore) else value
    if total is None:
        raise ScoringError(f"{measure.id}: cannot compare a score without a total")
    return total


def compare(
    measure: Measure, before: int | MeasureScore, after: int | MeasureScore
) -> ChangeCategory:
    """Judge the change from ``before`` to ``after`` against the reliable-change value."""
    if measure.reliable_change is None:
        raise ScoringError(f"{measure.id} has no reliable-change value")
    change = _total(measure, after) - _total(measure, before)
    if change <= -measure.reliable_change:
        return ChangeCategory.RELIABLE_IMPROVEMENT
    if change >= measure.reliable_change:
        return ChangeCategory.RELIABLE_DETERIORATION
    return ChangeCategory.NO_RELIABLE_CHANGE


def change_between(
    measure: Measure, before: MeasureScore, after: MeasureScore
) -> ChangeCategory | None:
    """:func:`compare` when the change can be judged; None when the measure has no
    reliable-change value or either completion has no total."""
    if measure.reliable_change is None or before.total is None or after.total is None:
        return None
    return compare(measure, before, after)


def is_case(measure: Measure, value: int | MeasureScore) -> bool:
    """Return whether a total is at or above the measure's caseness threshold."""
    if measure.caseness is None:
        raise ScoringError(f"{measure.id} has no caseness threshold")
    return _total(measure, value) >= measure.caseness


@dataclass(frozen=True)
class ScorePair:
    """A measure's first and last scores in a course of treatment."""

    measure: Measure
    before: int | MeasureScore
    after: int | MeasureScore


@dataclass(frozen=True)
class Recovery:
    """NHS Talking Therapies outcome of a course of treatment, from paired measures."""

    depression: str
    """Id of the depression measure used."""
    anxiety: str
    """Id of the anxiety measure used: the disorder-specific one when there is one."""
    case_at_start: bool
    """Above threshold on the depression or the anxiety measure at the start."""
    recovered: bool | None
    """A case at the start and below both thresholds at the end; None when not a case."""
    change: ChangeCategory
    """Reliable improvement: one measure improved reliably and the other did not deteriorate
    reliably. Reliable deterioration: one measure deteriorated reliably and the other did not
    improve reliably. Otherwise no reliable change."""

    @property
    def reliable_recovery(self) -> bool:
        """Recovered and reliably improved."""
        return bool(self.recovered) and self.change is ChangeCategory.RELIABLE_IMPROVEMENT


@dataclass(frozen=True)
class RecoveryNotComputable:
    """Recovery cannot be worked out from these scores, and why (never a guess on other
    measures)."""

    reason: str
    depression: str
    """Id of the depression measure the programme uses."""
    anxiety: str
    """Id of the anxiety measure the programme uses (its disorder-specific one, if any)."""


def paired_measures(
    pairs: Sequence[ScorePair], measures: OutcomeMeasures | Programme
) -> tuple[ScorePair, ScorePair] | RecoveryNotComputable:
    """The scores of the programme's depression and anxiety measures, or why there are none.

    ``measures`` is the programme (its ``outcome_measures``, named or found from roles), or the
    measures themselves. Only those measures are used: when the disorder-specific measure has no
    scores, GAD-7 does not take its place.
    """
    chosen = outcome_measures(measures) if isinstance(measures, Programme) else measures
    if chosen is None:
        return RecoveryNotComputable(
            "the programme has no depression and anxiety measures to work recovery out from",
            "",
            "",
        )
    found: list[ScorePair] = []
    for role, measure_id in (("depression", chosen.depression), ("anxiety", chosen.anxiety)):
        pair = next((p for p in pairs if p.measure.id == measure_id), None)
        if pair is None:
            return RecoveryNotComputable(
                f"there are no scores of '{measure_id}', the programme's {role} measure",
                chosen.depression,
                chosen.anxiety,
            )
        if pair.measure.caseness is None or pair.measure.reliable_change is None:
            return RecoveryNotComputable(
                f"'{measure_id}' has no caseness threshold or reliable-change value",
                chosen.depression,
                chosen.anxiety,
            )
        for when, value in (("first", pair.before), ("last", pair.after)):
            if isinstance(value, MeasureScore) and value.total is None:
                return RecoveryNotComputable(
                    f"the {when} score of '{measure_id}' has no total (too many answers left out)",
                    chosen.depression,
                    chosen.anxiety,
                )
        found.append(pair)
    return found[0], found[1]


def recovery(
    pairs: Sequence[ScorePair], measures: OutcomeMeasures | Programme
) -> Recovery | RecoveryNotComputable:
    """Work out recovery and reliable change by NHS Talking Therapies rules, on the measures the
    programme declares (``measures``: the programme, or its outcome measures)."""
    paired = paired_measures(pairs, measures)
    if isinstance(paired, RecoveryNotComputable):
        return paired
    depression, anxiety = paired
    case_at_start = is_case(depression.measure, depression.before) or is_case(
        anxiety.measure, anxiety.before
    )
    recovered = None
    if case_at_start:
        recovered = not is_case(depression.measure, depression.after) and not is_case(
            anxiety.measure, anxiety.after
        )
    changes = {compare(p.measure, p.before, p.after) for p in (depression, anxiety)}
    if ChangeCategory.RELIABLE_IMPROVEMENT in changes:
        change = (
            ChangeCategory.NO_RELIABLE_CHANGE
            if ChangeCategory.RELIABLE_DETERIORATION in changes
            else ChangeCategory.RELIABLE_IMPROVEMENT
        )
    elif ChangeCategory.RELIABLE_DETERIORATION in changes:
        change = ChangeCategory.RELIABLE_DETERIORATION
    else:
        change = ChangeCategory.NO_RELIABLE_CHANGE
    return Recovery(
        depression=depression.measure.id,
        anxiety=anxiety.measure.id,
        case_at_start=case_at_start,
        recovered=recovered,
        change=change,
    )
