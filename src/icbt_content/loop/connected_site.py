"""What a site connected to its service's FHIR server adds: its CSP, scripts and page data.

The site stays static: its scripts talk to exactly two other origins, the FHIR server and the
SMART authorisation server named in deploy.yaml, and the Content-Security-Policy (the pages'
``<meta>`` and the hosting headers) lets them reach those two and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from icbt_content.ids import storage_key, storage_prefix
from icbt_content.loop import contract
from icbt_content.loop.questionnaires import (
    answer_codings,
    answer_types,
    canonical_base,
    questionnaire_url,
)
from icbt_content.model.deployment import Deployment, FhirConnection, wording
from icbt_content.model.programme import Programme


def origin(url: str) -> str:
    """The origin (scheme://host[:port]) of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def connect_origins(fhir: FhirConnection) -> list[str]:
    """The origins a connected site's scripts may reach: the FHIR server, then the auth server."""
    found = [origin(fhir.base_url), origin(fhir.authorization_server)]
    return list(dict.fromkeys(found))


def connected_csp(csp: str, fhir: FhirConnection) -> str:
    """``csp`` with connect-src opened to the FHIR server and the authorisation server.

    Sources ``csp`` already allows (a preview's ``'self'``) are kept; ``'none'`` is replaced.
    """
    directives = [d.strip() for d in csp.split(";") if d.strip()]
    sources: list[str] = []
    for directive in directives:
        name, *values = directive.split()
        if name == "connect-src":
            sources = [v for v in values if v != "'none'"]
    opened = "connect-src " + " ".join(dict.fromkeys([*sources, *connect_origins(fhir)]))
    kept = [d for d in directives if d.split()[0] != "connect-src"]
    if len(kept) == len(directives):
        return "; ".join([*kept, opened])
    return "; ".join(opened if d.split()[0] == "connect-src" else d for d in directives)


def site_csp(csp: str, deployment: Deployment) -> str:
    """The pages' policy for this deployment: ``csp`` itself unless the site is connected."""
    if deployment.connection == "fhir" and deployment.fhir is not None:
        return connected_csp(csp, deployment.fhir)
    return csp


def vendor_files(deployment: Deployment) -> dict[str, bytes]:
    """A connected site's own assets: its scripts (``assets/loop/``) and the vendored SMART
    client with its licence (``assets/vendor/fhirclient/``). None for an unconnected site."""
    if deployment.connection != "fhir":
        return {}
    static = resources.files("icbt_content.render") / "static"
    vendor = static / "vendor" / "fhirclient"
    names = ("fhir-client.min.js", "fhir-client.min.js.LICENSE.txt", "LICENSE")
    found = {f"assets/vendor/fhirclient/{name}": (vendor / name).read_bytes() for name in names}
    for entry in sorted((static / "loop").iterdir(), key=lambda e: e.name):
        if entry.is_file() and entry.name.endswith(".js"):
            found[f"assets/loop/{entry.name}"] = entry.read_bytes()
    return found


def service_text(deployment: Deployment, locale: str) -> dict[str, str] | None:
    """The service's name, contact and risk response time in ``locale`` (None when unconnected)."""
    service = deployment.service
    if deployment.connection != "fhir" or service is None:
        return None
    return {
        "name": wording(service.name, locale),
        "contact": wording(service.contact, locale),
        "response": wording(service.risk_response, locale),
    }


def loop_data(
    deployment: Deployment,
    programme: Programme,
    locale: str,
    urls: dict[str, str],
    keys: Iterable[str] = (),
) -> dict[str, Any] | None:
    """What connect.js needs on a page of a connected site (None when unconnected); ``keys``
    are the storage keys of the records the page saves."""
    fhir = deployment.fhir
    if deployment.connection != "fhir" or fhir is None:
        return None
    base = canonical_base(fhir.canonical_base or None)
    return {
        "fhir": fhir.base_url.rstrip("/"),
        "clientId": fhir.client_id,
        "scope": fhir.scopes,
        "programme": programme.id,
        "locale": locale,
        "connect": urls["connect"],
        "messages": urls["messages"],
        "systems": {
            "answer": contract.SYSTEM_ANSWER,
            "programme": contract.SYSTEM_PROGRAMME,
            "module": contract.SYSTEM_MODULE,
            "flag": contract.SYSTEM_FLAG,
            "flagCode": contract.FLAG_RISK_ANSWER,
            "flagCategory": contract.SYSTEM_FLAG_CATEGORY,
            "replaces": contract.EXT_REPLACES,
            "flagSource": contract.EXT_FLAG_SOURCE,
            "guidance": contract.GUIDANCE_CATEGORY,
            "unlocked": contract.UNLOCKED_STATUS,
        },
        "answers": answer_data(programme, keys, base, locale),
    }


#: How many answers may wait to be sent: far more than a client saves between two visits.
QUEUE_MAX = 2000


def sync_keys(programme: str) -> dict[str, str]:
    """The storage key of the sync record (the queue of answers to send, and what came back)."""

    return {"sync": f"{storage_prefix(programme)}sync"}


def sync_kinds() -> dict[str, Any]:
    """The schema of the sync record connect.js keeps on the device.

    ``entries``: each save to send, with the resources made from it and how far it got;
    ``links``: per exercise, the server's resource and version its next save updates;
    ``seen``: the therapist messages already read; ``unlocked``: modules the therapist opened.
    """
    ids = {"type": "array", "items": {"type": "string", "maxLength": 400}, "maxItems": QUEUE_MAX}
    return {
        "sync": {
            "type": "object",
            "properties": {
                "entries": {"type": "array", "items": {"type": "object"}, "maxItems": QUEUE_MAX},
                "links": {"type": "object"},
                "seen": ids,
                "unlocked": dict(ids),
            },
            "additionalProperties": False,
        }
    }


def answer_data(
    programme: Programme, keys: Iterable[str], base_url: str, locale: str = ""
) -> dict[str, Any]:
    """How the answers saved under ``keys`` (this page's records) become QuestionnaireResponses.

    ``measure``: per measure id, the Questionnaire (``url|version``; in a locale other than the
    programme's own, its translation, as ``icbt export --format fhir`` names it), each choice
    answer's
    Coding as the export writes it, and the risk items (answer above ``above`` raises a Flag);
    ``exercise``: per exercise id, what :func:`~icbt_content.loop.questionnaires.answer_types` says.
    """
    wanted = set(keys)
    translated = locale if locale and locale != programme.source_locale else None
    measures: dict[str, Any] = {}
    for measure in programme.measures:
        if storage_key(programme.id, measure.id, "measure") not in wanted:
            continue
        version = measure.version or programme.version
        codings = answer_codings(measure, base_url=base_url)
        measures[measure.id] = {
            "url": f"{questionnaire_url(measure, base_url=base_url, locale=translated)}|{version}",
            "title": measure.short_title or measure.title,
            "codings": {item: {str(v): c for v, c in by.items()} for item, by in codings.items()},
            "risk": {
                item.id: {"above": item.risk.above, "number": number}
                for number, item in enumerate(measure.items, start=1)
                if item.risk is not None and "flag-therapist" in item.risk.triggers
            },
        }
    exercises = {
        exercise.id: answer_types(programme, exercise, base_url)
        for exercise in programme.exercises()
        if storage_key(programme.id, exercise.id) in wanted
    }
    return {"measure": measures, "exercise": exercises}
