"""The console's settings: deploy.yaml's ``fhir:`` (shared with the connected site) and
``console:`` sections, and the client secret from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import HttpUrl

from icbt_content.deployment import DEPLOY_FILE, load_deployment
from icbt_content.diagnostics import Diagnostic, diagnostic
from icbt_content.loop.contract import CONSOLE_SCOPES
from icbt_content.model.console import LOOPBACK_HOSTS, ConsoleSettings
from icbt_content.model.deployment import FhirConnection


@dataclass(frozen=True)
class ConsoleConfig:
    """Everything the console needs to run: the settings and the secret they point to."""

    settings: ConsoleSettings
    client_secret: str = ""
    fhir: FhirConnection | None = None
    """deploy.yaml's ``fhir:`` section (the connected site's), when there is one."""

    @property
    def fhir_base(self) -> str:
        """The FHIR base URL, without a trailing slash."""
        chosen = self.settings.fhir_base or (self.fhir.base_url if self.fhir else "")
        return str(chosen).rstrip("/")

    @property
    def client_id(self) -> str:
        """The console's SMART client id."""
        if self.fhir is not None and "client_id" not in self.settings.model_fields_set:
            return self.fhir.console_client_id
        return self.settings.client_id

    @property
    def public_url(self) -> str:
        """Where the console is opened, without a trailing slash."""
        return str(self.settings.public_url).rstrip("/")

    @property
    def redirect_uri(self) -> str:
        """Where the authorisation server sends the therapist back after signing in."""
        return f"{self.public_url}/callback"

    @property
    def scope(self) -> str:
        """The scopes the console asks for."""
        return self.fhir.console_scopes if self.fhir is not None else CONSOLE_SCOPES

    @property
    def secure_cookies(self) -> bool:
        """Cookies are ``Secure`` unless the console runs on the loopback interface."""
        return self.settings.public_url.host not in LOOPBACK_HOSTS


def load_console_config(
    project: Path, environ: Mapping[str, str] | None = None, *, public_url: str | None = None
) -> tuple[ConsoleConfig | None, list[Diagnostic]]:
    """Read the console's settings and the client secret; None when it cannot run, and every
    problem found (warnings too).

    ``public_url`` (where the console listens) is used when deploy.yaml does not set one and it
    is a loopback address; anywhere else the service names its public https URL itself.
    """
    deployment, problems = load_deployment(project)
    if any(problem.severity == "error" for problem in problems):
        return None, problems
    settings = deployment.console or ConsoleSettings()
    fhir = deployment.fhir
    if settings.fhir_base is None and fhir is None:
        return None, [
            diagnostic(
                "ICBT940",
                "deploy.yaml names no FHIR server for the console: it has no 'fhir:' section and "
                "no 'fhir_base' under 'console:'",
                DEPLOY_FILE,
                hint="add the connected site's 'fhir:' section, or 'console:' with "
                "'fhir_base: https://...' (see docs/therapist-console.md)",
            )
        ]
    console_base = str(settings.fhir_base or "").rstrip("/")
    if fhir is not None and console_base and console_base != fhir.base_url.rstrip("/"):
        return None, [
            diagnostic(
                "ICBT943",
                f"'console: fhir_base' ({console_base}) is not the site's FHIR server "
                f"'fhir: base_url' ({fhir.base_url})",
                DEPLOY_FILE,
                _console_line(project),
                hint="the console and the site must use the same server: remove "
                "'fhir_base' under 'console:'",
            )
        ]
    line = _console_line(project)
    secret = (environ if environ is not None else os.environ).get(settings.client_secret_env, "")
    if not secret:
        return None, [
            diagnostic(
                "ICBT941",
                f"the environment variable {settings.client_secret_env} is not set, so the "
                "console cannot sign in to the authorisation server",
                DEPLOY_FILE,
                line,
                hint="set it to the client secret the authorisation server gave the console; "
                "the secret never goes in deploy.yaml",
            )
        ]
    if public_url and "public_url" not in settings.model_fields_set:
        listening = HttpUrl(public_url)
        if listening.host in LOOPBACK_HOSTS:
            settings = settings.model_copy(update={"public_url": listening})
    # Warnings (a 'fhir:' section the site does not use...) do not stop the console.
    return ConsoleConfig(settings=settings, client_secret=secret, fhir=fhir), problems


def _console_line(project: Path) -> int:
    """The line of ``console:`` in deploy.yaml (1 when it cannot be found)."""
    text = (project / DEPLOY_FILE).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("console:"):
            return number
    return 1
