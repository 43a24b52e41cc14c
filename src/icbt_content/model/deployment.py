"""deploy.yaml: what the deploying service decides for its site."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from icbt_content.loop.contract import CLIENT_SCOPES, CONSOLE_SCOPES
from icbt_content.model.base import ContentModel
from icbt_content.model.console import ConsoleSettings

#: How a built site reaches the service. ``none``: nothing leaves the client's device, so no page
#: may say that anyone is told of anything. ``fhir``: the site is a SMART on FHIR app of the
#: service's own FHIR R4 server (the guidance loop); each connection has its own risk wording
#: (the ``risk-alert/<connection>.html`` templates).
Connection = Literal["none", "fhir"]

#: Wording a service gives once for every language, or per locale (``{en-GB: ..., ar: ...}``).
Wording = str | dict[str, str]


class FhirConnection(ContentModel):
    """deploy.yaml ``fhir:``: the service's FHIR server and the two SMART apps registered on it."""

    base_url: str = Field(min_length=1, max_length=2000)
    """The FHIR R4 base URL (https; http only on 127.0.0.1 or localhost, for a trial)."""
    authorization_server: str = Field(min_length=1, max_length=2000)
    """The SMART authorisation server (its issuer URL): the site's only other origin."""
    client_id: str = Field(min_length=1, max_length=200)
    """The SMART client id of the client site (a public client: PKCE, no secret)."""
    console_client_id: str = Field(min_length=1, max_length=200)
    """The SMART client id of the therapist console."""
    scopes: str = Field(default=CLIENT_SCOPES, max_length=2000)
    """What the client site asks for (space-separated SMART scopes)."""
    console_scopes: str = Field(default=CONSOLE_SCOPES, max_length=2000)
    """What the therapist console asks for."""
    canonical_base: str = Field(default="", max_length=2000)
    """The canonical base of the exported Questionnaires ('' keeps the export's default)."""


class Service(ContentModel):
    """deploy.yaml ``service:``: who the client's answers reach, and what that service promises."""

    name: Wording
    """The service's name, as clients know it."""
    contact: Wording
    """How a client reaches the service themselves (a telephone number, office hours)."""
    risk_response: Wording
    """How soon the service aims to contact a client after a risk answer, in words that fit
    'aims to contact you within ...' (for example 'one working day')."""
    risk_response_hours: int = Field(ge=1, le=168)
    """The same promise in hours, as the service's own risk procedure states it."""


class Deployment(ContentModel):
    """deploy.yaml at the project root (optional: every field has a safe default)."""

    connection: Connection = "none"
    """How the site reaches the service: 'none' (nothing leaves the device) or 'fhir'."""
    crisis_max_age_months: int = Field(default=12, ge=1, le=24)
    """How long a check of a locale's crisis services stays valid; older is an error."""
    console: ConsoleSettings | None = None
    """The therapist console's connection to the FHIR server (``icbt console``)."""
    fhir: FhirConnection | None = None
    """The FHIR server and SMART apps (needed by ``connection: fhir``)."""
    service: Service | None = None
    """The service the site connects to (needed by ``connection: fhir``)."""


def wording(value: Wording, locale: str) -> str:
    """The service's wording for ``locale``: its own, its language's, else the first given."""
    if isinstance(value, str):
        return value
    language = locale.split("-")[0]
    for code in (locale, *(c for c in value if c.split("-")[0] == language)):
        if code in value:
            return value[code]
    return next(iter(value.values()), "")
