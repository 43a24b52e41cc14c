"""One client's record on one programme, worked out from what the FHIR server holds.

Pure: the console reads the resources, this module turns them into what a therapist reads
(progress, exercise answers with their questions, scores with bands, caseness, reliable change
and recovery by the project's own scoring) and says whether the client needs attention.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from icbt_content.console.resources import unlocked_modules
from icbt_content.loop.contract import (
    FLAG_RISK_ANSWER,
    GUIDANCE_CATEGORY,
    SYSTEM_ANSWER,
    SYSTEM_FLAG,
    SYSTEM_PROGRAMME,
    module_code,
)
from icbt_content.loop.questionnaires import answer_codings
from icbt_content.measures.scoring import (
    ChangeCategory,
    MeasureScore,
    Recovery,
    RecoveryNotComputable,
    ScorePair,
    change_between,
    recovery,
    score,
)
from icbt_content.model.exercise import Exercise
from icbt_content.model.measure import Measure
from icbt_content.model.programme import Module, Programme

Resource = dict[str, Any]


@dataclass(frozen=True)
class AnswerKey:
    """What a QuestionnaireResponse answers: a measure or an exercise of a programme."""

    programme: str
    locale: str
    kind: str
    item: str


def answer_key(response: Resource) -> AnswerKey | None:
    """Read the SYSTEM_ANSWER identifier of a QuestionnaireResponse (None when it has none)."""
    identifier = response.get("identifier")
    for one in identifier if isinstance(identifier, list) else [identifier]:
        if isinstance(one, dict) and one.get("system") == SYSTEM_ANSWER:
            parts = str(one.get("value", "")).split("/")
            if len(parts) == 5 and parts[2] in ("measure", "exercise"):
                return AnswerKey(parts[0], parts[1], parts[2], parts[3])
    return None


def when(resource: Resource, *fields: str) -> datetime | None:
    """The first of ``fields`` that holds an ISO date-time, parsed (None when there is none)."""
    for name in fields:
        value: Any = resource
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _order(moment: datetime | None) -> float:
    """A sort key: undated first, then oldest first."""
    return moment.timestamp() if moment is not None else float("-inf")


def reference_id(reference: Any, kind: str) -> str | None:
    """``alex`` from ``{"reference": "Patient/alex"}`` (None for another kind or no reference)."""
    value = reference.get("reference") if isinstance(reference, dict) else None
    if isinstance(value, str) and value.startswith(f"{kind}/"):
        return value.split("/")[1]
    return None


def has_programme_tag(resource: Resource, programme: str) -> bool:
    """Whether ``meta.tag`` names the programme."""
    tags = resource.get("meta", {}).get("tag", [])
    return any(t.get("system") == SYSTEM_PROGRAMME and t.get("code") == programme for t in tags)


# -- scores ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePoint:
    """One completion of a measure, scored."""

    authored: datetime | None
    result: MeasureScore
    since_first: ChangeCategory | None
    """Reliable change from the first completion (None for the first, or without a total)."""
    since_previous: ChangeCategory | None


@dataclass(frozen=True)
class MeasureHistory:
    """Every completion of one measure, oldest first."""

    measure: Measure
    points: tuple[ScorePoint, ...]

    @property
    def latest(self) -> ScorePoint:
        """The last completion."""
        return self.points[-1]

    @property
    def deteriorated(self) -> bool:
        """Reliable deterioration from the first completion to the latest."""
        return self.latest.since_first is ChangeCategory.RELIABLE_DETERIORATION

    @property
    def risk_answered(self) -> bool:
        """The latest completion had a risk item answered above its threshold."""
        return bool(self.latest.result.risk)


def measure_answers(measure: Measure, response: Resource) -> dict[str, int | None]:
    """Item id -> answer value of one completion, from typed answers (integer or coding)."""
    by_code: dict[tuple[str, str], int] = {}
    for values in answer_codings(measure).values():
        for value, coding in values.items():
            if "system" in coding and "code" in coding:
                by_code[(coding["system"], coding["code"])] = value
    known = {item.id for item in measure.items}
    answers: dict[str, int | None] = {}
    for item in response.get("item", []):
        link = item.get("linkId")
        if link not in known or not item.get("answer"):
            continue
        answer = item["answer"][0]
        if isinstance(answer.get("valueInteger"), int):
            answers[link] = answer["valueInteger"]
        elif isinstance(answer.get("valueCoding"), dict):
            coding = answer["valueCoding"]
            code = str(coding.get("code", ""))
            found = by_code.get((str(coding.get("system", "")), code))
            if found is None and code.lstrip("-").isdigit():
                # Our own option systems end in .../options/<set>: the code is the value.
                found = int(code)
            answers[link] = found
    return answers


def measure_history(measure: Measure, responses: Sequence[Resource]) -> MeasureHistory | None:
    """Score every completion of ``measure`` (oldest first); None when there is none."""
    scored: list[tuple[datetime | None, MeasureScore]] = []
    for response in responses:
        try:
            result = score(measure, measure_answers(measure, response))
        except ValueError:
            continue  # an answer the measure does not have: not scored rather than guessed
        scored.append((when(response, "authored", "meta.lastUpdated"), result))
    scored.sort(key=lambda pair: _order(pair[0]))
    if not scored:
        return None
    points: list[ScorePoint] = []
    first = scored[0][1]
    previous: MeasureScore | None = None
    for authored, result in scored:
        points.append(
            ScorePoint(
                authored,
                result,
                change_between(measure, first, result) if previous is not None else None,
                change_between(measure, previous, result) if previous is not None else None,
            )
        )
        previous = result
    return MeasureHistory(measure, tuple(points))


# -- exercises and progress ----------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseAnswer:
    """One saved exercise: each field's question and the client's answer, as text."""

    module: Module
    exercise: Exercise
    authored: datetime | None
    answers: tuple[tuple[str, str], ...]


def exercise_answer(module: Module, exercise: Exercise, response: Resource) -> ExerciseAnswer:
    """Pair each answered field of ``response`` with its question text, in the form's order."""
    given: dict[str, str] = {}
    for item in response.get("item", []):
        values = [_answer_text(a) for a in item.get("answer", [])]
        given[str(item.get("linkId"))] = "; ".join(v for v in values if v)
    answers: list[tuple[str, str]] = []
    for form_field in exercise.fields:
        if form_field.id in given:
            labels = {c.id: c.label for c in form_field.choices}
            text = given[form_field.id]
            answers.append((form_field.label, labels.get(text, text)))
    return ExerciseAnswer(module, exercise, when(response, "authored"), tuple(answers))


