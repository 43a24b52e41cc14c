"""The console app without servers: headers, sign-in checks, CSRF and sessions.

The FHIR server and the authorisation server are answered by an httpx mock transport; the
browser is Starlette's test client. The real servers are in tests/fhirloop/test_console.py.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
import warnings
from collections.abc import Iterator

import httpx
import pytest

from icbt_content.console.app import create_app
from icbt_content.console.settings import ConsoleConfig
from icbt_content.console.web import CSP
from icbt_content.model.console import ConsoleSettings

# Starlette's test client still runs on httpx, as the console does: its deprecation is noise.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

FHIR = "https://fhir.example.org/r4"
AUTH = "https://auth.example.org"


def id_token(claims: dict[str, str]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJub25lIn0.{payload}.sig"


def servers(request: httpx.Request) -> httpx.Response:
    if str(request.url) == f"{FHIR}/.well-known/smart-configuration":
        return httpx.Response(
            200,
            json={"authorization_endpoint": f"{AUTH}/auth", "token_endpoint": f"{AUTH}/token"},
        )
    if request.url == f"{AUTH}/token":
        form = dict(urllib.parse.parse_qsl(request.content.decode()))
        if form.get("code") != "good-code" or not form.get("code_verifier"):
            return httpx.Response(400, json={"error": "invalid_grant"})
        assert request.headers["Authorization"].startswith("Basic ")
        token = id_token({"fhirUser": f"{FHIR}/Practitioner/sam"})
        return httpx.Response(
            200, json={"access_token": "at", "expires_in": 300, "id_token": token}
        )
    return httpx.Response(404)


def app_client(public_url: str = "http://127.0.0.1:8400", fhir: str = FHIR) -> TestClient:
    settings = ConsoleSettings.model_validate({"fhir_base": fhir, "public_url": public_url})
    config = ConsoleConfig(settings, client_secret="secret")
    app = create_app(config, [], transport=httpx.MockTransport(servers))
    return TestClient(app, base_url=public_url, follow_redirects=False)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with app_client() as test_client:
        yield test_client


def sign_in(client: TestClient) -> str:
    """Go through /login and /callback; return the state the console sent."""
    login = client.get("/login")
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(login.headers["location"]).query))[
        "state"
    ]
    done = client.get("/callback", params={"state": state, "code": "good-code"})
    assert done.status_code == 303 and done.headers["location"] == "/"
    return state


@pytest.mark.parametrize("path", ["/", "/static/console.css", "/nowhere", "/login"])
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.headers["content-security-policy"] == CSP
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["cache-control"] == "no-store"
    assert "script" not in CSP


def test_signing_in_uses_pkce_and_the_fhir_server_as_audience(client: TestClient) -> None:
    login = client.get("/login")
    assert login.status_code == 303
    target = urllib.parse.urlsplit(login.headers["location"])
    params = dict(urllib.parse.parse_qsl(target.query))
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{AUTH}/auth"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert params["aud"] == FHIR
    assert params["redirect_uri"] == "http://127.0.0.1:8400/callback"
    assert params["scope"] == "openid fhirUser user/*.cruds"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


def test_cookies_are_secure_off_loopback() -> None:
    with app_client("https://console.example.org") as client:
        assert "Secure" in client.get("/login").headers["set-cookie"]


def test_the_callback_needs_the_state_it_was_sent(client: TestClient) -> None:
    client.get("/login")
    wrong = client.get("/callback", params={"state": "forged", "code": "good-code"})
    assert wrong.status_code == 400
    assert "sign in again" in wrong.text
    assert client.get("/").text.count("Sign in") >= 1  # not signed in


def test_a_refused_code_signs_no_one_in(client: TestClient) -> None:
    login = client.get("/login")
    query = urllib.parse.urlsplit(login.headers["location"]).query
    state = dict(urllib.parse.parse_qsl(query))["state"]
    answer = client.get("/callback", params={"state": state, "code": "bad-code"})
    assert answer.status_code == 502
    assert "Your caseload" not in client.get("/").text


def test_signing_in_renews_the_session(client: TestClient) -> None:
    client.get("/login")
    before = client.cookies.get("icbt_console")
    sign_in(client)
    after = client.cookies.get("icbt_console")
    assert before and after and before != after


def test_without_a_session_pages_and_forms_go_to_sign_in(client: TestClient) -> None:
    assert client.get("/programmes/sad/clients/alex").status_code == 303
    answer = client.post("/programmes/sad/clients/alex/flags/f1/acknowledge", data={"csrf": "x"})
    assert answer.status_code == 303 and answer.headers["location"] == "/"


def test_a_form_without_the_sessions_csrf_token_is_refused(client: TestClient) -> None:
    sign_in(client)
    answer = client.post("/logout", data={"csrf": "not-it"})
    assert answer.status_code == 403
    assert "This form has expired" in answer.text


def test_a_form_from_another_origin_is_refused(client: TestClient) -> None:
    sign_in(client)
    page = client.get("/")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    foreign = client.post(
        "/logout", data={"csrf": csrf}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert client.post("/logout", data={"csrf": csrf}).status_code == 303
    assert "Sign in" in client.get("/").text


def test_a_signed_out_session_cannot_be_used_again(client: TestClient) -> None:
    sign_in(client)
    cookie = client.cookies.get("icbt_console")
    csrf = client.get("/").text.split('name="csrf" value="')[1].split('"')[0]
    client.post("/logout", data={"csrf": csrf})
    client.cookies.set("icbt_console", cookie or "")
    assert client.get("/programmes/sad/clients/alex").status_code == 303


def test_an_unknown_fhir_server_is_a_plain_error() -> None:
    with app_client(fhir="https://down.example.org/r4") as client:
        answer = client.get("/login")
        assert answer.status_code == 502
        assert "did not say where to sign in" in answer.text
