"""Coded FHIR: LOINC codes in the Questionnaire, scores as SDC calculatedExpressions with
ordinalValue, each measure's own version and canonical base, and responses as a transaction
Bundle a FHIR server accepts."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from export_helpers import ANSWERS, PROJECT, read_json, valid_bundle, valid_questionnaire

from icbt_content.export import questionnaire, questionnaire_responses, responses_bundle
from icbt_content.export.fhir import URI_SYSTEM, questionnaire_response
from icbt_content.export.sdc import CALCULATED_EXPRESSION
from icbt_content.loop.questionnaires import BASE_URL_ENV, DEFAULT_BASE_URL, ORDINAL_VALUE
from icbt_content.measures.wording import apply_wording
from icbt_content.model.measure import Measure, MeasureWording
from icbt_content.model.programme import Programme

BASE = "https://fhir.example.org/icbt"
LOINC = "http://loinc.org"


def measure(programme: Programme, measure_id: str) -> Measure:
    found = programme.measure(measure_id)
    assert found is not None
    return found


def items(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in resource["item"]}


def expression(item: dict[str, Any]) -> str:
    (found,) = [e for e in item.get("extension", []) if e["url"] == CALCULATED_EXPRESSION]
    assert found["valueExpression"]["language"] == "text/fhirpath"
    return str(found["valueExpression"]["expression"])


def test_phq9_questionnaire_carries_its_loinc_codes(mini: Programme) -> None:
    resource = questionnaire(measure(mini, "phq9"), base_url=BASE)
    valid_questionnaire(resource)
    assert resource["code"][0] == {
        "system": LOINC,
        "code": "44249-1",
        "display": "PHQ-9 quick depression assessment panel",
    }
    assert resource["code"][1]["system"] == f"{BASE}/measures"  # our own code follows
    by_id = items(resource)
    assert by_id["q1"]["code"][0] == {"system": LOINC, "code": "44250-9"}
    assert by_id["q9"]["code"][0] == {"system": LOINC, "code": "44260-8"}
    assert by_id["score.total"]["code"][0]["code"] == "44261-6"
    option = by_id["q1"]["answerOption"][1]
    # the score on the answer option (where LHC-Forms reads it) and on its coding
    assert option["extension"] == [{"url": ORDINAL_VALUE, "valueDecimal": 1}]
    assert option["valueCoding"] == {
        "extension": [{"url": ORDINAL_VALUE, "valueDecimal": 1}],
        "system": LOINC,
        "code": "LA6569-3",
        "display": "Several days",
    }


def test_an_uncoded_measure_keeps_its_own_codes(mini: Programme) -> None:
    by_id = items(questionnaire(measure(mini, "mood-check"), base_url=BASE))
    assert by_id["low"]["code"] == [{"system": f"{BASE}/measures/mood-check/items", "code": "low"}]
    coding = by_id["calm"]["answerOption"][0]["valueCoding"]
    assert coding["system"] == f"{BASE}/measures/mood-check/options/often"
    assert coding["code"] == "0"


def test_scores_are_sdc_calculated_expressions(mini: Programme) -> None:
    by_id = items(questionnaire(measure(mini, "phq9")))
    total = expression(by_id["score.total"])
    # no total until all nine items are answered; then the sum of the answers' scores
    assert total.startswith("iif(%resource.item.where(linkId in ('q1' | 'q2' |")
    assert ".answer.count() = 9, " in total
    assert ".answer.value.weight().aggregate($this + $total, 0)" in total
    band = expression(by_id["score.band"])
    assert "%questionnaire.item.where(linkId = 'score.band').answerOption.valueCoding" in band
    assert "<= 4, 'minimal'" in band and "'severe'" in band
    risk = expression(by_id["score.risk"])
    assert risk == (
        "(%resource.item.where(linkId = 'q9').answer.value.where(system = 'http://loinc.org'"
        " and code in ('LA6569-3' | 'LA6570-1' | 'LA6571-9')).exists())"
    )


def test_prorated_and_reverse_scored_measures_have_matching_expressions(mini: Programme) -> None:
    by_id = items(questionnaire(measure(mini, "mood-check")))
    total = expression(by_id["score.total"])
    # up to one answer of four may be missing: scale up and round
    assert total.startswith("iif(%resource.item.where(linkId in ('low' | 'calm' | 'tired' |")
    assert ".answer.count() >= 3, " in total
    assert "* 4 / " in total and ".round()" in total
    assert "subscale" not in total
    mood = expression(by_id["subscale.mood"])
    assert "linkId in ('low' | 'calm')" in mood and "* 2 / " in mood


def test_measures_have_their_own_version(mini: Programme) -> None:
    phq9 = measure(mini, "phq9")
    assert phq9.version == "1.0.0"
    resource = questionnaire(phq9, version=mini.version)
    assert resource["version"] == "1.0.0"
    assert resource["identifier"][0]["value"] == "phq9|1.0.0"
    # a programme's own measure without a version takes the programme's
    assert questionnaire(measure(mini, "mood-check"), version="2.1.0")["version"] == "2.1.0"


def test_the_canonical_base_is_a_deployment_setting(
    mini: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    phq9 = measure(mini, "phq9")
    monkeypatch.delenv(BASE_URL_ENV, raising=False)
    assert questionnaire(phq9)["url"] == f"{DEFAULT_BASE_URL}/Questionnaire/phq9"
    monkeypatch.setenv(BASE_URL_ENV, "https://fhir.nhs-service.example/icbt/")
    assert questionnaire(phq9)["url"] == "https://fhir.nhs-service.example/icbt/Questionnaire/phq9"
    # an explicit base wins over the environment
    assert questionnaire(phq9, base_url=BASE)["url"] == f"{BASE}/Questionnaire/phq9"


def test_the_cli_says_when_the_placeholder_base_is_used(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "icbt_content", "export", "--format", "fhir"]
    command += ["--project", str(PROJECT), "--out", str(tmp_path)]
    env = {k: v for k, v in __import__("os").environ.items() if k != BASE_URL_ENV}
    placeholder = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert f"placeholder base {DEFAULT_BASE_URL}" in placeholder.stderr
    env[BASE_URL_ENV] = BASE
    own = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert "placeholder" not in own.stderr
    written = read_json(tmp_path / "fhir" / "mini" / "en-GB" / "Questionnaire-phq9.json")
    assert written["url"] == f"{BASE}/Questionnaire/phq9"


def test_responses_are_a_transaction_a_server_accepts(mini: Programme) -> None:
    responses = questionnaire_responses(read_json(ANSWERS), mini, subject="Patient/123")
    bundle = responses_bundle(responses)
    valid_bundle(bundle)
    assert bundle["type"] == "transaction"
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(full_urls)) == len(full_urls)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        identifier = resource["identifier"]
        assert identifier["system"] == URI_SYSTEM
        # never the identifier: a server rewrites every uri equal to a fullUrl in a transaction
        assert entry["fullUrl"] != identifier["value"]
        assert entry["fullUrl"].startswith("urn:uuid:")
        assert identifier["value"].startswith("urn:uuid:")
        # a conditional create: posting the same export twice stores each response once
        assert entry["request"] == {
            "method": "POST",
            "url": "QuestionnaireResponse",
            "ifNoneExist": f"identifier={URI_SYSTEM}|{identifier['value']}",
        }
    # every reference resolves: to another entry, or to the server's Patient/123 we were given
    references = [v for v in _values(bundle, "reference")]
    assert references and all(r in full_urls or r == "Patient/123" for r in references)
    assert responses_bundle(copy.deepcopy(responses)) == bundle


def test_the_same_result_always_gets_the_same_identifier(mini: Programme) -> None:
    phq9 = measure(mini, "phq9")
    result = {"date": "2026-01-05", "answers": {f"q{i}": 1 for i in range(1, 10)}}
    first = questionnaire_response(phq9, result)
    assert questionnaire_response(phq9, copy.deepcopy(result)) == first
    other = questionnaire_response(phq9, {**result, "date": "2026-01-06"})
    assert other["identifier"] != first["identifier"]
    assert next(iter(first)) == "resourceType"


def test_translated_wording_keeps_the_answer_codes(mini: Programme) -> None:
    phq9 = measure(mini, "phq9")
    wording = MeasureWording(
        measure="phq9",
        title="Gesundheitsfragebogen (PHQ-9)",
        items={item.id: f"Frage {item.id}" for item in phq9.items},
        options={
            "frequency": {0: "Überhaupt nicht", 1: "An einzelnen Tagen", 2: "Oft", 3: "Immer"}
        },
    )
    translated = apply_wording(phq9, wording, licensed=False)
    assert translated.option_sets[0].options[0].label == "Überhaupt nicht"
    assert translated.option_sets[0].options[0].codes == phq9.option_sets[0].options[0].codes
    assert [i.codes for i in translated.items] == [i.codes for i in phq9.items]


def _values(data: Any, key: str) -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        for k, v in data.items():
            found += [v] if k == key and isinstance(v, str) else _values(v, key)
    elif isinstance(data, list):
        for v in data:
            found += _values(v, key)
    return found


def test_questionnaire_json_is_deterministic(mini: Programme) -> None:
    phq9 = measure(mini, "phq9")
    assert json.dumps(questionnaire(phq9)) == json.dumps(questionnaire(phq9))
