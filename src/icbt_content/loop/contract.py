"""The guidance-loop FHIR contract: identifiers and systems the site and the console share.

The client site writes QuestionnaireResponse and Flag resources and reads Communication and
CarePlan; the therapist console writes Communication, CarePlan and AuditEvent and acknowledges
Flags. Both sides take every system from here so they cannot drift apart.
"""

from __future__ import annotations

from icbt_content.errors import InvalidArgumentError

#: Identifier of a QuestionnaireResponse: ``<programme>/<locale>/<kind>/<id>/<entry>`` where
#: kind is ``measure`` or ``exercise`` and entry a per-save id made on the device. The site
#: creates responses conditionally (``If-None-Exist: identifier=<system>|<value>``).
SYSTEM_ANSWER = "urn:icbt-content:answer"
#: ``meta.tag`` on every resource the site writes (code: the programme id); also the
#: identifier system of a client's CarePlan (value: the programme id).
SYSTEM_PROGRAMME = "urn:icbt-content:programme"
#: A module in a CarePlan activity: code ``<programme>/<module-id>``.
SYSTEM_MODULE = "urn:icbt-content:module"
#: The code system of ``Flag.code``.
SYSTEM_FLAG = "urn:icbt-content:flag"
#: ``Flag.code`` for a risk answer.
FLAG_RISK_ANSWER = "risk-answer"
#: HL7's flag categories; a risk flag is in ``safety``.
SYSTEM_FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
FLAG_CATEGORY_SAFETY = "safety"
#: On a save that met a conflict (412): the version it did not overwrite (``valueReference``).
EXT_REPLACES = "https://icbt-content.org/fhir/StructureDefinition/replaces"
#: On a Flag: the QuestionnaireResponse whose answer raised it (``valueReference``).
EXT_FLAG_SOURCE = "https://icbt-content.org/fhir/StructureDefinition/flag-source"
#: ``Communication.category`` text of a therapist's guidance message.
GUIDANCE_CATEGORY = "guidance"
#: The kinds of answer in a SYSTEM_ANSWER identifier.
ANSWER_KINDS = ("measure", "exercise")
#: ``CarePlan.activity.detail.status`` that means the therapist unlocked the module.
UNLOCKED_STATUS = "scheduled"

#: What the client site asks for (SMART v2 scopes the test authorisation server understands).
CLIENT_SCOPES = (
    "openid fhirUser launch/patient offline_access patient/QuestionnaireResponse.cru "
    "patient/Flag.c patient/Communication.rs patient/CarePlan.rs"
)
#: What the therapist console asks for.
CONSOLE_SCOPES = "openid fhirUser user/*.cruds"


def answer_identifier(programme: str, locale: str, kind: str, item: str, entry: str) -> str:
    """Return the SYSTEM_ANSWER value of one saved answer."""
    if kind not in ANSWER_KINDS:
        raise InvalidArgumentError(f"answer kind must be one of {ANSWER_KINDS}, not {kind!r}")
    return f"{programme}/{locale}/{kind}/{item}/{entry}"


def module_code(programme: str, module: str) -> str:
    """Return the SYSTEM_MODULE code of a programme's module."""
    return f"{programme}/{module}"


def exercise_questionnaire_id(programme: str, exercise: str) -> str:
    """Return the Questionnaire id of an exercise: ``<programme>-exercise-<exercise-id>``."""
    return f"{programme}-exercise-{exercise}"
