"""`icbt serve`: serves the site on 127.0.0.1 and rebuilds when a source file changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(check, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = check()
            if result:
                return result
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def test_serve_rebuilds_on_change(basic_project: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "icbt_content",
            "serve",
            "--project",
            str(basic_project),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        page = base + "demo/en-GB/start/welcome/"
        html = _wait_for(lambda: _get(page))
        assert "Welcome to the programme." in html
        assert '<script src="/__icbt_reload.js"></script>' in html
        version = _get(base + "__icbt_version")
        source = basic_project / "programmes/demo/modules/start/01-welcome.md"
        source.write_text(source.read_text().replace("Welcome to the programme.", "Hello again."))
        _wait_for(lambda: _get(base + "__icbt_version") != version)
        assert "Hello again." in _get(page)
    finally:
        process.terminate()
        process.wait(timeout=10)
