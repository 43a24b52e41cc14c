"""A real SMART standalone launch in chromium with the vendored fhirclient, against real servers.

A client (alex) opens a test page, signs in on the authorisation server's own login page,
comes back with a token that carries her patient context, answers the project's PHQ-9 as
exported to FHIR, creates the QuestionnaireResponse and reads it back. Her therapist (sam),
signed in to the console app, then finds it by searching.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from browser_thread import BrowserThread
from fhir_servers import FhirServers, Token
from fhir_validation import assert_valid_r4
from playwright.sync_api import Browser, Request

from icbt_content.export import questionnaire
from icbt_content.measures import builtin_measures, load_measure

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CANONICAL_BASE = "https://icbt.test/fhir"
THERAPIST_SCOPE = "openid fhirUser user/*.cruds"


@pytest.fixture(scope="module")
def therapist(fhir_servers: FhirServers) -> Token:
    """Sam, signed in to the therapist console (a confidential client)."""
    return fhir_servers.sign_in("sam", "icbt-console", THERAPIST_SCOPE)


@pytest.fixture(scope="module")
def phq9(fhir_servers: FhirServers, therapist: Token) -> dict[str, Any]:
    """The project's PHQ-9 exported as a Questionnaire, stored on the server by the therapist."""
    measure, problems = load_measure(builtin_measures()["phq9"], REPO)
    assert measure is not None, problems
    resource = questionnaire(measure, base_url=CANONICAL_BASE)
    assert_valid_r4(resource)
    stored = fhir_servers.request(therapist, "PUT", f"Questionnaire/{resource['id']}", resource)
    assert stored.status in (200, 201), stored.body
    return dict(stored.body)


@pytest.fixture(scope="module")
def launch(
    fhir_servers: FhirServers, loop_browser: BrowserThread, smart_app_origin: str, phq9: dict
) -> dict[str, Any]:
    """Run the launch in chromium once; return what the page showed and the requests it made."""
    query = urllib.parse.urlencode({"iss": fhir_servers.fhir_base, "questionnaire": phq9["url"]})

    def scenario(browser: Browser) -> dict[str, Any]:
        context = browser.new_context()
        requests: list[dict[str, Any]] = []
        console: list[str] = []

        def record(request: Request) -> None:
            requests.append(
                {"method": request.method, "url": request.url, "body": request.post_data}
            )

        try:
            page = context.new_page()
            page.on("request", record)
            page.on("console", lambda message: console.append(message.text))
            page.goto(f"{smart_app_origin}/launch.html?{query}")
            # The authorisation server's own sign-in page, driven as a person would.
            page.get_by_label("Username").fill("alex")
            page.get_by_label("Password").fill(fhir_servers.users["alex"]["password"])
            login_url = page.url
            page.get_by_role("button", name="Sign in").click()
            # A locator, not wait_for_function: the site's CSP forbids the eval it would need.
            done = page.locator("#status").filter(has_text=re.compile(r"^(Saved|Failed)"))
            done.wait_for(timeout=30_000)
            status = page.locator("#status").inner_text()
            result = json.loads(page.locator("#result").inner_text())
            return {
                "status": status,
                "result": result,
                "requests": requests,
                "login": login_url,
                "console": console,
            }
        finally:
            context.close()

    return loop_browser.run(scenario)


def test_standalone_launch_with_pkce_gives_a_patient_context(
    launch: dict[str, Any], fhir_servers: FhirServers
) -> None:
    assert launch["status"] == "Saved", launch["result"]
    result = launch["result"]
    assert result["patient"] == "alex"
    assert result["fhirUser"] == "Patient/alex"
    granted = result["scope"].split()
    assert {"openid", "fhirUser", "launch/patient", "patient/*.cruds"} <= set(granted)
    assert result["hasRefreshToken"] is True
    # The sign-in page was the authorisation server's, not the app's.
    assert launch["login"].startswith(fhir_servers.issuer + "/interaction/")
    authorize = next(
        r for r in launch["requests"] if r["url"].startswith(fhir_servers.issuer + "/auth?")
    )
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorize["url"]).query))
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) >= 43
    assert params["aud"] == fhir_servers.fhir_base
    assert params["client_id"] == "icbt-site"
    token = next(r for r in launch["requests"] if r["url"] == fhir_servers.issuer + "/token")
    sent = dict(urllib.parse.parse_qsl(token["body"]))
    assert sent["grant_type"] == "authorization_code"
    assert "code_verifier" in sent
    assert "client_secret" not in sent  # a public client


def test_the_created_response_is_read_back_and_valid_r4(launch: dict[str, Any], phq9: dict) -> None:
    result = launch["result"]
    created, read_back = result["created"], result["readBack"]
    assert read_back == created
    assert created["subject"] == {"reference": "Patient/alex"}
    assert created["questionnaire"] == phq9["url"]
    assert [item["linkId"] for item in created["item"]] == [f"q{n}" for n in range(1, 10)]
    assert created["meta"]["versionId"]
    assert_valid_r4(created)


def test_the_client_works_under_the_sites_csp(launch: dict[str, Any]) -> None:
    # The pages are served with the site's CSP (no inline script, no eval), connect-src opened
    # to the two servers only: nothing was blocked.
    assert launch["status"] == "Saved"
    assert not [text for text in launch["console"] if "Content Security Policy" in text]


def test_only_the_three_origins_are_contacted(
    launch: dict[str, Any], fhir_servers: FhirServers, smart_app_origin: str
) -> None:
    origins = {
        "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(r["url"]))
        for r in launch["requests"]
    }
    fhir_origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(fhir_servers.fhir_base))
    assert origins == {smart_app_origin, fhir_servers.issuer, fhir_origin}


def test_the_therapist_finds_the_response_by_searching(
    launch: dict[str, Any], fhir_servers: FhirServers, therapist: Token, phq9: dict
) -> None:
    created = launch["result"]["created"]
    query = urllib.parse.urlencode({"subject": "Patient/alex", "questionnaire": phq9["url"]})
    found = fhir_servers.request(therapist, "GET", f"QuestionnaireResponse?{query}")
    assert found.status == 200, found.body
    ids = [entry["resource"]["id"] for entry in found.body.get("entry", [])]
    assert created["id"] in ids
    assert_valid_r4(found.body)
