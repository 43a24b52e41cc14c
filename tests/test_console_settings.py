"""The console's settings: deploy.yaml's ``fhir:`` and ``console:`` sections, the secret, the
sign-in check.

Codes: ICBT940 (no FHIR server named), ICBT941 (no client secret), ICBT942 (no SMART
configuration at the FHIR base), ICBT943 (the console and the site name different servers).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from icbt_content.commandline.runner import run
from icbt_content.console.commands import check_server
from icbt_content.console.settings import load_console_config

SECRET = {"ICBT_CONSOLE_CLIENT_SECRET": "s3cret"}


def project(tmp_path: Path, deploy: str | None) -> Path:
    if deploy is not None:
        (tmp_path / "deploy.yaml").write_text(deploy, encoding="utf-8")
    return tmp_path


def test_settings_are_read_with_defaults(tmp_path: Path) -> None:
    deploy = "connection: none\nconsole:\n  fhir_base: https://fhir.example.org/R4\n"
    config, problems = load_console_config(project(tmp_path, deploy), SECRET)
    assert problems == [] and config is not None
    assert config.fhir_base == "https://fhir.example.org/R4"
    assert config.settings.client_id == "icbt-console"
    assert config.client_secret == "s3cret"
    assert config.redirect_uri == "http://127.0.0.1:8400/callback"
    assert config.settings.session_minutes == 30
    assert config.settings.inactive_days == 7
    assert "user/*.cruds" in config.scope


@pytest.mark.parametrize(
    ("public_url", "secure"),
    [
        ("http://127.0.0.1:8400", False),
        ("http://localhost:9000", False),
        ("https://c.nhs.uk", True),
    ],
)
def test_cookies_are_secure_unless_on_loopback(
    tmp_path: Path, public_url: str, secure: bool
) -> None:
    deploy = f"console:\n  fhir_base: https://f.example.org\n  public_url: {public_url}\n"
    config, problems = load_console_config(project(tmp_path, deploy), SECRET)
    assert config is not None, problems
    assert config.secure_cookies is secure


def test_the_listening_address_is_the_public_url_on_loopback_only(tmp_path: Path) -> None:
    deploy = "console:\n  fhir_base: https://f.example.org\n"
    folder = project(tmp_path, deploy)
    config, _ = load_console_config(folder, SECRET, public_url="http://127.0.0.1:9123")
    assert config is not None and config.redirect_uri == "http://127.0.0.1:9123/callback"
    config, _ = load_console_config(folder, SECRET, public_url="http://10.0.0.5:9123")
    assert config is not None and config.public_url == "http://127.0.0.1:8400"


@pytest.mark.parametrize(
    ("deploy", "code", "line", "words"),
    [
        (None, "ICBT940", 1, "no 'fhir:' section"),
        ("connection: none\n", "ICBT940", 1, "no 'fhir:' section"),
        ("console:\n  session_minutes: 10\n", "ICBT940", 1, "no 'fhir_base'"),
        (
            "connection: none\nconsole:\n  fhir_base: http://fhir.example.org\n",
            "ICBT104",
            3,
            "https",
        ),
        ("console:\n  fhir_base: https://f.example.org\n  session_minutes: 0\n", "ICBT104", 3, ""),
        ("console:\n  fhir_base: https://f.example.org\n  secret: x\n", "ICBT10", 3, "secret"),
    ],
)
def test_bad_settings_are_diagnostics(
    tmp_path: Path, deploy: str | None, code: str, line: int, words: str
) -> None:
    config, problems = load_console_config(project(tmp_path, deploy), SECRET)
    assert config is None
    assert [p.code[: len(code)] for p in problems] == [code], problems
    assert problems[0].file == "deploy.yaml"
    assert problems[0].line == line
    assert words in problems[0].message + problems[0].hint


def test_a_missing_secret_is_icbt941_at_the_console_line(tmp_path: Path) -> None:
    deploy = "connection: none\nconsole:\n  fhir_base: https://f.example.org\n"
    config, problems = load_console_config(project(tmp_path, deploy), {})
    assert config is None
    assert [(p.code, p.line) for p in problems] == [("ICBT941", 2)]
    assert "ICBT_CONSOLE_CLIENT_SECRET" in problems[0].message
    assert "never goes in deploy.yaml" in problems[0].hint


def test_a_server_without_smart_configuration_is_icbt942(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    deploy = f"console:\n  fhir_base: http://127.0.0.1:{port}/fhir\n"
    config, _ = load_console_config(project(tmp_path, deploy), SECRET)
    assert config is not None
    problems = check_server(config)
    assert [p.code for p in problems] == ["ICBT942"]
    assert "no answer from" in problems[0].message


def test_icbt_console_stops_with_the_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ICBT_CONSOLE_CLIENT_SECRET", raising=False)
    assert run(["console", "--project", str(project(tmp_path, "connection: none\n"))]) == 1
    assert (
        "deploy.yaml:1:1: error: deploy.yaml names no FHIR server for the console"
        in capsys.readouterr().err
    )


FHIR_SECTION = """connection: fhir
fhir:
  base_url: https://fhir.example.org/r4
  authorization_server: https://auth.example.org
  client_id: icbt-site
  console_client_id: service-console
  console_scopes: openid fhirUser user/*.cruds offline_access
service:
  name: Example Talking Therapies
  contact: "0300 000 0000"
  risk_response: one working day
  risk_response_hours: 24
"""


def test_the_sites_fhir_section_is_enough(tmp_path: Path) -> None:
    config, problems = load_console_config(project(tmp_path, FHIR_SECTION), SECRET)
    assert config is not None, problems
    assert config.fhir_base == "https://fhir.example.org/r4"
    assert config.client_id == "service-console"
    assert config.scope.endswith("offline_access")


def test_console_settings_add_to_the_fhir_section(tmp_path: Path) -> None:
    deploy = FHIR_SECTION + "console:\n  client_id: own-console\n  inactive_days: 14\n"
    config, problems = load_console_config(project(tmp_path, deploy), SECRET)
    assert config is not None, problems
    assert (config.fhir_base, config.client_id) == ("https://fhir.example.org/r4", "own-console")
    assert config.settings.inactive_days == 14


def test_another_server_for_the_console_is_icbt943(tmp_path: Path) -> None:
    deploy = FHIR_SECTION + "console:\n  fhir_base: https://other.example.org/r4\n"
    config, problems = load_console_config(project(tmp_path, deploy), SECRET)
    assert config is None
    assert [(p.code, p.line) for p in problems] == [("ICBT943", 13)]
