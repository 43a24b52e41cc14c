"""Start ``icbt serve`` in a subprocess on a free port, with its own temporary folder."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _interruptible() -> None:
    """In the child, before it starts: SIGINT does what it does by default."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Preview:
    """A running ``icbt serve`` of a project."""

    def __init__(self, project: Path, temporary: Path) -> None:
        self.port = free_port()
        self.temporary = temporary
        temporary.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "icbt_content",
                "serve",
                "--project",
                str(project),
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "TMPDIR": str(temporary)},
            # Started as from a terminal, where Ctrl+C stops it. A shell that runs the suite in
            # the background ignores SIGINT for it, and a child inherits an ignored signal:
            # Python would then never raise KeyboardInterrupt in the preview.
            preexec_fn=_interruptible,
        )
        self.base = f"http://127.0.0.1:{self.port}/"
        wait_for(lambda: self.get("/")[0] in (200, 503))

    def get(self, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", f"127.0.0.1:{self.port}" if host is None else host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=30)


def wait_for(check: Callable[[], T], seconds: float = 90.0) -> T:
    """Call ``check`` until it returns something true (OSError counts as not yet)."""
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
