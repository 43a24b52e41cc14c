"""FHIR R4: measures as Questionnaires and saved answers as QuestionnaireResponses, validated
with the ``fhir.resources.R4B`` models (R4B is R4-compatible for these resources)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from export_helpers import (
    ANSWERS,
    MISMATCHED,
    PROJECT,
    REAL_PROGRAMMES,
    REPO,
    read_json,
    valid_bundle,
    valid_questionnaire,
    valid_response,
)

from icbt_content.export import (
    AnswersError,
    ExportError,
    export_questionnaires,
    export_responses,
    questionnaire,
    questionnaire_response,
    questionnaire_responses,
    responses_bundle,
)
from icbt_content.loop.questionnaires import ORDINAL_VALUE
from icbt_content.model.measure import Measure
from icbt_content.model.programme import Programme
from icbt_content.pipeline.check import load_programme

BASE = "https://fhir.example.org/icbt"


def measure(programme: Programme, measure_id: str) -> Measure:
    found = programme.measure(measure_id)
    assert found is not None
    return found


def items(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in resource["item"]}


def ordinals(question: dict[str, Any]) -> list[tuple[str, float]]:
    result = []
    for option in question["answerOption"]:
        coding = option["valueCoding"]
        (extension,) = coding["extension"]
        assert extension["url"] == ORDINAL_VALUE
        result.append((coding["code"], extension["valueDecimal"]))
    return result


def test_every_measure_is_a_valid_questionnaire(mini: Programme) -> None:
    for m in mini.measures:
        resource = questionnaire(m, version=mini.version, base_url=BASE)
        valid_questionnaire(resource)
        assert resource["status"] == "active"
        assert resource["id"] == m.id
        assert resource["url"] == f"{BASE}/Questionnaire/{m.id}"
        # the measure's own version; the programme's only for a measure without one
        version = m.version or "2.1.0"
        assert resource["version"] == version
        assert resource["identifier"] == [
            {"system": f"{BASE}/Questionnaire", "value": f"{m.id}|{version}"}
        ]
        assert resource["title"] == m.title
        assert resource["code"][-1]["code"] == m.id
        questions = [i for i in resource["item"] if i["linkId"] in {x.id for x in m.items}]
        assert [q["linkId"] for q in questions] == [x.id for x in m.items]
        for question in questions:
            assert question["code"][-1] == {
                "system": f"{BASE}/measures/{m.id}/items",
                "code": question["linkId"],
            }


@pytest.mark.parametrize("programme_id", REAL_PROGRAMMES)
def test_real_programmes_give_valid_questionnaires(programme_id: str) -> None:
    programme = load_programme(REPO / "programmes" / programme_id)
    for m in programme.measures:
        valid_questionnaire(questionnaire(m, version=programme.version))


def test_phq9_items_answers_and_scores(mini: Programme) -> None:
    resource = questionnaire(measure(mini, "phq9"), version="2.1.0", base_url=BASE)
    by_id = items(resource)
    assert resource["title"] == "Patient Health Questionnaire (PHQ-9)"
    assert resource["name"] == "Phq9"
    assert resource["language"] == "en"
    assert "Spitzer" in resource["copyright"]
    assert "No permission is needed" in resource["copyright"]
    assert by_id["intro.timeframe"]["type"] == "display"
    q9 = by_id["q9"]
    assert q9["type"] == "choice" and q9["required"] is True
    assert q9["text"].startswith("Thoughts that you would be better off dead")
    # LOINC answer codes, each with the score it adds
    assert ordinals(q9) == [("LA6568-5", 0), ("LA6569-3", 1), ("LA6570-1", 2), ("LA6571-9", 3)]
    first = q9["answerOption"][0]["valueCoding"]
    assert first["system"] == "http://loinc.org"
    assert first["display"] == "Not at all"
    total = by_id["score.total"]
    assert total["type"] == "integer" and total["readOnly"] is True
    assert [e["valueInteger"] for e in total["extension"][:2]] == [0, 27]
    bands = [o["valueCoding"]["code"] for o in by_id["score.band"]["answerOption"]]
    assert bands == ["minimal", "mild", "moderate", "moderately-severe", "severe"]
    assert by_id["score.risk"]["type"] == "boolean"


def test_reverse_scored_items_carry_the_reversed_score(mini: Programme) -> None:
    by_id = items(questionnaire(measure(mini, "mood-check")))
    assert ordinals(by_id["low"]) == [("0", 0), ("1", 1), ("2", 2), ("3", 3)]
    assert ordinals(by_id["calm"]) == [("0", 3), ("1", 2), ("2", 1), ("3", 0)]
    assert by_id["low"]["required"] is False  # one answer may be left out
    assert by_id["subscale.mood"]["text"] == "Mood"


def test_scales_are_integer_items_with_their_range_and_labels(mini: Programme) -> None:
    resource = questionnaire(measure(mini, "weekly"))
    by_id = items(resource)
    avoidance = by_id["avoidance"]
    assert avoidance["type"] == "integer"
    assert {e["url"].rsplit("/", 1)[1]: e["valueInteger"] for e in avoidance["extension"]} == {
        "minValue": 0,
        "maxValue": 100,
        "questionnaire-sliderStepValue": 10,
    }
    labels = {
        label["text"]: [
            c["code"]
            for e in label.get("extension", [])
            for c in e["valueCodeableConcept"]["coding"]
        ]
        for label in avoidance["item"]
    }
    assert labels == {"Not at all": ["lower"], "50: Half the time": [], "All the time": ["upper"]}
    assert "score.total" not in by_id  # each rating is reported on its own
    assert by_id["intro.instructions"]["text"].startswith("Choose a number")


def test_wording_that_needs_permission_is_not_exported(mini: Programme) -> None:
    spin = measure(mini, "spin")
    assert spin.needs_wording
    resource = questionnaire(spin, version="2.1.0")
    valid_questionnaire(resource)
    for question in resource["item"]:
        if question["linkId"].startswith("q"):
            assert "text" not in question
            assert all("display" not in o["valueCoding"] for o in question["answerOption"])
    assert resource["description"].startswith("The wording of this questionnaire needs permission")
    assert "Permission from the copyright holder" in resource["copyright"]
    assert len(ordinals(items(resource)["q1"])) == 5  # codes and scores are kept


def test_wording_that_needs_permission_is_left_out_even_if_present(mini: Programme) -> None:
    spin = measure(mini, "spin")
    leaked = spin.model_copy(
        update={"items": tuple(i.model_copy(update={"text": "secret"}) for i in spin.items)}
    )
    assert "secret" not in str(questionnaire(leaked))
    assert "secret" not in str(
        questionnaire_response(leaked, {"date": "2026-01-01", "answers": {"q1": 1}})
    )


def test_supplied_licensed_wording_is_exported_with_its_licence(mini: Programme) -> None:
    resource = questionnaire(measure(mini, "wsas"))
    assert items(resource)["q1"]["text"] == "Placeholder item 1 supplied by the service"
    assert "TEST-0002" in resource["copyright"]
    assert "Permission from the copyright holder" in resource["copyright"]
    assert "description" not in resource or "needs permission" not in resource["description"]


def test_a_translation_gets_its_own_id_and_points_to_the_source(mini: Programme) -> None:
    resource = questionnaire(measure(mini, "phq9"), version="2.1.0", base_url=BASE, locale="de-DE")
    valid_questionnaire(resource)
    assert resource["id"] == "phq9-de-de"
    assert resource["url"] == f"{BASE}/Questionnaire/phq9-de-de"
    assert resource["derivedFrom"] == [f"{BASE}/Questionnaire/phq9"]


def test_one_result_becomes_a_questionnaire_response(mini: Programme) -> None:
    phq9 = measure(mini, "phq9")
    result = read_json(ANSWERS)["items"]["icbt/v1/mini/measure/phq9"]["results"][0]
    response = questionnaire_response(
        phq9, result, subject="Patient/123", version="2.1.0", base_url=BASE
    )
    valid_response(response, questionnaire(phq9, version="2.1.0", base_url=BASE))
    assert response["questionnaire"] == f"{BASE}/Questionnaire/phq9|1.0.0"  # the measure's
    assert response["subject"] == {"reference": "Patient/123"}
    assert response["authored"] == "2026-01-05T10:00:00.000Z"
    assert response["status"] == "completed"
    answered = items(response)
    assert answered["q1"]["answer"][0]["valueCoding"]["code"] == "LA6570-1"  # value 2
    assert answered["q1"]["answer"][0]["valueCoding"]["display"] == "More than half the days"
    assert answered["score.total"]["answer"] == [{"valueInteger": 12}]
    assert answered["score.band"]["answer"][0]["valueCoding"]["code"] == "moderate"
    assert answered["score.risk"]["answer"] == [{"valueBoolean": True}]


def test_scores_come_from_the_scoring_engine_not_the_saved_result(mini: Programme) -> None:
    mood = measure(mini, "mood-check")
    result = {"date": "2026-01-05", "answers": {"low": 3, "calm": 0, "harm": 0}, "total": 99}
    response = questionnaire_response(mood, result)
    valid_response(response, questionnaire(mood))
    answered = items(response)
    assert "tired" not in answered  # not answered: left out
    assert answered["calm"]["answer"][0]["valueCoding"]["extension"][0]["valueDecimal"] == 3
    assert answered["score.total"]["answer"] == [{"valueInteger": 8}]  # prorated 6 of 3 items
    assert answered["subscale.mood"]["answer"] == [{"valueInteger": 6}]
    assert answered["score.band"]["answer"][0]["valueCoding"]["code"] == "high"
    assert answered["score.risk"]["answer"] == [{"valueBoolean": False}]
    assert "subject" not in response and "|" not in response["questionnaire"]


def test_scale_answers_are_integers(mini: Programme) -> None:
    weekly = measure(mini, "weekly")
    result = {"date": "2026-01-12T09:00:00+01:00", "answers": {"avoidance": 70, "worry": 40}}
    response = questionnaire_response(weekly, result)
    valid_response(response, questionnaire(weekly))
    assert items(response)["avoidance"]["answer"] == [{"valueInteger": 70}]
    assert "score.total" not in items(response)


@pytest.mark.parametrize(
    ("result", "problem"),
    [
        ({"date": "2026-01-05", "answers": {"q1": 4}}, "4 is not an answer to item 'q1'"),
        ({"date": "2026-01-05", "answers": {"q10": 1}}, "no item called q10"),
        ({"date": "2026-01-05", "answers": {"q1": "2"}}, "'2' is not an answer to item 'q1'"),
        ({"date": "2026-01-05", "answers": {"q1": True}}, "True is not an answer"),
        ({"answers": {"q1": 1}}, "the result has no date"),
        ({"date": "2026-01-05T10:00:00", "answers": {}}, "has a time but no time zone"),
        ({"date": "soon", "answers": {}}, "not an ISO 8601 date"),
        ({"date": "2026-01-05"}, "the result has no answers"),
    ],
)
def test_impossible_results_are_refused(mini: Programme, result: Any, problem: str) -> None:
    with pytest.raises(AnswersError, match=problem):
        questionnaire_response(measure(mini, "phq9"), result)


def test_a_whole_answer_export_becomes_responses(mini: Programme) -> None:
    responses = questionnaire_responses(read_json(ANSWERS), mini, subject="Patient/123")
    # sorted by key, then in the order saved; exercises, progress and other programmes left out
    assert [(r["questionnaire"].rsplit("/", 1)[1], r["authored"][:10]) for r in responses] == [
        ("mood-check|2.1.0", "2026-01-05"),  # no version of its own: the programme's
        ("phq9|1.0.0", "2026-01-05"),
        ("phq9|1.0.0", "2026-02-02"),
        ("weekly|2.1.0", "2026-01-12"),
        ("wsas|1.0.0", "2026-01-05"),
    ]
    for response in responses:
        measure_id = response["questionnaire"].rsplit("/", 1)[1].split("|")[0]
        valid_response(response, questionnaire(measure(mini, measure_id), version="2.1.0"))
        assert response["subject"] == {"reference": "Patient/123"}
    assert items(responses[2])["score.total"]["answer"] == [{"valueInteger": 4}]


def test_answers_of_another_programme_are_ignored(mini: Programme) -> None:
    assert questionnaire_responses(read_json(ANSWERS), []) == []


def test_answers_that_do_not_fit_are_all_reported(mini: Programme) -> None:
    with pytest.raises(AnswersError) as raised:
        questionnaire_responses(read_json(MISMATCHED), [mini])
    assert raised.value.problems == [
        "icbt/v1/mini/measure/phq9, result 1: phq9: 7 is not an answer to item 'q1'",
        "icbt/v1/mini/measure/phq9, result 2: 'yesterday' is not an ISO 8601 date",
        "icbt/v1/mini/measure/retired-measure: programme 'mini' has no measure 'retired-measure'",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "something-else", "version": 1, "items": {}}, "not an answer export"),
        ({"format": "icbt-answers", "version": 1}, "not an answer export"),
        ({"format": "icbt-answers", "version": 2, "items": {}}, "version 2 is not supported"),
    ],
)
def test_other_files_are_refused(mini: Programme, data: dict[str, Any], message: str) -> None:
    with pytest.raises(ExportError, match=message):
        questionnaire_responses(data, [mini])


def test_responses_bundle_is_valid_and_deterministic(mini: Programme) -> None:
    responses = questionnaire_responses(read_json(ANSWERS), [mini])
    bundle = responses_bundle(responses)
    valid_bundle(bundle)
    assert bundle["type"] == "transaction"
    assert [e["resource"] for e in bundle["entry"]] == responses
    assert responses_bundle(copy.deepcopy(responses)) == bundle
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)
    empty = responses_bundle([])
    valid_bundle(empty)
    assert "entry" not in empty


def test_export_questionnaires_file_layout(tmp_path: Path) -> None:
    written = export_questionnaires(PROJECT, tmp_path, base_url=BASE)
    # Each measure, then each exercise (issue 12: exercise saves answer these).
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        f"mini/en-GB/Questionnaire-{m}.json"
        for m in sorted(
            ["phq9", "spin", "wsas", "mood-check", "weekly", "mini-exercise-first-thoughts"]
        )
    ]
    again = export_questionnaires(PROJECT, tmp_path / "again", base_url=BASE)
    assert [p.read_bytes() for p in written] == [p.read_bytes() for p in again]
    for path in written:
        data = read_json(path)
        valid_questionnaire(data)
        assert path.name == f"Questionnaire-{data['id']}.json"
        assert next(iter(data)) == "resourceType"


def test_export_responses_writes_a_bundle(tmp_path: Path) -> None:
    (path,) = export_responses(PROJECT, ANSWERS, tmp_path, subject="Patient/9")
    assert path == tmp_path / "answers.fhir.json"
    bundle = read_json(path)
    valid_bundle(bundle)
    assert len(bundle["entry"]) == 5


def test_export_responses_refuses_a_file_that_is_not_json(tmp_path: Path) -> None:
    bad = tmp_path / "my-answers.json"
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(ExportError, match="is not JSON"):
        export_responses(PROJECT, bad, tmp_path / "out")
    with pytest.raises(ExportError, match="cannot read"):
        export_responses(PROJECT, tmp_path / "missing.json", tmp_path / "out")
    assert not (tmp_path / "out").exists()
