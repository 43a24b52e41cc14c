"""The ``console:`` section of deploy.yaml: how the therapist console reaches the FHIR server."""

from __future__ import annotations

from pydantic import Field, HttpUrl, field_validator

from icbt_content.errors import InvalidArgumentError
from icbt_content.model.base import ContentModel

#: Hosts where plain http is allowed (a trial on one machine); everywhere else https only.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _https_unless_loopback(url: HttpUrl) -> HttpUrl:
    if url.scheme != "https" and url.host not in LOOPBACK_HOSTS:
        raise InvalidArgumentError(
            "must use https (plain http is allowed only on 127.0.0.1 or localhost)"
        )
    return url


class ConsoleSettings(ContentModel):
    """The therapist console's connection: a confidential SMART client of the FHIR server."""

    fhir_base: HttpUrl | None = None
    """The FHIR R4 server's base URL; its .well-known/smart-configuration names the sign-in.
    Not needed when deploy.yaml has ``fhir:`` (the connected site's section): its
    ``base_url`` is used."""
    client_id: str = Field(default="icbt-console", min_length=1, max_length=200)
    """The console's client id, as registered with the authorisation server (default: ``fhir:``
    ``console_client_id`` when there is a ``fhir:`` section, else ``icbt-console``)."""
    client_secret_env: str = Field(
        default="ICBT_CONSOLE_CLIENT_SECRET", pattern=r"^[A-Z_][A-Z0-9_]*$"
    )
    """The environment variable holding the client secret (never the secret itself)."""
    public_url: HttpUrl = HttpUrl("http://127.0.0.1:8400")
    """Where therapists open the console; the sign-in returns to ``<public_url>/callback``."""
    session_minutes: int = Field(default=30, ge=5, le=720)
    """A session ends after this many minutes without a request (and at the token's expiry)."""
    inactive_days: int = Field(default=7, ge=1, le=90)
    """A client with no activity for this many days needs attention."""

    @field_validator("fhir_base", "public_url")
    @classmethod
    def _secure(cls, url: HttpUrl | None) -> HttpUrl | None:
        return None if url is None else _https_unless_loopback(url)
