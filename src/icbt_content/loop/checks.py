"""Checks of a deployment's connection: what the schema alone cannot say (ICBT920-925)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlsplit

from icbt_content.authoring.yamlsafe import LocatedYaml
from icbt_content.diagnostics import Diagnostic
from icbt_content.model.deployment import Deployment, FhirConnection, Service

#: Hosts a trial may reach over plain http: the machine itself.
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
#: What each app needs, as (context, resource type, permission letter).
CLIENT_NEEDS = (
    ("patient", "QuestionnaireResponse", "c"),
    ("patient", "QuestionnaireResponse", "u"),
    ("patient", "Flag", "c"),
    ("patient", "Communication", "r"),
    ("patient", "Communication", "s"),
    ("patient", "CarePlan", "r"),
    ("patient", "CarePlan", "s"),
)
CONSOLE_NEEDS = (
    ("user", "QuestionnaireResponse", "s"),
    ("user", "Flag", "s"),
    ("user", "Flag", "u"),
    ("user", "Communication", "c"),
    ("user", "CarePlan", "c"),
    ("user", "CarePlan", "u"),
    ("user", "AuditEvent", "c"),
)
CLIENT_LAUNCH = ("openid", "fhirUser", "launch/patient")
_V1 = {"read": "rs", "write": "cud", "*": "cruds"}
_SCOPE = re.compile(r"^(patient|user|system)/([A-Za-z]+|\*)\.([a-z*]+)$")

Check = Callable[[Deployment, LocatedYaml, list[str]], Iterator[Diagnostic]]


def permissions(scopes: str) -> set[tuple[str, str, str]]:
    """Every (context, type, permission) that SMART scopes (v1 or v2 syntax) grant."""
    granted: set[tuple[str, str, str]] = set()
    for scope in scopes.split():
        match = _SCOPE.match(scope)
        if match:
            context, kind, access = match.groups()
            for letter in _V1.get(access, access):
                granted.add((context, kind, letter))
    return granted


def missing_permissions(
    scopes: str, needs: Iterable[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """The needs that ``scopes`` do not grant (a ``*`` type grants every type)."""
    granted = permissions(scopes)
    return [
        (context, kind, letter)
        for context, kind, letter in needs
        if (context, kind, letter) not in granted and (context, "*", letter) not in granted
    ]


def _needs_settings(d: Deployment, at: LocatedYaml, locales: list[str]) -> Iterator[Diagnostic]:
    if d.connection == "fhir":
        for name in ("fhir", "service"):
            if getattr(d, name) is None:
                yield at.at(
                    "ICBT920",
                    f"'connection: fhir' needs a '{name}:' section",
                    ("connection",),
                    hint=f"add '{name}:' (see docs/deploying-fhir.md), or use 'connection: none'",
                )
    else:
        for name in ("fhir", "service"):
            if getattr(d, name) is not None:
                yield at.at(
                    "ICBT922",
                    f"'{name}:' is not used: the connection is '{d.connection}'",
                    (name,),
                    hint="set 'connection: fhir' to connect the site, or remove the section",
                )


def address_problem(url: str) -> str:
    """Why ``url`` cannot be a server address of a connected site ('' when it can)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "is not an http(s) address"
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        return "uses http: answers would cross the network unencrypted"
    if parts.query or parts.fragment or parts.username or parts.password:
        return "has a query, a fragment or a user name"
    return ""


def _addresses(d: Deployment, at: LocatedYaml, locales: list[str]) -> Iterator[Diagnostic]:
    if d.connection != "fhir" or d.fhir is None:
        return
    for name in ("base_url", "authorization_server", "canonical_base"):
        url = getattr(d.fhir, name)
        problem = address_problem(url) if url else ""
        if problem:
            yield at.at(
                "ICBT921",
                f"fhir.{name} '{url}' {problem}",
                ("fhir", name),
                hint="use https://...; http is allowed only on 127.0.0.1 or localhost, for a trial",
            )


def _scopes(d: Deployment, at: LocatedYaml, locales: list[str]) -> Iterator[Diagnostic]:
    if d.connection != "fhir" or d.fhir is None:
        return
    fhir: FhirConnection = d.fhir
    launch = [s for s in CLIENT_LAUNCH if s not in fhir.scopes.split()]
    for field_name, scopes, needs in (
        ("scopes", fhir.scopes, CLIENT_NEEDS),
        ("console_scopes", fhir.console_scopes, CONSOLE_NEEDS),
    ):
        missing = [f"{c}/{k}.{p}" for c, k, p in missing_permissions(scopes, needs)]
        if field_name == "scopes":
            missing = launch + missing
        if missing:
            yield at.at(
                "ICBT923",
                f"fhir.{field_name} do not grant what the guidance loop needs: "
                + ", ".join(missing),
                ("fhir", field_name),
                hint="leave the field out to use the default scopes (docs/deploying-fhir.md)",
            )
    broad = [s for s in fhir.scopes.split() if s.startswith(("user/", "system/"))]
    if broad:
        yield at.at(
            "ICBT923",
            f"fhir.scopes ask for more than one client's own record: {', '.join(broad)}",
            ("fhir", "scopes"),
            hint="the client site asks only for patient/ scopes",
        )


def _wording(d: Deployment, at: LocatedYaml, locales: list[str]) -> Iterator[Diagnostic]:
    service: Service | None = d.service
    if d.connection != "fhir" or service is None:
        return
    for name in ("name", "contact", "risk_response"):
        value = getattr(service, name)
        if not isinstance(value, dict):
            continue
        languages = {code.split("-")[0] for code in value}
        missing = [c for c in locales if c not in value and c.split("-")[0] not in languages]
        if missing:
            yield at.at(
                "ICBT924",
                f"service.{name} has no wording for {', '.join(missing)}",
                ("service", name),
                hint="give the wording for every locale the site is published in",
            )


def _client_ids(d: Deployment, at: LocatedYaml, locales: list[str]) -> Iterator[Diagnostic]:
    if d.connection == "fhir" and d.fhir and d.fhir.client_id == d.fhir.console_client_id:
        yield at.at(
            "ICBT925",
            f"the client site and the therapist console share the client id '{d.fhir.client_id}'",
            ("fhir", "console_client_id"),
            hint="register two apps: the site is a public client, the console a confidential one",
        )


#: Every check of a connection, in the order their diagnostics are reported.
CHECKS: tuple[Check, ...] = (_needs_settings, _addresses, _scopes, _wording, _client_ids)


def check_connection(d: Deployment, at: LocatedYaml, locales: list[str]) -> list[Diagnostic]:
    """Every problem of a deployment's connection settings."""
    return [problem for check in CHECKS for problem in check(d, at, locales)]
