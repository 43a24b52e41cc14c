"""Start the guidance-loop test servers and talk to them as a SMART app would.

The servers are the Node programs in ``tests/servers/``: a FHIR R4 server (Medplum's FHIR router)
and an OpenID Connect provider (oidc-provider). Everything here speaks plain HTTP to them with the
standard library, so what the tests check is what any SMART client would see.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

SERVERS = Path(__file__).resolve().parent.parent / "servers"
SETUP = json.loads((SERVERS / "setup.json").read_text(encoding="utf-8"))
READY_TIMEOUT = 90.0


def install_server_packages() -> None:
    """Run ``npm ci`` for the servers when their node_modules is missing or stale."""
    subprocess.run([str(SERVERS / "install.sh")], check=True)


def free_port() -> int:
    """Return a loopback port that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NodeServer:
    """One server process: started, waited for, killed and started again on the same port."""

    def __init__(self, name: str, script: str, args: list[str], log: Path) -> None:
        self.name = name
        self.command = ["node", str(SERVERS / script), *args]
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.start_seconds: list[float] = []

    def start(self) -> None:
        """Start the server and wait until it says it is ready."""
        started = time.monotonic()
        with self.log.open("ab") as log:
            log.write(f"--- starting {self.name}\n".encode())
            offset = log.tell()
            self.process = subprocess.Popen(
                self.command, cwd=SERVERS, stdout=log, stderr=subprocess.STDOUT
            )
        while time.monotonic() - started < READY_TIMEOUT:
            text = self.log.read_bytes()[offset:].decode("utf-8", "replace")
            if "\nready " in f"\n{text}":
                self.start_seconds.append(time.monotonic() - started)
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited while starting:\n{self.log_tail()}")
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"{self.name} was not ready after {READY_TIMEOUT}s:\n{self.log_tail()}")

    def kill(self) -> None:
        """Kill the process at once (SIGKILL), as a crash or a power cut would."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop the process politely, then firmly."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the server's log."""
        return "\n".join(self.log.read_text("utf-8", "replace").splitlines()[-lines:])


@dataclass
class Response:
    """What an HTTP request answered."""

    status: int
    headers: dict[str, str]
    body: Any

    def header(self, name: str) -> str | None:
        """Return a header, whatever its case."""
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def http(
    method: str,
    url: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    opener: urllib.request.OpenerDirector | None = None,
) -> Response:
    """Send one request; never raise for an HTTP error status, never follow a redirect."""
    data: bytes | None = None
    sent = dict(headers or {})
    if isinstance(body, bytes):
        data = body
    elif isinstance(body, dict) and sent.get("Content-Type") == "application/x-www-form-urlencoded":
        data = urllib.parse.urlencode(body).encode()
    elif body is not None:
        data = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/fhir+json")
    request = urllib.request.Request(url, data=data, method=method, headers=sent)
    opener = opener or urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=30) as answer:
            status, answered, raw = answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        status, answered, raw = error.code, dict(error.headers), error.read()
    text = raw.decode("utf-8", "replace")
    try:
        parsed: Any = json.loads(text) if text else None
    except json.JSONDecodeError:
        parsed = text
    return Response(status, answered, parsed)


@dataclass
class Token:
    """A token response from the authorisation server."""

    access_token: str
    scope: str
    response: dict[str, Any]

    @property
    def patient(self) -> str | None:
        """The launch context's patient id, when one was granted."""
        value = self.response.get("patient")
        return str(value) if value else None

    @property
    def claims(self) -> dict[str, Any]:
        """The access token's claims (unverified: the FHIR server is the one that checks)."""
        payload = self.access_token.split(".")[1]
        return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


