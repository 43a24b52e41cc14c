"""The FHIR server and the authorisation server do what the guidance loop needs, as real ones do.

Every resource sent is checked as R4 first, and so is every resource the server answers with.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fhir_servers import FhirServers, NodeServer, Response, Token, http
from fhir_validation import assert_valid_r4

CLIENT_SCOPE = "openid fhirUser launch/patient patient/*.cruds"
THERAPIST_SCOPE = "openid fhirUser user/*.cruds"


@pytest.fixture(scope="module")
def alex(fhir_servers: FhirServers) -> Token:
    return fhir_servers.sign_in("alex", "icbt-site", CLIENT_SCOPE)


@pytest.fixture(scope="module")
def jordan(fhir_servers: FhirServers) -> Token:
    return fhir_servers.sign_in("jordan", "icbt-site", CLIENT_SCOPE)


@pytest.fixture(scope="module")
def sam(fhir_servers: FhirServers) -> Token:
    return fhir_servers.sign_in("sam", "icbt-console", THERAPIST_SCOPE)


def response_for(patient: str, answer: int = 1, **extra: Any) -> dict[str, Any]:
    """A small completed QuestionnaireResponse of `patient`."""
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "https://icbt.test/fhir/Questionnaire/phq9",
        "status": "completed",
        "subject": {"reference": f"Patient/{patient}"},
        "authored": "2024-05-01T10:00:00Z",
        "item": [{"linkId": "q9", "answer": [{"valueInteger": answer}]}],
        **extra,
    }
    assert_valid_r4(resource)
    return resource


def ok(answer: Response, *statuses: int) -> Any:
    """Check the status, check every resource in the body as R4, and return the body."""
    assert answer.status in (statuses or (200,)), (answer.status, answer.body)
    if isinstance(answer.body, dict) and "resourceType" in answer.body:
        assert_valid_r4(answer.body)
    return answer.body


def search_ids(servers: FhirServers, token: Token, query: str) -> list[str]:
    bundle = ok(servers.request(token, "GET", query))
    return [entry["resource"]["id"] for entry in bundle.get("entry", [])]


# ---- Discovery.


def test_smart_configuration_points_at_the_authorisation_server(
    fhir_servers: FhirServers,
) -> None:
    answer = http("GET", f"{fhir_servers.fhir_base}/.well-known/smart-configuration")
    assert answer.status == 200
    smart = answer.body
    assert smart["issuer"] == fhir_servers.issuer
    assert smart["authorization_endpoint"].startswith(fhir_servers.issuer)
    assert smart["token_endpoint"].startswith(fhir_servers.issuer)
    assert smart["code_challenge_methods_supported"] == ["S256"]
    for capability in ("launch-standalone", "client-public", "context-standalone-patient"):
        assert capability in smart["capabilities"]


def test_capability_statement_is_r4(fhir_servers: FhirServers) -> None:
    statement = ok(http("GET", f"{fhir_servers.fhir_base}/metadata"))
    assert statement["fhirVersion"] == "4.0.1"
    types = {resource["type"] for resource in statement["rest"][0]["resource"]}
    assert {"QuestionnaireResponse", "Flag", "Communication", "CarePlan", "Task"} <= types
    assert {"AuditEvent", "Provenance", "CareTeam", "Practitioner"} <= types


# ---- Tokens.


def test_the_client_token_carries_her_patient(alex: Token) -> None:
    assert alex.patient == "alex"
    assert alex.claims["patient"] == "alex"
    assert alex.claims["fhirUser"] == "Patient/alex"
    assert set(alex.scope.split()) == set(CLIENT_SCOPE.split())


def test_a_therapist_is_not_given_patient_scopes(fhir_servers: FhirServers) -> None:
    token = fhir_servers.sign_in(
        "sam", "icbt-console", "openid user/*.rs patient/*.rs launch/patient"
    )
    assert token.patient is None
    assert "patient/*.rs" not in token.scope.split()
    assert "user/*.rs" in token.scope.split()


def test_a_client_is_not_given_user_scopes(fhir_servers: FhirServers) -> None:
    token = fhir_servers.sign_in("alex", "icbt-site", "openid user/*.cruds patient/*.rs")
    assert set(token.scope.split()) == {"openid", "patient/*.rs"}


def test_a_refresh_token_gives_a_new_access_token_with_the_same_context(
    fhir_servers: FhirServers,
) -> None:
    first = fhir_servers.sign_in("alex", "icbt-site", f"{CLIENT_SCOPE} offline_access")
    assert first.response.get("refresh_token")
    smart = http("GET", f"{fhir_servers.fhir_base}/.well-known/smart-configuration").body
    answer = http(
        "POST",
        smart["token_endpoint"],
        {
            "grant_type": "refresh_token",
            "refresh_token": first.response["refresh_token"],
            "client_id": "icbt-site",
        },
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 200, answer.body
    refreshed = Token(answer.body["access_token"], answer.body["scope"], answer.body)
    assert refreshed.access_token != first.access_token
    assert refreshed.patient == "alex"
    assert ok(fhir_servers.request(refreshed, "GET", "Patient/alex"))["id"] == "alex"


def test_requests_without_a_valid_token_are_refused(fhir_servers: FhirServers, alex: Token) -> None:
    assert fhir_servers.request(None, "GET", "Patient/alex").status == 401
    header, payload, signature = alex.access_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["patient"] = "jordan"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    answer = fhir_servers.request(f"{header}.{forged}.{signature}", "GET", "Patient/jordan")
    assert answer.status == 401
    assert "invalid_token" in (answer.header("WWW-Authenticate") or "")


def test_a_token_for_another_server_is_refused(fhir_servers: FhirServers) -> None:
    smart = http("GET", f"{fhir_servers.fhir_base}/.well-known/smart-configuration").body
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": "icbt-site",
            "redirect_uri": "http://127.0.0.1:9/",
            "scope": "patient/*.rs",
            "aud": "https://elsewhere.example/fhir",
            "code_challenge": "x" * 43,
            "code_challenge_method": "S256",
        }
    )
    answer = http("GET", f"{smart['authorization_endpoint']}?{query}")
    # The error goes back to the app: the request never reaches a sign-in page.
    location = answer.header("Location") or ""
    assert answer.status in (302, 303)
    assert "error=invalid_request" in location


def test_scopes_limit_what_a_token_may_do(fhir_servers: FhirServers, alex: Token) -> None:
    create_only = fhir_servers.sign_in("alex", "icbt-site", "patient/QuestionnaireResponse.c")
    created = ok(
        fhir_servers.request(create_only, "POST", "QuestionnaireResponse", response_for("alex")),
        201,
    )
    assert (
        fhir_servers.request(create_only, "GET", f"QuestionnaireResponse/{created['id']}").status
        == 403
    )
    assert fhir_servers.request(create_only, "POST", "Flag", {"resourceType": "Flag"}).status == 403
    assert fhir_servers.request(alex, "GET", f"QuestionnaireResponse/{created['id']}").status == 200


# ---- What a therapist sees.


def test_a_therapist_searches_by_patient_and_last_updated(
    fhir_servers: FhirServers, alex: Token, jordan: Token, sam: Token
) -> None:
    before = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    mine = ok(
        fhir_servers.request(alex, "POST", "QuestionnaireResponse", response_for("alex")), 201
    )
    theirs = ok(
        fhir_servers.request(jordan, "POST", "QuestionnaireResponse", response_for("jordan")), 201
    )
    after = (datetime.now(UTC) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"

    by_alex = search_ids(fhir_servers, sam, "QuestionnaireResponse?subject=Patient/alex")
    assert mine["id"] in by_alex and theirs["id"] not in by_alex
    by_patient = search_ids(fhir_servers, sam, "QuestionnaireResponse?patient=Patient/jordan")
    assert theirs["id"] in by_patient and mine["id"] not in by_patient
    since = search_ids(fhir_servers, sam, f"QuestionnaireResponse?_lastUpdated=gt{before}")
    assert {mine["id"], theirs["id"]} <= set(since)
    assert search_ids(fhir_servers, sam, f"QuestionnaireResponse?_lastUpdated=gt{after}") == []


def test_search_bundles_have_full_urls_totals_and_pages(
    fhir_servers: FhirServers, alex: Token, sam: Token
) -> None:
    for answer in range(3):
        ok(fhir_servers.request(alex, "POST", "Flag", flag_for("alex", f"page {answer}")), 201)
    first = ok(fhir_servers.request(sam, "GET", "Flag?subject=Patient/alex&_count=2"))
    assert first["type"] == "searchset"
    assert first["total"] >= 3
    assert len(first["entry"]) == 2
    for entry in first["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"] == f"{fhir_servers.fhir_base}/Flag/{resource['id']}"


def flag_for(patient: str, text: str = "Risk answer: PHQ-9 item 9") -> dict[str, Any]:
    resource = {
        "resourceType": "Flag",
        "status": "active",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/flag-category",
                        "code": "clinical",
                    }
                ]
            }
        ],
        "code": {"text": text},
        "subject": {"reference": f"Patient/{patient}"},
    }
    assert_valid_r4(resource)
    return resource


# ---- Versions and conflicts.


def test_an_update_with_a_stale_etag_is_refused_with_412(
    fhir_servers: FhirServers, alex: Token
) -> None:
    created = fhir_servers.request(alex, "POST", "QuestionnaireResponse", response_for("alex"))
    first = ok(created, 201)
    first_etag = created.header("ETag")
    assert first_etag == f'W/"{first["meta"]["versionId"]}"'
    location = f"{fhir_servers.fhir_base}/QuestionnaireResponse/{first['id']}/_history/"
    assert (created.header("Location") or "").startswith(location)

    changed = {**first, "status": "amended"}
    updated = fhir_servers.request(
        alex, "PUT", f"QuestionnaireResponse/{first['id']}", changed, {"If-Match": first_etag}
    )
    second = ok(updated, 200)
    assert second["meta"]["versionId"] != first["meta"]["versionId"]
    assert updated.header("ETag") == f'W/"{second["meta"]["versionId"]}"'

    stale = {**first, "status": "entered-in-error"}
    refused = fhir_servers.request(
        alex, "PUT", f"QuestionnaireResponse/{first['id']}", stale, {"If-Match": first_etag}
    )
    assert refused.status == 412, refused.body
    assert refused.body["resourceType"] == "OperationOutcome"
    # Neither version is lost: the current one is the second, the first is still in the history.
    current = ok(fhir_servers.request(alex, "GET", f"QuestionnaireResponse/{first['id']}"))
    assert current["status"] == "amended"
    old = ok(
        fhir_servers.request(
            alex,
            "GET",
            f"QuestionnaireResponse/{first['id']}/_history/{first['meta']['versionId']}",
        )
    )
    assert old["status"] == "completed"


def test_retries_can_be_made_safe_with_client_ids_or_if_none_exist(
    fhir_servers: FhirServers, alex: Token, jordan: Token
) -> None:
    # A client-chosen id with PUT: sending the same save twice makes one resource.
    chosen = str(uuid.uuid4())
    resource = response_for("alex", id=chosen)
    first = fhir_servers.request(alex, "PUT", f"QuestionnaireResponse/{chosen}", resource)
    assert ok(first, 200, 201)["id"] == chosen
    ok(fhir_servers.request(alex, "PUT", f"QuestionnaireResponse/{chosen}", resource), 200)
    assert search_ids(fhir_servers, alex, f"QuestionnaireResponse?_id={chosen}") == [chosen]
    # ...but never over another patient's resource.
    theirs = fhir_servers.request(
        jordan, "PUT", f"QuestionnaireResponse/{chosen}", {**response_for("jordan"), "id": chosen}
    )
    assert theirs.status == 403
    # A conditional create: the second POST finds the first instead of making another.
    key = {"system": "https://icbt.test/fhir/saves", "value": str(uuid.uuid4())}
    condition = {"If-None-Exist": f"identifier={key['system']}|{key['value']}"}
    once = response_for("alex", identifier=key)
    made = ok(fhir_servers.request(alex, "POST", "QuestionnaireResponse", once, condition), 201)
    again = ok(fhir_servers.request(alex, "POST", "QuestionnaireResponse", once, condition), 200)
    assert again["id"] == made["id"]


def test_the_server_owns_ids_and_versions(
    fhir_servers: FhirServers, alex: Token, jordan: Token
) -> None:
    theirs = ok(
        fhir_servers.request(jordan, "POST", "QuestionnaireResponse", response_for("jordan")), 201
    )
    # A create that names an existing id, or a version, gets neither.
    sneaky = response_for("alex", id=theirs["id"], meta={"versionId": "1"})
    made = ok(fhir_servers.request(alex, "POST", "QuestionnaireResponse", sneaky), 201)
    assert made["id"] != theirs["id"]
    assert made["meta"]["versionId"] != "1"
    untouched = ok(fhir_servers.request(jordan, "GET", f"QuestionnaireResponse/{theirs['id']}"))
    assert untouched["subject"] == {"reference": "Patient/jordan"}


def test_invalid_resources_are_refused(fhir_servers: FhirServers, alex: Token) -> None:
    invalid = {**response_for("alex"), "answeredBy": "someone"}
    answer = fhir_servers.request(alex, "POST", "QuestionnaireResponse", invalid)
    assert answer.status == 400
    assert answer.body["resourceType"] == "OperationOutcome"


# ---- The patient compartment.


def test_a_patient_token_cannot_reach_another_patient(
    fhir_servers: FhirServers, alex: Token, jordan: Token, sam: Token
) -> None:
    theirs = ok(
        fhir_servers.request(jordan, "POST", "QuestionnaireResponse", response_for("jordan")), 201
    )
    path = f"QuestionnaireResponse/{theirs['id']}"
    assert fhir_servers.request(alex, "GET", path).status == 403
    assert fhir_servers.request(alex, "GET", f"{path}/_history").status == 403
    assert fhir_servers.request(alex, "GET", "Patient/jordan").status == 403
    assert fhir_servers.request(alex, "PUT", path, {**theirs, "status": "amended"}).status == 403
    assert fhir_servers.request(alex, "DELETE", path).status == 403
    # Moving her own response to another patient, or writing one for them, is refused too.
    for_jordan = response_for("jordan")
    assert fhir_servers.request(alex, "POST", "QuestionnaireResponse", for_jordan).status == 403
    mine = ok(
        fhir_servers.request(alex, "POST", "QuestionnaireResponse", response_for("alex")), 201
    )
    moved = {**mine, "subject": {"reference": "Patient/jordan"}}
    assert (
        fhir_servers.request(alex, "PUT", f"QuestionnaireResponse/{mine['id']}", moved).status
        == 403
    )
    # Searches only ever see her own compartment, whatever they ask for.
    everything = search_ids(fhir_servers, alex, "QuestionnaireResponse")
    assert mine["id"] in everything and theirs["id"] not in everything
    assert search_ids(fhir_servers, alex, "QuestionnaireResponse?subject=Patient/jordan") == []
    patients = search_ids(fhir_servers, alex, "Patient")
    assert patients == ["alex"]
    # Shared resources may be read, not written.
    assert fhir_servers.request(alex, "GET", "Practitioner/sam").status == 200
    questionnaire = {"resourceType": "Questionnaire", "status": "active"}
    assert fhir_servers.request(alex, "POST", "Questionnaire", questionnaire).status == 403
    # The therapist sees both.
    assert fhir_servers.request(sam, "GET", path).status == 200


def test_a_transaction_with_another_patients_resource_is_refused_whole(
    fhir_servers: FhirServers, alex: Token, sam: Token
) -> None:
    before = ok(fhir_servers.request(sam, "GET", "Flag?subject=Patient/alex"))["total"]
    bundle = transaction(
        [("Flag", flag_for("alex")), ("Flag", flag_for("jordan"))],
    )
    assert fhir_servers.request(alex, "POST", "", bundle).status == 403
    after = ok(fhir_servers.request(sam, "GET", "Flag?subject=Patient/alex"))["total"]
    assert after == before


# ---- Transactions.


def transaction(entries: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
                "resource": resource,
                "request": {"method": "POST", "url": kind},
            }
            for n, (kind, resource) in enumerate(entries)
        ],
    }
    assert_valid_r4(bundle)
    return bundle


def test_a_risk_answer_its_flag_and_message_are_one_transaction(
    fhir_servers: FhirServers, alex: Token, sam: Token
) -> None:
    message = {
        "resourceType": "Communication",
        "status": "completed",
        "priority": "urgent",
        "subject": {"reference": "Patient/alex"},
        "sender": {"reference": "Patient/alex"},
        "recipient": [{"reference": "Practitioner/sam"}],
        # Points at the answer through the transaction's own placeholder.
        "about": [{"reference": "urn:uuid:00000000-0000-4000-8000-000000000000"}],
        "payload": [{"contentString": "A risk answer needs attention."}],
    }
    bundle = transaction(
        [
            ("QuestionnaireResponse", response_for("alex", answer=2)),
            ("Flag", flag_for("alex")),
            ("Communication", message),
        ]
    )
    result = ok(fhir_servers.request(alex, "POST", "", bundle))
    assert result["type"] == "transaction-response"
    assert [entry["response"]["status"] for entry in result["entry"]] == ["201"] * 3
    answer_id = result["entry"][0]["resource"]["id"]
    sent = result["entry"][2]["resource"]
    assert sent["about"] == [{"reference": f"QuestionnaireResponse/{answer_id}"}]
    for entry in result["entry"]:
        version = entry["resource"]["meta"]["versionId"]
        assert entry["response"]["etag"] == f'W/"{version}"'
        assert entry["response"]["location"].endswith(f"/_history/{version}")
    flags = search_ids(fhir_servers, sam, "Flag?subject=Patient/alex")
    assert result["entry"][1]["resource"]["id"] in flags


def test_an_unknown_search_parameter_is_an_error_not_an_empty_result(
    fhir_servers: FhirServers, sam: Token
) -> None:
    # R4 defines no `status` search parameter for Flag (R5 does).
    answer = fhir_servers.request(sam, "GET", "Flag?subject=Patient/alex&status=active")
    assert answer.status == 400
    assert "status" in answer.body["issue"][0]["details"]["text"]


def test_a_failed_transaction_leaves_nothing_behind(
    fhir_servers: FhirServers, alex: Token, sam: Token
) -> None:
    before = ok(fhir_servers.request(sam, "GET", "QuestionnaireResponse?subject=Patient/alex"))
    invalid = {**flag_for("alex"), "status": 7}
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "resource": response_for("alex"),
                "request": {"method": "POST", "url": "QuestionnaireResponse"},
            },
            {"resource": invalid, "request": {"method": "POST", "url": "Flag"}},
        ],
    }
    answer = fhir_servers.request(alex, "POST", "", bundle)
    assert answer.status == 400, answer.body
    after = ok(fhir_servers.request(sam, "GET", "QuestionnaireResponse?subject=Patient/alex"))
    assert after["total"] == before["total"]


def test_the_loops_resources_can_be_written_and_read(
    fhir_servers: FhirServers, alex: Token, sam: Token
) -> None:
    therapist_writes = [
        {
            "resourceType": "Communication",
            "status": "completed",
            "subject": {"reference": "Patient/alex"},
            "sender": {"reference": "Practitioner/sam"},
            "recipient": [{"reference": "Patient/alex"}],
            "sent": "2024-05-02T09:00:00Z",
            "payload": [{"contentString": "Well done on **week 1**."}],
        },
        {
            "resourceType": "CarePlan",
            "status": "active",
            "intent": "plan",
            "subject": {"reference": "Patient/alex"},
            "activity": [{"detail": {"status": "not-started", "description": "Module 2"}}],
        },
        {
            "resourceType": "Task",
            "status": "requested",
            "intent": "order",
            "for": {"reference": "Patient/alex"},
            "description": "Unlock module 2",
        },
        {
            "resourceType": "AuditEvent",
            "type": {"system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110110"},
            "recorded": "2024-05-02T09:00:00Z",
            "agent": [{"who": {"reference": "Practitioner/sam"}, "requestor": True}],
            "source": {"observer": {"reference": "Practitioner/sam"}},
            "entity": [{"what": {"reference": "Patient/alex"}}],
        },
        {
            "resourceType": "Provenance",
            "target": [{"reference": "Patient/alex"}],
            "recorded": "2024-05-02T09:00:00Z",
            "agent": [{"who": {"reference": "Practitioner/sam"}}],
        },
    ]
    for resource in therapist_writes:
        assert_valid_r4(resource)
        made = ok(fhir_servers.request(sam, "POST", resource["resourceType"], resource), 201)
        ok(fhir_servers.request(sam, "GET", f"{resource['resourceType']}/{made['id']}"))
    # The client sees the therapist's message and the module plan: they are in her compartment.
    assert search_ids(fhir_servers, alex, "Communication?recipient=Patient/alex")
    assert search_ids(fhir_servers, alex, "CarePlan")
    assert search_ids(fhir_servers, alex, "Task")
    # She can write a message back.
    reply = {
        "resourceType": "Communication",
        "status": "completed",
        "subject": {"reference": "Patient/alex"},
        "sender": {"reference": "Patient/alex"},
        "recipient": [{"reference": "Practitioner/sam"}],
        "payload": [{"contentString": "Thank you."}],
    }
    ok(fhir_servers.request(alex, "POST", "Communication", reply), 201)
    care_team = ok(fhir_servers.request(sam, "GET", "CareTeam?subject=Patient/alex"))
    assert care_team["entry"][0]["resource"]["participant"][0]["member"]["reference"] == (
        "Practitioner/sam"
    )


# ---- CORS.


def test_cors_allows_the_site_origin_only(fhir_servers: FhirServers, alex: Token) -> None:
    site = "http://127.0.0.1:8765"
    preflight = http(
        "OPTIONS",
        f"{fhir_servers.fhir_base}/QuestionnaireResponse",
        headers={
            "Origin": site,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, content-type, if-match",
        },
    )
    assert preflight.status == 204
    assert preflight.header("Access-Control-Allow-Origin") == site
    allowed = (preflight.header("Access-Control-Allow-Headers") or "").lower()
    assert {"authorization", "content-type", "if-match"} <= {h.strip() for h in allowed.split(",")}
    read = fhir_servers.request(alex, "GET", "Patient/alex", headers={"Origin": site})
    assert read.header("Access-Control-Allow-Origin") == site
    assert "ETag" in (read.header("Access-Control-Expose-Headers") or "")
    elsewhere = fhir_servers.request(
        alex, "GET", "Patient/alex", headers={"Origin": "https://elsewhere.example"}
    )
    assert elsewhere.header("Access-Control-Allow-Origin") is None


# ---- Kill and restart.


def test_the_server_can_be_killed_and_started_again(
    fhir_servers: FhirServers, fhir_server_control: NodeServer, alex: Token
) -> None:
    created = fhir_servers.request(alex, "POST", "QuestionnaireResponse", response_for("alex"))
    stored = ok(created, 201)
    fhir_server_control.kill()
    assert not fhir_server_control.running
    with pytest.raises(OSError):
        fhir_servers.request(alex, "GET", f"QuestionnaireResponse/{stored['id']}")

    fhir_server_control.start()
    # The same token still works (the server fetches the keys again), and the data is back,
    # with the same version: an If-Match sent before the kill still applies after it.
    again = fhir_servers.request(alex, "GET", f"QuestionnaireResponse/{stored['id']}")
    assert ok(again) == stored
    assert again.header("ETag") == created.header("ETag")
    updated = fhir_servers.request(
        alex,
        "PUT",
        f"QuestionnaireResponse/{stored['id']}",
        {**stored, "status": "amended"},
        {"If-Match": created.header("ETag") or ""},
    )
    ok(updated, 200)
