"""The console's settings: the ``console:`` section of deploy.yaml, and the client secret."""

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


@dataclass(frozen=True)
class ConsoleConfig:
    """Everything the console needs to run: the settings and the secret they point to."""

    settings: ConsoleSettings
    client_secret: str = ""

    @property
    def fhir_base(self) -> str:
        """The FHIR base URL, without a trailing slash."""
        return str(self.settings.fhir_base).rstrip("/")

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
        return CONSOLE_SCOPES

    @property
    def secure_cookies(self) -> bool:
        """Cookies are ``Secure`` unless the console runs on the loopback interface."""
        return self.settings.public_url.host not in LOOPBACK_HOSTS


def load_console_config(
    project: Path, environ: Mapping[str, str] | None = None, *, public_url: str | None = None
) -> tuple[ConsoleConfig | None, list[Diagnostic]]:
    """Read deploy.yaml's ``console:`` section and the client secret; None with diagnostics.

    ``public_url`` (where the console listens) is used when deploy.yaml does not set one and it
    is a loopback address; anywhere else the service names its public https URL itself.
    """
    deployment, problems = load_deployment(project)
    if problems:
        return None, problems
    settings = deployment.console
    if settings is None:
        return None, [
            diagnostic(
                "ICBT940",
                "deploy.yaml has no 'console:' section, so the console cannot reach a FHIR server",
                DEPLOY_FILE,
                hint="add 'console:' with at least 'fhir_base: https://...' "
                "(see docs/therapist-console.md)",
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
    return ConsoleConfig(settings=settings, client_secret=secret), []


def _console_line(project: Path) -> int:
    """The line of ``console:`` in deploy.yaml (1 when it cannot be found)."""
    text = (project / DEPLOY_FILE).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("console:"):
            return number
    return 1
