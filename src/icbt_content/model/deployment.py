"""deploy.yaml: what the deploying service decides for its site."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from icbt_content.model.base import ContentModel
from icbt_content.model.console import ConsoleSettings

#: How a built site reaches the service. ``none``: nothing leaves the client's device, so no page
#: may say that anyone is told of anything. Connections that send answers are added here, with
#: the wording that says what they do (see the ``risk-alert/`` templates).
Connection = Literal["none"]


class Deployment(ContentModel):
    """deploy.yaml at the project root (optional: every field has a safe default)."""

    connection: Connection = "none"
    """How the site reaches the service; 'none' is the only one today."""
    crisis_max_age_months: int = Field(default=12, ge=1, le=24)
    """How long a check of a locale's crisis services stays valid; older is an error."""
    console: ConsoleSettings | None = None
    """The therapist console's connection to the FHIR server (``icbt console``)."""
