"""What a site connected to its service's FHIR server adds: its CSP, scripts and page data.

The site stays static: its scripts talk to exactly two other origins, the FHIR server and the
SMART authorisation server named in deploy.yaml, and the Content-Security-Policy (the pages'
``<meta>`` and the hosting headers) lets them reach those two and nothing else.
"""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from icbt_content.loop import contract
from icbt_content.model.deployment import Deployment, FhirConnection, wording

#: Where the vendored SMART client is copied in the site (``assets/`` + this).
FHIRCLIENT = "vendor/fhirclient/fhir-client.min.js"


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
    """The vendored SMART client and its licence, for the site's assets (connected sites only)."""
    if deployment.connection != "fhir":
        return {}
    vendor = resources.files("icbt_content.render") / "static" / "vendor" / "fhirclient"
    names = ("fhir-client.min.js", "fhir-client.min.js.LICENSE.txt", "LICENSE")
    return {f"assets/vendor/fhirclient/{name}": (vendor / name).read_bytes() for name in names}


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
    deployment: Deployment, programme: str, locale: str, urls: dict[str, str]
) -> dict[str, Any] | None:
    """What connect.js needs on every page of a connected site (None when unconnected)."""
    fhir = deployment.fhir
    if deployment.connection != "fhir" or fhir is None:
        return None
    from icbt_content.export.fhir import canonical_base

    return {
        "fhir": fhir.base_url.rstrip("/"),
        "clientId": fhir.client_id,
        "scope": fhir.scopes,
        "canonical": canonical_base(fhir.canonical_base or None),
        "programme": programme,
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
    }


#: How many answers may wait to be sent: far more than a client saves between two visits.
QUEUE_MAX = 2000


def sync_keys(programme: str) -> dict[str, str]:
    """The storage key of the sync record (the queue of answers to send, and what came back)."""
    from icbt_content.ids import storage_prefix

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
