"""`icbt serve` survives failed rebuilds, answers only its own host, lists no folder, cleans up."""

from __future__ import annotations

import json
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_helpers import Preview, wait_for

from icbt_content.pipeline.headers import FILE_CSP
from icbt_content.render.environment import CSP
from icbt_content.serve import PREVIEW_CSP, allowed_hosts, with_directive

WELCOME = "/demo/en-GB/start/welcome/"
FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def preview(basic_project: Path, tmp_path: Path) -> Iterator[Preview]:
    """A server of its own, for a test that changes the project."""
    running = Preview(basic_project, tmp_path / "tmp")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One server for the tests that only send requests (starting one takes seconds)."""
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(FIXTURES / "projects" / "basic", root / "project")
    running = Preview(root / "project", root / "tmp")
    yield running
    running.stop()


def _status(preview: Preview) -> dict[str, object]:
    return dict(json.loads(preview.get("/__icbt_status")[2]))


def test_the_preview_csp_differs_from_the_sites_only_in_connect_src() -> None:
    assert "connect-src 'none'" in CSP
    assert CSP.replace("connect-src 'none'", "connect-src 'self'") == PREVIEW_CSP
    assert with_directive("a b; c d", "e", "f") == "a b; c d; e f"


def test_pages_carry_the_preview_csp_and_the_reload_script(served: Preview) -> None:
    status, headers, body = served.get(WELCOME)
    html = body.decode()
    assert status == 200
    assert "connect-src &#39;self&#39;" in html and "connect-src &#39;none&#39;" not in html
    assert html.count('<script src="/__icbt_reload.js"></script></body>') == 1
    assert headers["Content-Security-Policy"] == PREVIEW_CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    media = served.get("/demo/media/cycle.svg")
    assert media[0] == 200 and media[1]["Content-Security-Policy"] == FILE_CSP


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "localhost.evil:{port}", ""]
)
def test_other_hosts_are_refused(served: Preview, host: str) -> None:
    status, _, body = served.get(WELCOME, host=host.format(port=served.port))
    assert status == 400 and b"Welcome to the programme" not in body
    assert served.get("/__icbt_status", host=host.format(port=served.port))[0] == 400


def test_its_own_host_is_answered_by_name_and_number(served: Preview) -> None:
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}"):
        assert served.get(WELCOME, host=host)[0] == 200
    assert allowed_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000"}


def test_folders_are_not_listed(served: Preview) -> None:
    for folder in ("/demo/", "/assets/", "/demo/media/"):
        status, _, body = served.get(folder)
        assert status == 404, folder
        assert b"Directory listing" not in body


def test_a_content_error_keeps_the_last_good_site(preview: Preview, basic_project: Path) -> None:
    version = _status(preview)["version"]
    page = basic_project / "programmes/demo/modules/start/01-welcome.md"
    page.write_text(page.read_text().replace("title: Welcome", "titel: Welcome"))
    status = wait_for(lambda: _status(preview)["problems"] and _status(preview))
    assert status["version"] == version
    assert any("[ICBT102]" in str(p) for p in status["problems"])  # type: ignore[attr-defined]
    assert b"Welcome to the programme." in preview.get(WELCOME)[2]
    assert preview.process.poll() is None
    page.write_text(page.read_text().replace("titel: Welcome", "title: Welcome"))
    wait_for(lambda: _status(preview)["version"] != version)
    assert _status(preview)["problems"] == []


def test_an_exception_in_a_rebuild_keeps_the_server_running(
    basic_project: Path, tmp_path: Path
) -> None:
    templates = basic_project / "templates"
    templates.mkdir()
    preview = Preview(basic_project, tmp_path / "tmp")
    try:
        _raise_in_a_rebuild(preview, templates)
    finally:
        preview.stop()


def _raise_in_a_rebuild(preview: Preview, templates: Path) -> None:
    wait_for(lambda: preview.get(WELCOME)[0] == 200)
    version = _status(preview)["version"]
    # Dividing by zero raises while the page is rendered: an error that is not a content error.
    (templates / "page.html").write_text("{{ 1 // 0 }}")
    status = wait_for(lambda: _status(preview)["problems"] and _status(preview))
    assert status["version"] == version
    assert preview.process.poll() is None
    assert b"Welcome to the programme." in preview.get(WELCOME)[2]
    (templates / "page.html").unlink()
    wait_for(lambda: _status(preview)["version"] != version)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_temporary_folder_is_removed_on_exit(
    basic_project: Path, tmp_path: Path, stop: signal.Signals
) -> None:
    running = Preview(basic_project, tmp_path / "tmp")
    try:
        wait_for(lambda: running.get(WELCOME)[0] == 200)
        assert [p.name[:13] for p in running.temporary.iterdir()] == ["icbt-preview-"]
        running.process.send_signal(stop)
        # Only that it stops cleanly is asserted: a loaded machine may take its time.
        assert running.process.wait(timeout=120) == 0
    finally:
        running.stop()
    assert list(running.temporary.iterdir()) == []