def _answer_text(answer: Resource) -> str:
    for key, value in answer.items():
        if not key.startswith("value"):
            continue
        if isinstance(value, dict):
            return str(value.get("code") or value.get("display") or "")
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)
    return ""


@dataclass(frozen=True)
class ModuleProgress:
    """How far the client is in one module."""

    module: Module
    unlocked_by_therapist: bool
    exercises_done: frozenset[str]

    @property
    def exercises_total(self) -> int:
        """How many exercises the module has."""
        return sum(1 for page in self.module.pages for _ in page.exercises())


@dataclass(frozen=True)
class RiskFlagView:
    """A risk flag as the therapist sees it."""

    id: str
    text: str
    raised: datetime | None
    active: bool


# -- the record -----------------------------------------------------------------------------------


@dataclass
class ClientRecord:
    """Everything the console shows about one client on one programme."""

    patient: str
    name: str
    programme: Programme
    histories: list[MeasureHistory] = field(default_factory=list)
    exercises: list[ExerciseAnswer] = field(default_factory=list)
    progress: list[ModuleProgress] = field(default_factory=list)
    flags: list[RiskFlagView] = field(default_factory=list)
    messages_sent: list[datetime] = field(default_factory=list)
    last_activity: datetime | None = None
    locale: str | None = None
    """The language of the client's latest saved work (their site's locale)."""
    outcome: Recovery | RecoveryNotComputable | None = None

    @property
    def active_flags(self) -> list[RiskFlagView]:
        """Risk flags not yet acknowledged."""
        return [f for f in self.flags if f.active]

    @property
    def deteriorated(self) -> list[MeasureHistory]:
        """Measures with reliable deterioration from the first completion to the latest."""
        return [h for h in self.histories if h.deteriorated]

    def days_inactive(self, now: datetime) -> int | None:
        """Whole days since the client last saved anything (None: nothing saved yet)."""
        if self.last_activity is None:
            return None
        return max(0, (now - self.last_activity).days)

    @property
    def awaiting_guidance(self) -> bool:
        """The client saved work since the therapist's last message (or has had none)."""
        if self.last_activity is None:
            return False
        return not self.messages_sent or self.last_activity > max(self.messages_sent)

    @property
    def current_module(self) -> Module:
        """The furthest module with saved work, else the furthest unlocked, else the first."""
        modules = self.programme.modules
        worked = [p.module for p in self.progress if p.exercises_done]
        unlocked = [p.module for p in self.progress if p.unlocked_by_therapist]
        return (worked or unlocked or [modules[0]])[-1]


