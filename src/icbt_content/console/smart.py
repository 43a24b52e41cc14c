"""SMART App Launch for a confidential client: discovery, PKCE, the code exchange, refresh."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.parse
from dataclasses import dataclass
from typing import Any

import httpx

from icbt_content.console.settings import ConsoleConfig
from icbt_content.errors import IcbtError


class SmartError(IcbtError):
    """The authorisation server or the FHIR server did not answer as SMART requires."""


@dataclass(frozen=True)
class SmartEndpoints:
    """Where to send the therapist to sign in, and where to exchange the code."""

    authorization_endpoint: str
    token_endpoint: str


@dataclass(frozen=True)
class LoginRequest:
    """A sign-in under way: the URL to send the browser to, and what to check on return."""

    url: str
    state: str
    verifier: str


@dataclass(frozen=True)
class Tokens:
    """What the token endpoint answered: kept in the server-side session only."""

    access_token: str
    refresh_token: str | None
    expires_in: int
    fhir_user: str | None
    """The signed-in user's resource (``Practitioner/<id>``), from the id token or the answer."""


async def discover(http: httpx.AsyncClient, fhir_base: str) -> SmartEndpoints:
    """Read ``<fhir_base>/.well-known/smart-configuration``; raise SmartError when unusable."""
    try:
        answer = await http.get(f"{fhir_base}/.well-known/smart-configuration")
        data = answer.json() if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        raise SmartError(f"no answer from {fhir_base}: {type(exc).__name__}") from None
    if not isinstance(data, dict):
        raise SmartError(f"{fhir_base} has no SMART configuration (HTTP {answer.status_code})")
    endpoints = [data.get("authorization_endpoint"), data.get("token_endpoint")]
    if not all(isinstance(e, str) and e for e in endpoints):
        raise SmartError(f"{fhir_base}'s SMART configuration names no authorization endpoint")
    return SmartEndpoints(str(endpoints[0]), str(endpoints[1]))


def login_request(config: ConsoleConfig, endpoints: SmartEndpoints) -> LoginRequest:
    """Start a sign-in: authorisation code with PKCE (S256) and a fresh state."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    state = secrets.token_urlsafe(24)
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": config.client_id,
            "redirect_uri": config.redirect_uri,
            "scope": config.scope,
            "state": state,
            "aud": config.fhir_base,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return LoginRequest(f"{endpoints.authorization_endpoint}?{query}", state, verifier)


async def exchange_code(
    http: httpx.AsyncClient,
    config: ConsoleConfig,
    endpoints: SmartEndpoints,
    code: str,
    verifier: str,
) -> Tokens:
    """Exchange an authorisation code for tokens (client_secret_basic); raise SmartError."""
    return await _token_request(
        http,
        config,
        endpoints,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": config.redirect_uri,
            "code_verifier": verifier,
        },
    )


async def refresh(
    http: httpx.AsyncClient, config: ConsoleConfig, endpoints: SmartEndpoints, token: str
) -> Tokens:
    """Use a refresh token for a new access token; raise SmartError."""
    return await _token_request(
        http, config, endpoints, {"grant_type": "refresh_token", "refresh_token": token}
    )


async def _token_request(
    http: httpx.AsyncClient, config: ConsoleConfig, endpoints: SmartEndpoints, form: dict[str, str]
) -> Tokens:
    auth = httpx.BasicAuth(config.client_id, config.client_secret)
    try:
        answer = await http.post(endpoints.token_endpoint, data=form, auth=auth)
        data: Any = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SmartError(f"the token endpoint did not answer: {type(exc).__name__}") from None
    if answer.status_code != 200 or not isinstance(data, dict) or "access_token" not in data:
        # The error code only: an error description may echo what was sent.
        error = data.get("error", "") if isinstance(data, dict) else ""
        raise SmartError(f"the token endpoint refused (HTTP {answer.status_code} {error})")
    return Tokens(
        access_token=str(data["access_token"]),
        refresh_token=data.get("refresh_token"),
        expires_in=int(data.get("expires_in", 300)),
        fhir_user=_fhir_user(data),
    )


def _fhir_user(data: dict[str, Any]) -> str | None:
    """``Practitioner/<id>`` from the token answer's ``fhirUser`` or its id token's claim."""
    value = data.get("fhirUser")
    id_token = data.get("id_token")
    if not value and isinstance(id_token, str) and id_token.count(".") == 2:
        # The id token came straight from the token endpoint over TLS (OIDC Core 3.1.3.7):
        # its claims can be read without checking the signature.
        payload = id_token.split(".")[1]
        try:
            claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            return None
        value = claims.get("fhirUser") if isinstance(claims, dict) else None
    if not isinstance(value, str) or "/" not in value:
        return None
    kind, _, ident = value.rstrip("/").rpartition("/")
    return f"{kind.rpartition('/')[2]}/{ident}"
