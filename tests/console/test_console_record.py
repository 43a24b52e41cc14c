"""The console's pure parts: a client's record from FHIR resources, the caseload order, the
guidance context, the resources it writes, and the score chart. No server needed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from icbt_content.authoring.loader import read_programme
from icbt_content.console import resources as build
from icbt_content.console.caseload import caseload
from icbt_content.console.chart import score_chart
from icbt_content.console.context import guidance_context
from icbt_content.console.record import (
    ClientRecord,
    build_record,
    measure_answers,
    measure_history,
)
from icbt_content.loop.contract import (
    FLAG_RISK_ANSWER,
    SYSTEM_ANSWER,
    SYSTEM_FLAG,
    SYSTEM_MODULE,
)
from icbt_content.loop.questionnaires import answer_codings
from icbt_content.measures.scoring import ChangeCategory, Recovery, RecoveryNotComputable
from icbt_content.model.programme import Programme

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sad() -> Programme:
    loaded = read_programme(REPO / "programmes" / "sad", REPO)
    assert loaded.programme is not None
    return loaded.programme


def days_ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def phq9(total_each: int, item9: int, days: float, entry: str = "e") -> dict[str, Any]:
    """A PHQ-9 response: items 1-8 answered ``total_each``, item 9 ``item9``."""
    answers = {f"q{n}": total_each for n in range(1, 9)} | {"q9": item9}
    return {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": SYSTEM_ANSWER, "value": f"sad/en-GB/measure/phq9/{entry}{days}"},
        "status": "completed",
        "authored": days_ago(days),
        "item": [{"linkId": k, "answer": [{"valueInteger": v}]} for k, v in answers.items()],
    }


def flag(status: str = "active") -> dict[str, Any]:
    return {
        "resourceType": "Flag",
        "id": "f1",
        "status": status,
        "code": {"coding": [{"system": SYSTEM_FLAG, "code": FLAG_RISK_ANSWER}], "text": "PHQ-9"},
        "subject": {"reference": "Patient/p"},
        "period": {"start": days_ago(0)},
    }


def guidance(days: float) -> dict[str, Any]:
    return {
        "resourceType": "Communication",
        "category": [{"text": "guidance"}],
        "sent": days_ago(days),
    }


def record(
    sad: Programme,
    name: str,
    responses: list[dict[str, Any]],
    flags: list[dict[str, Any]] = (),  # type: ignore[assignment]
    messages: list[dict[str, Any]] = (),  # type: ignore[assignment]
    plans: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> ClientRecord:
    return build_record(sad, name.lower(), name, responses, flags, messages, plans)


def test_answers_are_read_from_codings_and_integers(sad: Programme) -> None:
    measure = next(m for m in sad.measures if m.id == "phq9")
    loinc = answer_codings(measure)["q1"][3]
    response = {
        "item": [
            {"linkId": "q1", "answer": [{"valueCoding": loinc}]},
            {"linkId": "q2", "answer": [{"valueCoding": {"system": "x/options/f", "code": "2"}}]},
            {"linkId": "q3", "answer": [{"valueInteger": 1}]},
            {"linkId": "not-an-item", "answer": [{"valueInteger": 1}]},
        ]
    }
    assert measure_answers(measure, response) == {"q1": 3, "q2": 2, "q3": 1}


def test_history_is_oldest_first_with_reliable_change(sad: Programme) -> None:
    measure = next(m for m in sad.measures if m.id == "phq9")
    history = measure_history(measure, [phq9(2, 1, 1), phq9(1, 0, 14), phq9(1, 1, 7)])
    assert history is not None
    assert [p.result.total for p in history.points] == [8, 9, 17]
    assert [p.since_previous for p in history.points] == [
        None,
        ChangeCategory.NO_RELIABLE_CHANGE,
        ChangeCategory.RELIABLE_DETERIORATION,
    ]
    assert history.deteriorated and history.risk_answered


def test_an_impossible_answer_is_left_out_not_guessed(sad: Programme) -> None:
    measure = next(m for m in sad.measures if m.id == "phq9")
    bad = phq9(1, 0, 3)
    bad["item"][0]["answer"] = [{"valueInteger": 7}]
    history = measure_history(measure, [bad, phq9(1, 0, 1)])
    assert history is not None and len(history.points) == 1


def test_exercise_answers_keep_the_forms_questions_and_order(sad: Programme) -> None:
    module = sad.modules[1]
    exercise = next(e for p in module.pages for e in p.exercises())
    first, second = exercise.fields[0], exercise.fields[1]
    response = {
        "identifier": {"system": SYSTEM_ANSWER, "value": f"sad/en-GB/exercise/{exercise.id}/x"},
        "authored": days_ago(1),
        "item": [
            {"linkId": second.id, "answer": [{"valueString": "second"}]},
            {"linkId": first.id, "answer": [{"valueString": "first"}]},
        ],
    }
    got = record(sad, "A", [response])
    assert [(a.exercise.id, a.answers) for a in got.exercises] == [
        (exercise.id, ((first.label, "first"), (second.label, "second")))
    ]
    assert got.current_module.id == module.id
    assert got.progress[1].exercises_done == {exercise.id}


def test_typed_answers_read_as_text(sad: Programme) -> None:
    exercise = next(e for p in sad.modules[0].pages for e in p.exercises() if e.type == "checklist")
    first, second = exercise.fields[0], exercise.fields[1]
    response = {
        "identifier": {"system": SYSTEM_ANSWER, "value": f"sad/ar/exercise/{exercise.id}/x"},
        "authored": days_ago(2),
        "item": [
            {"linkId": first.id, "answer": [{"valueBoolean": True}]},
            {"linkId": second.id, "answer": [{"valueInteger": 3}]},
            {"linkId": "not-a-field", "answer": [{"valueString": "dropped"}]},
        ],
    }
    got = record(sad, "A", [response])
    assert got.exercises[0].answers == ((first.label, "yes"), (second.label, "3"))
    assert got.locale == "ar"


def test_a_client_without_work_or_unlocks_is_in_the_first_module(sad: Programme) -> None:
    assert record(sad, "A", [phq9(1, 0, 3)]).current_module.id == sad.modules[0].id


def test_unlocked_modules_come_from_the_care_plan(sad: Programme) -> None:
    plan = build.with_module_unlocked(build.care_plan("sad", "a"), "sad", "memories", "Memories")
    plan["activity"].append(
        {
            "detail": {
                "code": {"coding": [{"system": SYSTEM_MODULE, "code": "sad/blueprint"}]},
                "status": "cancelled",
            }
        }
    )
    got = record(sad, "A", [], plans=[plan])
    assert [p.module.id for p in got.progress if p.unlocked_by_therapist] == ["memories"]
    assert got.current_module.id == "memories"


@pytest.mark.parametrize(
    ("clients", "expected"),
    [
        # name: (responses, flags, messages)
        (
            {
                "Quiet": ([phq9(1, 0, 20)], [], [guidance(19)]),
                "Worse": ([phq9(1, 0, 14), phq9(2, 0, 1)], [], []),
                "Risk": ([phq9(1, 1, 1)], [flag()], []),
                "Waiting": ([phq9(1, 0, 1)], [], [guidance(3)]),
                "Fine": ([phq9(1, 0, 1)], [], [guidance(0)]),
            },
            ["Risk", "Worse", "Quiet", "Waiting", "Fine"],
        ),
        (
            {
                "Acknowledged": ([phq9(1, 1, 1)], [flag("inactive")], [guidance(0)]),
                "Beth": ([phq9(1, 0, 1)], [], [guidance(0)]),
                "adam": ([], [], []),
            },
            ["Acknowledged", "adam", "Beth"],
        ),
    ],
)
def test_the_caseload_puts_those_needing_attention_first(
    sad: Programme, clients: dict[str, Any], expected: list[str]
) -> None:
    records = [record(sad, name, *held) for name, held in clients.items()]
    assert [a.record.name for a in caseload(records, NOW, inactive_days=7)] == expected


def test_the_caseload_says_why(sad: Programme) -> None:
    risky = record(sad, "R", [phq9(1, 0, 14), phq9(2, 1, 8)], [flag()])
    (item,) = caseload([risky], NOW, inactive_days=7)
    assert item.reasons == [
        "Risk answer not yet acknowledged",
        "Reliable deterioration on Patient Health Questionnaire (PHQ-9)",
        "No activity for 8 days",
        "New work waiting for your guidance",
    ]


@pytest.mark.parametrize(
    ("responses", "flags", "risk"),
    [
        ([], [], None),
        ([phq9(1, 0, 1)], [], False),
        ([phq9(1, 1, 1)], [], True),
        ([], [flag()], True),
    ],
)
def test_the_guidance_context_never_reads_unknown_risk_as_none(
    sad: Programme, responses: list[dict[str, Any]], flags: list[dict[str, Any]], risk: bool | None
) -> None:
    context = guidance_context(record(sad, "Alex", responses, flags), "Alex", "Sam", NOW)
    assert context.risk_flagged is risk


def test_the_guidance_context_has_the_latest_scores(sad: Programme) -> None:
    got = record(sad, "Alex", [phq9(1, 0, 14), phq9(2, 0, 1)])
    context = guidance_context(got, "Alex", "Sam", NOW)
    assert (context.previous_score, context.latest_score) == (8, 16)
    assert context.change == "reliable-deterioration"
    assert context.days_since_login == 1
    assert context.measure is not None and context.measure.id == "phq9"


def r4b(resource: dict[str, Any]) -> None:
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_what_the_console_writes_is_valid_fhir() -> None:
    plan = build.with_module_unlocked(build.care_plan("sad", "a"), "sad", "memories", "Memories")
    resources = [
        build.guidance_message("sad", "a", "Practitioner/s", "Hello", NOW),
        plan,
        build.acknowledged(flag(), NOW),
        build.audit_event("update", "Practitioner/s", ["Flag/f1"], NOW, programme="sad", what="x"),
    ]
    for resource in resources:
        r4b(resource)


def test_unlocking_twice_changes_nothing_and_acknowledging_ends_the_flag() -> None:
    plan = build.with_module_unlocked(build.care_plan("sad", "a"), "sad", "memories", "Memories")
    assert build.with_module_unlocked(plan, "sad", "memories", "Memories") == plan
    done = build.acknowledged(flag(), NOW)
    assert done["status"] == "inactive" and done["period"]["end"] == NOW.isoformat()
    assert flag()["status"] == "active"  # the original is not changed


def test_the_chart_is_one_labelled_image(sad: Programme) -> None:
    measure = next(m for m in sad.measures if m.id == "phq9")
    history = measure_history(measure, [phq9(1, 0, 14), phq9(2, 0, 1)])
    assert history is not None
    svg = str(score_chart(history, "c"))
    assert 'role="img" aria-labelledby="c-title c-desc"' in svg
    assert "totals from first to latest: 8, 16" in svg
    assert svg.count('<circle class="score"') == 2
    assert svg.count('class="band ') == len(measure.bands)


def spin(each: int, days: float) -> dict[str, Any]:
    """A SPIN response with every item answered ``each``."""
    return {
        "identifier": {"system": SYSTEM_ANSWER, "value": f"sad/en-GB/measure/spin/s{days}"},
        "authored": days_ago(days),
        "item": [{"linkId": f"q{n}", "answer": [{"valueInteger": each}]} for n in range(1, 18)],
    }


def test_recovery_uses_the_programmes_outcome_measures(sad: Programme) -> None:
    got = record(sad, "A", [phq9(2, 0, 30), spin(2, 30), phq9(0, 0, 1), spin(0, 1)])
    assert isinstance(got.outcome, Recovery)
    assert (got.outcome.depression, got.outcome.anxiety) == ("phq9", "spin")
    assert got.outcome.case_at_start and got.outcome.recovered
    assert got.outcome.reliable_recovery


def test_recovery_is_never_guessed_from_other_measures(sad: Programme) -> None:
    got = record(sad, "A", [phq9(2, 0, 30), phq9(0, 0, 1)])
    assert isinstance(got.outcome, RecoveryNotComputable)
    assert "no scores of 'spin'" in got.outcome.reason
    assert record(sad, "A", [phq9(2, 0, 30)]).outcome is None