def build_record(
    programme: Programme,
    patient: str,
    name: str,
    responses: Iterable[Resource],
    flags: Iterable[Resource],
    messages: Iterable[Resource],
    plans: Iterable[Resource],
) -> ClientRecord:
    """Work out a client's record from their resources on the FHIR server."""
    record = ClientRecord(patient=patient, name=name, programme=programme)
    by_measure: dict[str, list[Resource]] = {}
    exercises = dict(_exercises(programme))
    done: dict[str, set[str]] = {}
    for response in responses:
        key = answer_key(response)
        if key is None or key.programme != programme.id:
            continue
        authored = when(response, "authored")
        if authored and (record.last_activity is None or authored > record.last_activity):
            record.last_activity, record.locale = authored, key.locale
        if key.kind == "measure":
            by_measure.setdefault(key.item, []).append(response)
        elif key.item in exercises:
            module, exercise = exercises[key.item]
            record.exercises.append(exercise_answer(module, exercise, response))
            done.setdefault(module.id, set()).add(exercise.id)
    for measure in programme.measures:
        history = measure_history(measure, by_measure.get(measure.id, []))
        if history is not None:
            record.histories.append(history)
    record.exercises.sort(key=lambda a: _order(a.authored))
    unlocked: set[str] = set().union(*(unlocked_modules(p) for p in plans))
    record.progress = [
        ModuleProgress(
            m, module_code(programme.id, m.id) in unlocked, frozenset(done.get(m.id, ()))
        )
        for m in programme.modules
    ]
    record.flags = [risk_flag_view(f) for f in flags if is_risk_flag(f)]
    record.flags.sort(key=lambda f: (not f.active, _order(f.raised)))
    record.messages_sent = [
        sent for m in messages if is_guidance(m) and (sent := when(m, "sent")) is not None
    ]
    record.outcome = _outcome(programme, record.histories)
    return record


def _exercises(programme: Programme) -> Iterator[tuple[str, tuple[Module, Exercise]]]:
    for module in programme.modules:
        for page in module.pages:
            for exercise in page.exercises():
                yield exercise.id, (module, exercise)


def is_risk_flag(flag: Resource) -> bool:
    """Whether a Flag is a risk-answer flag of the guidance loop."""
    codings = flag.get("code", {}).get("coding", [])
    wanted = (SYSTEM_FLAG, FLAG_RISK_ANSWER)
    return any((c.get("system"), c.get("code")) == wanted for c in codings)


def risk_flag_view(flag: Resource) -> RiskFlagView:
    """What the console shows of a risk flag."""
    text = flag.get("code", {}).get("text") or "A risk question was answered above its threshold"
    return RiskFlagView(
        id=str(flag.get("id", "")),
        text=str(text),
        raised=when(flag, "period.start", "meta.lastUpdated"),
        active=flag.get("status") == "active",
    )


def is_guidance(message: Resource) -> bool:
    """Whether a Communication is a therapist's guidance message."""
    return any(c.get("text") == GUIDANCE_CATEGORY for c in message.get("category", []))


def _outcome(
    programme: Programme, histories: Sequence[MeasureHistory]
) -> Recovery | RecoveryNotComputable | None:
    pairs = [
        ScorePair(h.measure, h.points[0].result, h.latest.result)
        for h in histories
        if len(h.points) >= 2
    ]
    if not pairs:
        return None
    return recovery(pairs, programme)
