"""Run the therapist console (uvicorn, on a thread) against the test FHIR servers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fhir_servers import FhirServers, free_port

from icbt_content.console.app import create_app
from icbt_content.console.commands import load_programmes
from icbt_content.console.settings import ConsoleConfig, load_console_config
from icbt_content.model.console import ConsoleSettings
from icbt_content.model.programme import Programme

REPO = Path(__file__).resolve().parents[2]


def sample_programmes() -> tuple[list[Programme], dict[str, dict[str, Programme]]]:
    """The sample programmes and their translations, as ``icbt console`` loads them."""
    programmes, localised, problems = load_programmes(REPO)
    assert not problems, problems
    assert [p.id for p in programmes] == ["ptsd", "sad"]
    return programmes, localised


def console_config(servers: FhirServers, port: int, **settings: object) -> ConsoleConfig:
    """The console's settings for the test servers (the icbt-console confidential client)."""
    client = servers.clients["icbt-console"]
    return ConsoleConfig(
        ConsoleSettings.model_validate(
            {
                "fhir_base": servers.fhir_base,
                "client_id": client["client_id"],
                "public_url": f"http://127.0.0.1:{port}",
                **settings,
            }
        ),
        client_secret=client["client_secret"],
    )


@contextmanager
def running_console(
    servers: FhirServers, project: Path | None = None, **settings: object
) -> Iterator[str]:
    """Serve the console on a free loopback port; yield its origin.

    With ``project``, the console is set up as ``icbt console --project`` sets it up: its
    settings from that project's deploy.yaml (the secret from the environment), its programmes
    from that project; otherwise from the sample programmes and ``settings``.
    """
    port = free_port()
    if project is None:
        config = console_config(servers, port, **settings)
        programmes, localised = sample_programmes()
    else:
        secret = {"ICBT_CONSOLE_CLIENT_SECRET": servers.clients["icbt-console"]["client_secret"]}
        loaded, problems = load_console_config(
            project, secret, public_url=f"http://127.0.0.1:{port}"
        )
        assert loaded is not None, problems
        config = loaded
        programmes, localised, problems = load_programmes(project)
        assert not problems, problems
    app = create_app(config, programmes, localised=localised)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
