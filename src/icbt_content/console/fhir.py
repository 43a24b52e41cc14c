"""A small FHIR R4 REST client on httpx: search (following pages), read, create, update.

Errors carry the HTTP status and the resource type only, never a resource or a query value, so
nothing clinical can reach a log through an exception.
"""

from __future__ import annotations

from typing import Any

import httpx

from icbt_content.errors import IcbtError

FHIR_JSON = "application/fhir+json"
#: Pages of one search the console follows at most (a caseload, not a bulk export).
MAX_PAGES = 20


class FhirError(IcbtError):
    """The FHIR server refused or failed a request."""

    def __init__(self, status: int, what: str) -> None:
        super().__init__(f"the FHIR server answered {status} to {what}")
        self.status = status


class FhirClient:
    """Requests to one FHIR server with one therapist's access token."""

    def __init__(self, http: httpx.AsyncClient, base: str, access_token: str) -> None:
        self.http = http
        self.base = base.rstrip("/")
        self.headers = {"Authorization": f"Bearer {access_token}", "Accept": FHIR_JSON}

    async def _send(
        self,
        method: str,
        path: str,
        *,
        what: str,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        url = path if path.startswith(("http://", "https://")) else f"{self.base}/{path}"
        sent = {**self.headers, **(headers or {})}
        if body is not None:
            sent["Content-Type"] = FHIR_JSON
        try:
            answer = await self.http.request(method, url, params=params, json=body, headers=sent)
        except httpx.HTTPError:
            raise FhirError(0, what) from None
        if answer.status_code >= 400:
            raise FhirError(answer.status_code, what)
        return answer

    async def search(self, resource_type: str, params: dict[str, str]) -> list[dict[str, Any]]:
        """Return every resource a search matches (its ``match`` entries), following pages."""
        answer = await self._send(
            "GET", resource_type, params={"_count": "100", **params}, what=f"{resource_type}?"
        )
        found: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            bundle = answer.json()
            for entry in bundle.get("entry", []):
                resource = entry.get("resource")
                mode = entry.get("search", {}).get("mode", "match")
                right_type = isinstance(resource, dict) and (
                    resource.get("resourceType") == resource_type
                )
                if right_type and mode == "match":
                    found.append(resource)
            following = next(
                (link["url"] for link in bundle.get("link", []) if link.get("relation") == "next"),
                None,
            )
            if not following:
                break
            answer = await self._send("GET", following, what=f"{resource_type}? (next page)")
        return found

    async def read(self, resource_type: str, resource_id: str) -> dict[str, Any]:
        """Read one resource."""
        answer = await self._send(
            "GET", f"{resource_type}/{resource_id}", what=f"read {resource_type}"
        )
        return dict(answer.json())

    async def create(
        self, resource: dict[str, Any], *, if_none_exist: str | None = None
    ) -> dict[str, Any]:
        """Create a resource (only if ``if_none_exist`` finds none); return it as stored."""
        kind = str(resource["resourceType"])
        headers = {"Prefer": "return=representation"}
        if if_none_exist:
            headers["If-None-Exist"] = if_none_exist
        answer = await self._send(
            "POST", kind, body=resource, headers=headers, what=f"create {kind}"
        )
        return dict(answer.json())

    async def update(self, resource: dict[str, Any]) -> dict[str, Any]:
        """Update a resource only if nobody changed it since it was read (``If-Match``)."""
        kind, ident = str(resource["resourceType"]), str(resource["id"])
        headers = {"Prefer": "return=representation"}
        version = resource.get("meta", {}).get("versionId")
        if version:
            headers["If-Match"] = f'W/"{version}"'
        answer = await self._send(
            "PUT", f"{kind}/{ident}", body=resource, headers=headers, what=f"update {kind}"
        )
        return dict(answer.json())
