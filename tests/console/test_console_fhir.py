"""The console's FHIR client: conditional writes, paging, and errors that carry no data."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from icbt_content.console.fhir import FhirClient, FhirError

BASE = "https://fhir.example.org/r4"
FLAG = {"resourceType": "Flag", "id": "f1", "meta": {"versionId": "3"}, "status": "inactive"}


def run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine in a thread of its own: in the whole suite, Playwright's synchronous API
    keeps an event loop running in the main thread, where asyncio.run refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def client(answer: Any) -> tuple[FhirClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request) if callable(answer) else answer

    http = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    return FhirClient(http, BASE, "token"), seen


def test_an_update_is_conditional_on_the_version_read() -> None:
    fhir, seen = client(httpx.Response(200, json=FLAG))
    run(fhir.update(FLAG))
    assert seen[0].method == "PUT" and seen[0].url == f"{BASE}/Flag/f1"
    assert seen[0].headers["If-Match"] == 'W/"3"'
    assert seen[0].headers["Authorization"] == "Bearer token"


def test_someone_elses_change_is_a_412_with_no_data_in_the_error() -> None:
    fhir, _ = client(httpx.Response(412, json={"resourceType": "OperationOutcome"}))
    with pytest.raises(FhirError) as raised:
        run(fhir.update({**FLAG, "note": "Robin said she is not safe"}))
    assert raised.value.status == 412
    assert str(raised.value) == "the FHIR server answered 412 to update Flag"


def test_a_create_can_be_conditional() -> None:
    fhir, seen = client(httpx.Response(201, json={"resourceType": "Communication", "id": "c1"}))
    run(fhir.create({"resourceType": "Communication"}, if_none_exist="identifier=a|b"))
    assert seen[0].headers["If-None-Exist"] == "identifier=a|b"
    assert json.loads(seen[0].content) == {"resourceType": "Communication"}


def test_a_search_follows_its_pages_and_keeps_matches_only() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        page = request.url.params.get("page", "1")
        entries = [{"resource": {"resourceType": "Flag", "id": f"f{page}"}}]
        entries.append({"resource": {"resourceType": "Patient", "id": "p"}, "search": {}})
        links = [{"relation": "next", "url": f"{BASE}/Flag?page=2"}] if page == "1" else []
        return httpx.Response(200, json={"resourceType": "Bundle", "entry": entries, "link": links})

    fhir, seen = client(answer)
    found = run(fhir.search("Flag", {"subject": "Patient/p"}))
    assert [f["id"] for f in found] == ["f1", "f2"]
    assert seen[0].url.params["subject"] == "Patient/p"


def test_an_unreachable_server_is_status_0() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    fhir, _ = client(fail)
    with pytest.raises(FhirError) as raised:
        run(fhir.read("Patient", "robin"))
    assert raised.value.status == 0
    assert "robin" not in str(raised.value)
