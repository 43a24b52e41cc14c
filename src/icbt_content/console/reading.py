"""Read a therapist's clients from the FHIR server and build their records."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from icbt_content.console.fhir import FhirClient
from icbt_content.console.record import (
    ClientRecord,
    Resource,
    build_record,
    has_programme_tag,
    reference_id,
)
from icbt_content.loop.contract import SYSTEM_PROGRAMME
from icbt_content.model.programme import Programme


def display_name(patient: Resource) -> str:
    """A patient's name as the console shows it (the id when the resource has no name)."""
    for name in patient.get("name", []):
        if name.get("text"):
            return str(name["text"])
        joined = " ".join([*name.get("given", []), name.get("family", "")]).strip()
        if joined:
            return joined
    return str(patient.get("id", ""))


def first_name(patient: Resource) -> str:
    """The name a message greets the client by."""
    for name in patient.get("name", []):
        if name.get("given"):
            return str(name["given"][0])
    return display_name(patient).split(" ")[0]


async def care_team_patients(fhir: FhirClient, practitioner: str) -> list[str]:
    """Ids of the patients whose active care teams include the practitioner."""
    teams = await fhir.search("CareTeam", {"participant": practitioner})
    found: list[str] = []
    for team in teams:
        patient = reference_id(team.get("subject"), "Patient")
        if team.get("status", "active") == "active" and patient and patient not in found:
            found.append(patient)
    return found


async def patients(fhir: FhirClient, ids: list[str]) -> dict[str, Resource]:
    """The Patient resources of ``ids``, by id."""
    if not ids:
        return {}
    found = await fhir.search("Patient", {"_id": ",".join(ids)})
    return {str(p["id"]): p for p in found}


async def _programme_resources(
    fhir: FhirClient, programme: str, patient: str | None
) -> dict[str, list[Resource]]:
    tag = f"{SYSTEM_PROGRAMME}|{programme}"
    subject = {"subject": f"Patient/{patient}"} if patient else {}
    searches: dict[str, dict[str, str]] = {
        "QuestionnaireResponse": {"_tag": tag, **subject},
        "Flag": {"_tag": tag, **subject},
        "Communication": {"_tag": tag, **subject},
        "CarePlan": {"identifier": tag, **subject},
    }
    results = await asyncio.gather(*(fhir.search(k, v) for k, v in searches.items()))
    return dict(zip(searches, results, strict=True))


def _by_patient(resources: dict[str, list[Resource]]) -> dict[str, dict[str, list[Resource]]]:
    grouped: dict[str, dict[str, list[Resource]]] = defaultdict(lambda: defaultdict(list))
    for kind, found in resources.items():
        for resource in found:
            patient = reference_id(resource.get("subject"), "Patient")
            if patient:
                grouped[patient][kind].append(resource)
    return grouped


def record_from(
    programme: Programme, patient: str, person: Resource | None, held: dict[str, list[Resource]]
) -> ClientRecord:
    """Build a client's record from their resources (``client_resources``)."""
    return build_record(
        programme,
        patient,
        display_name(person) if person else patient,
        held.get("QuestionnaireResponse", []),
        [f for f in held.get("Flag", []) if has_programme_tag(f, programme.id)],
        held.get("Communication", []),
        held.get("CarePlan", []),
    )


async def programme_records(
    fhir: FhirClient, programme: Programme, practitioner: str
) -> list[ClientRecord]:
    """The records of the practitioner's clients who are on ``programme``."""
    team = await care_team_patients(fhir, practitioner)
    grouped = _by_patient(await _programme_resources(fhir, programme.id, None))
    on_programme = [p for p in team if p in grouped]
    people = await patients(fhir, on_programme)
    return [record_from(programme, p, people.get(p), grouped[p]) for p in on_programme]


async def client_resources(
    fhir: FhirClient, programme: Programme, patient: str
) -> tuple[Resource, dict[str, list[Resource]]]:
    """A client's Patient resource and their resources on ``programme``, by type."""
    person, held = await asyncio.gather(
        fhir.read("Patient", patient), _programme_resources(fhir, programme.id, patient)
    )
    return person, held


async def client_record(
    fhir: FhirClient, programme: Programme, patient: str
) -> tuple[ClientRecord, Resource]:
    """One client's record on ``programme``, and their Patient resource."""
    person, held = await client_resources(fhir, programme, patient)
    return record_from(programme, patient, person, held), person
