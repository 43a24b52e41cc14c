"""The exported answers are stored by a real FHIR R4 server, each response exactly once.

Each entry of the exported transaction Bundle says how it is stored: ``POST`` with
``ifNoneExist`` on its content-derived identifier (a conditional create). The test sends the
Bundle as one transaction, then every entry again as the request it describes, then the Bundle
again: the first stores each response, the others find them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fhir_servers import FhirServers
from fhir_validation import assert_valid_r4

from icbt_content import load_programme
from icbt_content.export import questionnaire_responses, responses_bundle

FIXTURES = Path(__file__).parents[1] / "fixtures" / "export"
THERAPIST_SCOPE = "openid fhirUser user/*.cruds"


def _exported() -> dict[str, Any]:
    mini = load_programme(FIXTURES / "project" / "programmes" / "mini")
    saved = json.loads((FIXTURES / "answers.json").read_text(encoding="utf-8"))
    bundle = dict(responses_bundle(questionnaire_responses(saved, mini, subject="Patient/alex")))
    assert_valid_r4(bundle)
    return bundle


def test_the_server_stores_each_exported_response_once(fhir_servers: FhirServers) -> None:
    sam = fhir_servers.sign_in("sam", "icbt-console", THERAPIST_SCOPE)
    entries = _exported()["entry"]
    assert entries
    made: dict[str, str] = {}
    stored = fhir_servers.request(sam, "POST", "", _exported())
    assert stored.status == 200, stored.body
    assert stored.body["type"] == "transaction-response"
    for entry, answer in zip(entries, stored.body["entry"], strict=True):
        assert answer["response"]["status"].startswith("201"), answer
        made[entry["fullUrl"]] = answer["response"]["location"].split("/")[1]
    for entry in entries:  # a retry of each entry, or the same file sent entry by entry
        request = entry["request"]
        condition = {"If-None-Exist": request["ifNoneExist"]}
        answer = fhir_servers.request(
            sam, request["method"], request["url"], entry["resource"], condition
        )
        assert answer.status == 200, answer.body
        assert answer.body["id"] == made[entry["fullUrl"]]
    again = fhir_servers.request(sam, "POST", "", _exported())
    assert again.status == 200, again.body
    for entry, answer in zip(entries, again.body["entry"], strict=True):
        assert answer["response"]["status"].startswith("200"), answer
        assert answer["response"]["location"].split("/")[1] == made[entry["fullUrl"]]
    for entry in entries:
        identifier = entry["resource"]["identifier"]
        query = f"QuestionnaireResponse?identifier={identifier['system']}|{identifier['value']}"
        found = fhir_servers.request(sam, "GET", query).body
        assert found["total"] == 1, (query, found)
        stored = found["entry"][0]["resource"]
        assert stored["subject"] == {"reference": "Patient/alex"}
        assert stored["questionnaire"] == entry["resource"]["questionnaire"]
        assert stored["item"] == entry["resource"]["item"]
