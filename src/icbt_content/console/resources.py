"""The FHIR resources the console writes, as the guidance-loop contract describes them.

Pure functions: each takes what it needs (and the time) and returns a resource as a dict.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from icbt_content.loop.contract import (
    GUIDANCE_CATEGORY,
    SYSTEM_MODULE,
    SYSTEM_PROGRAMME,
    UNLOCKED_STATUS,
    module_code,
)

AUDIT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type"
RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction"
AUDIT_SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type"
#: The AuditEvent action code of each FHIR interaction.
ACTIONS = {"read": "R", "search-type": "E", "create": "C", "update": "U"}
#: Shown as the AuditEvent's observer, so a service can tell the console's events apart.
CONSOLE_NAME = "icbt-content therapist console"
#: FHIR's identifier system for a URI (here ``urn:uuid:``): no system of our own is needed.
URI_SYSTEM = "urn:ietf:rfc:3986"


def fhir_time(now: datetime) -> str:
    """An R4 ``instant`` / ``dateTime``: ``2026-12-03T09:15:00+00:00``."""
    return now.isoformat(timespec="seconds")


def _tag(programme: str) -> dict[str, Any]:
    return {"tag": [{"system": SYSTEM_PROGRAMME, "code": programme}]}


def draft_identifier(draft: str) -> dict[str, str]:
    """The identifier of a message made from one draft (a UUID as a URI)."""
    return {"system": URI_SYSTEM, "value": f"urn:uuid:{draft}"}


def draft_query(draft: str) -> str:
    """The ``If-None-Exist`` search that finds a message already sent from this draft."""
    return f"identifier={URI_SYSTEM}|urn:uuid:{draft}"


def guidance_message(
    programme: str,
    patient: str,
    practitioner: str,
    markdown: str,
    now: datetime,
    *,
    draft: str | None = None,
) -> dict[str, Any]:
    """A therapist's guidance message to a client (``Communication``)."""
    return {
        "resourceType": "Communication",
        "meta": _tag(programme),
        **({"identifier": [draft_identifier(draft)]} if draft else {}),
        "status": "completed",
        "category": [{"text": GUIDANCE_CATEGORY}],
        "subject": {"reference": f"Patient/{patient}"},
        "recipient": [{"reference": f"Patient/{patient}"}],
        "sender": {"reference": practitioner},
        "sent": fhir_time(now),
        "payload": [{"contentString": markdown}],
    }


def care_plan(programme: str, patient: str) -> dict[str, Any]:
    """A new, empty care plan of a client on a programme."""
    return {
        "resourceType": "CarePlan",
        "meta": _tag(programme),
        "identifier": [{"system": SYSTEM_PROGRAMME, "value": programme}],
        "status": "active",
        "intent": "plan",
        "subject": {"reference": f"Patient/{patient}"},
        "activity": [],
    }


def unlocked_modules(plan: dict[str, Any]) -> set[str]:
    """The module codes (``<programme>/<module>``) a care plan lists as unlocked."""
    unlocked: set[str] = set()
    for activity in plan.get("activity", []):
        detail = activity.get("detail", {})
        if detail.get("status") != UNLOCKED_STATUS:
            continue
        for coding in detail.get("code", {}).get("coding", []):
            if coding.get("system") == SYSTEM_MODULE and isinstance(coding.get("code"), str):
                unlocked.add(coding["code"])
    return unlocked


def with_module_unlocked(
    plan: dict[str, Any], programme: str, module: str, title: str
) -> dict[str, Any]:
    """The care plan with ``module`` unlocked (its activity set to scheduled, or added)."""
    changed = copy.deepcopy(plan)
    code = module_code(programme, module)
    activities = changed.setdefault("activity", [])
    for activity in activities:
        detail = activity.get("detail", {})
        codes = [c.get("code") for c in detail.get("code", {}).get("coding", [])]
        if code in codes:
            detail["status"] = UNLOCKED_STATUS
            return changed
    activities.append(
        {
            "detail": {
                "kind": "Task",
                "code": {"coding": [{"system": SYSTEM_MODULE, "code": code, "display": title}]},
                "status": UNLOCKED_STATUS,
            }
        }
    )
    return changed


def acknowledged(flag: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The risk flag after a therapist acknowledged it: inactive, its period ended."""
    changed = copy.deepcopy(flag)
    changed["status"] = "inactive"
    period = changed.setdefault("period", {})
    period.setdefault("start", fhir_time(now))
    period["end"] = fhir_time(now)
    return changed


def audit_event(
    interaction: str,
    practitioner: str,
    touched: list[str],
    now: datetime,
    *,
    programme: str | None = None,
    what: str,
) -> dict[str, Any]:
    """Record one thing the therapist did (``AuditEvent``, a RESTful interaction).

    ``touched`` are references (``Patient/alex``, ``Flag/1``); ``what`` names the action in
    words a case-management system can count ("view client", "send guidance"...).
    """
    event: dict[str, Any] = {
        "resourceType": "AuditEvent",
        "type": {"system": AUDIT_TYPE, "code": "rest", "display": "RESTful Operation"},
        "subtype": [{"system": RESTFUL_INTERACTION, "code": interaction}],
        "action": ACTIONS[interaction],
        "recorded": fhir_time(now),
        "outcome": "0",
        "outcomeDesc": what,
        "agent": [{"who": {"reference": practitioner}, "requestor": True}],
        "source": {
            "observer": {"display": CONSOLE_NAME},
            "type": [{"system": AUDIT_SOURCE_TYPE, "code": "4", "display": "Application Server"}],
        },
        "entity": [{"what": {"reference": reference}} for reference in touched],
    }
    if programme:
        event["meta"] = _tag(programme)
    return event
