"""Contract-shaped resources as the client site writes them, to seed the console's tests.

Written with a client's own SMART token (the site's public client and scopes), so they pass the
same compartment checks the site's writes do.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fhir_servers import FhirServers, Token
from fhir_validation import assert_valid_r4

from icbt_content.loop.contract import (
    CLIENT_SCOPES,
    EXT_FLAG_SOURCE,
    FLAG_CATEGORY_SAFETY,
    FLAG_RISK_ANSWER,
    SYSTEM_ANSWER,
    SYSTEM_FLAG,
    SYSTEM_FLAG_CATEGORY,
    SYSTEM_PROGRAMME,
    answer_identifier,
    exercise_questionnaire_id,
)
from icbt_content.loop.questionnaires import answer_codings, questionnaire_url
from icbt_content.model.exercise import Exercise
from icbt_content.model.measure import Measure

CANONICAL_BASE = "https://icbt.test/fhir"


def client_token(servers: FhirServers, username: str) -> Token:
    """Sign a client in to the site's public client with the contract's scopes."""
    return servers.sign_in(username, "icbt-site", CLIENT_SCOPES, redirect_uri="http://127.0.0.1:9/")


def ago(days: float) -> str:
    """An ISO date-time ``days`` before now."""
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


def _response(
    programme: str,
    patient: str,
    kind: str,
    item: str,
    canonical: str,
    authored: str,
    locale: str = "en-GB",
) -> dict[str, Any]:
    value = answer_identifier(programme, locale, kind, item, str(uuid.uuid4()))
    return {
        "resourceType": "QuestionnaireResponse",
        "meta": {"tag": [{"system": SYSTEM_PROGRAMME, "code": programme}]},
        "identifier": {"system": SYSTEM_ANSWER, "value": value},
        "questionnaire": canonical,
        "status": "completed",
        "subject": {"reference": f"Patient/{patient}"},
        "author": {"reference": f"Patient/{patient}"},
        "authored": authored,
        "item": [],
    }


def measure_response(
    programme: str,
    patient: str,
    measure: Measure,
    answers: dict[str, int],
    authored: str,
    locale: str = "en-GB",
) -> dict[str, Any]:
    """A completed questionnaire, answers as the exported Questionnaire's codings."""
    codings = answer_codings(measure, base_url=CANONICAL_BASE)
    response = _response(
        programme,
        patient,
        "measure",
        measure.id,
        questionnaire_url(measure, base_url=CANONICAL_BASE),
        authored,
        locale,
    )
    response["item"] = [
        {"linkId": item, "answer": [{"valueCoding": codings[item][value]}]}
        for item, value in answers.items()
    ]
    return response


def exercise_response(
    programme: str, patient: str, exercise: Exercise, answers: dict[str, str], authored: str
) -> dict[str, Any]:
    """A saved exercise, each field answered as text."""
    canonical = (
        f"{CANONICAL_BASE}/Questionnaire/{exercise_questionnaire_id(programme, exercise.id)}"
    )
    response = _response(programme, patient, "exercise", exercise.id, canonical, authored)
    response["item"] = [
        {"linkId": field, "answer": [{"valueString": text}]} for field, text in answers.items()
    ]
    return response


def risk_flag(programme: str, patient: str, response_id: str, text: str) -> dict[str, Any]:
    """The Flag the site raises with a risk answer."""
    return {
        "resourceType": "Flag",
        "meta": {"tag": [{"system": SYSTEM_PROGRAMME, "code": programme}]},
        "extension": [
            {
                "url": EXT_FLAG_SOURCE,
                "valueReference": {"reference": f"QuestionnaireResponse/{response_id}"},
            }
        ],
        "status": "active",
        "category": [{"coding": [{"system": SYSTEM_FLAG_CATEGORY, "code": FLAG_CATEGORY_SAFETY}]}],
        "code": {
            "coding": [{"system": SYSTEM_FLAG, "code": FLAG_RISK_ANSWER}],
            "text": text,
        },
        "subject": {"reference": f"Patient/{patient}"},
        "period": {"start": ago(0)},
    }


def store(servers: FhirServers, token: Token, resource: dict[str, Any]) -> dict[str, Any]:
    """Create a resource (valid R4 first); return it as stored."""
    assert_valid_r4(resource)
    created = servers.request(token, "POST", resource["resourceType"], resource)
    assert created.status == 201, created.body
    return dict(created.body)