@dataclass
class FhirServers:
    """The running FHIR server and authorisation server, their test users and apps."""

    fhir: NodeServer
    auth: NodeServer
    fhir_base: str
    issuer: str
    journal: Path
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)

    def sign_in(
        self,
        username: str,
        client_id: str,
        scope: str,
        redirect_uri: str = "http://127.0.0.1:9/callback",
    ) -> Token:
        """Do a SMART standalone launch (authorisation code + PKCE) as `username`; return the token.

        The redirect URI is never fetched: the code is read from the redirect itself.
        """
        client = self.clients[client_id]
        user = self.users[username]
        smart = http("GET", f"{self.fhir_base}/.well-known/smart-configuration").body
        verifier = secrets.token_urlsafe(48)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        state = secrets.token_urlsafe(16)
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "scope": scope,
                "state": state,
                "aud": self.fhir_base,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        browser = urllib.request.build_opener(
            _NoRedirects, urllib.request.HTTPCookieProcessor(CookieJar())
        )
        url = f"{smart['authorization_endpoint']}?{query}"
        for _ in range(10):
            if url.startswith(redirect_uri):
                break
            answer = http("GET", url, opener=browser)
            form_action = re.search(r'<form[^>]*action="([^"]+)"', str(answer.body))
            if answer.status == 200 and form_action:
                answer = http(
                    "POST",
                    urllib.parse.urljoin(url, html.unescape(form_action.group(1))),
                    {"username": username, "password": user["password"]},
                    {"Content-Type": "application/x-www-form-urlencoded"},
                    opener=browser,
                )
            location = answer.header("Location")
            if answer.status not in (302, 303) or not location:
                raise AssertionError(f"sign-in stopped at {url}: {answer.status} {answer.body}")
            url = urllib.parse.urljoin(url, location)
        returned = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        if returned.get("state") != state or "code" not in returned:
            raise AssertionError(f"no code came back: {returned}")
        form = {
            "grant_type": "authorization_code",
            "code": returned["code"],
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if "client_secret" in client:
            pair = f"{client_id}:{client['client_secret']}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        else:
            form["client_id"] = client_id
        answer = http("POST", smart["token_endpoint"], form, headers)
        if answer.status != 200:
            raise AssertionError(f"token endpoint answered {answer.status}: {answer.body}")
        return Token(answer.body["access_token"], answer.body.get("scope", ""), answer.body)

    def request(
        self,
        token: Token | str | None,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Send a FHIR request (path relative to the base) with a bearer token."""
        sent = {"Accept": "application/fhir+json", **(headers or {})}
        if token is not None:
            access = token.access_token if isinstance(token, Token) else token
            sent["Authorization"] = f"Bearer {access}"
        return http(method, f"{self.fhir_base}/{path.lstrip('/')}", body, sent)


def start_servers(workdir: Path) -> FhirServers:
    """Install the packages if needed, start both servers on free ports, and wait for them."""
    install_server_packages()
    fhir_port, auth_port = free_port(), free_port()
    fhir_base = f"http://127.0.0.1:{fhir_port}/fhir"
    issuer = f"http://127.0.0.1:{auth_port}"
    journal = workdir / "fhir-journal.jsonl"
    auth = NodeServer(
        "authorisation server",
        "auth-server.mjs",
        ["--port", str(auth_port), "--fhir-base", fhir_base, "--allow-loopback-redirects"],
        workdir / "auth-server.log",
    )
    fhir = NodeServer(
        "FHIR server",
        "fhir-server.mjs",
        [
            "--port",
            str(fhir_port),
            "--issuer",
            issuer,
            "--data",
            str(journal),
            "--allow-loopback-origins",
        ],
        workdir / "fhir-server.log",
    )
    auth.start()
    try:
        fhir.start()
    except BaseException:
        auth.stop()
        raise
    return FhirServers(
        fhir=fhir,
        auth=auth,
        fhir_base=fhir_base,
        issuer=issuer,
        journal=journal,
        users={user["username"]: user for user in SETUP["users"]},
        clients={client["client_id"]: client for client in SETUP["clients"]},
    )
